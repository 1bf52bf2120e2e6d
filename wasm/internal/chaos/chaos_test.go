package chaos

import (
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// effects makes effects from words: E1, E2 ... onEvent calls, S onSuccess,
// X onExit, R a render, C a close.
func effects(words string) []protocol.Effect {
	var out []protocol.Effect
	for _, w := range strings.Fields(words) {
		switch {
		case w == "S":
			out = append(out, protocol.Effect{Kind: protocol.KindCallback, Callback: &protocol.Callback{Name: protocol.OnSuccess, Args: nil}})
		case w == "X":
			out = append(out, protocol.Effect{Kind: protocol.KindCallback, Callback: &protocol.Callback{Name: protocol.OnExit}})
		case w == "R":
			out = append(out, protocol.Effect{Kind: protocol.KindRender})
		case w == "C":
			out = append(out, protocol.Effect{Kind: protocol.KindClose})
		default:
			out = append(out, protocol.Effect{Kind: protocol.KindCallback, Callback: &protocol.Callback{Name: protocol.OnEvent, Args: nil}, Console: &protocol.Console{Message: w}})
		}
	}
	return out
}

// words is effects back as words.
func words(es []protocol.Effect) string {
	var out []string
	for _, e := range es {
		switch {
		case e.Kind == protocol.KindRender:
			out = append(out, "R")
		case e.Kind == protocol.KindClose:
			out = append(out, "C")
		case e.Callback.Name == protocol.OnSuccess:
			out = append(out, "S")
		case e.Callback.Name == protocol.OnExit:
			out = append(out, "X")
		default:
			out = append(out, e.Console.Message)
		}
	}
	return strings.Join(out, " ")
}

// TestReorder checks, for every seed of a few, that the ending moves to a
// place it did not have, that the events keep their order and the other
// effects their places, and that a message with nothing to move among
// stays as it was.
func TestReorder(t *testing.T) {
	for _, tc := range []struct {
		in string
		// legal are every order chaos may give; none means unchanged.
		legal []string
	}{
		{"E1 X C", []string{"X E1 C"}},
		{"E1 E2 X C", []string{"X E1 E2 C", "E1 X E2 C"}},
		{"E1 R X E2 C", []string{"X R E1 E2 C", "E1 R E2 X C"}},
		{"E1 R S", []string{"S R E1", "E1 R"}}, // or held until Link closes
		{"X C", nil},
		{"E1 E2 R", nil},
		{"S X E1 C", nil},
	} {
		seen := map[string]bool{}
		for seed := int64(1); seed <= 20; seed++ {
			got := words(New(seed).Reorder(effects(tc.in)))
			want := tc.legal
			if want == nil {
				want = []string{tc.in}
			}
			if !slices.Contains(want, got) {
				t.Errorf("%q with seed %d: %q, want one of %q", tc.in, seed, got, want)
			}
			seen[got] = true
		}
		if tc.legal != nil && len(seen) != len(tc.legal) {
			t.Errorf("%q: 20 seeds gave %d orders, want all %d", tc.in, len(seen), len(tc.legal))
		}
	}
}

// TestHeld checks that a held onSuccess comes out in the message that
// closes Link, after its events, and only then.
func TestHeld(t *testing.T) {
	for seed := int64(1); seed <= 50; seed++ {
		o := New(seed)
		if got := words(o.Reorder(effects("E1 R S"))); got != "E1 R" {
			continue
		}
		if got := words(o.Reorder(effects("E2 R"))); got != "E2 R" {
			t.Errorf("seed %d: a message that does not close released it: %q", seed, got)
		}
		if got := words(o.Reorder(effects("E3 C"))); got != "E3 S C" {
			t.Errorf("seed %d: the closing message gave %q, want E3 S C", seed, got)
		}
		if got := words(o.Reorder(effects("C"))); got != "C" {
			t.Errorf("seed %d: released twice: %q", seed, got)
		}
		return
	}
	t.Fatal("no seed of 50 held onSuccess")
}
