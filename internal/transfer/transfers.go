package transfer

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/transfers"
)

// Transfer is a transfer, as kept.
type Transfer struct {
	ID              string            `json:"id"`
	AuthorizationID string            `json:"authorization_id"`
	ItemID          string            `json:"item_id"`
	AccountID       string            `json:"account_id"`
	Type            string            `json:"type"`
	Network         string            `json:"network"`
	ACHClass        string            `json:"ach_class,omitempty"`
	Amount          Cents             `json:"amount"`
	Currency        string            `json:"iso_currency_code"`
	Description     string            `json:"description"`
	User            User              `json:"user"`
	Metadata        map[string]string `json:"metadata,omitempty"`
	Created         time.Time         `json:"created"`
	Status          string            `json:"status"`
	// SweepStatus is "" (null) for a transfer that will never be swept.
	SweepStatus string   `json:"sweep_status,omitempty"`
	Failure     *Failure `json:"failure_reason,omitempty"`
	// Swept is the signed amount its last sweep moved.
	Swept       Cents  `json:"swept,omitempty"`
	TestClockID string `json:"test_clock_id,omitempty"`
}

// Cancellable reports whether the transfer can still be cancelled: while
// it is pending.
func (t Transfer) Cancellable() bool { return t.Status == Pending }

// MaxACHDescription is the most characters the description of an ACH
// transfer may have (the spec's TransferCreateRequest: 10 on ACH, 15 on
// RTP, which its maxLength holds).
const MaxACHDescription = 10

// Order is what /transfer/create asks for.
type Order struct {
	AccessToken, AccountID, AuthorizationID string
	IdempotencyKey                          string
	// Type, Network and Amount are "" when not sent: the authorization's.
	Type, Network, Amount string
	Description           string
	Metadata              map[string]string
	TestClockID           string
}

// Create is /transfer/create: a pending transfer from an approved
// authorization of the same account, unexpired, not cancelled and not
// used, for at most its amount (its amount when none is sent). It is
// idempotent: an idempotency key the client used gives that transfer
// back, and so does the authorization of a transfer made already when
// the order is the same (another order is INVALID_FIELD).
func (s *Service) Create(ctx context.Context, t service.Tenant, o Order) (Transfer, *plaid.Error) {
	if o.IdempotencyKey != "" {
		rec, err := s.rec.TransferByKey(ctx, t.ClientID, o.IdempotencyKey)
		if err == nil {
			return decodeTransfer(rec)
		}
		if !errors.Is(err, store.ErrNotFound) {
			return Transfer{}, service.StoreError(err)
		}
	}
	it, a, e := s.account(ctx, t, o.AccessToken, o.AccountID)
	if e != nil {
		return Transfer{}, e
	}
	auth, rec, e := s.authorization(ctx, t, o.AuthorizationID)
	if e != nil {
		return Transfer{}, e
	}
	amount := auth.Amount
	if o.Amount != "" {
		if amount, e = ParseAmount("amount", o.Amount); e != nil {
			return Transfer{}, e
		}
	}
	if rec.UsedBy != "" {
		return s.made(ctx, t, rec.UsedBy, o, amount)
	}
	now, e := s.clockTime(ctx, t, o.TestClockID)
	if e != nil {
		return Transfer{}, e
	}
	expiry := t.Now
	if auth.TestClockID != "" {
		if expiry, e = s.clockTime(ctx, t, auth.TestClockID); e != nil {
			return Transfer{}, e
		}
	}
	switch {
	case auth.ItemID != it.ID || auth.AccountID != a.ID:
		return Transfer{}, plaid.InvalidField("authorization " + auth.ID + " is of another account: access_token and account_id must be the authorization's")
	case auth.Decision != Approved:
		return Transfer{}, plaid.InvalidField("authorization " + auth.ID + " was " + auth.Decision + ": only an approved authorization can make a transfer")
	case auth.Cancelled:
		return Transfer{}, plaid.InvalidField("authorization " + auth.ID + " was cancelled")
	case !expiry.Before(auth.ExpiresAt):
		return Transfer{}, plaid.InvalidField("authorization " + auth.ID + " expired at " + plaid.Time(auth.ExpiresAt) + ": authorize the transfer again")
	case o.Type != "" && o.Type != auth.Type, o.Network != "" && o.Network != auth.Network:
		return Transfer{}, plaid.InvalidField("type and network must be the authorization's: " + auth.Type + " over " + auth.Network)
	case amount > auth.Amount:
		return Transfer{}, plaid.InvalidField("amount " + amount.String() + " is more than the " + auth.Amount.String() + " authorized")
	case (auth.Network == "ach" || auth.Network == "same-day-ach") && utf8.RuneCountInString(o.Description) > MaxACHDescription:
		return Transfer{}, plaid.InvalidField("description must be at most 10 characters on ACH (15 on RTP)")
	}
	tr := Transfer{ID: ids.NewUUID(), AuthorizationID: auth.ID, ItemID: it.ID, AccountID: a.ID, Type: auth.Type, Network: auth.Network,
		ACHClass: auth.ACHClass, Amount: amount, Currency: auth.Currency, Description: o.Description, User: auth.User, Metadata: o.Metadata,
		Created: now, Status: Pending, SweepStatus: Unswept, TestClockID: o.TestClockID}
	doc, _ := json.Marshal(tr)
	evDoc, _ := json.Marshal(newEvent(tr, Pending, now))
	var outbox []store.Webhook
	if it.Webhook != "" {
		outbox = append(outbox, eventsHook(t.ClientID, it.Webhook))
	}
	err := s.svc.Commit(func() error {
		return s.rec.Create(ctx, transfers.Transfer{ClientID: t.ClientID, ID: tr.ID, AuthorizationID: auth.ID, IdempotencyKey: o.IdempotencyKey,
			CreatedAt: now, Doc: doc}, transfers.Event{TransferID: tr.ID, At: now, Doc: evDoc}, outbox...)
	})
	switch {
	case errors.Is(err, transfers.ErrUsed):
		made, err := s.rec.TransferByAuthorization(ctx, t.ClientID, auth.ID)
		if err != nil {
			return Transfer{}, service.StoreError(err)
		}
		return s.made(ctx, t, made.ID, o, amount)
	case err != nil && o.IdempotencyKey != "":
		// Another request with the key may have made the transfer
		// meanwhile (the key is unique per client).
		if rec, kerr := s.rec.TransferByKey(ctx, t.ClientID, o.IdempotencyKey); kerr == nil {
			return decodeTransfer(rec)
		}
		return Transfer{}, service.StoreError(err)
	case err != nil:
		return Transfer{}, service.StoreError(err)
	}
	return tr, nil
}

// made is the transfer id made from the order's authorization already:
// the same order again gets it back, another is INVALID_FIELD.
func (s *Service) made(ctx context.Context, t service.Tenant, id string, o Order, amount Cents) (Transfer, *plaid.Error) {
	tr, e := s.Get(ctx, t, id)
	if e != nil {
		return Transfer{}, e
	}
	if tr.AccountID != o.AccountID || tr.Amount != amount || tr.Description != o.Description {
		return Transfer{}, plaid.InvalidField("authorization " + tr.AuthorizationID + " was used by transfer " + tr.ID + ": authorize another")
	}
	return tr, nil
}

func decodeTransfer(rec transfers.Transfer) (Transfer, *plaid.Error) {
	var tr Transfer
	if err := json.Unmarshal(rec.Doc, &tr); err != nil {
		return Transfer{}, service.StoreError(err)
	}
	return tr, nil
}

// Get is /transfer/get by transfer_id.
func (s *Service) Get(ctx context.Context, t service.Tenant, id string) (Transfer, *plaid.Error) {
	rec, err := s.rec.Transfer(ctx, t.ClientID, id)
	if errors.Is(err, store.ErrNotFound) {
		return Transfer{}, unknown("transfer_id", id)
	}
	if err != nil {
		return Transfer{}, service.StoreError(err)
	}
	return decodeTransfer(rec)
}

// GetByAuthorization is /transfer/get by authorization_id: the transfer
// made from the authorization.
func (s *Service) GetByAuthorization(ctx context.Context, t service.Tenant, authorizationID string) (Transfer, *plaid.Error) {
	rec, err := s.rec.TransferByAuthorization(ctx, t.ClientID, authorizationID)
	if errors.Is(err, store.ErrNotFound) {
		return Transfer{}, plaid.InvalidField("no transfer was made from authorization " + authorizationID)
	}
	if err != nil {
		return Transfer{}, service.StoreError(err)
	}
	return decodeTransfer(rec)
}

// Page is a page of a list: the records from Start to End (RFC 3339
// date-times, nil for no bound), Offset of them skipped, at most Count
// (0: the default).
type Page struct {
	Start, End    *time.Time
	Count, Offset int
	// None says a filter no record can match was sent: the emulator has
	// no originators, and no funding or origination accounts on
	// transfers.
	None bool
}

// within reports whether at is within the page's dates.
func (p Page) within(at time.Time) bool {
	return (p.Start == nil || !at.Before(*p.Start)) && (p.End == nil || !at.After(*p.End))
}

// cut is the page of items, newest first, and whether more follow.
func cut[T any](items []T, p Page, max int) ([]T, bool) {
	if p.None {
		return []T{}, false
	}
	n := p.Count
	if n <= 0 {
		n = max
	}
	slices.Reverse(items)
	if p.Offset >= len(items) {
		return []T{}, false
	}
	items = items[p.Offset:]
	if len(items) > n {
		return items[:n], true
	}
	return items, false
}

// List is /transfer/list: the client's transfers created within the
// page's dates, newest first.
func (s *Service) List(ctx context.Context, t service.Tenant, p Page) ([]Transfer, *plaid.Error) {
	recs, err := s.rec.Transfers(ctx, t.ClientID)
	if err != nil {
		return nil, service.StoreError(err)
	}
	var out []Transfer
	for _, rec := range recs {
		tr, e := decodeTransfer(rec)
		if e != nil {
			return nil, e
		}
		if p.within(tr.Created) {
			out = append(out, tr)
		}
	}
	page, _ := cut(out, p, DefaultCount)
	return page, nil
}

// Cancel is /transfer/cancel: a pending transfer is cancelled (it will
// never be swept), with its cancelled event; any other is
// TRANSFER_NOT_CANCELLABLE.
func (s *Service) Cancel(ctx context.Context, t service.Tenant, id string) *plaid.Error {
	return s.change(ctx, t, id, "", "", func(tr *Transfer, now time.Time) ([]Event, float64, *plaid.Error) {
		if !tr.Cancellable() {
			return nil, 0, NotCancellable()
		}
		tr.Status, tr.SweepStatus = Cancelled, ""
		return []Event{newEvent(*tr, Cancelled, now)}, 0, nil
	})
}
