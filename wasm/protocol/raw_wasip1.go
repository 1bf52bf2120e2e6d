//go:build wasip1

package protocol

// RawMessage is JSON carried as it is. In link.wasm it is a plain byte
// slice, which the engine's encoder (package wire) writes as it is and its
// decoder fills with the text it read: link.wasm links no encoding/json.
type RawMessage []byte
