package sqlbatch_test

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ncruces/go-sqlite3/vfs/memdb"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// TestScan checks that statements on their own read and convert values
// into what callers scan them into as database/sql does, NULLs and
// missing rows included.
func TestScan(t *testing.T) {
	ctx := context.Background()
	memdb.Create("/sqlbatch-scan", nil)
	t.Cleanup(func() { memdb.Delete("/sqlbatch-scan") })
	raw, err := sql.Open("sqlite3", "file:/sqlbatch-scan?vfs=memdb&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlbatch.Open(ctx, raw)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(ctx, `CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)`); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Changed(ctx, `INSERT INTO t VALUES (?, ?, ?, ?, ?), (2, 0.5, 'x', x'00', NULL)`, 7, 1.5, "seven", []byte("b"), sql.NullString{String: "n", Valid: true}); err != nil || n != 2 {
		t.Fatalf("insert: %d %v", n, err)
	}
	for _, tc := range []struct {
		name, query string
		dest        any
		want        any
		err         string
	}{
		{"an integer", `SELECT i FROM t WHERE i = 7`, new(int64), int64(7), ""},
		{"an integer into int", `SELECT i FROM t WHERE i = 7`, new(int), 7, ""},
		{"an integer into a string", `SELECT i FROM t WHERE i = 7`, new(string), "7", ""},
		{"an integer into a bool", `SELECT 1`, new(bool), true, ""},
		{"a real", `SELECT r FROM t WHERE i = 7`, new(float64), 1.5, ""},
		{"text", `SELECT s FROM t WHERE i = 7`, new(string), "seven", ""},
		{"a blob", `SELECT b FROM t WHERE i = 7`, new([]byte), []byte("b"), ""},
		{"text into any", `SELECT s FROM t WHERE i = 7`, new(any), "seven", ""},
		{"a NULL into a Scanner", `SELECT n FROM t WHERE i = 2`, new(sql.NullString), sql.NullString{}, ""},
		{"a value into a Scanner", `SELECT n FROM t WHERE i = 7`, new(sql.NullString), sql.NullString{String: "n", Valid: true}, ""},
		{"a NULL into a string", `SELECT n FROM t WHERE i = 2`, new(string), "", "NULL"},
		{"text into an integer", `SELECT s FROM t WHERE i = 7`, new(int64), int64(0), "converting"},
		{"no row", `SELECT i FROM t WHERE i = 99`, new(int64), int64(0), sql.ErrNoRows.Error()},
		{"a bad query", `SELECT nope FROM t`, new(int64), int64(0), "no such column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := db.QueryRow(ctx, tc.query).Scan(tc.dest)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one with %q", err, tc.err)
				}
				if tc.err == sql.ErrNoRows.Error() && !errors.Is(err, sql.ErrNoRows) {
					t.Fatalf("error %v is not sql.ErrNoRows", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := reflect.ValueOf(tc.dest).Elem().Interface(); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("scanned %#v, want %#v", got, tc.want)
			}
		})
	}
	rows, err := db.Query(ctx, `SELECT i, s FROM t ORDER BY i`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var i int
		var s string
		if err := rows.Scan(&i, &s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if err := rows.Err(); err != nil || !reflect.DeepEqual(got, []string{"x", "seven"}) {
		t.Fatalf("rows %v %v", got, err)
	}
	if err := rows.Scan(new(int), new(string)); err == nil {
		t.Error("Scan past the last row did not fail")
	}
}
