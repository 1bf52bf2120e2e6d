package e2e

import "testing"

// BenchmarkOnLoad measures how long a page takes from the start of its
// navigation to Link's onLoad callback in headless Chromium: loading
// link-initialize.js, fetching and compiling link.wasm, starting the Go
// runtime and running the create message. It reports that time as ms/op.
// Every iteration after the first revalidates link.wasm in the browser's
// cache, as a returning visitor's browser does.
func BenchmarkOnLoad(b *testing.B) {
	tb := newTab(b)
	var total float64
	n := 0
	for b.Loop() {
		tb.navigate("link.html")
		tb.waitCall("main", "onLoad")
		calls, err := tb.pageCalls()
		if err != nil {
			b.Fatal(err)
		}
		total += calls[0].At
		n++
	}
	b.ReportMetric(total/float64(n), "ms/op")
}

// BenchmarkSuccessFlow runs one whole sandbox success flow per iteration, as
// TestSuccessFlow does, from loading the page to Link closing after
// onSuccess.
func BenchmarkSuccessFlow(b *testing.B) {
	tb := newTab(b)
	for b.Loop() {
		tb.navigate("link.html")
		tb.successFlow()
	}
}
