package e2e

import (
	"slices"
	"testing"
)

// BenchmarkOnLoad measures how long a page takes from the start of its
// navigation to Link's onLoad callback in headless Chromium: loading
// link-initialize.js, fetching and compiling link.wasm, starting the Go
// runtime and running the create message. It reports the mean as ms/op and
// the median as median-ms. Every iteration after the first finds link.wasm
// in the browser's cache, as a returning visitor's browser does: its
// versioned address may be kept without revalidation.
func BenchmarkOnLoad(b *testing.B) {
	tb := newTab(b)
	var times []float64
	for b.Loop() {
		tb.navigate("link.html")
		tb.waitCall("main", "onLoad")
		calls, err := tb.pageCalls()
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, calls[0].At)
	}
	total := 0.0
	for _, t := range times {
		total += t
	}
	slices.Sort(times)
	b.ReportMetric(total/float64(len(times)), "ms/op")
	b.ReportMetric(times[len(times)/2], "median-ms")
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
