package sqlbatch

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
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
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var out []Result
	err = conn.Raw(func(dc any) error {
		out, err = s.connBatch(ctx, dc, stmts)
		return err
	})
	return out, err
}

// connBatch runs stmts in one transaction on the driver connection dc.
func (s *DB) connBatch(ctx context.Context, dc any, stmts []Stmt) ([]Result, error) {
	bt, ok := dc.(driver.ConnBeginTx)
	if !ok {
		return nil, errors.New("sqlbatch: the driver connection begins no transactions with a context")
	}
	cs := s.connStmts(dc)
	tx, err := bt.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(stmts))
	for i, st := range stmts {
		if out[i], err = cs.run(ctx, dc, st); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return out, nil
}

// connStmts returns the statements prepared on the driver connection dc.
func (s *DB) connStmts(dc any) *connStmts {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	cs := s.conns[dc]
	if cs == nil {
		cs = &connStmts{stmts: map[string]driver.Stmt{}}
		s.conns[dc] = cs
	}
	return cs
}

// connStmts are the statements prepared on one driver connection, by
// their SQL. Only the holder of the connection uses them (within
// (*sql.Conn).Raw), one at a time.
type connStmts struct {
	stmts map[string]driver.Stmt
}

// prepared returns query prepared on dc, from the cache.
func (cs *connStmts) prepared(ctx context.Context, dc any, query string) (driver.Stmt, error) {
	if st, ok := cs.stmts[query]; ok {
		return st, nil
	}
	p, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return nil, errors.New("sqlbatch: the driver connection prepares no statements with a context")
	}
	st, err := p.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	cs.stmts[query] = st
	return st, nil
}

// run runs one statement of a batch on dc, in its transaction.
func (cs *connStmts) run(ctx context.Context, dc any, st Stmt) (Result, error) {
	ps, err := cs.prepared(ctx, dc, st.Query)
	if err != nil {
		return Result{}, err
	}
	args, err := namedValues(ps, st.Args)
	if err != nil {
		return Result{}, fmt.Errorf("sqlbatch: %q: %w", st.Query, err)
	}
	if !isQuery(st.Query) {
		e, ok := ps.(driver.StmtExecContext)
		if !ok {
			return Result{}, errors.New("sqlbatch: the driver's statements execute with no context")
		}
		res, err := e.ExecContext(ctx, args)
		if err != nil {
			return Result{}, err
		}
		n, err := res.RowsAffected()
		return Result{RowsAffected: n}, err
	}
	q, ok := ps.(driver.StmtQueryContext)
	if !ok {
		return Result{}, errors.New("sqlbatch: the driver's statements query with no context")
	}
	rows, err := q.QueryContext(ctx, args)
	if err != nil {
		return Result{}, err
	}
	defer rows.Close()
	r := Result{Columns: rows.Columns()}
	for {
		vals := make([]driver.Value, len(r.Columns))
		if err := rows.Next(vals); err == io.EOF {
			return r, nil
		} else if err != nil {
			return Result{}, err
		}
		row := make([]any, len(vals))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				// The driver's bytes are good until the next row.
				v = bytes.Clone(b)
			}
			row[i] = v
		}
		r.Rows = append(r.Rows, row)
	}
}

// namedValues converts args for the driver's statement st as database/sql
// does: a Valuer gives its value, which the statement checks, or else the
// default converter converts.
func namedValues(st driver.Stmt, args []any) ([]driver.NamedValue, error) {
	out := make([]driver.NamedValue, len(args))
	checker, _ := st.(driver.NamedValueChecker)
	for i, a := range args {
		if v, ok := a.(driver.Valuer); ok {
			var err error
			if a, err = v.Value(); err != nil {
				return nil, fmt.Errorf("argument %d: %w", i+1, err)
			}
		}
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
		if checker != nil {
			err := checker.CheckNamedValue(&out[i])
			if err == nil {
				continue
			}
			if !errors.Is(err, driver.ErrSkip) {
				return nil, fmt.Errorf("argument %d: %w", i+1, err)
			}
		}
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %w", i+1, err)
		}
		out[i].Value = v
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
