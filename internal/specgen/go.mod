module github.com/linkharness/linkharness/internal/specgen

go 1.26.8

replace github.com/linkharness/linkharness => ../..

require (
	github.com/linkharness/linkharness v0.0.0-00010101000000-000000000000
	go.yaml.in/yaml/v3 v3.0.6
)
