package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
)

// insertBilling adds ledger entries; a billable billed before on the Item
// is not billed again.
func insertBilling(ctx context.Context, tx *dbtx, events []BillingEvent) error {
	for _, e := range events {
		if _, err := tx.ExecContext(ctx, `INSERT INTO billing_events (event_id, client_id, item_id, product, billable, fee_model,
			reason, endpoint, billed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id, item_id, billable) DO NOTHING`,
			e.ID, e.ClientID, e.ItemID, e.Product, e.Billable, e.FeeModel, e.Reason, e.Endpoint, ms(e.BilledAt)); err != nil {
			return err
		}
	}
	return nil
}

// AddItemProduct implements Store.
func (s *DB) AddItemProduct(ctx context.Context, clientID, itemID, product string, billing []BillingEvent) (Item, error) {
	var it Item
	err := s.tx(ctx, func(tx *dbtx) error {
		var err error
		if it, err = item(ctx, tx, `item_id = ?`, clientID, itemID); err != nil {
			return err
		}
		if !slices.Contains(it.Products, product) {
			it.Products = append(it.Products, product)
		}
		for _, e := range billing {
			if !slices.Contains(it.BilledProducts, e.Product) {
				it.BilledProducts = append(it.BilledProducts, e.Product)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE items SET products = ?, billed_products = ? WHERE client_id = ? AND item_id = ?`,
			jsonList(it.Products), jsonList(it.BilledProducts), clientID, itemID); err != nil {
			return err
		}
		return insertBilling(ctx, tx, billing)
	})
	return it, err
}

// BillingEvents implements Store.
func (s *DB) BillingEvents(ctx context.Context, clientID, itemID string) ([]BillingEvent, error) {
	var out []BillingEvent
	err := s.read(ctx, func(tx *dbtx) error {
		rows, err := tx.QueryContext(ctx, `SELECT event_id, item_id, product, billable, fee_model, reason, endpoint, billed_at
			FROM billing_events WHERE client_id = ? AND (? = '' OR item_id = ?) ORDER BY billed_at, rowid`, clientID, itemID, itemID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := BillingEvent{ClientID: clientID}
			var billed int64
			if err := rows.Scan(&e.ID, &e.ItemID, &e.Product, &e.Billable, &e.FeeModel, &e.Reason, &e.Endpoint, &billed); err != nil {
				return err
			}
			e.BilledAt = fromMS(billed)
			out = append(out, e)
		}
		return rows.Err()
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return out, err
}
