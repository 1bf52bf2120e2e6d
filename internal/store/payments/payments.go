// Package payments keeps Payment Initiation's recipients, payments and
// payment tokens (tables payment_recipients, payments and payment_tokens
// of package store's schema.sql). It is an aggregate of package store kept
// apart, on the store's database, so that package store stays within its
// size; every lookup carries the client's ID, and payment tokens follow
// the store's one rule of use and expiry (store.Usable).
package payments

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
	"github.com/linkharness/linkharness/internal/store"
)

// ErrStatus is returned when a payment is not in the status a change
// starts from: it moved on already.
var ErrStatus = errors.New("payments: payment not in that status")

// Payment statuses the emulator uses, as Plaid names them.
const (
	StatusInputNeeded = "PAYMENT_STATUS_INPUT_NEEDED"
	StatusInitiated   = "PAYMENT_STATUS_INITIATED"
	StatusExecuted    = "PAYMENT_STATUS_EXECUTED"
)

// Store keeps the payments of a store.
type Store struct{ db *sqlbatch.DB }

// New returns the payments kept in st.
func New(st *store.DB) *Store { return &Store{db: st.Batches()} }

// Recipient is a recipient of Payment Initiation payments
// (/payment_initiation/recipient/create). It has an IBAN, UK account
// details (BACS), or both.
type Recipient struct {
	ID       string
	ClientID string
	Name     string
	// IBAN is empty when the recipient has none.
	IBAN string
	// BACS and Address are nil when the recipient has none.
	BACS      *BACS
	Address   *Address
	CreatedAt time.Time
}

// BACS is a UK account number and sort code.
type BACS struct {
	Account  string `json:"account"`
	SortCode string `json:"sort_code"`
}

// Address is a recipient's postal address.
type Address struct {
	Street     []string `json:"street"`
	City       string   `json:"city"`
	PostalCode string   `json:"postal_code"`
	// Country is an ISO 3166-1 alpha-2 code.
	Country string `json:"country"`
}

// Payment is a Payment Initiation payment to one of the client's
// recipients.
type Payment struct {
	ID          string
	ClientID    string
	RecipientID string
	Reference   string
	// Currency is GBP or EUR; Amount is in its minor unit (pence, cents).
	Currency string
	Amount   int64
	// Status is one of Plaid's PAYMENT_STATUS_* values.
	Status           string
	CreatedAt        time.Time
	LastStatusUpdate time.Time
	// Token is the newest payment token made for the payment, nil when
	// there is none (filled by every method that returns a Payment).
	Token *Token
}

// Token is a token that opens Link for a payment (legacy
// Plaid.create({paymentToken})): it works once, before ExpiresAt.
type Token struct {
	Token     string
	ClientID  string
	PaymentID string
	CreatedAt time.Time
	ExpiresAt time.Time
	// UsedAt is zero until Link used the token.
	UsedAt time.Time
}

// Expired reports whether the payment token has expired at now, by the
// store's one rule: at ExpiresAt it has.
func (t Token) Expired(now time.Time) bool {
	return store.Expired(t.ExpiresAt, now)
}

// StatusChange is one move of a payment's status.
type StatusChange struct {
	From, To string
	At       time.Time
}

// nullJSON is v as JSON text, or NULL when v is nil.
func nullJSON[T any](v *T) sql.NullString {
	if v == nil {
		return sql.NullString{}
	}
	b, _ := json.Marshal(v)
	return sql.NullString{String: string(b), Valid: true}
}

// fromNullJSON decodes JSON text into a new T, or returns nil for NULL.
func fromNullJSON[T any](s sql.NullString) (*T, error) {
	if !s.Valid {
		return nil, nil
	}
	v := new(T)
	if err := json.Unmarshal([]byte(s.String), v); err != nil {
		return nil, err
	}
	return v, nil
}

func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

// EnsureRecipient returns the client's recipient with r's name,
// IBAN, BACS and address, storing r first when there is none (Plaid's
// endpoint is idempotent so). Its INSERT stores r only when the client has
// no recipient with the same details, so of concurrent creations of one
// recipient only one stores it.
func (s *Store) EnsureRecipient(ctx context.Context, r Recipient) (Recipient, error) {
	iban, bacs, address := nullString(r.IBAN), nullJSON(r.BACS), nullJSON(r.Address)
	if _, err := s.db.Exec(ctx, `INSERT INTO payment_recipients (recipient_id, client_id, name, iban, bacs, address, created_at)
		SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM payment_recipients WHERE client_id = ? AND name = ?
			AND iban IS ? AND bacs IS ? AND address IS ?)`,
		r.ID, r.ClientID, r.Name, iban, bacs, address, store.MS(r.CreatedAt), r.ClientID, r.Name, iban, bacs, address); err != nil {
		return Recipient{}, err
	}
	var id string
	err := s.db.QueryRow(ctx, `SELECT recipient_id FROM payment_recipients WHERE client_id = ? AND name = ?
		AND iban IS ? AND bacs IS ? AND address IS ? ORDER BY created_at, rowid LIMIT 1`, r.ClientID, r.Name, iban, bacs, address).Scan(&id)
	if err != nil {
		return Recipient{}, err
	}
	return s.Recipient(ctx, r.ClientID, id)
}

// Recipient returns the client's recipient with the given ID.
func (s *Store) Recipient(ctx context.Context, clientID, id string) (Recipient, error) {
	r := Recipient{ID: id, ClientID: clientID}
	var iban, bacs, address sql.NullString
	var created int64
	err := s.db.QueryRow(ctx, `SELECT name, iban, bacs, address, created_at FROM payment_recipients
		WHERE client_id = ? AND recipient_id = ?`, clientID, id).Scan(&r.Name, &iban, &bacs, &address, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Recipient{}, store.ErrNotFound
	}
	if err != nil {
		return Recipient{}, err
	}
	r.IBAN, r.CreatedAt = iban.String, store.FromMS(created)
	if r.BACS, err = fromNullJSON[BACS](bacs); err != nil {
		return Recipient{}, err
	}
	if r.Address, err = fromNullJSON[Address](address); err != nil {
		return Recipient{}, err
	}
	return r, nil
}

// Create stores a payment; store.ErrNotFound when its recipient is not one
// of the client's.
func (s *Store) Create(ctx context.Context, p Payment) error {
	n, err := s.db.Changed(ctx, `INSERT INTO payments (payment_id, client_id, recipient_id, reference, currency, amount,
		status, created_at, last_status_update) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE EXISTS (SELECT 1 FROM payment_recipients WHERE client_id = ? AND recipient_id = ?)`,
		p.ID, p.ClientID, p.RecipientID, p.Reference, p.Currency, p.Amount, p.Status, store.MS(p.CreatedAt), store.MS(p.LastStatusUpdate),
		p.ClientID, p.RecipientID)
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}

// List returns at most limit of the client's payments created at or
// before before (any time when zero), newest first.
func (s *Store) List(ctx context.Context, clientID string, before time.Time, limit int) ([]Payment, error) {
	bound := int64(1<<63 - 1)
	if !before.IsZero() {
		bound = before.UnixMilli()
	}
	rows, err := s.db.Query(ctx, `SELECT payment_id FROM payments WHERE client_id = ? AND created_at <= ?
		ORDER BY created_at DESC, rowid DESC LIMIT ?`, clientID, bound, limit)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Payment
	for _, id := range ids {
		p, err := s.Get(ctx, clientID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Get returns the client's payment with the given ID and its newest
// token.
func (s *Store) Get(ctx context.Context, clientID, id string) (Payment, error) {
	p := Payment{ID: id, ClientID: clientID}
	var created, updated int64
	err := s.db.QueryRow(ctx, `SELECT recipient_id, reference, currency, amount, status, created_at, last_status_update
		FROM payments WHERE client_id = ? AND payment_id = ?`, clientID, id).Scan(&p.RecipientID, &p.Reference, &p.Currency,
		&p.Amount, &p.Status, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Payment{}, store.ErrNotFound
	}
	if err != nil {
		return Payment{}, err
	}
	p.CreatedAt, p.LastStatusUpdate = store.FromMS(created), store.FromMS(updated)
	t := Token{ClientID: clientID, PaymentID: id}
	var expires int64
	var used sql.NullInt64
	err = s.db.QueryRow(ctx, `SELECT payment_token, created_at, expires_at, used_at FROM payment_tokens
		WHERE client_id = ? AND payment_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`, clientID, id).Scan(
		&t.Token, &created, &expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return Payment{}, err
	default:
		t.CreatedAt, t.ExpiresAt, t.UsedAt = store.FromMS(created), store.FromMS(expires), store.FromNullMS(used)
		p.Token = &t
	}
	return p, nil
}

// CreateToken stores a payment token; store.ErrNotFound when its payment is
// not one of the client's.
func (s *Store) CreateToken(ctx context.Context, t Token) error {
	n, err := s.db.Changed(ctx, `INSERT INTO payment_tokens (payment_token, client_id, payment_id, created_at, expires_at, used_at)
		SELECT ?, ?, ?, ?, ?, NULL WHERE EXISTS (SELECT 1 FROM payments WHERE client_id = ? AND payment_id = ?)`,
		t.Token, t.ClientID, t.PaymentID, store.MS(t.CreatedAt), store.MS(t.ExpiresAt), t.ClientID, t.PaymentID)
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}

// UseToken uses up the client's payment token as of now and returns
// its payment. It returns store.ErrNotFound, store.ErrUsed (used before) or store.ErrExpired.
// The conditional UPDATE decides alone which of concurrent uses wins.
func (s *Store) UseToken(ctx context.Context, clientID, token string, now time.Time) (Payment, error) {
	n, err := s.db.Changed(ctx, `UPDATE payment_tokens SET used_at = ? WHERE client_id = ? AND payment_token = ? AND `+
		store.UsableSQL("used_at", "expires_at"), store.MS(now), clientID, token, store.MS(now))
	if err != nil {
		return Payment{}, err
	}
	var paymentID string
	var expires int64
	var used sql.NullInt64
	err = s.db.QueryRow(ctx, `SELECT payment_id, expires_at, used_at FROM payment_tokens WHERE client_id = ? AND payment_token = ?`,
		clientID, token).Scan(&paymentID, &expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Payment{}, store.ErrNotFound
	case err != nil:
		return Payment{}, err
	case n == 1:
		return s.Get(ctx, clientID, paymentID)
	}
	if err := store.Usable(used.Valid, store.FromMS(expires), now); err != nil {
		return Payment{}, err
	}
	return Payment{}, fmt.Errorf("payments: payment token %s neither used nor expired but not used up", token)
}

// Advance moves the client's payment through changes, in order, and
// queues outbox (the webhooks of the changes), all at once, and returns the
// payment. It returns store.ErrNotFound when the client has no such payment and
// ErrStatus when the payment is not in the status a change starts from. Each
// change is guarded by the status it starts from, so of concurrent advances
// from one status only one wins.
func (s *Store) Advance(ctx context.Context, clientID, paymentID string, changes []StatusChange, outbox ...store.Webhook) (Payment, error) {
	stmts := []sqlbatch.Stmt{sqlbatch.Guard(`SELECT 1 FROM payments WHERE client_id = ? AND payment_id = ?`, clientID, paymentID)}
	for _, c := range changes {
		stmts = append(stmts,
			sqlbatch.Guard(`SELECT 1 FROM payments WHERE client_id = ? AND payment_id = ? AND status = ?`, clientID, paymentID, c.From),
			sqlbatch.Stmt{Query: `UPDATE payments SET status = ?, last_status_update = ? WHERE client_id = ? AND payment_id = ?`,
				Args: []any{c.To, store.MS(c.At), clientID, paymentID}})
	}
	_, err := s.db.Guarded(ctx, func() error {
		if _, err := s.Get(ctx, clientID, paymentID); err != nil {
			return err
		}
		return ErrStatus
	}, append(stmts, store.Enqueue(outbox...)...)...)
	if err != nil {
		return Payment{}, err
	}
	return s.Get(ctx, clientID, paymentID)
}
