//go:build !js

package web

import (
	"context"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// openMemoryStore opens the store a Server uses when given none: SQLite in
// memory, the same schema and code as a file.
func openMemoryStore(ctx context.Context) (*store.DB, error) {
	return sqlite.Open(ctx, sqlite.Memory)
}
