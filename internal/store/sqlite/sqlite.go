// Package sqlite opens the embedded SQLite database that linkharness serve
// keeps its state in: a pure-Go SQLite (github.com/ncruces/go-sqlite3, which
// runs SQLite compiled to WebAssembly on wazero), no cgo.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"strconv"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver" // the "sqlite3" database/sql driver
	_ "github.com/ncruces/go-sqlite3/embed"  // the SQLite build it runs
	"github.com/ncruces/go-sqlite3/vfs/memdb"

	"github.com/linkharness/linkharness/internal/store"
)

// Memory is the path that opens a fresh in-memory database, lost on Close.
const Memory = ":memory:"

// busyTimeout is how long a connection waits for another's lock before it
// reports the database busy (the store then tries the statement or the
// batch again).
const busyTimeout = 10 * time.Second

// Open opens (creating if needed) the SQLite database at path, or a fresh
// in-memory one for Memory, and returns the store over it.
//
// A file database runs in WAL mode, so readers never wait for the writer,
// and begins every write transaction IMMEDIATE, so two writers queue on
// the busy timeout instead of failing half-way. Several processes may
// share one file.
func Open(ctx context.Context, path string) (*store.DB, error) {
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(on)")
	var dsn string
	var onClose func()
	if path == Memory {
		// A named memdb database is shared by every connection of the pool
		// and lives until it is deleted.
		var b [8]byte
		rand.Read(b[:])
		name := "/linkharness-" + hex.EncodeToString(b[:])
		memdb.Create(name, nil)
		onClose = func() { memdb.Delete(name) }
		q.Set("vfs", "memdb")
		// Nothing to sync in memory; the temporary tables of an INSERT
		// that selects from its own table stay in memory too.
		q.Add("_pragma", "synchronous(off)")
		q.Add("_pragma", "temp_store(memory)")

		dsn = "file:" + name + "?" + q.Encode()
	} else {
		q.Add("_pragma", "journal_mode(wal)")
		q.Add("_pragma", "synchronous(normal)")
		dsn = (&url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: q.Encode()}).String()
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	// As many idle as open, and no lifetime: the pool keeps its
	// connections until Close, which sqlbatch's statements prepared per
	// connection rely on.
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	s, err := store.Open(ctx, db, onClose)
	if err != nil {
		db.Close()
		if onClose != nil {
			onClose()
		}
		return nil, err
	}
	return s, nil
}
