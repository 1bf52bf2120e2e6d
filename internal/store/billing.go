package store

import (
	"context"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// BillingEvent is one entry of the billing ledger: a billable of a
// product (auth, transactions, investments_holdings,
// investments_transactions, ...) billed on an Item, at most once each.
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
	// Item or the product endpoint first called.
	Endpoint string
	BilledAt time.Time
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
// Item or, for an empty itemID, of every Item.
func (s *DB) BillingEvents(ctx context.Context, clientID, itemID string) ([]BillingEvent, error) {
	rows, err := s.db.Query(ctx, `SELECT event_id, item_id, product, billable, fee_model, reason, endpoint, billed_at
		FROM billing_events WHERE client_id = ? AND (? = '' OR item_id = ?) ORDER BY billed_at, rowid`, clientID, itemID, itemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BillingEvent
	for rows.Next() {
		e := BillingEvent{ClientID: clientID}
		var billed int64
		if err := rows.Scan(&e.ID, &e.ItemID, &e.Product, &e.Billable, &e.FeeModel, &e.Reason, &e.Endpoint, &billed); err != nil {
			return nil, err
		}
		e.BilledAt = fromMS(billed)
		out = append(out, e)
	}
	return out, rows.Err()
}
