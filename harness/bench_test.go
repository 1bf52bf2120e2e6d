package harness_test

import "testing"

// BenchmarkSuccessFlow runs whole success flows (open to HANDOFF) through
// link.wasm in wazero against the in-process server, and reports flows per
// second.
func BenchmarkSuccessFlow(b *testing.B) {
	for b.Loop() {
		s := run(b, config(), successFlow...)
		if len(s.Calls()) == 0 || s.View() != nil {
			b.Fatal("the flow did not finish")
		}
		s.Destroy()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "flows/s")
}
