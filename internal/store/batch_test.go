package store_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
	"github.com/linkharness/linkharness/internal/store"
)

// errNoTx is what a batchConn answers to BeginTx, as D1's driver does.
var errNoTx = errors.New("batchConn: transaction is not currently supported")

// batchDriver is the SQLite driver with connections that cannot begin
// transactions and run batches instead, as Cloudflare D1's do: a store
// over it must never need BeginTx.
type batchDriver struct{ sqlite driver.Driver }

func (d batchDriver) Open(name string) (driver.Conn, error) {
	c, err := d.sqlite.Open(name)
	if err != nil {
		return nil, err
	}
	return batchConn{c}, nil
}

// batchConn is a SQLite connection that is a sqlbatch.Batcher. Only the
// methods of driver.Conn and Batch show: database/sql prepares every
// statement through Prepare.
type batchConn struct{ driver.Conn }

var _ sqlbatch.Batcher = batchConn{}

func (batchConn) Begin() (driver.Tx, error) { return nil, errNoTx }

func (batchConn) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) { return nil, errNoTx }

// Batch runs stmts in one transaction of the SQLite connection: all or
// nothing, as D1's batch().
func (c batchConn) Batch(ctx context.Context, stmts []sqlbatch.Stmt) ([]sqlbatch.Result, error) {
	tx, err := c.Conn.(driver.ConnBeginTx).BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]sqlbatch.Result, len(stmts))
	for i, st := range stmts {
		if out[i], err = c.run(ctx, st); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	return out, tx.Commit()
}

// run runs one statement of a batch.
func (c batchConn) run(ctx context.Context, st sqlbatch.Stmt) (sqlbatch.Result, error) {
	ps, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, st.Query)
	if err != nil {
		return sqlbatch.Result{}, err
	}
	defer ps.Close()
	args := make([]driver.NamedValue, len(st.Args))
	for i, a := range st.Args {
		args[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	rows, err := ps.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return sqlbatch.Result{}, err
	}
	defer rows.Close()
	r := sqlbatch.Result{Columns: rows.Columns()}
	for {
		row := make([]driver.Value, len(r.Columns))
		err := rows.Next(row)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sqlbatch.Result{}, err
		}
		vals := make([]any, len(row))
		for i, v := range row {
			if b, ok := v.([]byte); ok {
				v = append([]byte(nil), b...)
			}
			vals[i] = v
		}
		r.Rows = append(r.Rows, vals)
	}
	if len(r.Columns) == 0 {
		// Not a query: the connection counts what it changed.
		var n int64
		if err := c.queryChanges(ctx, &n); err != nil {
			return sqlbatch.Result{}, err
		}
		r.RowsAffected = n
	}
	return r, nil
}

// queryChanges reads how many rows the last statement changed.
func (c batchConn) queryChanges(ctx context.Context, n *int64) error {
	ps, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, `SELECT changes()`)
	if err != nil {
		return err
	}
	defer ps.Close()
	rows, err := ps.(driver.StmtQueryContext).QueryContext(ctx, nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	v := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(v); err != nil {
		return err
	}
	*n = v[0].(int64)
	return nil
}

var registerBatch sync.Once

// openBatchStore opens a store in a fresh SQLite file through batchDriver.
func openBatchStore(t *testing.T) *store.DB {
	t.Helper()
	registerBatch.Do(func() {
		db, err := sql.Open("sqlite3", "")
		if err != nil {
			t.Fatal(err)
		}
		sql.Register("sqlite3-batch", batchDriver{db.Driver()})
		db.Close()
	})
	path := filepath.Join(t.TempDir(), "batch.db")
	db, err := sql.Open("sqlite3-batch", "file:"+path+"?_txlock=immediate&_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(8)
	s, err := store.Open(context.Background(), db, nil)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return s
}

// TestBatchNeedsNoTransactions checks that the batch driver really has
// no transactions, so that the tests run on it prove that the store never
// begins one.
func TestBatchNeedsNoTransactions(t *testing.T) {
	s := openBatchStore(t)
	defer s.Close()
	ctx := context.Background()
	if _, err := s.AdvanceClock(ctx, "c", 1000, time.Hour); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3-batch", "file:"+filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.BeginTx(ctx, nil); !errors.Is(err, errNoTx) {
		t.Fatalf("BeginTx on the batch driver: %v, want %v", err, errNoTx)
	}
}
