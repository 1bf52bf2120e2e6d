package store

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

//go:embed schema.sql
var schema string

// schemaVersion is the version of schema.sql. A later schema that changes
// a table adds statements keyed on this number to migrations.
const schemaVersion = 4

// migrations bring a store made by an older schema.sql up to date: the
// statements of version v run on a store at version v-1, after schema.sql
// (whose statements are all idempotent) made the tables that version v-1
// lacked. A fresh store gets the latest tables from schema.sql and runs
// none.
var migrations = map[int][]string{
	2: {
		`ALTER TABLE items ADD COLUMN billed_products TEXT NOT NULL DEFAULT '[]'`,
		`ALTER TABLE items ADD COLUMN consented_products TEXT NOT NULL DEFAULT '[]'`,
		// Items made before billing was emulated were billed and consented
		// for what they had.
		`UPDATE items SET billed_products = products, consented_products = products`,
		`ALTER TABLE oauth_states ADD COLUMN products TEXT NOT NULL DEFAULT '[]'`,
		`ALTER TABLE oauth_states ADD COLUMN granted_products TEXT`,
	},
	3: {
		`ALTER TABLE oauth_states ADD COLUMN redirect_uri TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE oauth_states ADD COLUMN nonce TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE oauth_states ADD COLUMN link_token TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE oauth_states ADD COLUMN resumed INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE oauth_states ADD COLUMN payment_id TEXT NOT NULL DEFAULT ''`,
	},
	// Version 4 added the guards table, which schema.sql makes.
}

// DB is where the server keeps its state: a database/sql database that
// runs schema.sql, SQLite locally, Cloudflare D1 at the edge. It is safe
// for concurrent use, also by several processes sharing one database;
// every method that changes more than one record does so atomically: all
// of it or none.
//
// It never needs an interactive transaction, which D1 does not have: a
// read runs on its own, and a change of more than one record, or one that
// must hold only in some state, is one atomic batch of statements whose
// conditions are in SQL (conditional UPDATEs, INSERT ... SELECT ... WHERE
// EXISTS, guards). When a batch fails on a guard, one read says which
// of the store's errors it was.
type DB struct {
	db *sql.DB
	// batcher says the driver's connections are Batchers (D1); otherwise
	// a batch runs in a database/sql transaction (SQLite).
	batcher bool
	// onClose runs after the database is closed.
	onClose func()
	// stmts caches prepared statements by their SQL: preparing is a good
	// part of a small statement's cost.
	stmts sync.Map
	// background counts the statements being prepared in the background;
	// closed stops new ones, so that Close can wait for them.
	background sync.WaitGroup
	closeMu    sync.Mutex
	closed     bool
}

// prepareLater prepares query for next time in the background, unless the
// store is closing.
func (s *DB) prepareLater(query string) {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return
	}
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		s.prepared(context.Background(), query)
	}()
}

// dbtx is a transaction that runs its statements prepared: a batch's, on
// a database without batches.
type dbtx struct {
	tx *sql.Tx
	s  *DB
}

// prepared returns the query prepared, from the cache.
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

// exec runs a prepared statement on its own, again when the database was
// busy.
func (s *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	var res sql.Result
	err = s.retry(ctx, func() error {
		res, err = st.ExecContext(ctx, args...)
		return err
	})
	return res, err
}

// changed runs a prepared statement on its own and returns how many rows
// it changed.
func (s *DB) changed(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// query runs a prepared query on its own.
func (s *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a prepared single-row query on its own.
func (s *DB) queryRow(ctx context.Context, query string, args ...any) row {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return row{err: err}
	}
	return row{r: st.QueryRowContext(ctx, args...)}
}

// stmt returns the transaction's handle of the query, prepared, when the
// cache has it, or nil. A query not cached yet runs unprepared this once
// and is prepared for next time in the background: preparing it here would
// take a second connection while this one may hold the write lock, and
// with the pool full of writers waiting for that lock nothing would move.
func (t *dbtx) stmt(ctx context.Context, query string) *sql.Stmt {
	v, ok := t.s.stmts.Load(query)
	if !ok {
		t.s.prepareLater(query)
		return nil
	}
	return t.tx.StmtContext(ctx, v.(*sql.Stmt))
}

// ExecContext is sql.Tx's, prepared.
func (t *dbtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// QueryContext is sql.Tx's, prepared.
func (t *dbtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// row is a QueryRow result that may carry a prepare error.
type row struct {
	r   *sql.Row
	err error
}

// Scan is sql.Row's.
func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.r.Scan(dest...)
}

// Open returns the store over db, first bringing the schema up to date
// when db has none yet or an older one (a store at the current version
// costs one SELECT). The store owns db: Close closes it, then runs
// onClose if it is not nil.
func Open(ctx context.Context, db *sql.DB, onClose func()) (*DB, error) {
	s := &DB{db: db, onClose: onClose}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	err = conn.Raw(func(dc any) error {
		_, s.batcher = dc.(Batcher)
		return nil
	})
	conn.Close()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		return nil, fmt.Errorf("store: schema: %w", err)
	}
	return s, nil
}

// migrate brings the schema up to schemaVersion, in one batch. Of two
// stores opening one database at once, the second finds the upgrade done.
func (s *DB) migrate(ctx context.Context) error {
	for range 3 {
		version, err := s.version(ctx)
		if err != nil || version >= schemaVersion {
			return err
		}
		if _, err := s.batch(ctx, upgrade(version)...); !errors.Is(err, errGuard) {
			return err
		}
	}
	return errors.New("the schema version kept changing")
}

// version is the schema version of the database, 0 when it has none.
func (s *DB) version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return 0, nil
	}
	return int(v.Int64), err
}

// upgrade is the batch that brings a database at version (0: none) to
// schemaVersion: schema.sql, the migrations after version, and the new
// version, unless another store changed the version meanwhile.
func upgrade(version int) []Stmt {
	var out []Stmt
	for _, q := range statements(schema) {
		out = append(out, Stmt{Query: q})
	}
	out = append(out, guard(`SELECT 1 WHERE COALESCE((SELECT MAX(version) FROM schema_version), 0) = ?`, version))
	if version > 0 {
		for v := version + 1; v <= schemaVersion; v++ {
			for _, q := range migrations[v] {
				out = append(out, Stmt{Query: q})
			}
		}
	}
	return append(out,
		Stmt{Query: `DELETE FROM schema_version`},
		Stmt{Query: `INSERT INTO schema_version (version) VALUES (?)`, Args: []any{schemaVersion}})
}

// statements splits an SQL script into statements, without comments.
func statements(script string) []string {
	var lines []string
	for _, line := range strings.Split(script, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			lines = append(lines, line)
		}
	}
	var out []string
	for _, stmt := range strings.Split(strings.Join(lines, "\n"), ";") {
		if stmt = strings.TrimSpace(stmt); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

// Close releases the store's resources. It waits for the statements
// being prepared in the background, which would otherwise open
// connections after it.
func (s *DB) Close() error {
	s.closeMu.Lock()
	s.closed = true
	s.closeMu.Unlock()
	s.background.Wait()
	s.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	err := s.db.Close()
	if s.onClose != nil {
		s.onClose()
	}
	return err
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

// guarded runs stmts as one batch. When a guard fails, classify reads why
// and returns the error to report; nil means that the state moved on
// since and the batch may run again.
func (s *DB) guarded(ctx context.Context, classify func() error, stmts ...Stmt) ([]BatchResult, error) {
	for range 5 {
		out, err := s.batch(ctx, stmts...)
		if !errors.Is(err, errGuard) {
			return out, err
		}
		if err := classify(); err != nil {
			return nil, err
		}
	}
	return nil, errors.New("store: the state kept changing")
}

// isBusy reports whether err says the database was locked by another
// connection (the busy timeout ran out): worth another try.
func isBusy(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "sqlite_busy") || strings.Contains(msg, "database is busy")
}

// ms and fromMS convert times to and from the schema's milliseconds.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func fromNullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}

func nullMS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func jsonText(v json.RawMessage) string {
	if len(v) == 0 {
		return "null"
	}
	return string(v)
}

// jsonList is a list as the schema's JSON array text.
func jsonList(v []string) string {
	if v == nil {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
