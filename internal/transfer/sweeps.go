package transfer

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/transfers"
)

// Sweep statuses the emulator gives: a sweep is pending until the next
// sweep simulation, which settles it.
const (
	SweepPending = "pending"
	SweepSettled = "settled"
)

// Sweep is a sweep between the client's funding account and Plaid, as
// kept.
type Sweep struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	// Amount is signed as the funding account's ledger shows it:
	// positive for what it received.
	Amount    Cents  `json:"amount"`
	Currency  string `json:"iso_currency_code"`
	Status    string `json:"status"`
	Settled   string `json:"settled,omitempty"`
	Trigger   string `json:"trigger"`
	FundingID string `json:"funding_account_id"`
	// TransferIDs are the transfers it swept.
	TransferIDs []string `json:"transfer_ids"`
}

// Sweeping is what one sweep does to a transfer of the status and sweep
// status: the new sweep status and the event, "" for nothing. A sweep
// settles what was swept (swept_settled), sweeps what is pending or
// posted and unswept (swept), and pulls back what came back after it was
// swept (return_swept), as the spec's description of
// /sandbox/transfer/sweep/simulate says.
func Sweeping(status, sweepStatus string) string {
	switch {
	case status == Returned && sweepStatus == Swept:
		return ReturnSwept
	case sweepStatus == Swept:
		return SweptSettled
	case sweepStatus == Unswept && (status == Pending || status == Posted):
		return Swept
	}
	return ""
}

// bankingDay is at, or the Monday after when it falls on a weekend.
func bankingDay(at time.Time) time.Time {
	switch at.Weekday() {
	case time.Saturday:
		return at.AddDate(0, 0, 2)
	case time.Sunday:
		return at.AddDate(0, 0, 1)
	}
	return at
}

// SimulateSweep is /sandbox/transfer/sweep/simulate: every transfer of
// the client moves on as Sweeping says, each with its event, and what
// is swept or pulled back makes a new sweep (none when nothing is: then
// it returns nil). A debit swept moves its amount into the funding
// account, a credit out of it, and a return the other way. The earlier
// sweeps still pending settle. With a test clock the
// sweep is dated on the clock's day (the Monday after a weekend).
func (s *Service) SimulateSweep(ctx context.Context, t service.Tenant, clockID, webhook string) (*Sweep, *plaid.Error) {
	now, e := s.clockTime(ctx, t, clockID)
	if e != nil {
		return nil, e
	}
	if clockID != "" {
		now = bankingDay(now)
	}
	for range 5 {
		sw, err := s.sweep(ctx, t, now, webhook)
		if !errors.Is(err, transfers.ErrChanged) {
			if err != nil {
				return nil, service.StoreError(err)
			}
			return sw, nil
		}
	}
	return nil, plaid.Internal("the transfers kept changing")
}

func (s *Service) sweep(ctx context.Context, t service.Tenant, now time.Time, webhook string) (*Sweep, error) {
	recs, err := s.rec.Transfers(ctx, t.ClientID)
	if err != nil {
		return nil, err
	}
	kept, err := s.rec.Sweeps(ctx, t.ClientID)
	if err != nil {
		return nil, err
	}
	// Each transfer's latest sweep, and the sweeps still pending, which
	// this one settles.
	sweeps := map[string]*Sweep{}
	var pending []*Sweep
	for _, k := range kept {
		var sw Sweep
		if err := json.Unmarshal(k.Doc, &sw); err != nil {
			return nil, err
		}
		for _, id := range sw.TransferIDs {
			sweeps[id] = &sw
		}
		if sw.Status == SweepPending {
			pending = append(pending, &sw)
		}
	}
	fresh := &Sweep{ID: ids.NewUUID(), Created: now, Currency: "USD", Status: SweepPending, Trigger: "manual", FundingID: FundingAccountID(t.ClientID)}
	var changes []transfers.Change
	var items []string
	for _, rec := range recs {
		var tr Transfer
		if err := json.Unmarshal(rec.Doc, &tr); err != nil {
			return nil, err
		}
		next := Sweeping(tr.Status, tr.SweepStatus)
		if next == "" {
			continue
		}
		ev := newEvent(tr, next, now)
		switch next {
		case Swept:
			tr.Swept = tr.Amount
			if tr.Type == Credit {
				tr.Swept = -tr.Amount
			}
			fresh.Amount += tr.Swept
			fresh.TransferIDs = append(fresh.TransferIDs, tr.ID)
			ev.SweepID = fresh.ID
		case ReturnSwept:
			tr.Swept = -tr.Swept
			fresh.Amount += tr.Swept
			fresh.TransferIDs = append(fresh.TransferIDs, tr.ID)
			ev.SweepID = fresh.ID
		case SweptSettled:
			if old := sweeps[tr.ID]; old != nil {
				ev.SweepID = old.ID
			}
		}
		amount := tr.Swept
		ev.SweepAmount = &amount
		tr.SweepStatus = next
		doc, _ := json.Marshal(tr)
		evDoc, _ := json.Marshal(ev)
		changes = append(changes, transfers.Change{TransferID: tr.ID, Was: rec.Doc, Doc: doc,
			Events: []transfers.Event{{TransferID: tr.ID, At: now, Doc: evDoc}}})
		items = append(items, tr.ItemID)
	}
	if len(changes) == 0 && len(pending) == 0 {
		return nil, nil
	}
	var out []transfers.Sweep
	for _, old := range pending {
		old.Status, old.Settled = SweepSettled, now.UTC().Format(time.DateOnly)
		doc, _ := json.Marshal(old)
		out = append(out, transfers.Sweep{ID: old.ID, CreatedAt: old.Created, Doc: doc})
	}
	if len(fresh.TransferIDs) > 0 {
		doc, _ := json.Marshal(fresh)
		out = append(out, transfers.Sweep{ID: fresh.ID, CreatedAt: now, Doc: doc})
	} else {
		fresh = nil
	}
	var outbox []store.Webhook
	if len(changes) > 0 {
		var e *plaid.Error
		if outbox, e = s.hooks(ctx, t, webhook, items); e != nil {
			return nil, e
		}
	}
	return fresh, s.svc.Commit(func() error { return s.rec.Apply(ctx, t.ClientID, changes, out, outbox...) })
}

// SweepFilter is what /transfer/sweep/list narrows the sweeps to.
type SweepFilter struct {
	Page
	// Amount, Status, TransferID, Trigger and FundingAccountID keep only
	// the sweeps that have them, when set.
	Amount                                        *Cents
	Status, TransferID, Trigger, FundingAccountID string
}

func (f SweepFilter) keeps(sw Sweep) bool {
	return f.within(sw.Created) && (f.Amount == nil || *f.Amount == sw.Amount) && (f.Status == "" || f.Status == sw.Status) &&
		(f.TransferID == "" || slices.Contains(sw.TransferIDs, f.TransferID)) && (f.Trigger == "" || f.Trigger == sw.Trigger) &&
		(f.FundingAccountID == "" || f.FundingAccountID == sw.FundingID)
}

func (s *Service) sweeps(ctx context.Context, t service.Tenant) ([]Sweep, *plaid.Error) {
	kept, err := s.rec.Sweeps(ctx, t.ClientID)
	if err != nil {
		return nil, service.StoreError(err)
	}
	var out []Sweep
	for _, k := range kept {
		var sw Sweep
		if err := json.Unmarshal(k.Doc, &sw); err != nil {
			return nil, service.StoreError(err)
		}
		out = append(out, sw)
	}
	return out, nil
}

// GetSweep is /transfer/sweep/get.
func (s *Service) GetSweep(ctx context.Context, t service.Tenant, id string) (Sweep, *plaid.Error) {
	all, e := s.sweeps(ctx, t)
	if e != nil {
		return Sweep{}, e
	}
	for _, sw := range all {
		if sw.ID == id {
			return sw, nil
		}
	}
	return Sweep{}, unknown("sweep_id", id)
}

// Sweeps is /transfer/sweep/list: the sweeps the filter keeps, newest
// first.
func (s *Service) Sweeps(ctx context.Context, t service.Tenant, f SweepFilter) ([]Sweep, *plaid.Error) {
	all, e := s.sweeps(ctx, t)
	if e != nil {
		return nil, e
	}
	var out []Sweep
	for _, sw := range all {
		if f.keeps(sw) {
			out = append(out, sw)
		}
	}
	page, _ := cut(out, f.Page, DefaultCount)
	return page, nil
}

// Clock is a test clock.
type Clock struct {
	ID          string
	VirtualTime time.Time
}

// CreateClock is /sandbox/transfer/test_clock/create: a test clock at
// virtual (nil: now).
func (s *Service) CreateClock(ctx context.Context, t service.Tenant, virtual *time.Time) (Clock, *plaid.Error) {
	c := Clock{ID: ids.NewUUID(), VirtualTime: t.Now.UTC().Truncate(time.Second)}
	if virtual != nil {
		c.VirtualTime = virtual.UTC()
	}
	if err := s.rec.CreateClock(ctx, t.ClientID, transfers.Clock{ID: c.ID, VirtualTime: c.VirtualTime, CreatedAt: t.Now}); err != nil {
		return Clock{}, service.StoreError(err)
	}
	return c, nil
}

// AdvanceClock is /sandbox/transfer/test_clock/advance: the clock's
// virtual time moves to to, never back.
func (s *Service) AdvanceClock(ctx context.Context, t service.Tenant, id string, to time.Time) *plaid.Error {
	err := s.rec.AdvanceClock(ctx, t.ClientID, id, to.UTC())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return unknown("test_clock_id", id)
	case errors.Is(err, transfers.ErrBackwards):
		return plaid.InvalidField("new_virtual_time must not be before the test clock's virtual_time: a test clock only moves forward")
	case err != nil:
		return service.StoreError(err)
	}
	return nil
}

// GetClock is /sandbox/transfer/test_clock/get.
func (s *Service) GetClock(ctx context.Context, t service.Tenant, id string) (Clock, *plaid.Error) {
	at, e := s.clockTime(ctx, t, id)
	if e != nil {
		return Clock{}, e
	}
	return Clock{ID: id, VirtualTime: at}, nil
}

// Clocks is /sandbox/transfer/test_clock/list: the client's test clocks
// whose virtual time is within the page's dates, newest first.
func (s *Service) Clocks(ctx context.Context, t service.Tenant, p Page) ([]Clock, *plaid.Error) {
	kept, err := s.rec.Clocks(ctx, t.ClientID)
	if err != nil {
		return nil, service.StoreError(err)
	}
	var out []Clock
	for _, k := range kept {
		if p.within(k.VirtualTime) {
			out = append(out, Clock{ID: k.ID, VirtualTime: k.VirtualTime})
		}
	}
	page, _ := cut(out, p, DefaultCount)
	return page, nil
}
