// Package wasm carries link.wasm, the Link engine compiled for WASI, so that
// the server and the harness embed the very same bytes.
//
// link.wasm is a build output that is committed so that `go install` gives a
// working binary. Rebuild it with `make wasm` after changing anything under
// wasm/ (`make check` fails when it is stale):
//
//	GOOS=wasip1 GOARCH=wasm go build -trimpath -buildmode=c-shared -o wasm/link.wasm ./wasm/reactor
package wasm

import _ "embed"

// Module is link.wasm.
//
//go:embed link.wasm
var Module []byte
