module github.com/linkharness/linkharness/web/worker

go 1.26.8

require (
	github.com/linkharness/linkharness v0.0.0-00010101000000-000000000000
	github.com/syumai/workers v0.32.0
)

require (
	github.com/ncruces/go-sqlite3 v0.32.0 // indirect
	github.com/ncruces/julianday v1.0.0 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	golang.org/x/sys v0.44.0 // indirect
)

replace github.com/linkharness/linkharness => ../..
