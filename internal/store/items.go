package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// Account is an account of an Item.
type Account struct {
	ID      string
	Name    string
	Mask    string
	Type    string
	Subtype string
	// Custom is the account's configuration when a custom sandbox user
	// made the Item (a JSON document the service reads), nil otherwise.
	Custom json.RawMessage
	// Moved is the net amount settled transfers moved into the account.
	Moved float64
}

// Item is a login at an institution.
type Item struct {
	ID       string
	ClientID string
	// AccessToken is set by the first exchange of a public token.
	AccessToken   string
	InstitutionID string
	// Products are the products added to the Item (item.products).
	Products []string
	// BilledProducts are the products billed on the Item, a subset of
	// Products: per-request products and optional Auth, Identity and
	// Signal are added unbilled.
	BilledProducts []string
	// ConsentedProducts are the products the user consented to in Link
	// (Data Transparency Messaging), less those withheld at the bank.
	ConsentedProducts []string
	Webhook           string
	LinkSessionID     string
	LinkToken         string
	// Accounts are the Item's accounts; once Connected, only those the
	// user chose in Link.
	Accounts []Account
	// Connected says the user finished account selection.
	Connected bool
	// Error is the Item's Plaid error, if it is in an error state.
	Error     json.RawMessage
	CreatedAt time.Time
	// Custom is the configuration of the custom sandbox user who made the
	// Item (a JSON document the service reads), nil for another user.
	Custom json.RawMessage
}

// Connection is what finishing an Item's creation stores at once: the
// accounts the user chose, the products the Item ends up with, the public
// token, what is billed and the webhooks the new Item causes.
type Connection struct {
	AccountIDs     []string
	Products       []string
	BilledProducts []string
	PublicToken    PublicToken
	Billing        []BillingEvent
	Outbox         []Webhook
}

// CreateItem stores an Item with its accounts, and the webhooks its creation
// causes.
func (s *DB) CreateItem(ctx context.Context, it Item, outbox ...Webhook) error {
	var access sql.NullString
	if it.AccessToken != "" {
		access = sql.NullString{String: it.AccessToken, Valid: true}
	}
	var plaidErr sql.NullString
	if len(it.Error) > 0 {
		plaidErr = sql.NullString{String: string(it.Error), Valid: true}
	}
	stmts := []sqlbatch.Stmt{{Query: `INSERT INTO items (item_id, client_id, access_token, institution_id, products,
		billed_products, consented_products, webhook, link_session_id, link_token, connected, error, created_at, custom)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		Args: []any{it.ID, it.ClientID, access, it.InstitutionID, jsonList(it.Products), jsonList(it.BilledProducts),
			jsonList(it.ConsentedProducts), it.Webhook, it.LinkSessionID, it.LinkToken,
			boolInt(it.Connected), plaidErr, ms(it.CreatedAt), optJSON(it.Custom)}}}
	// The accounts go in as few INSERTs of many rows as the limit on
	// bound parameters allows: one statement costs about as much as
	// another, whatever its number of rows.
	const perAccount = 8
	for start := 0; start < len(it.Accounts); start += maxParams / perAccount {
		chunk := it.Accounts[start:min(len(it.Accounts), start+maxParams/perAccount)]
		args := make([]any, 0, perAccount*len(chunk))
		for i, a := range chunk {
			args = append(args, a.ID, it.ID, start+i, a.Name, a.Mask, a.Type, a.Subtype, optJSON(a.Custom))
		}
		stmts = append(stmts, sqlbatch.Stmt{Query: `INSERT INTO accounts (account_id, item_id, position, name, mask, type, subtype, custom)
			VALUES ` + valueRows(len(chunk), perAccount), Args: args})
	}
	_, err := s.db.Batch(ctx, append(stmts, enqueue(outbox)...)...)
	return err
}

// Item returns the client's Item with the given ID.
func (s *DB) Item(ctx context.Context, clientID, itemID string) (Item, error) {
	return s.item(ctx, `item_id = ?`, clientID, itemID)
}

// ItemByAccessToken returns the client's Item with the access token.
func (s *DB) ItemByAccessToken(ctx context.Context, clientID, accessToken string) (Item, error) {
	return s.item(ctx, `access_token = ?`, clientID, accessToken)
}

// itemColumns are the columns of an Item that itemScan reads, in its
// order.
const itemColumns = `item_id, access_token, institution_id, products, billed_products, consented_products, webhook, link_session_id, link_token, connected, error, created_at, custom`

// itemScan reads the columns of itemColumns into an Item of the client:
// dest are what Scan takes, and done fills the Item from them.
type itemScan struct {
	it                          Item
	access, plaidErr, custom    sql.NullString
	products, billed, consented string
	connected                   int
	created                     int64
}

func (sc *itemScan) dest() []any {
	it := &sc.it
	return []any{&it.ID, &sc.access, &it.InstitutionID, &sc.products, &sc.billed, &sc.consented, &it.Webhook, &it.LinkSessionID,
		&it.LinkToken, &sc.connected, &sc.plaidErr, &sc.created, &sc.custom}
}

func (sc *itemScan) done(clientID string) (Item, error) {
	it := sc.it
	it.ClientID, it.AccessToken, it.Connected, it.CreatedAt = clientID, sc.access.String, sc.connected != 0, fromMS(sc.created)
	if sc.plaidErr.Valid {
		it.Error = json.RawMessage(sc.plaidErr.String)
	}
	if sc.custom.Valid {
		it.Custom = json.RawMessage(sc.custom.String)
	}
	for _, col := range []struct {
		text string
		to   *[]string
	}{{sc.products, &it.Products}, {sc.billed, &it.BilledProducts}, {sc.consented, &it.ConsentedProducts}} {
		if err := json.Unmarshal([]byte(col.text), col.to); err != nil {
			return Item{}, fmt.Errorf("store: item %s products: %w", it.ID, err)
		}
	}
	return it, nil
}

// item reads the client's Item matching cond and its accounts.
func (s *DB) item(ctx context.Context, cond, clientID string, arg any) (Item, error) {
	var sc itemScan
	err := s.db.QueryRow(ctx, `SELECT `+itemColumns+` FROM items WHERE client_id = ? AND `+cond, clientID, arg).Scan(sc.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, ErrNotFound
	}
	if err != nil {
		return Item{}, err
	}
	it, err := sc.done(clientID)
	if err != nil {
		return Item{}, err
	}
	rows, err := s.db.Query(ctx, `SELECT account_id, name, mask, type, subtype, custom, moved FROM accounts WHERE item_id = ? ORDER BY position`, it.ID)
	if err != nil {
		return Item{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var a Account
		var custom sql.NullString
		if err := rows.Scan(&a.ID, &a.Name, &a.Mask, &a.Type, &a.Subtype, &custom, &a.Moved); err != nil {
			return Item{}, err
		}
		if custom.Valid {
			a.Custom = json.RawMessage(custom.String)
		}
		it.Accounts = append(it.Accounts, a)
	}
	if err := rows.Err(); err != nil || len(it.Accounts) > 0 {
		return it, err
	}
	// The Item and its accounts are read apart: none means it may have
	// been removed (or its client reset) in between.
	return it, s.noItem(ctx, clientID, it.ID)
}

// Delivery is a webhook that reached its receiver, as /item/get's status
// shows the last one: its code and when it was delivered.
type Delivery struct {
	Code        string
	DeliveredAt time.Time
}

// itemStatusQuery is ItemStatus's: the Item's columns, then the code and
// delivery time of its newest delivered webhook, NULL for none.
var itemStatusQuery = `SELECT i.` + strings.ReplaceAll(itemColumns, ", ", ", i.") + `, w.webhook_code, w.delivered_at FROM items i
	LEFT JOIN webhooks w ON w.webhook_id = (SELECT webhook_id FROM webhooks WHERE client_id = i.client_id AND item_id = i.item_id
		AND status = ? ORDER BY created_at DESC, rowid DESC LIMIT 1)
	WHERE i.client_id = ? AND i.access_token = ?`

// ItemStatus returns the client's Item with the access token, without its
// accounts, and the newest of its webhooks that was delivered (false when
// none was), in one query: what /item/get shows.
func (s *DB) ItemStatus(ctx context.Context, clientID, accessToken string) (Item, Delivery, bool, error) {
	var sc itemScan
	var code sql.NullString
	var delivered sql.NullInt64
	err := s.db.QueryRow(ctx, itemStatusQuery, WebhookDelivered, clientID, accessToken).Scan(append(sc.dest(), &code, &delivered)...)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, Delivery{}, false, ErrNotFound
	}
	if err != nil {
		return Item{}, Delivery{}, false, err
	}
	it, err := sc.done(clientID)
	return it, Delivery{Code: code.String, DeliveredAt: fromNullMS(delivered)}, code.Valid, err
}

// optJSON is a JSON document as a nullable column holds it: NULL for none.
func optJSON(doc json.RawMessage) sql.NullString {
	return sql.NullString{String: string(doc), Valid: len(doc) > 0}
}

// itemExists is the guard that the client has the Item.
func itemExists(clientID, itemID string) sqlbatch.Stmt {
	return sqlbatch.Guard(`SELECT 1 FROM items WHERE client_id = ? AND item_id = ?`, clientID, itemID)
}

// noItem is the error of a batch whose itemExists guard failed: ErrNotFound,
// or nil (try again) when the Item is there now.
func (s *DB) noItem(ctx context.Context, clientID, itemID string) error {
	var one int
	err := s.db.QueryRow(ctx, `SELECT 1 FROM items WHERE client_id = ? AND item_id = ?`, clientID, itemID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// ConnectItem keeps only the accounts c names, marks the Item connected with
// c's products, stores its public token, its billing and the webhooks the
// new Item causes, all at once. It returns ErrNotFound for an unknown Item
// and ErrConnected for one connected before. Its guard lets only the first
// of concurrent connections through.
func (s *DB) ConnectItem(ctx context.Context, clientID, itemID string, c Connection) error {
	stmts := []sqlbatch.Stmt{
		sqlbatch.Guard(`SELECT 1 FROM items WHERE client_id = ? AND item_id = ? AND connected = 0`, clientID, itemID),
		{Query: `UPDATE items SET connected = 1, products = ?, billed_products = ? WHERE client_id = ? AND item_id = ?`,
			Args: []any{jsonList(c.Products), jsonList(c.BilledProducts), clientID, itemID}},
		{Query: `DELETE FROM accounts WHERE item_id = ? AND account_id NOT IN (SELECT value FROM json_each(?))`,
			Args: []any{itemID, jsonList(c.AccountIDs)}},
		insertPublicToken(c.PublicToken),
	}
	stmts = append(stmts, insertBilling(c.Billing)...)
	_, err := s.db.Guarded(ctx, func() error {
		if err := s.noItem(ctx, clientID, itemID); err != nil {
			return err
		}
		return ErrConnected
	}, append(stmts, enqueue(c.Outbox)...)...)
	return err
}

// SetItemWebhook changes an Item's webhook URL and queues outbox.
func (s *DB) SetItemWebhook(ctx context.Context, clientID, itemID, url string, outbox ...Webhook) (Item, error) {
	return s.updateItem(ctx, clientID, itemID, `webhook = ?`, url, outbox)
}

// SetItemError puts an Item in an error state (nil clears it) and queues
// outbox.
func (s *DB) SetItemError(ctx context.Context, clientID, itemID string, plaidError json.RawMessage, outbox ...Webhook) (Item, error) {
	var v sql.NullString
	if len(plaidError) > 0 {
		v = sql.NullString{String: string(plaidError), Valid: true}
	}
	return s.updateItem(ctx, clientID, itemID, `error = ?`, v, outbox)
}

func (s *DB) updateItem(ctx context.Context, clientID, itemID, set string, arg any, outbox []Webhook) (Item, error) {
	stmts := []sqlbatch.Stmt{
		itemExists(clientID, itemID),
		{Query: `UPDATE items SET ` + set + ` WHERE client_id = ? AND item_id = ?`, Args: []any{arg, clientID, itemID}},
	}
	if _, err := s.db.Guarded(ctx, func() error { return s.noItem(ctx, clientID, itemID) }, append(stmts, enqueue(outbox)...)...); err != nil {
		return Item{}, err
	}
	return s.item(ctx, `item_id = ?`, clientID, itemID)
}

// RemoveItem deletes an Item, its accounts, its public tokens and what it
// gained since its creation, and ends its subscriptions' billing at
// endedAt for reason (which the ledger keeps), all at once.
func (s *DB) RemoveItem(ctx context.Context, clientID, itemID string, endedAt time.Time, reason string) error {
	_, err := s.db.Guarded(ctx, func() error { return s.noItem(ctx, clientID, itemID) },
		itemExists(clientID, itemID),
		endBilling(clientID, itemID, endedAt, reason),
		sqlbatch.Stmt{Query: `DELETE FROM items WHERE client_id = ? AND item_id = ?`, Args: []any{clientID, itemID}},
		sqlbatch.Stmt{Query: `DELETE FROM accounts WHERE item_id = ?`, Args: []any{itemID}},
		sqlbatch.Stmt{Query: `DELETE FROM public_tokens WHERE client_id = ? AND item_id = ? AND link_session_id = ''`, Args: []any{clientID, itemID}},
		sqlbatch.Stmt{Query: `DELETE FROM item_additions WHERE client_id = ? AND item_id = ?`, Args: []any{clientID, itemID}})
	return err
}

// RotateAccessToken gives the client's Item whose access token is old the
// access token new and returns it: old then names no Item. It returns
// ErrNotFound when old is not the access token of one of the client's
// Items (any more: of two concurrent rotations, one wins).
func (s *DB) RotateAccessToken(ctx context.Context, clientID, old, new string) (Item, error) {
	_, err := s.db.Guarded(ctx, func() error { return ErrNotFound },
		sqlbatch.Guard(`SELECT 1 FROM items WHERE client_id = ? AND access_token = ?`, clientID, old),
		sqlbatch.Stmt{Query: `UPDATE items SET access_token = ? WHERE client_id = ? AND access_token = ?`, Args: []any{new, clientID, old}})
	if err != nil {
		return Item{}, err
	}
	return s.ItemByAccessToken(ctx, clientID, new)
}
