package harness_test

import (
	"testing"

	"github.com/linkharness/linkharness/internal/scenario"
)

// BenchmarkSuccessFlow runs whole success flows (open to HANDOFF) through
// link.wasm in wazero against the in-process server, and reports flows per
// second.
func BenchmarkSuccessFlow(b *testing.B) {
	var success scenario.Scenario
	for _, sc := range loadScenarios(b) {
		if sc.Name == "success" {
			success = sc
		}
	}
	for b.Loop() {
		s := play(b, success).last()
		if len(s.Calls()) == 0 || s.View() != nil {
			b.Fatal("the flow did not finish")
		}
		s.Destroy()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "flows/s")
}
