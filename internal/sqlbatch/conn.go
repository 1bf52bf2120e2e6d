package sqlbatch

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"time"
)

// onConn runs f on a driver connection of the pool, which it holds
// meanwhile, with the statements prepared on it. database/sql's own
// statements and rows would each watch the context from a goroutine of
// their own.
func (s *DB) onConn(ctx context.Context, f func(dc any, cs *connStmts) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error { return f(dc, s.connStmts(dc)) })
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

// run runs one statement of a batch on dc.
func (cs *connStmts) run(ctx context.Context, dc any, query string, args []any) (Result, error) {
	if isQuery(query) {
		return cs.query(ctx, dc, query, args)
	}
	res, err := cs.exec(ctx, dc, query, args)
	if err != nil {
		return Result{}, err
	}
	n, err := res.RowsAffected()
	return Result{RowsAffected: n}, err
}

// bind returns query prepared on dc, with args converted for it.
func (cs *connStmts) bind(ctx context.Context, dc any, query string, args []any) (driver.Stmt, []driver.NamedValue, error) {
	ps, err := cs.prepared(ctx, dc, query)
	if err != nil {
		return nil, nil, err
	}
	nv, err := namedValues(ps, args)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlbatch: %q: %w", query, err)
	}
	return ps, nv, nil
}

// exec runs a statement that returns no rows on dc.
func (cs *connStmts) exec(ctx context.Context, dc any, query string, args []any) (driver.Result, error) {
	ps, nv, err := cs.bind(ctx, dc, query, args)
	if err != nil {
		return nil, err
	}
	e, ok := ps.(driver.StmtExecContext)
	if !ok {
		return nil, errors.New("sqlbatch: the driver's statements execute with no context")
	}
	return e.ExecContext(ctx, nv)
}

// query runs a query on dc and reads all its rows.
func (cs *connStmts) query(ctx context.Context, dc any, query string, args []any) (Result, error) {
	ps, nv, err := cs.bind(ctx, dc, query, args)
	if err != nil {
		return Result{}, err
	}
	q, ok := ps.(driver.StmtQueryContext)
	if !ok {
		return Result{}, errors.New("sqlbatch: the driver's statements query with no context")
	}
	rows, err := q.QueryContext(ctx, nv)
	if err != nil {
		return Result{}, err
	}
	defer rows.Close()
	r := Result{Columns: rows.Columns()}
	vals := make([]driver.Value, len(r.Columns))
	for {
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

// scanInto copies a row's values into dest as database/sql's Scan does:
// a Scanner scans its value, *any takes it as it is, and the other
// pointers convert it as sql.Null's Scan converts (database/sql's own
// conversion), NULL into one of them being an error.
func scanInto(row []any, dest []any) error {
	if len(row) != len(dest) {
		return fmt.Errorf("sqlbatch: %d columns scanned into %d values", len(row), len(dest))
	}
	for i, v := range row {
		if err := scanValue(dest[i], v); err != nil {
			return fmt.Errorf("sqlbatch: column %d: %w", i, err)
		}
	}
	return nil
}

// scanValue copies one value into dest (see scanInto).
func scanValue(dest, v any) error {
	switch d := dest.(type) {
	case sql.Scanner:
		return d.Scan(v)
	case *any:
		if b, ok := v.([]byte); ok {
			v = bytes.Clone(b)
		}
		*d = v
		return nil
	}
	if v == nil {
		return fmt.Errorf("converting NULL to %T is unsupported", dest)
	}
	switch d := dest.(type) {
	case *string:
		return scanNull(d, v)
	case *int64:
		return scanNull(d, v)
	case *int:
		return scanNull(d, v)
	case *int32:
		return scanNull(d, v)
	case *float64:
		return scanNull(d, v)
	case *bool:
		return scanNull(d, v)
	case *[]byte:
		return scanNull(d, v)
	case *time.Time:
		return scanNull(d, v)
	}
	return fmt.Errorf("cannot scan into %T", dest)
}

// scanNull converts v into *d with sql.Null's conversion.
func scanNull[T any](d *T, v any) error {
	var n sql.Null[T]
	if err := n.Scan(v); err != nil {
		return err
	}
	*d = n.V
	return nil
}
