//go:build js

package web

import (
	"context"
	"errors"

	"github.com/linkharness/linkharness/internal/store"
)

// openMemoryStore has no SQLite to open under js/wasm (Cloudflare
// Workers): the host passes its D1-backed store in Options.Store.
func openMemoryStore(context.Context) (*store.DB, error) {
	return nil, errors.New("no default store under js/wasm: set Options.Store")
}
