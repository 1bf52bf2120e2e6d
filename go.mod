module github.com/linkharness/linkharness

go 1.26.8

require (
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/go-pdf/fpdf v0.9.0
	github.com/ncruces/go-sqlite3 v0.32.0
	github.com/tetratelabs/wazero v1.12.0
)

require (
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/ncruces/julianday v1.0.0 // indirect
	golang.org/x/sys v0.44.0 // indirect
)
