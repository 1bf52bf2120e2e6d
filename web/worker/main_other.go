//go:build !(js && wasm)

// Command worker is linkharness on Cloudflare Workers. It only builds for
// GOOS=js GOARCH=wasm (see worker.mk); on the host this stub keeps
// `go vet ./...` and `go test ./...` working.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "web/worker runs on Cloudflare Workers: build it with `make worker` (GOOS=js GOARCH=wasm)")
	os.Exit(2)
}
