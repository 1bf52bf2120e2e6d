//go:build !wasip1

package protocol

import "encoding/json"

// RawMessage is JSON carried as it is. Outside link.wasm it is
// json.RawMessage, so that hosts encode and decode the protocol with
// encoding/json; link.wasm, which links no encoding/json, has its own
// (raw_wasip1.go).
type RawMessage = json.RawMessage
