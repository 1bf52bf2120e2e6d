package transfers_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
	"github.com/linkharness/linkharness/internal/store/transfers"
)

func open(t *testing.T) (*store.DB, *transfers.Store) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, transfers.New(s)
}

// TestAuthorizeIdempotency stores authorizations with and without a key:
// the same key gives the first authorization back until it expires, and
// another client's key is its own.
func TestAuthorizeIdempotency(t *testing.T) {
	ctx := context.Background()
	_, tr := open(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	a := transfers.Authorization{ClientID: "c", ID: "a1", IdempotencyKey: "k", CreatedAt: now, Doc: json.RawMessage(`{"n":1}`)}
	got, err := tr.Authorize(ctx, a, now.Add(-48*time.Hour))
	if err != nil || got.ID != "a1" {
		t.Fatalf("first: %+v %v", got, err)
	}
	for _, tc := range []struct {
		name    string
		a       transfers.Authorization
		keyFrom time.Time
		want    string
	}{
		{"the same key", transfers.Authorization{ClientID: "c", ID: "a2", IdempotencyKey: "k", CreatedAt: now.Add(time.Hour), Doc: json.RawMessage(`{}`)}, now.Add(-47 * time.Hour), "a1"},
		{"another client's key", transfers.Authorization{ClientID: "d", ID: "a3", IdempotencyKey: "k", CreatedAt: now, Doc: json.RawMessage(`{}`)}, now, "a3"},
		{"no key", transfers.Authorization{ClientID: "c", ID: "a4", CreatedAt: now, Doc: json.RawMessage(`{}`)}, now, "a4"},
		{"the key expired", transfers.Authorization{ClientID: "c", ID: "a5", IdempotencyKey: "k", CreatedAt: now.Add(49 * time.Hour), Doc: json.RawMessage(`{}`)}, now.Add(time.Hour), "a5"},
	} {
		got, err := tr.Authorize(ctx, tc.a, tc.keyFrom)
		if err != nil || got.ID != tc.want {
			t.Errorf("%s: %+v %v, want %s", tc.name, got, err, tc.want)
		}
	}
	if _, err := tr.Authorization(ctx, "d", "a1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another client's authorization: %v", err)
	}
	if old, err := tr.Authorization(ctx, "c", "a1"); err != nil || old.IdempotencyKey != "" {
		t.Errorf("the authorization whose key expired: %+v %v", old, err)
	}
}

// TestTransferLifecycle creates a transfer from an authorization (once),
// changes it with events numbered per client and a balance moved, and
// refuses a change of a transfer read before another change.
func TestTransferLifecycle(t *testing.T) {
	ctx := context.Background()
	s, tr := open(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", Accounts: []store.Account{{ID: "acc", Mask: "0000", Type: "depository", Subtype: "checking"}}, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Authorize(ctx, transfers.Authorization{ClientID: "c", ID: "auth", CreatedAt: now, Doc: json.RawMessage(`{}`)}, now); err != nil {
		t.Fatal(err)
	}
	pending := json.RawMessage(`{"status":"pending"}`)
	tf := transfers.Transfer{ClientID: "c", ID: "t1", AuthorizationID: "auth", IdempotencyKey: "key", CreatedAt: now, Doc: pending}
	ev := transfers.Event{TransferID: "t1", At: now, Doc: json.RawMessage(`{"event_type":"pending"}`)}
	hook := store.Webhook{ID: "w1", ClientID: "c", URL: "http://127.0.0.1/hook", Type: "TRANSFER", Code: "TRANSFER_EVENTS_UPDATE", Body: json.RawMessage(`{}`), CreatedAt: now}
	if err := tr.Create(ctx, tf, ev, hook); err != nil {
		t.Fatal(err)
	}
	again := tf
	again.ID, again.IdempotencyKey = "t2", ""
	if err := tr.Create(ctx, again, ev); !errors.Is(err, transfers.ErrUsed) {
		t.Errorf("a second transfer from the authorization: %v", err)
	}
	if a, err := tr.Authorization(ctx, "c", "auth"); err != nil || a.UsedBy != "t1" {
		t.Errorf("the used authorization %+v %v", a, err)
	}
	for name, get := range map[string]func() (transfers.Transfer, error){
		"by id":            func() (transfers.Transfer, error) { return tr.Transfer(ctx, "c", "t1") },
		"by key":           func() (transfers.Transfer, error) { return tr.TransferByKey(ctx, "c", "key") },
		"by authorization": func() (transfers.Transfer, error) { return tr.TransferByAuthorization(ctx, "c", "auth") },
	} {
		if got, err := get(); err != nil || got.ID != "t1" {
			t.Errorf("%s: %+v %v", name, got, err)
		}
	}
	if _, err := tr.Transfer(ctx, "d", "t1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another client's transfer: %v", err)
	}

	settled := json.RawMessage(`{"status":"settled"}`)
	change := transfers.Change{TransferID: "t1", Was: pending, Doc: settled, ItemID: "item", AccountID: "acc", Moved: -12.34,
		Events: []transfers.Event{{TransferID: "t1", At: now, Doc: json.RawMessage(`{"event_type":"posted"}`)}, {TransferID: "t1", At: now, Doc: json.RawMessage(`{"event_type":"settled"}`)}}}
	if err := tr.Apply(ctx, "c", []transfers.Change{change}, []transfers.Sweep{{ID: "sw", CreatedAt: now, Doc: json.RawMessage(`{}`)}}); err != nil {
		t.Fatal(err)
	}
	if err := tr.Apply(ctx, "c", []transfers.Change{change}, nil); !errors.Is(err, transfers.ErrChanged) {
		t.Errorf("a change of a transfer read before: %v", err)
	}
	it, err := s.Item(ctx, "c", "item")
	if err != nil || it.Accounts[0].Moved != -12.34 {
		t.Errorf("the account after settlement: %+v %v", it.Accounts, err)
	}
	evs, err := tr.Events(ctx, "c", 0, 0)
	if err != nil || len(evs) != 3 {
		t.Fatalf("events %+v %v", evs, err)
	}
	for i, ev := range evs {
		if ev.ID != int64(i+1) {
			t.Errorf("event %d has ID %d", i, ev.ID)
		}
	}
	if page, err := tr.Events(ctx, "c", 1, 1); err != nil || len(page) != 1 || page[0].ID != 2 {
		t.Errorf("the page after 1: %+v %v", page, err)
	}
	if other, err := tr.Events(ctx, "d", 0, 0); err != nil || len(other) != 0 {
		t.Errorf("another client's events: %+v %v", other, err)
	}
	if sw, err := tr.Sweeps(ctx, "c"); err != nil || len(sw) != 1 {
		t.Errorf("sweeps %+v %v", sw, err)
	}
	if err := s.Reset(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if evs, _ := tr.Events(ctx, "c", 0, 0); len(evs) != 0 {
		t.Errorf("events after the reset: %d", len(evs))
	}
}

// TestClocks creates, advances and lists test clocks, which never move
// back.
func TestClocks(t *testing.T) {
	ctx := context.Background()
	_, tr := open(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := tr.CreateClock(ctx, "c", transfers.Clock{ID: "clk", VirtualTime: now, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, client string
		to           time.Time
		err          error
	}{
		{"forward", "c", now.Add(24 * time.Hour), nil},
		{"back", "c", now, transfers.ErrBackwards},
		{"another client's", "d", now.Add(48 * time.Hour), store.ErrNotFound},
	} {
		if err := tr.AdvanceClock(ctx, tc.client, "clk", tc.to); !errors.Is(err, tc.err) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.err)
		}
	}
	c, err := tr.Clock(ctx, "c", "clk")
	if err != nil || !c.VirtualTime.Equal(now.Add(24*time.Hour)) {
		t.Errorf("clock %+v %v", c, err)
	}
	if all, err := tr.Clocks(ctx, "c"); err != nil || len(all) != 1 {
		t.Errorf("clocks %+v %v", all, err)
	}
}

// TestTransfersOfClient lists a client's transfers, oldest first, and
// none of another's.
func TestTransfersOfClient(t *testing.T) {
	ctx := context.Background()
	_, tr := open(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, id := range []string{"t1", "t2"} {
		auth := "auth-" + id
		if _, err := tr.Authorize(ctx, transfers.Authorization{ClientID: "c", ID: auth, CreatedAt: now, Doc: json.RawMessage(`{}`)}, now); err != nil {
			t.Fatal(err)
		}
		at := now.Add(time.Duration(i) * time.Minute)
		if err := tr.Create(ctx, transfers.Transfer{ClientID: "c", ID: id, AuthorizationID: auth, CreatedAt: at, Doc: json.RawMessage(`{}`)},
			transfers.Event{TransferID: id, At: at, Doc: json.RawMessage(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := tr.Transfers(ctx, "c")
	if err != nil || len(all) != 2 || all[0].ID != "t1" || all[1].ID != "t2" {
		t.Errorf("transfers %+v %v", all, err)
	}
	if other, err := tr.Transfers(ctx, "d"); err != nil || len(other) != 0 {
		t.Errorf("another client's transfers %+v %v", other, err)
	}
}
