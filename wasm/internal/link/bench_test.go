package link_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/linkharness/linkharness/wasm/internal/link"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// successFlow is the messages of one success flow as a host sent them
// (create, open, the backend's answers, presses and edits), one a line.
func successFlow(tb testing.TB) [][]byte {
	raw, err := os.ReadFile("testdata/success.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	var msgs [][]byte
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		msgs = append(msgs, append([]byte(nil), sc.Bytes()...))
	}
	return msgs
}

// BenchmarkSuccessFlow replays the success flow through Dispatch: one
// iteration is the whole flow, as a host's JSON goes in and out.
func BenchmarkSuccessFlow(b *testing.B) {
	msgs := successFlow(b)
	b.ReportAllocs()
	for b.Loop() {
		e := link.New()
		for _, m := range msgs {
			e.Dispatch(m)
		}
	}
}

// TestSuccessFlowWire checks Dispatch's own JSON against encoding/json on the
// success flow: each message decodes as encoding/json decodes it, and each
// result is byte for byte what json.Marshal writes for the same effects.
func TestSuccessFlowWire(t *testing.T) {
	viaDispatch, viaHandle := link.New(), link.New()
	for _, raw := range successFlow(t) {
		var want, got protocol.Message
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if err := got.DecodeJSON(raw); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		wantJSON, _ := json.Marshal(want)
		gotJSON, _ := json.Marshal(got)
		if !bytes.Equal(gotJSON, wantJSON) {
			t.Fatalf("decoded\n got %s\nwant %s", gotJSON, wantJSON)
		}
		out := viaDispatch.Dispatch(raw)
		expected, err := json.Marshal(viaHandle.Handle(want))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out, expected) {
			t.Fatalf("result of %s\n got %s\nwant %s", raw, out, expected)
		}
	}
}

// TestCapturedFlowIsCurrent checks that testdata/success.jsonl is still a
// whole flow of this engine: it ends in onSuccess, and every request the
// engine makes meanwhile is answered by a later message, and no answer is
// to a request it did not make. When the engine's requests change,
// capture the flow again from the harness (the messages the harness
// dispatches in one success flow, one a line).
func TestCapturedFlowIsCurrent(t *testing.T) {
	e := link.New()
	requested := map[int]bool{}
	succeeded := false
	for _, raw := range successFlow(t) {
		var m protocol.Message
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if m.Type == protocol.TypeResponse {
			if !requested[m.Response.ID] {
				t.Errorf("the flow answers request %d, which the engine did not make (or made and had answered)", m.Response.ID)
			}
			delete(requested, m.Response.ID)
		}
		for _, eff := range e.Handle(m).Effects {
			switch {
			case eff.Kind == protocol.KindRequest:
				requested[eff.Request.ID] = true
			case eff.Kind == protocol.KindCallback && eff.Callback.Name == protocol.OnSuccess:
				succeeded = true
			}
		}
	}
	if len(requested) > 0 {
		t.Errorf("requests %v are never answered in the flow", requested)
	}
	if !succeeded {
		t.Error("the flow never reaches onSuccess")
	}
}
