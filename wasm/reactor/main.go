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
	// spare are buffers the host freed, kept for the next alloc or result
	// rather than made anew for each message.
	spare [][]byte
)

// Bounds of what spare keeps: how many buffers, and how large.
const (
	maxSpare     = 4
	maxSpareSize = 64 << 10
	// resultSize is the room a result buffer starts with.
	resultSize = 4096
)

func main() {}

// hold pins b for the host and returns its address.
func hold(b []byte) uint32 {
	if cap(b) == 0 {
		b = make([]byte, 0, 1)
	}
	p := uint32(uintptr(unsafe.Pointer(&b[:1][0])))
	buffers[p] = b
	return p
}

// take is a buffer of length n, a spare one if one is large enough. A
// spare buffer is not cleared: the host writes what it reads.
func take(n int) []byte {
	for i := len(spare) - 1; i >= 0; i-- {
		if b := spare[i]; cap(b) >= n {
			spare[i] = spare[len(spare)-1]
			spare[len(spare)-1] = nil
			spare = spare[:len(spare)-1]
			return b[:n]
		}
	}
	return make([]byte, n, max(n, resultSize))
}

//go:wasmexport alloc
func alloc(size uint32) uint32 {
	return hold(take(int(size)))
}

//go:wasmexport free
func free(p uint32) {
	b, ok := buffers[p]
	if !ok {
		return
	}
	delete(buffers, p)
	if len(spare) < maxSpare && cap(b) <= maxSpareSize {
		spare = append(spare, b)
	}
}

//go:wasmexport dispatch
func dispatch(p, n uint32) uint64 {
	in, ok := buffers[p]
	if !ok || int(n) > len(in) {
		in = nil
	} else {
		in = in[:n]
	}
	out := engine.AppendDispatch(take(0), in)
	return uint64(hold(out))<<32 | uint64(len(out))
}
