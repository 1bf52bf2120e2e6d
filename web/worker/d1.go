//go:build js && wasm

package main

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"syscall/js"

	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/d1"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// openD1 returns a connector for the D1 database bound as name:
// syumai/workers' d1 driver, whose connections also run the store's
// batches with D1's batch() (they are sqlbatch.Batchers). D1 has no
// interactive transactions (the d1 driver's BeginTx fails, v0.32.0), and
// store.DB needs none: it writes more than one record only in a batch,
// which D1 runs atomically.
func openD1(name string) (driver.Connector, error) {
	c, err := d1.OpenConnector(name)
	if err != nil {
		return nil, err
	}
	return connector{Connector: c, db: cloudflare.GetBinding(name)}, nil
}

// connector makes the d1 driver's connections, with the D1 database they
// run batches on.
type connector struct {
	driver.Connector
	db js.Value
}

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return conn{Conn: cn, db: c.db}, nil
}

func (c connector) Driver() driver.Driver { return c.Connector.Driver() }

// conn is a d1 driver connection that runs batches too.
type conn struct {
	driver.Conn
	db js.Value
}

var (
	_ driver.ConnBeginTx        = conn{}
	_ driver.ConnPrepareContext = conn{}
	_ sqlbatch.Batcher          = conn{}
)

func (c conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

// BeginTx is the d1 driver's, which fails: store.DB never calls it.
func (c conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return nil, errors.New("d1: transactions are not supported")
}

// Batch implements sqlbatch.Batcher with D1's batch(): the statements run
// in order, atomically; when one fails, none of them took effect.
func (c conn) Batch(ctx context.Context, stmts []sqlbatch.Stmt) (out []sqlbatch.Result, err error) {
	defer func() {
		// syscall/js panics on a JavaScript exception.
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("d1: batch: %v", p)
		}
	}()
	list := js.Global().Get("Array").New(len(stmts))
	for i, st := range stmts {
		args, err := bindArgs(st.Args)
		if err != nil {
			return nil, fmt.Errorf("d1: %q: %w", st.Query, err)
		}
		list.SetIndex(i, c.db.Call("prepare", st.Query).Call("bind", args...))
	}
	results, err := await(ctx, c.db.Call("batch", list))
	if err != nil {
		return nil, err
	}
	if n := results.Length(); n != len(stmts) {
		return nil, fmt.Errorf("d1: batch of %d statements returned %d results", len(stmts), n)
	}
	out = make([]sqlbatch.Result, len(stmts))
	for i := range out {
		if out[i], err = batchResult(results.Index(i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// bindArgs converts driver values to what D1's bind() takes: []byte as a
// Uint8Array, the others as they are.
func bindArgs(args []any) ([]any, error) {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case nil, int64, float64, string, bool:
			out[i] = v
		case []byte:
			dst := js.Global().Get("Uint8Array").New(len(v))
			js.CopyBytesToJS(dst, v)
			out[i] = dst
		default:
			return nil, fmt.Errorf("argument %d: D1 cannot bind %T", i+1, a)
		}
	}
	return out, nil
}

// batchResult reads one D1Result of a batch: meta.changes, and the rows
// of a SELECT (objects keyed by column name, in column order).
func batchResult(r js.Value) (sqlbatch.Result, error) {
	var out sqlbatch.Result
	if ch := r.Get("meta").Get("changes"); ch.Type() == js.TypeNumber {
		out.RowsAffected = int64(ch.Float())
	}
	rows := r.Get("results")
	if rows.IsUndefined() || rows.IsNull() || rows.Length() == 0 {
		return out, nil
	}
	keys := js.Global().Get("Object").Call("keys", rows.Index(0))
	for i := range keys.Length() {
		out.Columns = append(out.Columns, keys.Index(i).String())
	}
	for i := range rows.Length() {
		row := rows.Index(i)
		vals := make([]any, len(out.Columns))
		for j, col := range out.Columns {
			v, err := fromJS(row.Get(col))
			if err != nil {
				return sqlbatch.Result{}, fmt.Errorf("d1: column %s: %w", col, err)
			}
			vals[j] = v
		}
		out.Rows = append(out.Rows, vals)
	}
	return out, nil
}

// fromJS converts a column value (null, Number, String or ArrayBuffer) to
// a driver value, as syumai/workers' d1 rows do: an integral Number is an
// int64.
func fromJS(v js.Value) (any, error) {
	switch v.Type() {
	case js.TypeNull, js.TypeUndefined:
		return nil, nil
	case js.TypeNumber:
		f := v.Float()
		if f == math.Trunc(f) && !math.IsInf(f, 0) {
			return int64(f), nil
		}
		return f, nil
	case js.TypeString:
		return v.String(), nil
	case js.TypeObject:
		src := js.Global().Get("Uint8Array").New(v)
		dst := make([]byte, src.Length())
		js.CopyBytesToGo(dst, src)
		return dst, nil
	}
	return nil, fmt.Errorf("unexpected value of type %s", v.Type())
}

// await waits for a promise to settle and returns its value, or its
// rejection as an error.
func await(ctx context.Context, promise js.Value) (js.Value, error) {
	type settled struct {
		v   js.Value
		err error
	}
	ch := make(chan settled, 1)
	onOK := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{v: args[0]}
		return nil
	})
	onErr := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- settled{err: jsError(args[0])}
		return nil
	})
	promise.Call("then", onOK, onErr)
	select {
	case s := <-ch:
		onOK.Release()
		onErr.Release()
		return s.v, s.err
	case <-ctx.Done():
		// The callbacks stay: the promise may still settle.
		return js.Value{}, ctx.Err()
	}
}

// jsError is a rejected promise's reason as an error, with its cause (D1
// puts SQLite's message there).
func jsError(reason js.Value) error {
	if reason.Type() != js.TypeObject {
		return fmt.Errorf("d1: %s", js.Global().Get("String").Invoke(reason).String())
	}
	msg := reason.Call("toString").String()
	if cause := reason.Get("cause"); cause.Type() == js.TypeObject {
		msg += ": " + cause.Call("toString").String()
	}
	return errors.New("d1: " + msg)
}
