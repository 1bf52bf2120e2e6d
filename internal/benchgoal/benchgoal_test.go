package benchgoal

import "testing"

func TestLine(t *testing.T) {
	tests := []struct {
		goal   Goal
		value  float64
		detail string
		want   string
	}{
		{HarnessFlows, 2500, "", "FIGURE full success flows through the harness (wazero, in process): 2500 flows/s; goal >= 2000 flows/s: met"},
		{HarnessFlows, 1999.5, "200 flows", "FIGURE full success flows through the harness (wazero, in process): 1999.500 flows/s (200 flows); goal >= 2000 flows/s: NOT MET"},
		{WasmGzip, 950_000, "", "FIGURE link.wasm gzipped: 950000 bytes; goal <= 950000 bytes: met"},
		{WasmGzip, 950_001, "", "FIGURE link.wasm gzipped: 950001 bytes; goal <= 950000 bytes: NOT MET"},
		{SteadyP99, 5, "", "FIGURE p99 of /item/get at a steady 1,000 req/s: 5 ms; goal < 5 ms: NOT MET"},
		{SteadyP99, 1.25, "", "FIGURE p99 of /item/get at a steady 1,000 req/s: 1.250 ms; goal < 5 ms: met"},
		{WorkerCPU.Of("/link/token/create"), 12.2, "", "FIGURE the Worker's CPU per request (/link/token/create): 12.200 ms; goal <= 10 ms: NOT MET"},
		{ReadRatio, 0.4, "", "FIGURE /item/get (read) rate as a ratio to the bare net/http handler: 0.400 x; goal >= 0.400 x: met"},
	}
	for _, tt := range tests {
		if got := tt.goal.Line(tt.value, tt.detail); got != tt.want {
			t.Errorf("Line(%v, %q)\n got %s\nwant %s", tt.value, tt.detail, got, tt.want)
		}
	}
}

func TestFind(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range All {
		if g.Key == "" || seen[g.Key] {
			t.Errorf("goal %q: key %q empty or taken", g.Name, g.Key)
		}
		seen[g.Key] = true
		if got, ok := Find(g.Key); !ok || got != g {
			t.Errorf("Find(%q) = %v, %v", g.Key, got, ok)
		}
	}
	if _, ok := Find("nothing"); ok {
		t.Error("Find found a goal that does not exist")
	}
}
