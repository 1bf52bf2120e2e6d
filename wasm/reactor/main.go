//go:build wasip1

// Command reactor is link.wasm: the Link engine (wasm/link) as a WASI
// reactor exporting the message ABI that wasm/protocol describes.
//
// Build it with `make wasm`, which runs
//
//	GOOS=wasip1 GOARCH=wasm go build -trimpath -buildmode=c-shared -o wasm/link.wasm ./wasm/reactor
package main

import (
	"unsafe"

	"github.com/linkharness/linkharness/wasm/internal/link"
)

var (
	engine = link.New()
	// buffers keeps every buffer handed to the host alive until it is freed.
	buffers = map[uint32][]byte{}
)

func main() {}

// hold pins b for the host and returns its address.
func hold(b []byte) uint32 {
	if len(b) == 0 {
		b = make([]byte, 1)
	}
	p := uint32(uintptr(unsafe.Pointer(&b[0])))
	buffers[p] = b
	return p
}

//go:wasmexport alloc
func alloc(size uint32) uint32 {
	return hold(make([]byte, size))
}

//go:wasmexport free
func free(p uint32) {
	delete(buffers, p)
}

//go:wasmexport dispatch
func dispatch(p, n uint32) uint64 {
	in, ok := buffers[p]
	if !ok || int(n) > len(in) {
		in = nil
	} else {
		in = in[:n]
	}
	out := engine.Dispatch(in)
	return uint64(hold(out))<<32 | uint64(len(out))
}
