package sqlbatch

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
)

// Stmt is one statement of a batch: SQL with ? placeholders and their
// arguments.
type Stmt struct {
	// Query is the SQL.
	Query string
	// Args are the values of its placeholders, in order.
	Args []any
}

// Result is what one statement of a batch did.
type Result struct {
	// RowsAffected is the number of rows an INSERT, UPDATE or DELETE
	// changed.
	RowsAffected int64
	// Columns and Rows are a SELECT's result: each row holds one
	// driver.Value (int64, float64, string, []byte or nil) per column.
	Columns []string
	Rows    [][]any
}

// Batcher is implemented by a database/sql driver connection that runs
// statements atomically without interactive transactions, as Cloudflare
// D1's batch() does: all of them or, when one fails, none. A DB reaches
// it through (*sql.Conn).Raw. Batch gets its arguments converted to
// driver values already, and returns one result per statement.
//
// A DB whose connections are no Batchers runs each batch in one
// transaction of the driver connection instead.
type Batcher interface {
	Batch(ctx context.Context, stmts []Stmt) ([]Result, error)
}

// ErrGuard is returned by a batch whose guard failed: the state was not
// the one the batch was written for, and none of it ran.
var ErrGuard = errors.New("sqlbatch: guard failed")

// guardsTable is the name a failed guard's error message carries.
const guardsTable = "guards.ok"

// Guard is a statement that fails, and so aborts its batch, unless the
// query cond selects a row. It inserts nothing when cond holds and a NULL
// into the NOT NULL column guards.ok when it does not, so the guards
// table stays empty.
func Guard(cond string, args ...any) Stmt {
	return Stmt{Query: `INSERT INTO guards (ok) SELECT NULL WHERE NOT EXISTS (` + cond + `)`, Args: args}
}

// isQuery reports whether a statement returns rows.
func isQuery(query string) bool {
	q := strings.ToUpper(strings.TrimSpace(query))
	return strings.HasPrefix(q, "SELECT") || strings.HasPrefix(q, "WITH")
}

// Batch runs stmts as one atomic batch: through the connection's Batcher
// when it has one, or else in one transaction. A failed guard comes back
// as ErrGuard; a busy database is tried again.
func (s *DB) Batch(ctx context.Context, stmts ...Stmt) ([]Result, error) {
	if len(stmts) == 0 {
		return nil, nil
	}
	var out []Result
	err := s.retry(ctx, func() error {
		var err error
		if s.batcher {
			out, err = s.rawBatch(ctx, stmts)
		} else {
			out, err = s.txBatch(ctx, stmts)
		}
		return err
	})
	if err != nil && strings.Contains(err.Error(), guardsTable) {
		return nil, fmt.Errorf("%w: %v", ErrGuard, err)
	}
	return out, err
}

// rawBatch hands stmts to the driver connection's Batcher.
func (s *DB) rawBatch(ctx context.Context, stmts []Stmt) ([]Result, error) {
	conv := make([]Stmt, len(stmts))
	for i, st := range stmts {
		conv[i] = Stmt{Query: st.Query, Args: make([]any, len(st.Args))}
		for j, a := range st.Args {
			v, err := driver.DefaultParameterConverter.ConvertValue(a)
			if err != nil {
				return nil, fmt.Errorf("sqlbatch: argument %d of %q: %w", j+1, st.Query, err)
			}
			conv[i].Args[j] = v
		}
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var out []Result
	err = conn.Raw(func(dc any) error {
		b, ok := dc.(Batcher)
		if !ok {
			return errors.New("sqlbatch: the driver connection runs no batches")
		}
		out, err = b.Batch(ctx, conv)
		return err
	})
	if err == nil && len(out) != len(stmts) {
		err = fmt.Errorf("sqlbatch: batch of %d statements returned %d results", len(stmts), len(out))
	}
	return out, err
}

// txBatch runs stmts in one transaction of the driver connection's own,
// with statements it prepared and keeps (see connStmts): database/sql's
// Tx would watch each transaction's context from a goroutine of its own,
// and take the statements from the pool's cache, which a driver
// connection does not share.
func (s *DB) txBatch(ctx context.Context, stmts []Stmt) ([]Result, error) {
	var out []Result
	err := s.onConn(ctx, func(dc any, cs *connStmts) error {
		var err error
		out, err = connBatch(ctx, dc, cs, stmts)
		return err
	})
	return out, err
}

// connBatch runs stmts in one transaction on the driver connection dc,
// whose statements are cs.
func connBatch(ctx context.Context, dc any, cs *connStmts, stmts []Stmt) ([]Result, error) {
	bt, ok := dc.(driver.ConnBeginTx)
	if !ok {
		return nil, errors.New("sqlbatch: the driver connection begins no transactions with a context")
	}
	tx, err := bt.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(stmts))
	for i, st := range stmts {
		if out[i], err = cs.run(ctx, dc, st.Query, st.Args); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return out, nil
}

// ScanRow copies the first row of a batch's SELECT result into dest, which
// holds *int64 and *string; sql.ErrNoRows when there is none.
func ScanRow(r Result, dest ...any) error {
	if len(r.Rows) == 0 {
		return sql.ErrNoRows
	}
	row := r.Rows[0]
	if len(row) != len(dest) {
		return fmt.Errorf("sqlbatch: %d columns scanned into %d values", len(row), len(dest))
	}
	for i, v := range row {
		switch d := dest[i].(type) {
		case *int64:
			switch v := v.(type) {
			case int64:
				*d = v
			case float64:
				*d = int64(v)
			default:
				return fmt.Errorf("sqlbatch: column %d is %T, not an integer", i, v)
			}
		case *string:
			switch v := v.(type) {
			case string:
				*d = v
			case []byte:
				*d = string(v)
			default:
				return fmt.Errorf("sqlbatch: column %d is %T, not text", i, v)
			}
		default:
			return fmt.Errorf("sqlbatch: cannot scan into %T", dest[i])
		}
	}
	return nil
}
