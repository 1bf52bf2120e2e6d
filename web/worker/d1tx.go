//go:build js && wasm

package main

import (
	"context"
	"database/sql/driver"
	"errors"

	"github.com/syumai/workers/cloudflare/d1"
)

// openD1 returns a connector for the D1 database bound as name, whose
// transactions are no transactions at all: syumai/workers' d1 driver
// answers BeginTx with "d1: transaction is not currently supported"
// (v0.32.0, cloudflare/d1/conn.go), and store.DB runs every multi-statement
// method, and its own Open, in one.
//
// STOPGAP, not the design: here each statement of a "transaction" runs on
// its own as it comes, Commit and Rollback do nothing. Every single
// statement is still atomic (D1 runs one at a time per database), so the
// conditional UPDATEs the store relies on (claiming a webhook's lease,
// deciding an OAuth state once) still hold; what is lost is all-or-nothing
// across statements and isolation between concurrent requests. Issue 7's
// plan replaces this with D1 batches (db.batch) in store.DB.
func openD1(name string) (driver.Connector, error) {
	c, err := d1.OpenConnector(name)
	if err != nil {
		return nil, err
	}
	return connector{c}, nil
}

type connector struct{ driver.Connector }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	cn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return conn{cn}, nil
}

func (c connector) Driver() driver.Driver { return c.Connector.Driver() }

// conn is a d1 connection that pretends to begin transactions.
type conn struct{ driver.Conn }

var (
	_ driver.ConnBeginTx        = conn{}
	_ driver.ConnPrepareContext = conn{}
)

func (c conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

func (c conn) Begin() (driver.Tx, error) {
	return nil, errors.New("d1: Begin is not implemented; use BeginTx")
}

func (c conn) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) {
	return noTx{}, nil
}

// noTx commits and rolls back nothing: its statements ran already.
type noTx struct{}

func (noTx) Commit() error   { return nil }
func (noTx) Rollback() error { return nil }
