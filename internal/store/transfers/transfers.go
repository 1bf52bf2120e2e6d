// Package transfers keeps Plaid Transfer's records: authorizations,
// transfers, their events, sweeps and test clocks (tables
// transfer_authorizations, transfers, transfer_events, transfer_sweeps
// and transfer_test_clocks of the store's schema.sql), each a JSON
// document whose shape package transfer decides, with the columns its
// lookups need. It is an aggregate of package store kept apart, on the
// store's database, so that package store stays within its size; every
// lookup carries the client's ID, so one client never sees another's.
//
// A change of a transfer is one batch: its new document (guarded on the
// one it was read as), its events, numbered per client in the same
// batch, the balance it moves (accounts.moved) and the webhooks it
// causes.
package transfers

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
	"github.com/linkharness/linkharness/internal/store"
)

// Errors of the changes, besides store.ErrNotFound.
var (
	// ErrUsed is a transfer made from an authorization a transfer was
	// made from already.
	ErrUsed = errors.New("transfers: the authorization was used")
	// ErrChanged is a change of a record that is no longer as it was
	// read: read it again.
	ErrChanged = errors.New("transfers: the record changed meanwhile")
	// ErrBackwards is a test clock moved back.
	ErrBackwards = errors.New("transfers: a test clock only moves forward")
)

// Authorization is a stored authorization.
type Authorization struct {
	ClientID, ID string
	// IdempotencyKey is "" for none.
	IdempotencyKey string
	CreatedAt      time.Time
	// UsedBy is the transfer made from it, "" for none yet.
	UsedBy string
	Doc    json.RawMessage
}

// Transfer is a stored transfer.
type Transfer struct {
	ClientID, ID, AuthorizationID string
	// IdempotencyKey is "" for none.
	IdempotencyKey string
	CreatedAt      time.Time
	Doc            json.RawMessage
}

// Event is a stored transfer event; ID is the store's, from 1 per
// client.
type Event struct {
	ID         int64
	TransferID string
	At         time.Time
	Doc        json.RawMessage
}

// Sweep is a stored sweep.
type Sweep struct {
	ID        string
	CreatedAt time.Time
	Doc       json.RawMessage
}

// Clock is a test clock.
type Clock struct {
	ID                     string
	VirtualTime, CreatedAt time.Time
}

// Store keeps the records in a store.
type Store struct {
	st *store.DB
	db *sqlbatch.DB
}

// New returns the records of st.
func New(st *store.DB) *Store { return &Store{st: st, db: st.Batches()} }

func ms(t time.Time) int64 { return t.UnixMilli() }

func at(v int64) time.Time { return time.UnixMilli(v).UTC() }

// nullable is s as a nullable column: NULL for "".
func nullable(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// Authorize stores a, unless its idempotency key names one of the
// client's authorizations made after keyFrom: then it returns that one,
// storing nothing. An older authorization with the key loses it (a key
// expires).
func (s *Store) Authorize(ctx context.Context, a Authorization, keyFrom time.Time) (Authorization, error) {
	var stmts []sqlbatch.Stmt
	if a.IdempotencyKey != "" {
		stmts = append(stmts, sqlbatch.Stmt{Query: `UPDATE transfer_authorizations SET idempotency_key = NULL
			WHERE client_id = ? AND idempotency_key = ? AND created_at < ?`, Args: []any{a.ClientID, a.IdempotencyKey, ms(keyFrom)}})
	}
	stmts = append(stmts, sqlbatch.Stmt{Query: `INSERT OR IGNORE INTO transfer_authorizations (client_id, authorization_id, idempotency_key,
		created_at, used_by, doc) VALUES (?, ?, ?, ?, NULL, ?)`, Args: []any{a.ClientID, a.ID, nullable(a.IdempotencyKey), ms(a.CreatedAt), string(a.Doc)}})
	if _, err := s.db.Batch(ctx, stmts...); err != nil {
		return Authorization{}, err
	}
	if a.IdempotencyKey == "" {
		return a, nil
	}
	return s.authorization(ctx, `idempotency_key = ?`, a.ClientID, a.IdempotencyKey)
}

// Authorization is the client's authorization id; store.ErrNotFound
// when it has none such.
func (s *Store) Authorization(ctx context.Context, clientID, id string) (Authorization, error) {
	return s.authorization(ctx, `authorization_id = ?`, clientID, id)
}

// AuthorizationByKey is the client's authorization with the idempotency
// key; store.ErrNotFound when it has none such.
func (s *Store) AuthorizationByKey(ctx context.Context, clientID, key string) (Authorization, error) {
	return s.authorization(ctx, `idempotency_key = ?`, clientID, key)
}

func (s *Store) authorization(ctx context.Context, cond, clientID, arg string) (Authorization, error) {
	a := Authorization{ClientID: clientID}
	var key, used sql.NullString
	var created int64
	var doc string
	err := s.db.QueryRow(ctx, `SELECT authorization_id, idempotency_key, created_at, used_by, doc FROM transfer_authorizations
		WHERE client_id = ? AND `+cond, clientID, arg).Scan(&a.ID, &key, &created, &used, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return Authorization{}, store.ErrNotFound
	}
	if err != nil {
		return Authorization{}, err
	}
	a.IdempotencyKey, a.CreatedAt, a.UsedBy, a.Doc = key.String, at(created), used.String, json.RawMessage(doc)
	return a, nil
}

// UpdateAuthorization replaces the document of the client's authorization
// while no transfer was made from it and it is still was; ErrChanged
// otherwise.
func (s *Store) UpdateAuthorization(ctx context.Context, clientID, id string, was, doc json.RawMessage) error {
	n, err := s.db.Changed(ctx, `UPDATE transfer_authorizations SET doc = ? WHERE client_id = ? AND authorization_id = ?
		AND used_by IS NULL AND doc = ?`, string(doc), clientID, id, string(was))
	if err == nil && n == 0 {
		return ErrChanged
	}
	return err
}

// Create stores t, made from its authorization, with its first event and
// outbox, and marks the authorization used: ErrUsed when a transfer was
// made from it already.
func (s *Store) Create(ctx context.Context, t Transfer, ev Event, outbox ...store.Webhook) error {
	stmts := []sqlbatch.Stmt{
		sqlbatch.Guard(`SELECT 1 FROM transfer_authorizations WHERE client_id = ? AND authorization_id = ? AND used_by IS NULL`, t.ClientID, t.AuthorizationID),
		{Query: `UPDATE transfer_authorizations SET used_by = ? WHERE client_id = ? AND authorization_id = ?`, Args: []any{t.ID, t.ClientID, t.AuthorizationID}},
		{Query: `INSERT INTO transfers (client_id, transfer_id, authorization_id, idempotency_key, created_at, doc) VALUES (?, ?, ?, ?, ?, ?)`,
			Args: []any{t.ClientID, t.ID, t.AuthorizationID, nullable(t.IdempotencyKey), ms(t.CreatedAt), string(t.Doc)}},
		insertEvent(t.ClientID, ev),
	}
	_, err := s.db.Batch(ctx, append(stmts, store.Enqueue(outbox...)...)...)
	if errors.Is(err, sqlbatch.ErrGuard) {
		return ErrUsed
	}
	return err
}

// insertEvent is the statement that stores ev as the client's next event.
func insertEvent(clientID string, ev Event) sqlbatch.Stmt {
	return sqlbatch.Stmt{Query: `INSERT INTO transfer_events (client_id, event_id, transfer_id, happened_at, doc)
		SELECT ?, COALESCE(MAX(event_id), 0) + 1, ?, ?, ? FROM transfer_events WHERE client_id = ?`,
		Args: []any{clientID, ev.TransferID, ms(ev.At), string(ev.Doc), clientID}}
}

// Transfer is the client's transfer id; store.ErrNotFound when it has
// none such.
func (s *Store) Transfer(ctx context.Context, clientID, id string) (Transfer, error) {
	return s.transfer(ctx, `transfer_id = ?`, clientID, id)
}

// TransferByKey is the client's transfer created with the idempotency
// key; store.ErrNotFound when there is none.
func (s *Store) TransferByKey(ctx context.Context, clientID, key string) (Transfer, error) {
	return s.transfer(ctx, `idempotency_key = ?`, clientID, key)
}

// TransferByAuthorization is the client's transfer made from the
// authorization; store.ErrNotFound when there is none.
func (s *Store) TransferByAuthorization(ctx context.Context, clientID, authorizationID string) (Transfer, error) {
	return s.transfer(ctx, `authorization_id = ?`, clientID, authorizationID)
}

func (s *Store) transfer(ctx context.Context, cond, clientID, arg string) (Transfer, error) {
	rows, err := s.transfers(ctx, cond, clientID, arg)
	if err == nil && len(rows) == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return Transfer{}, err
	}
	return rows[0], nil
}

// Transfers are all the client's transfers, oldest first.
func (s *Store) Transfers(ctx context.Context, clientID string) ([]Transfer, error) {
	return s.transfers(ctx, `1`, clientID)
}

func (s *Store) transfers(ctx context.Context, cond, clientID string, args ...any) ([]Transfer, error) {
	rows, err := s.db.Query(ctx, `SELECT transfer_id, authorization_id, idempotency_key, created_at, doc FROM transfers
		WHERE client_id = ? AND `+cond+` ORDER BY created_at, transfer_id`, append([]any{clientID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Transfer
	for rows.Next() {
		t := Transfer{ClientID: clientID}
		var key sql.NullString
		var created int64
		var doc string
		if err := rows.Scan(&t.ID, &t.AuthorizationID, &key, &created, &doc); err != nil {
			return nil, err
		}
		t.IdempotencyKey, t.CreatedAt, t.Doc = key.String, at(created), json.RawMessage(doc)
		out = append(out, t)
	}
	return out, rows.Err()
}

// Change is what happens to one transfer: its document goes from Was to
// Doc, with Events, and Moved is added to the balances of its account
// AccountID of Item ItemID (0: none).
type Change struct {
	TransferID        string
	Was, Doc          json.RawMessage
	Events            []Event
	ItemID, AccountID string
	Moved             float64
}

// Apply makes the client's changes, stores (or replaces) sweeps and
// queues outbox, in one batch: ErrChanged, and nothing done, when a
// transfer is no longer as it was read.
func (s *Store) Apply(ctx context.Context, clientID string, changes []Change, sweeps []Sweep, outbox ...store.Webhook) error {
	var stmts []sqlbatch.Stmt
	for _, c := range changes {
		stmts = append(stmts,
			sqlbatch.Guard(`SELECT 1 FROM transfers WHERE client_id = ? AND transfer_id = ? AND doc = ?`, clientID, c.TransferID, string(c.Was)),
			sqlbatch.Stmt{Query: `UPDATE transfers SET doc = ? WHERE client_id = ? AND transfer_id = ?`, Args: []any{string(c.Doc), clientID, c.TransferID}})
		for _, ev := range c.Events {
			stmts = append(stmts, insertEvent(clientID, ev))
		}
		if c.Moved != 0 {
			stmts = append(stmts, sqlbatch.Stmt{Query: `UPDATE accounts SET moved = ROUND(moved + ?, 2) WHERE account_id = ?
				AND item_id IN (SELECT item_id FROM items WHERE client_id = ? AND item_id = ?)`, Args: []any{c.Moved, c.AccountID, clientID, c.ItemID}})
		}
	}
	for _, sw := range sweeps {
		stmts = append(stmts, sqlbatch.Stmt{Query: `INSERT OR REPLACE INTO transfer_sweeps (client_id, sweep_id, created_at, doc) VALUES (?, ?, ?, ?)`,
			Args: []any{clientID, sw.ID, ms(sw.CreatedAt), string(sw.Doc)}})
	}
	_, err := s.db.Batch(ctx, append(stmts, store.Enqueue(outbox...)...)...)
	if errors.Is(err, sqlbatch.ErrGuard) {
		return ErrChanged
	}
	return err
}

// Events are the client's events after the event afterID, in order, at
// most limit of them (0: all).
func (s *Store) Events(ctx context.Context, clientID string, afterID int64, limit int) ([]Event, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.Query(ctx, `SELECT event_id, transfer_id, happened_at, doc FROM transfer_events
		WHERE client_id = ? AND event_id > ? ORDER BY event_id LIMIT ?`, clientID, afterID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var ev Event
		var happened int64
		var doc string
		if err := rows.Scan(&ev.ID, &ev.TransferID, &happened, &doc); err != nil {
			return nil, err
		}
		ev.At, ev.Doc = at(happened), json.RawMessage(doc)
		out = append(out, ev)
	}
	return out, rows.Err()
}

// Sweeps are the client's sweeps, oldest first.
func (s *Store) Sweeps(ctx context.Context, clientID string) ([]Sweep, error) {
	rows, err := s.db.Query(ctx, `SELECT sweep_id, created_at, doc FROM transfer_sweeps WHERE client_id = ? ORDER BY created_at, sweep_id`, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Sweep
	for rows.Next() {
		var sw Sweep
		var created int64
		var doc string
		if err := rows.Scan(&sw.ID, &created, &doc); err != nil {
			return nil, err
		}
		sw.CreatedAt, sw.Doc = at(created), json.RawMessage(doc)
		out = append(out, sw)
	}
	return out, rows.Err()
}

// CreateClock stores the client's test clock.
func (s *Store) CreateClock(ctx context.Context, clientID string, c Clock) error {
	_, err := s.db.Exec(ctx, `INSERT INTO transfer_test_clocks (client_id, test_clock_id, virtual_time, created_at) VALUES (?, ?, ?, ?)`,
		clientID, c.ID, ms(c.VirtualTime), ms(c.CreatedAt))
	return err
}

// Clock is the client's test clock id; store.ErrNotFound when it has
// none such.
func (s *Store) Clock(ctx context.Context, clientID, id string) (Clock, error) {
	c := Clock{ID: id}
	var virtual, created int64
	err := s.db.QueryRow(ctx, `SELECT virtual_time, created_at FROM transfer_test_clocks WHERE client_id = ? AND test_clock_id = ?`,
		clientID, id).Scan(&virtual, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Clock{}, store.ErrNotFound
	}
	if err != nil {
		return Clock{}, err
	}
	c.VirtualTime, c.CreatedAt = at(virtual), at(created)
	return c, nil
}

// Clocks are the client's test clocks, oldest first.
func (s *Store) Clocks(ctx context.Context, clientID string) ([]Clock, error) {
	rows, err := s.db.Query(ctx, `SELECT test_clock_id, virtual_time, created_at FROM transfer_test_clocks WHERE client_id = ?
		ORDER BY created_at, test_clock_id`, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Clock
	for rows.Next() {
		var c Clock
		var virtual, created int64
		if err := rows.Scan(&c.ID, &virtual, &created); err != nil {
			return nil, err
		}
		c.VirtualTime, c.CreatedAt = at(virtual), at(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

// AdvanceClock sets the virtual time of the client's test clock to to:
// store.ErrNotFound when it has none such, ErrBackwards when to is
// before its virtual time.
func (s *Store) AdvanceClock(ctx context.Context, clientID, id string, to time.Time) error {
	n, err := s.db.Changed(ctx, `UPDATE transfer_test_clocks SET virtual_time = ? WHERE client_id = ? AND test_clock_id = ? AND virtual_time <= ?`,
		ms(to), clientID, id, ms(to))
	if err != nil || n > 0 {
		return err
	}
	if _, err := s.Clock(ctx, clientID, id); err != nil {
		return err
	}
	return ErrBackwards
}
