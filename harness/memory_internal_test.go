package harness

import (
	"context"
	"testing"
)

// TestMemoryStaysBounded checks that the Go runtime in link.wasm keeps
// collecting garbage on a long-lived instance: 2 GiB allocated through
// the ABI in 1 MiB buffers, each freed at once, must leave the instance's
// linear memory far smaller. (On wazero's default fake clocks the
// runtime's collector stops after about a hundred cycles, and memory
// then grows with every allocation.)
func TestMemoryStaysBounded(t *testing.T) {
	h, err := start(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ctx := context.Background()
	const size, rounds, limit = 1 << 20, 2048, 256 << 20
	for range rounds {
		res, err := h.alloc.Call(ctx, size)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.free.Call(ctx, res[0]); err != nil {
			t.Fatal(err)
		}
	}
	if got := h.mod.Memory().Size(); got > limit {
		t.Errorf("linear memory is %d MiB after %d MiB allocated and freed, want at most %d MiB", got>>20, size*rounds>>20, limit>>20)
	}
}
