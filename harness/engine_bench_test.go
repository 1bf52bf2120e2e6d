package harness_test

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/tetratelabs/wazero"
	wapi "github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/linkharness/linkharness/wasm"
)

// BenchmarkEngineFlow replays the engine's captured success flow
// (wasm/internal/link/testdata/success.jsonl, which BenchmarkSuccessFlow
// of package link replays natively) through link.wasm in wazero, with no
// server: one iteration is the flow's 16 dispatches, each with the ABI's
// alloc and frees, as the harness makes them. It is link.wasm's share of a
// harness flow, measured on its own; cpu-µs/flow, the process's CPU time
// per flow, is the steadier figure on a shared machine.
func BenchmarkEngineFlow(b *testing.B) {
	msgs := capturedFlow(b)
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, r)
	mod, err := r.InstantiateWithConfig(ctx, wasm.Module, wazero.NewModuleConfig().WithName("").WithStartFunctions("_initialize").
		WithSysNanotime().WithSysWalltime()) // as the harness runs it
	if err != nil {
		b.Fatal(err)
	}
	e := engineABI{mod: mod, alloc: mod.ExportedFunction("alloc"), free: mod.ExportedFunction("free"), dispatch: mod.ExportedFunction("dispatch")}
	var outBytes int
	cpu0 := cpuTime()
	for b.Loop() {
		for _, m := range msgs {
			outBytes += len(e.call(b, m))
		}
	}
	if outBytes == 0 {
		b.Fatal("the engine answered nothing")
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/flow")
}

// capturedFlow is the engine's captured success flow, one message a line.
func capturedFlow(tb testing.TB) [][]byte {
	raw, err := os.ReadFile("../wasm/internal/link/testdata/success.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	var msgs [][]byte
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		msgs = append(msgs, bytes.Clone(sc.Bytes()))
	}
	if len(msgs) == 0 {
		tb.Fatal("no messages in the captured flow")
	}
	return msgs
}

// engineABI is link.wasm's message ABI (see wasm/protocol) on one instance.
type engineABI struct {
	mod                   wapi.Module
	alloc, free, dispatch wapi.Function
}

// call dispatches msg and returns the module's result, as the harness does.
func (e engineABI) call(tb testing.TB, msg []byte) []byte {
	ctx := context.Background()
	res, err := e.alloc.Call(ctx, uint64(len(msg)))
	if err != nil {
		tb.Fatal(err)
	}
	in := uint32(res[0])
	e.mod.Memory().Write(in, msg)
	res, err = e.dispatch.Call(ctx, uint64(in), uint64(len(msg)))
	if err != nil {
		tb.Fatal(err)
	}
	e.free.Call(ctx, uint64(in))
	out, n := uint32(res[0]>>32), uint32(res[0])
	b, ok := e.mod.Memory().Read(out, n)
	if !ok {
		tb.Fatal("dispatch returned an out-of-range result")
	}
	b = bytes.Clone(b)
	e.free.Call(ctx, uint64(out))
	return b
}
