package transfer

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/transfers"
)

// Event is a transfer event; ID is its number among the client's events.
type Event struct {
	ID           int64     `json:"-"`
	Timestamp    time.Time `json:"timestamp"`
	Type         string    `json:"event_type"`
	TransferID   string    `json:"transfer_id"`
	AccountID    string    `json:"account_id"`
	TransferType string    `json:"transfer_type"`
	Amount       Cents     `json:"transfer_amount"`
	Failure      *Failure  `json:"failure_reason,omitempty"`
	SweepID      string    `json:"sweep_id,omitempty"`
	SweepAmount  *Cents    `json:"sweep_amount,omitempty"`
}

func newEvent(tr Transfer, typ string, at time.Time) Event {
	return Event{Timestamp: at, Type: typ, TransferID: tr.ID, AccountID: tr.AccountID, TransferType: tr.Type, Amount: tr.Amount}
}

// SimulatedEvents are the event types /sandbox/transfer/simulate takes.
var SimulatedEvents = []string{Posted, Settled, Failed, FundsAvailable, Returned}

// transitions are the statuses each status can move to by a simulated
// event (the spec's description of /sandbox/transfer/simulate).
var transitions = map[string][]string{
	Pending: {Posted, Failed},
	Posted:  {Settled, Returned},
	Settled: {FundsAvailable},
}

// CanSimulate reports whether a transfer of the type in status can take
// the simulated event: pending to posted or failed, posted to settled or
// returned, and settled to funds_available for debits only.
func CanSimulate(status, transferType, event string) bool {
	if event == FundsAvailable && transferType != Debit {
		return false
	}
	return slices.Contains(transitions[status], event)
}

// returnReasons describe the commonest ACH return codes
// (https://plaid.com/docs/errors/transfer/#ach-return-codes).
var returnReasons = map[string]string{
	"R01": "Insufficient funds", "R02": "Account closed", "R03": "No account or unable to locate account",
	"R04": "Invalid account number structure", "R05": "Unauthorized debit to consumer account using corporate SEC code",
	"R07": "Authorization revoked by customer", "R08": "Payment stopped", "R09": "Uncollected funds",
	"R10": "Customer advises not authorized", "R16": "Account frozen", "R20": "Non-transaction account",
	"R29": "Corporate customer advises not authorized",
}

// Simulation is what /sandbox/transfer/simulate asks for.
type Simulation struct {
	TransferID, EventType string
	// Failure is failure_reason as sent, nil for none.
	Failure *Failure
	// TestClockID dates the event at the clock's virtual time.
	TestClockID string
	// Webhook gets the TRANSFER_EVENTS_UPDATE, else the Item's webhook.
	Webhook string
}

// Simulate is /sandbox/transfer/simulate: the event happens to the
// transfer when its status allows it (CanSimulate), INVALID_FIELD
// otherwise. A failed transfer keeps the failure_reason sent; a returned
// one has an ACH return code (R01 when none is sent). A transfer that
// fails or comes back before it was swept will never be swept; a settled
// one moves its account's balances (a debit takes its amount out, a
// credit puts it in).
func (s *Service) Simulate(ctx context.Context, t service.Tenant, sim Simulation) *plaid.Error {
	if !slices.Contains(SimulatedEvents, sim.EventType) {
		return plaid.InvalidField("event_type must be one of posted, settled, failed, funds_available, returned")
	}
	var failure *Failure
	switch sim.EventType {
	case Failed:
		failure = &Failure{Description: "the transfer failed"}
		if sim.Failure != nil {
			failure.FailureCode = sim.Failure.FailureCode
			if sim.Failure.Description != "" {
				failure.Description = sim.Failure.Description
			}
		}
	case Returned:
		code := "R01"
		if sim.Failure != nil && sim.Failure.ACHReturnCode != "" {
			code = sim.Failure.ACHReturnCode
		} else if sim.Failure != nil && sim.Failure.FailureCode != "" {
			code = sim.Failure.FailureCode
		}
		if !plaid.IsACHReturnCode(code) {
			return plaid.InvalidField("failure_reason.ach_return_code must be an ACH return code, such as R01")
		}
		failure = &Failure{FailureCode: code, ACHReturnCode: code, Description: returnReasons[code]}
		if sim.Failure != nil && sim.Failure.Description != "" {
			failure.Description = sim.Failure.Description
		} else if failure.Description == "" {
			failure.Description = "ACH return " + code
		}
	}
	return s.change(ctx, t, sim.TransferID, sim.TestClockID, sim.Webhook, func(tr *Transfer, now time.Time) ([]Event, float64, *plaid.Error) {
		if !CanSimulate(tr.Status, tr.Type, sim.EventType) {
			return nil, 0, plaid.InvalidField("cannot simulate " + sim.EventType + " on a " + tr.Type + " that is " + tr.Status +
				": the events are pending to posted or failed, posted to settled or returned, settled to funds_available (debits only)")
		}
		tr.Status, tr.Failure = sim.EventType, failure
		if (tr.Status == Failed || tr.Status == Returned) && tr.SweepStatus == Unswept {
			tr.SweepStatus = ""
		}
		ev := newEvent(*tr, sim.EventType, now)
		ev.Failure = failure
		return []Event{ev}, Moved(*tr, sim.EventType), nil
	})
}

// Moved is what the event moves into the transfer's account: on
// settlement, a debit's amount out and a credit's in; nothing otherwise.
func Moved(tr Transfer, event string) float64 {
	switch {
	case event != Settled:
		return 0
	case tr.Type == Debit:
		return -tr.Amount.Float()
	}
	return tr.Amount.Float()
}

// change applies f to the tenant's transfer id at the virtual time of
// the test clock clockID ("" for now), and stores the change with the
// events f returns, what they move into the account and a
// TRANSFER_EVENTS_UPDATE to webhook (else the Item's webhook, if it has
// one), in one batch; it reads again and retries when the transfer
// changed meanwhile.
func (s *Service) change(ctx context.Context, t service.Tenant, id, clockID, webhook string, f func(*Transfer, time.Time) ([]Event, float64, *plaid.Error)) *plaid.Error {
	now, e := s.clockTime(ctx, t, clockID)
	if e != nil {
		return e
	}
	for range 5 {
		rec, err := s.rec.Transfer(ctx, t.ClientID, id)
		if errors.Is(err, store.ErrNotFound) {
			return unknown("transfer_id", id)
		}
		if err != nil {
			return service.StoreError(err)
		}
		tr, e := decodeTransfer(rec)
		if e != nil {
			return e
		}
		events, moved, e := f(&tr, now)
		if e != nil {
			return e
		}
		doc, _ := json.Marshal(tr)
		c := transfers.Change{TransferID: tr.ID, Was: rec.Doc, Doc: doc, ItemID: tr.ItemID, AccountID: tr.AccountID, Moved: moved}
		for _, ev := range events {
			evDoc, _ := json.Marshal(ev)
			c.Events = append(c.Events, transfers.Event{TransferID: tr.ID, At: ev.Timestamp, Doc: evDoc})
		}
		outbox, e := s.hooks(ctx, t, webhook, []string{tr.ItemID})
		if e != nil {
			return e
		}
		err = s.svc.Commit(func() error { return s.rec.Apply(ctx, t.ClientID, []transfers.Change{c}, nil, outbox...) })
		if !errors.Is(err, transfers.ErrChanged) {
			if err != nil {
				return service.StoreError(err)
			}
			return nil
		}
	}
	return plaid.Internal("transfer " + id + " kept changing")
}

// hooks are the TRANSFER_EVENTS_UPDATE webhooks of new events of the
// Items: one to webhook when it is set, else one to each webhook the
// Items have (an Item removed, or without a webhook, gets none).
func (s *Service) hooks(ctx context.Context, t service.Tenant, webhook string, itemIDs []string) ([]store.Webhook, *plaid.Error) {
	if webhook != "" {
		return []store.Webhook{eventsHook(t.ClientID, webhook)}, nil
	}
	var urls []string
	for _, id := range itemIDs {
		it, err := s.st.Item(ctx, t.ClientID, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, service.StoreError(err)
		}
		if it.Webhook != "" && !slices.Contains(urls, it.Webhook) {
			urls = append(urls, it.Webhook)
		}
	}
	var out []store.Webhook
	for _, u := range urls {
		out = append(out, eventsHook(t.ClientID, u))
	}
	return out, nil
}

func decodeEvent(rec transfers.Event) (Event, *plaid.Error) {
	var ev Event
	if err := json.Unmarshal(rec.Doc, &ev); err != nil {
		return Event{}, service.StoreError(err)
	}
	ev.ID = rec.ID
	return ev, nil
}

// EventFilter is what /transfer/event/list narrows the events to.
type EventFilter struct {
	Page
	TransferID, AccountID, TransferType, SweepID string
	// Types are the event types to keep, all when empty.
	Types []string
}

// keeps reports whether the filter keeps ev.
func (f EventFilter) keeps(ev Event) bool {
	return f.within(ev.Timestamp) && (f.TransferID == "" || ev.TransferID == f.TransferID) &&
		(f.AccountID == "" || ev.AccountID == f.AccountID) && (f.TransferType == "" || ev.TransferType == f.TransferType) &&
		(f.SweepID == "" || ev.SweepID == f.SweepID) && (len(f.Types) == 0 || slices.Contains(f.Types, ev.Type))
}

// Events is /transfer/event/list: the client's events the filter keeps,
// the most recent first, and whether more follow the page.
func (s *Service) Events(ctx context.Context, t service.Tenant, f EventFilter) ([]Event, bool, *plaid.Error) {
	recs, err := s.rec.Events(ctx, t.ClientID, 0, 0)
	if err != nil {
		return nil, false, service.StoreError(err)
	}
	var out []Event
	for _, rec := range recs {
		ev, e := decodeEvent(rec)
		if e != nil {
			return nil, false, e
		}
		if f.keeps(ev) {
			out = append(out, ev)
		}
	}
	page, more := cut(out, f.Page, DefaultCount)
	return page, more, nil
}

// Sync is /transfer/event/sync: the client's events after the event
// afterID, in order, at most count (0: DefaultSyncCount), and whether
// more follow.
func (s *Service) Sync(ctx context.Context, t service.Tenant, afterID int64, count int) ([]Event, bool, *plaid.Error) {
	if count <= 0 {
		count = DefaultSyncCount
	}
	if afterID < 0 || count > MaxSyncCount {
		return nil, false, plaid.InvalidField("after_id must be 0 or more, count from 1 to 500")
	}
	recs, err := s.rec.Events(ctx, t.ClientID, afterID, count+1)
	if err != nil {
		return nil, false, service.StoreError(err)
	}
	more := len(recs) > count
	if more {
		recs = recs[:count]
	}
	out := []Event{}
	for _, rec := range recs {
		ev, e := decodeEvent(rec)
		if e != nil {
			return nil, false, e
		}
		out = append(out, ev)
	}
	return out, more, nil
}
