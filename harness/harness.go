// Package harness runs the Link engine from Go tests: the very link.wasm that
// linkharness serves to browsers, loaded in wazero, driven through the view
// model the way a person drives Link in a browser.
//
// It is shaped like net/http/httptest: [New] starts a harness against a
// backend handler (normally web.New), the caller closes it, and sessions made
// from it record every callback in the order it fired:
//
//	srv := web.New(web.Options{Clients: clients})
//	defer srv.Close() // stops its webhook worker, drops its in-memory store
//	h := harness.New(srv)
//	defer h.Close()
//	s, _ := h.Create(harness.Config{Key: key, Product: []string{"transactions"}})
//	s.Open()
//	s.Press("Continue")
//	s.Press("First Platypus Bank")
//	s.Fill("Username", "user_good")
//	...
//	calls := s.Calls()
//
// # Time
//
// The engine reads only the clock the host gives it. Each session of the
// harness has a virtual clock that starts at the wall-clock time of Create and
// moves on by one second before every user action (Press, Fill, Exit), firing
// the engine's timers that come due, as if the user paused between actions.
// Runs are therefore fast and repeatable.
package harness

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/linkharness/linkharness/wasm"
)

// compiled is link.wasm compiled once per process: compiling takes about a
// second, instantiating a few milliseconds.
var compiled struct {
	once    sync.Once
	runtime wazero.Runtime
	module  wazero.CompiledModule
	err     error
}

func compile() (wazero.Runtime, wazero.CompiledModule, error) {
	compiled.once.Do(func() {
		ctx := context.Background()
		r := wazero.NewRuntime(ctx)
		if _, err := wasi_snapshot_preview1.Instantiate(ctx, r); err != nil {
			compiled.err = err
			return
		}
		compiled.runtime = r
		compiled.module, compiled.err = r.CompileModule(ctx, wasm.Module)
	})
	return compiled.runtime, compiled.module, compiled.err
}

// Harness is one instance of link.wasm with the backend its requests go to.
// It is safe for concurrent use; sessions run one message at a time.
type Harness struct {
	backend http.Handler

	mu       sync.Mutex
	mod      api.Module
	alloc    api.Function
	free     api.Function
	dispatch api.Function
	sessions int
	stderr   bytes.Buffer
}

// New instantiates link.wasm against backend, which answers the engine's
// requests in process (normally a web.Server). It panics if the module cannot
// be instantiated, as httptest.NewServer panics when it cannot listen.
func New(backend http.Handler) *Harness {
	h, err := start(backend)
	if err != nil {
		panic("harness: " + err.Error())
	}
	return h
}

func start(backend http.Handler) (*Harness, error) {
	r, cm, err := compile()
	if err != nil {
		return nil, fmt.Errorf("compiling link.wasm: %w", err)
	}
	h := &Harness{backend: backend}
	// The system's clocks, not wazero's default fake ones, which the Go
	// runtime in link.wasm paces its garbage collector by: on the fake
	// clock it stops collecting after about a hundred cycles (a few
	// thousand flows), and the instance's memory then grows without
	// bound. The engine itself reads only the clock the messages carry.
	cfg := wazero.NewModuleConfig().
		WithName("").
		WithStartFunctions("_initialize").
		WithSysNanotime().
		WithSysWalltime().
		WithStderr(&moduleOutput{h: h}).
		WithStdout(&moduleOutput{h: h})
	h.mod, err = r.InstantiateModule(context.Background(), cm, cfg)
	if err != nil {
		return nil, fmt.Errorf("instantiating link.wasm: %w", err)
	}
	h.alloc = h.mod.ExportedFunction("alloc")
	h.free = h.mod.ExportedFunction("free")
	h.dispatch = h.mod.ExportedFunction("dispatch")
	if h.alloc == nil || h.free == nil || h.dispatch == nil {
		h.mod.Close(context.Background())
		return nil, fmt.Errorf("link.wasm lacks the alloc/free/dispatch exports")
	}
	return h, nil
}

// Close releases the module instance. Sessions of a closed harness fail.
func (h *Harness) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.mod.Close(context.Background())
}

// WasmSHA256 is the hex SHA-256 of the link.wasm bytes the harness runs.
func (h *Harness) WasmSHA256() string {
	sum := sha256.Sum256(wasm.Module)
	return hex.EncodeToString(sum[:])
}

// call runs one JSON message through the module's ABI (see wasm/protocol).
func (h *Harness) call(msg []byte) ([]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ctx := context.Background()
	mem := h.mod.Memory()
	res, err := h.alloc.Call(ctx, uint64(len(msg)))
	if err != nil {
		return nil, fmt.Errorf("alloc: %w", err)
	}
	in := uint32(res[0])
	defer h.free.Call(ctx, uint64(in))
	if !mem.Write(in, msg) {
		return nil, fmt.Errorf("alloc returned an out-of-range buffer")
	}
	res, err = h.dispatch.Call(ctx, uint64(in), uint64(len(msg)))
	if err != nil {
		return nil, fmt.Errorf("dispatch: %w (module stderr: %s)", err, h.stderr.String())
	}
	out, n := uint32(res[0]>>32), uint32(res[0])
	defer h.free.Call(ctx, uint64(out))
	b, ok := mem.Read(out, n)
	if !ok {
		return nil, fmt.Errorf("dispatch returned an out-of-range result")
	}
	return bytes.Clone(b), nil
}

// moduleOutput collects what the module prints, which happens only while
// h.mu is held (or before the harness is shared).
type moduleOutput struct{ h *Harness }

func (w *moduleOutput) Write(p []byte) (int, error) { return w.h.stderr.Write(p) }
