package store

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

//go:embed schema.sql
var schema string

// schemaVersion is the version of schema.sql. A later schema that changes
// a table adds statements keyed on this number to migrations.
const schemaVersion = 13

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
	// Version 5 added the billed_requests and billing_ends tables, which
	// schema.sql makes.
	// Version 6 added the processor_tokens table, which schema.sql makes.
	7: {
		// The configurations of custom sandbox users' Items and accounts.
		`ALTER TABLE items ADD COLUMN custom TEXT`,
		`ALTER TABLE accounts ADD COLUMN custom TEXT`,
	},
	// Version 8 added the item_additions table, which schema.sql makes.
	// Version 9 added the asset_reports table, which schema.sql makes.
	// Version 10 added the signal_transactions table, which schema.sql
	// makes; version 11 the transfer tables, and what transfers moved.
	11: {`ALTER TABLE accounts ADD COLUMN moved REAL NOT NULL DEFAULT 0`},
	// Version 12 added the link_requests table, which schema.sql makes.
	// Version 13 added the client_settings table, which schema.sql makes.
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
	// db runs the statements and batches, prepared and cached.
	db *sqlbatch.DB
	// sql is the database db runs on, for the one read that must not be
	// prepared: the schema version of a database that may have no schema.
	sql *sql.DB
	// onClose runs after the database is closed.
	onClose func()
}

// Open returns the store over db, first bringing the schema up to date
// when db has none yet or an older one (a store at the current version
// costs one SELECT). The store owns db: Close closes it, then runs
// onClose if it is not nil.
func Open(ctx context.Context, db *sql.DB, onClose func()) (*DB, error) {
	b, err := sqlbatch.Open(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	s := &DB{db: b, sql: db, onClose: onClose}
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
		if _, err := s.db.Batch(ctx, upgrade(version)...); !errors.Is(err, sqlbatch.ErrGuard) {
			return err
		}
	}
	return errors.New("the schema version kept changing")
}

// version is the schema version of the database, 0 when it has none.
func (s *DB) version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.sql.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return 0, nil
	}
	return int(v.Int64), err
}

// upgrade is the batch that brings a database at version (0: none) to
// schemaVersion: schema.sql, the migrations after version, and the new
// version, unless another store changed the version meanwhile.
func upgrade(version int) []sqlbatch.Stmt {
	var out []sqlbatch.Stmt
	for _, q := range statements(schema) {
		out = append(out, sqlbatch.Stmt{Query: q})
	}
	out = append(out, sqlbatch.Guard(`SELECT 1 WHERE COALESCE((SELECT MAX(version) FROM schema_version), 0) = ?`, version))
	if version > 0 {
		for v := version + 1; v <= schemaVersion; v++ {
			for _, q := range migrations[v] {
				out = append(out, sqlbatch.Stmt{Query: q})
			}
		}
	}
	return append(out,
		sqlbatch.Stmt{Query: `DELETE FROM schema_version`},
		sqlbatch.Stmt{Query: `INSERT INTO schema_version (version) VALUES (?)`, Args: []any{schemaVersion}})
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
	err := s.db.Close()
	if s.onClose != nil {
		s.onClose()
	}
	return err
}

// maxParams is the most bound parameters one statement may have: D1's
// limit (SQLite's own is far higher).
const maxParams = 100

// valueRows is the VALUES list of n rows of cols placeholders each:
// "(?, ?), (?, ?)".
func valueRows(n, cols int) string {
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.Repeat(row+", ", n-1) + row
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
