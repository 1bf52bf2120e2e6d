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
	// held keeps every buffer handed to the host alive until it is freed:
	// a host holds two or three at a time (an input, a result), so a list
	// is quicker to search than a map is to hash.
	held []heldBuffer
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

// heldBuffer is a buffer the host holds, by its address.
type heldBuffer struct {
	p uint32
	b []byte
}

func main() {}

// hold pins b for the host and returns its address.
func hold(b []byte) uint32 {
	if cap(b) == 0 {
		b = make([]byte, 0, 1)
	}
	p := uint32(uintptr(unsafe.Pointer(&b[:1][0])))
	held = append(held, heldBuffer{p, b})
	return p
}

// find is the index in held of the buffer at p, or -1.
func find(p uint32) int {
	for i := len(held) - 1; i >= 0; i-- {
		if held[i].p == p {
			return i
		}
	}
	return -1
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
	i := find(p)
	if i < 0 {
		return
	}
	b := held[i].b
	held[i] = held[len(held)-1]
	held[len(held)-1] = heldBuffer{}
	held = held[:len(held)-1]
	if len(spare) < maxSpare && cap(b) <= maxSpareSize {
		spare = append(spare, b)
	}
}

//go:wasmexport dispatch
func dispatch(p, n uint32) uint64 {
	var in []byte
	if i := find(p); i >= 0 && int(n) <= len(held[i].b) {
		in = held[i].b[:n]
	}
	out := engine.AppendDispatch(take(0), in)
	return uint64(hold(out))<<32 | uint64(len(out))
}
