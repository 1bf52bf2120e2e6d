// Package sqlbatch runs SQL over database/sql without interactive
// transactions, which Cloudflare D1 does not have: statements on their
// own, prepared once and cached, and changes of more than one row as one
// atomic batch whose conditions are in SQL, guards among them. A batch
// runs through the driver connection's [Batcher] when it has one (D1's
// batch()), or else in one transaction of a driver connection (SQLite).
// A busy database is tried again.
//
// It knows nothing of any schema but one table, which a database that
// runs guarded batches must have:
//
//	CREATE TABLE IF NOT EXISTS guards (ok INTEGER NOT NULL);
//
// It is its own package, not part of package store, because nothing in
// it depends on what the store keeps, and because the D1 driver
// (web/worker) implements its Batcher without needing the store.
package sqlbatch

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"
)

// DB runs statements and batches over a database/sql database. It is safe
// for concurrent use.
type DB struct {
	db *sql.DB
	// batcher says the driver's connections are Batchers (D1); otherwise
	// a batch runs in a transaction of a driver connection (SQLite).
	batcher bool
	// stmts caches prepared statements by their SQL, on a database with
	// batches: preparing is a good part of a small statement's cost.
	stmts sync.Map
	// conns are the statements prepared on each driver connection of a
	// database without batches (SQLite), which runs every statement on a
	// driver connection of its own (see onConn). Entries are dropped only
	// by Close: this holds as long as the pool never closes a connection
	// before, which is so for store/sqlite's (the driver reports no bad
	// connections, as many may idle as may be open, and none expires); a
	// pool that closes connections would need the entries dropped with
	// them.
	connMu sync.Mutex
	conns  map[any]*connStmts
}

// Open returns a DB over db, which it owns: Close closes it. It asks one
// connection whether the driver's connections are Batchers.
func Open(ctx context.Context, db *sql.DB) (*DB, error) {
	s := &DB{db: db, conns: map[any]*connStmts{}}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	err = conn.Raw(func(dc any) error {
		_, s.batcher = dc.(Batcher)
		return nil
	})
	conn.Close()
	if err != nil {
		return nil, err
	}
	return s, nil
}

// prepared returns the query prepared, from the cache (D1; SQLite's are
// cached by connection, see connStmts).
func (s *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if v, ok := s.stmts.Load(query); ok {
		return v.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if v, ok := s.stmts.LoadOrStore(query, st); ok {
		st.Close()
		return v.(*sql.Stmt), nil
	}
	return st, nil
}

// Exec runs a prepared statement on its own, again when the database was
// busy.
func (s *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.retry(ctx, func() error {
		if s.batcher {
			st, err := s.prepared(ctx, query)
			if err != nil {
				return err
			}
			res, err = st.ExecContext(ctx, args...)
			return err
		}
		return s.onConn(ctx, func(dc any, cs *connStmts) error {
			r, err := cs.exec(ctx, dc, query, args)
			if err == nil {
				res = r
			}
			return err
		})
	})
	return res, err
}

// Changed runs a prepared statement on its own, as Exec, and returns how
// many rows it changed.
func (s *DB) Changed(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.Exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Query runs a prepared query on its own. On a database without batches
// (SQLite) it reads all the rows before it returns.
func (s *DB) Query(ctx context.Context, query string, args ...any) (*Rows, error) {
	if s.batcher {
		st, err := s.prepared(ctx, query)
		if err != nil {
			return nil, err
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return nil, err
		}
		return &Rows{rows: rows}, nil
	}
	var r Result
	err := s.onConn(ctx, func(dc any, cs *connStmts) error {
		var err error
		r, err = cs.query(ctx, dc, query, args)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Rows{read: r.Rows}, nil
}

// QueryRow runs a prepared single-row query on its own.
func (s *DB) QueryRow(ctx context.Context, query string, args ...any) Row {
	rows, err := s.Query(ctx, query, args...)
	if err != nil {
		return Row{err: err}
	}
	return Row{rows: rows}
}

// Rows are Query's result: database/sql's rows (D1), or the rows read.
// Its methods are sql.Rows'.
type Rows struct {
	rows *sql.Rows
	read [][]any
	// next is the number of times Next moved on in read: the row it
	// moved to is read[next-1], and next is len(read)+1 past the last.
	next int
}

// Next is sql.Rows'.
func (r *Rows) Next() bool {
	if r.rows != nil {
		return r.rows.Next()
	}
	if r.next <= len(r.read) {
		r.next++
	}
	return r.next <= len(r.read)
}

// Scan is sql.Rows', with database/sql's conversions (see scanInto).
func (r *Rows) Scan(dest ...any) error {
	if r.rows != nil {
		return r.rows.Scan(dest...)
	}
	if r.next == 0 || r.next > len(r.read) {
		return errors.New("sqlbatch: Scan called without calling Next")
	}
	return scanInto(r.read[r.next-1], dest)
}

// Err is sql.Rows'.
func (r *Rows) Err() error {
	if r.rows != nil {
		return r.rows.Err()
	}
	return nil
}

// Close is sql.Rows'.
func (r *Rows) Close() error {
	if r.rows != nil {
		return r.rows.Close()
	}
	return nil
}

// Row is QueryRow's result: its rows, or the error of its query.
type Row struct {
	rows *Rows
	err  error
}

// Scan is sql.Row's: the first row into dest, sql.ErrNoRows when there
// is none.
func (r Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}

// Close releases the DB's resources and closes its database.
func (s *DB) Close() error {
	s.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	s.connMu.Lock()
	for _, cs := range s.conns {
		for _, st := range cs.stmts {
			st.Close()
		}
	}
	s.conns = map[any]*connStmts{}
	s.connMu.Unlock()
	return s.db.Close()
}

// retry runs f, and again when the database was busy.
func (s *DB) retry(ctx context.Context, f func() error) error {
	for attempt := 0; ; attempt++ {
		err := f()
		if err == nil || !isBusy(err) || attempt == 20 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 5 * time.Millisecond):
		}
	}
}

// isBusy reports whether err says the database was locked by another
// connection (the busy timeout ran out): worth another try.
func isBusy(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "sqlite_busy") || strings.Contains(msg, "database is busy")
}

// Guarded runs stmts as one batch. When a guard fails, classify reads why
// and returns the error to report; nil means that the state moved on
// since and the batch may run again.
func (s *DB) Guarded(ctx context.Context, classify func() error, stmts ...Stmt) ([]Result, error) {
	for range 5 {
		out, err := s.Batch(ctx, stmts...)
		if !errors.Is(err, ErrGuard) {
			return out, err
		}
		if err := classify(); err != nil {
			return nil, err
		}
	}
	return nil, errors.New("sqlbatch: the state kept changing")
}
