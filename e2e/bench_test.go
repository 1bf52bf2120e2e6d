package e2e

import (
	"fmt"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/linkharness/linkharness/internal/benchgoal"
)

// BenchmarkOnLoad measures the time from navigation to onLoad: the test
// page, on another origin than the emulator, loads the SDK, which fetches,
// compiles and starts link.wasm, creates Link and calls onLoad. Each
// iteration opens a tab in a new browser context, so its cache is cold,
// loads the page there (the figure the goal is for), then loads it a
// second time in the same context, as the next page of a site would (the
// warm figure: what the browser's cache saves). It reports the medians.
func BenchmarkOnLoad(b *testing.B) {
	var cold, warm []float64
	for b.Loop() {
		tb, closeTab := openTab(b, chromedp.WithNewBrowserContext())
		cold = append(cold, tb.onLoadAt())
		warm = append(warm, tb.onLoadAt())
		closeTab()
	}
	b.ReportMetric(median(cold), "cold-ms")
	b.ReportMetric(median(warm), "warm-ms")
	b.Log(benchgoal.OnLoad.Line(median(cold), fmt.Sprintf("%d runs; a second load in the same context: %.1f ms", len(cold), median(warm))))
}

// onLoadAt loads the test page and returns when onLoad fired, in
// milliseconds since the navigation started.
func (t *tab) onLoadAt() float64 {
	t.tb.Helper()
	t.navigate("link.html")
	t.waitCall("main", "onLoad")
	calls, err := t.pageCalls()
	if err != nil {
		t.tb.Fatal(err)
	}
	return calls[0].At
}

// median is the middle value of xs (the mean of the middle two for an even
// count).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
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
