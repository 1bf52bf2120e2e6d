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
	for key, g := range Keys {
		if got, ok := Find(key); !ok || got != g {
			t.Errorf("Find(%q) = %v, %v", key, got, ok)
		}
		if got, ok := Find(g.Name); !ok || got != g {
			t.Errorf("Find(%q) = %v, %v", g.Name, got, ok)
		}
	}
	if len(Keys) != len(All) {
		t.Errorf("%d keys for %d goals", len(Keys), len(All))
	}
	if _, ok := Find("nothing"); ok {
		t.Error("Find found a goal that does not exist")
	}
}
