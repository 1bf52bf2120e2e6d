package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/internal/scenario"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// TestChaosOrderingInBrowser plays chaos_success_early in Chromium with
// and without its chaos settings: the page's callbacks come in another
// order, onSuccess's arguments and the events are the same, and the page's
// console shows the seed that replays the order.
func TestChaosOrderingInBrowser(t *testing.T) {
	all, err := scenario.Load(scenarios)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(sc scenario.Scenario) bool { return sc.Name == "chaos_success_early" })
	if i < 0 {
		t.Fatal("no scenario chaos_success_early")
	}
	chaos := all[i]
	plain := chaos
	plain.Settings = nil
	lines := func(sc scenario.Scenario) ([]string, *tab) {
		tb := openScenario(t, sc)
		for _, st := range sc.Steps {
			tb.play(st)
		}
		tb.waitDialogs(0)
		got, err := harness.Transcript(tb.calls("main"))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSpace(string(got)), "\n"), tb
	}
	got, tb := lines(chaos)
	tb.waitConsole("warning", "chaos ordering is on with seed 2:")
	want, _ := lines(plain)
	if slices.Equal(got, want) {
		t.Fatalf("chaos ordering gave the default order:\n%s", strings.Join(got, "\n"))
	}
	isEnd := func(l string) bool { return strings.HasPrefix(l, protocol.OnSuccess+" ") }
	if g, w := got[slices.IndexFunc(got, isEnd)], want[slices.IndexFunc(want, isEnd)]; g != w {
		t.Errorf("onSuccess differs under chaos:\n got %s\nwant %s", g, w)
	}
	if g, w := slices.DeleteFunc(slices.Clone(got), isEnd), slices.DeleteFunc(slices.Clone(want), isEnd); !slices.Equal(g, w) {
		t.Errorf("the events differ under chaos:\n got %q\nwant %q", g, w)
	}
}
