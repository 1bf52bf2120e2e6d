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
