package sqlbatch_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	_ "github.com/ncruces/go-sqlite3/driver" // the "sqlite3" database/sql driver
	_ "github.com/ncruces/go-sqlite3/embed"  // the SQLite build it runs
	"github.com/ncruces/go-sqlite3/vfs/memdb"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// FuzzGuardedBatch runs arbitrary scripts of guarded batches on SQLite and
// checks them against a model of the table: a batch whose guard holds runs
// whole; one whose guard fails is ErrGuard and runs not at all; one whose
// statement fails otherwise is an error that is not ErrGuard and runs not
// at all either; a batch's SELECT reads what the model holds; and the
// guards table stays empty. Each op is three bytes: what, key, value.
func FuzzGuardedBatch(f *testing.F) {
	f.Add([]byte{1, 0, 5, 0, 0, 5, 0, 0, 6, 3, 0, 0})
	f.Add([]byte{1, 1, 1, 1, 1, 2, 2, 1, 0, 3, 1, 0, 0, 2, 1})
	f.Add([]byte{2, 0, 0, 3, 3, 3, 4, 2, 2})
	memdb.Create("/sqlbatch-fuzz", nil)
	f.Cleanup(func() { memdb.Delete("/sqlbatch-fuzz") })
	raw, err := sql.Open("sqlite3", "file:/sqlbatch-fuzz?vfs=memdb&_pragma=busy_timeout(10000)")
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	db, err := sqlbatch.Open(ctx, raw)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	for _, q := range []string{`CREATE TABLE guards (ok INTEGER NOT NULL)`,
		`CREATE TABLE kv (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)`, `CREATE TABLE log (k INTEGER NOT NULL)`} {
		if _, err := db.Exec(ctx, q); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, script []byte) {
		if len(script) > 3*64 {
			script = script[:3*64]
		}
		if _, err := db.Batch(ctx, sqlbatch.Stmt{Query: `DELETE FROM kv`}, sqlbatch.Stmt{Query: `DELETE FROM log`}); err != nil {
			t.Fatal(err)
		}
		model, logged := map[int64]int64{}, 0
		for i := 0; i+3 <= len(script); i += 3 {
			k, v := int64(script[i+1]%4), int64(script[i+2]%8)
			switch script[i] % 5 {
			case 0: // compare and set: v's upper bits are the value expected
				expect, set := v/2, v
				_, err := db.Batch(ctx,
					sqlbatch.Guard(`SELECT 1 FROM kv WHERE k = ? AND v = ?`, k, expect),
					sqlbatch.Stmt{Query: `UPDATE kv SET v = ? WHERE k = ?`, Args: []any{set, k}},
					sqlbatch.Stmt{Query: `INSERT INTO log (k) VALUES (?)`, Args: []any{k}})
				if cur, ok := model[k]; ok && cur == expect {
					if err != nil {
						t.Fatalf("op %d: guard holds, batch %v", i/3, err)
					}
					model[k] = set
					logged++
				} else if !errors.Is(err, sqlbatch.ErrGuard) {
					t.Fatalf("op %d: guard fails, batch %v", i/3, err)
				}
			case 1: // insert if absent
				_, err := db.Batch(ctx,
					sqlbatch.Guard(`SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM kv WHERE k = ?)`, k),
					sqlbatch.Stmt{Query: `INSERT INTO kv (k, v) VALUES (?, ?)`, Args: []any{k, v}},
					sqlbatch.Stmt{Query: `INSERT INTO log (k) VALUES (?)`, Args: []any{k}})
				if _, ok := model[k]; !ok {
					if err != nil {
						t.Fatalf("op %d: insert of a new key: %v", i/3, err)
					}
					model[k] = v
					logged++
				} else if !errors.Is(err, sqlbatch.ErrGuard) {
					t.Fatalf("op %d: insert of a present key: %v", i/3, err)
				}
			case 2: // a batch that fails on a constraint after changing every row
				_, err := db.Batch(ctx,
					sqlbatch.Stmt{Query: `UPDATE kv SET v = v + 1`},
					sqlbatch.Stmt{Query: `INSERT INTO log (k) VALUES (?)`, Args: []any{k}},
					sqlbatch.Stmt{Query: `INSERT INTO kv (k, v) VALUES (?, 0)`, Args: []any{k}},
					sqlbatch.Stmt{Query: `INSERT INTO kv (k, v) VALUES (?, 0)`, Args: []any{k}})
				if err == nil || errors.Is(err, sqlbatch.ErrGuard) {
					t.Fatalf("op %d: a failing batch answers %v", i/3, err)
				}
			case 3: // a guarded read
				res, err := db.Batch(ctx, sqlbatch.Guard(`SELECT 1`), sqlbatch.Stmt{Query: `SELECT v, 'x' FROM kv WHERE k = ?`, Args: []any{k}})
				if err != nil || len(res) != 2 {
					t.Fatalf("op %d: read %v %v", i/3, res, err)
				}
				var got int64
				var s string
				err = sqlbatch.ScanRow(res[1], &got, &s)
				if want, ok := model[k]; ok != (err == nil) || ok && (got != want || s != "x") {
					t.Fatalf("op %d: key %d reads %d %q %v, model %d %v", i/3, k, got, s, err, want, ok)
				}
			case 4: // delete, unguarded
				n, err := db.Changed(ctx, `DELETE FROM kv WHERE k = ?`, k)
				if _, ok := model[k]; err != nil || (n == 1) != ok {
					t.Fatalf("op %d: delete %d %v", i/3, n, err)
				}
				delete(model, k)
			}
			compare(t, ctx, db, model, logged)
		}
	})
}

// compare fails unless the table holds the model, the log its count, and
// the guards table nothing.
func compare(t *testing.T, ctx context.Context, db *sqlbatch.DB, model map[int64]int64, logged int) {
	t.Helper()
	rows, err := db.Query(ctx, `SELECT k, v FROM kv`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[int64]int64{}
	for rows.Next() {
		var k, v int64
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		got[k] = v
	}
	if len(got) != len(model) {
		t.Fatalf("table %v, model %v", got, model)
	}
	for k, v := range model {
		if got[k] != v {
			t.Fatalf("table %v, model %v", got, model)
		}
	}
	var n, guards int64
	if err := db.QueryRow(ctx, `SELECT (SELECT count(*) FROM log), (SELECT count(*) FROM guards)`).Scan(&n, &guards); err != nil {
		t.Fatal(err)
	}
	if n != int64(logged) || guards != 0 {
		t.Fatalf("log %d, want %d; guards %d", n, logged, guards)
	}
}
