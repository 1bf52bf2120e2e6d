package store

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// BillingEvent is one entry of the billing ledger: a billable of a
// product (auth, transactions, investments_holdings,
// investments_transactions, ...) billed on an Item, at most once each, or
// one billed call of a product billed per request (balance).
type BillingEvent struct {
	ID       string
	ClientID string
	ItemID   string
	// Product is the Plaid product on the Item, as billed_products names
	// it (investments for both investments billables).
	Product string
	// Billable is what is billed: the product, or for Investments
	// investments_holdings or investments_transactions.
	Billable string
	// FeeModel is the billable's fee model: product.OneTime or
	// product.Subscription, as the product registry (internal/product)
	// gives it.
	FeeModel string
	// Reason says why it was billed then, in words.
	Reason string
	// Endpoint is the API call that caused it: the one that created the
	// Item or the product endpoint first called, or for a PerRequest fee
	// the call billed.
	Endpoint string
	BilledAt time.Time
	// RequestID is the request_id of the call billed, for a PerRequest
	// fee only.
	RequestID string
	// EndedAt is when a subscription's billing ended (the Item was
	// removed or terminated); zero while it runs, and for other fees.
	EndedAt time.Time
}

// insertBilling returns the statements that add ledger entries; a
// billable billed before on the Item is not billed again.
func insertBilling(events []BillingEvent) []sqlbatch.Stmt {
	var out []sqlbatch.Stmt
	for _, e := range events {
		out = append(out, sqlbatch.Stmt{Query: `INSERT INTO billing_events (event_id, client_id, item_id, product, billable, fee_model,
			reason, endpoint, billed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, item_id, billable) DO NOTHING`,
			Args: []any{e.ID, e.ClientID, e.ItemID, e.Product, e.Billable, e.FeeModel, e.Reason, e.Endpoint, ms(e.BilledAt)}})
	}
	return out
}

// appendProduct returns the statement that appends product to the Item's
// JSON list in column (products or billed_products) unless it is there:
// the list changes in SQL, so concurrent additions lose none.
func appendProduct(clientID, itemID, column, product string) sqlbatch.Stmt {
	return sqlbatch.Stmt{Query: `UPDATE items SET ` + column + ` = json_insert(` + column + `, '$[#]', ?) WHERE client_id = ? AND item_id = ?
		AND NOT EXISTS (SELECT 1 FROM json_each(items.` + column + `) WHERE value = ?)`, Args: []any{product, clientID, itemID, product}}
}

// AddItemProduct adds product to the Item's products (if it is not there
// yet), bills what billing lists that was not billed before (adding each
// event's product to billed_products) and returns the Item, all at once.
func (s *DB) AddItemProduct(ctx context.Context, clientID, itemID, product string, billing []BillingEvent) (Item, error) {
	stmts := []sqlbatch.Stmt{itemExists(clientID, itemID), appendProduct(clientID, itemID, "products", product)}
	var billed []string
	for _, e := range billing {
		if !slices.Contains(billed, e.Product) {
			billed = append(billed, e.Product)
			stmts = append(stmts, appendProduct(clientID, itemID, "billed_products", e.Product))
		}
	}
	stmts = append(stmts, insertBilling(billing)...)
	if _, err := s.db.Guarded(ctx, func() error { return s.noItem(ctx, clientID, itemID) }, stmts...); err != nil {
		return Item{}, err
	}
	return s.item(ctx, `item_id = ?`, clientID, itemID)
}

// BillingEvents returns the client's billing ledger, oldest first, of one
// Item or, for an empty itemID, of every Item: what is billed per Item
// and each call billed per request.
func (s *DB) BillingEvents(ctx context.Context, clientID, itemID string) ([]BillingEvent, error) {
	rows, err := s.db.Query(ctx, `SELECT event_id, item_id, product, billable, fee_model, reason, endpoint, billed_at, request_id, ended_at FROM (
		SELECT e.event_id, e.item_id, e.product, e.billable, e.fee_model, e.reason, e.endpoint, e.billed_at, '' AS request_id,
			CASE WHEN e.fee_model = ? THEN x.ended_at END AS ended_at, 0 AS kind, e.rowid AS seq
		FROM billing_events e LEFT JOIN billing_ends x ON x.client_id = e.client_id AND x.item_id = e.item_id
		WHERE e.client_id = ? AND (? = '' OR e.item_id = ?)
		UNION ALL
		SELECT event_id, item_id, product, product, ?, reason, endpoint, billed_at, request_id, NULL, 1, rowid
		FROM billed_requests WHERE client_id = ? AND (? = '' OR item_id = ?))
		ORDER BY billed_at, kind, seq`, feeSubscription, clientID, itemID, itemID, feePerRequest, clientID, itemID, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BillingEvent
	for rows.Next() {
		e := BillingEvent{ClientID: clientID}
		var billed int64
		var ended sql.NullInt64
		if err := rows.Scan(&e.ID, &e.ItemID, &e.Product, &e.Billable, &e.FeeModel, &e.Reason, &e.Endpoint, &billed, &e.RequestID, &ended); err != nil {
			return nil, err
		}
		e.BilledAt, e.EndedAt = fromMS(billed), fromNullMS(ended)
		out = append(out, e)
	}
	return out, rows.Err()
}

// The fee models the ledger's queries name (product.Subscription and
// product.PerRequest: the store does not import the registry).
const (
	feeSubscription = "subscription"
	feePerRequest   = "per_request"
)

// BillRequest adds a billed call of a product billed per request to the
// ledger (e's RequestID, Endpoint, Product and Reason; FeeModel is
// per_request), unless the Item is gone: then it returns ErrNotFound and
// bills nothing.
func (s *DB) BillRequest(ctx context.Context, e BillingEvent) error {
	_, err := s.db.Guarded(ctx, func() error { return s.noItem(ctx, e.ClientID, e.ItemID) },
		itemExists(e.ClientID, e.ItemID),
		sqlbatch.Stmt{Query: `INSERT INTO billed_requests (event_id, client_id, item_id, product, endpoint, request_id, reason, billed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, Args: []any{e.ID, e.ClientID, e.ItemID, e.Product, e.Endpoint, e.RequestID, e.Reason, ms(e.BilledAt)}})
	return err
}

// endBilling is the statement that ends the Item's subscription billing
// at endedAt for reason, unless it ended before.
func endBilling(clientID, itemID string, endedAt time.Time, reason string) sqlbatch.Stmt {
	return sqlbatch.Stmt{Query: `INSERT INTO billing_ends (client_id, item_id, ended_at, reason) VALUES (?, ?, ?, ?)
		ON CONFLICT (client_id, item_id) DO NOTHING`, Args: []any{clientID, itemID, ms(endedAt), reason}}
}
