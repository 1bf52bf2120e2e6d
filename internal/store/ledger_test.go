package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// perRequest is the fee model of a call billed per request
// (product.PerRequest).
const perRequest = "per_request"

// TestLedger checks the billing ledger's two kinds of entry: per-Item
// billables, whose subscriptions end with the Item, and calls billed per
// request, one entry a call, all outliving the Item.
func TestLedger(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", CreatedAt: t0}); err != nil {
				t.Fatal(err)
			}
			bill := []store.BillingEvent{
				{ID: "sub", ClientID: "c", ItemID: "item", Product: "transactions", Billable: "transactions", FeeModel: product.Subscription, BilledAt: t0},
				{ID: "once", ClientID: "c", ItemID: "item", Product: "auth", Billable: "auth", FeeModel: product.OneTime, BilledAt: t0},
			}
			if _, err := s.AddItemProduct(ctx, "c", "item", "transactions", bill); err != nil {
				t.Fatal(err)
			}
			for i, req := range []string{"req-1", "req-2"} {
				if err := s.BillRequest(ctx, store.BillingEvent{ID: req, ClientID: "c", ItemID: "item", Product: "balance", Endpoint: "/accounts/balance/get",
					RequestID: req, Reason: "call", BilledAt: t0.Add(time.Duration(i+1) * time.Minute)}); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.BillRequest(ctx, store.BillingEvent{ID: "other", ClientID: "d", ItemID: "item", Product: "balance", BilledAt: t0}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("a call billed on another client's Item: %v, want ErrNotFound", err)
			}
			ended := t0.Add(time.Hour)
			if err := s.RemoveItem(ctx, "c", "item", ended, "/item/products/terminate: OTHER"); err != nil {
				t.Fatal(err)
			}
			if err := s.BillRequest(ctx, store.BillingEvent{ID: "late", ClientID: "c", ItemID: "item", Product: "balance", BilledAt: ended}); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("a call billed on a removed Item: %v, want ErrNotFound", err)
			}
			events, err := s.BillingEvents(ctx, "c", "item")
			if err != nil {
				t.Fatal(err)
			}
			want := []struct {
				id, billable, fee, requestID string
				ended                        time.Time
			}{
				{"sub", "transactions", product.Subscription, "", ended},
				{"once", "auth", product.OneTime, "", time.Time{}},
				{"req-1", "balance", perRequest, "req-1", time.Time{}},
				{"req-2", "balance", perRequest, "req-2", time.Time{}},
			}
			if len(events) != len(want) {
				t.Fatalf("ledger %+v, want %d entries", events, len(want))
			}
			for i, w := range want {
				e := events[i]
				if e.ID != w.id || e.Billable != w.billable || e.FeeModel != w.fee || e.RequestID != w.requestID || !e.EndedAt.Equal(w.ended) {
					t.Errorf("entry %d: %+v, want %+v", i, e, w)
				}
			}
			if all, err := s.BillingEvents(ctx, "c", ""); err != nil || len(all) != len(want) {
				t.Errorf("whole ledger: %d entries (%v)", len(all), err)
			}
			if other, err := s.BillingEvents(ctx, "d", ""); err != nil || len(other) != 0 {
				t.Errorf("another client's ledger: %+v (%v)", other, err)
			}
		})
	}
}

// TestRotateAccessToken checks that rotating an access token moves the
// Item to the new one, leaves the old one naming nothing, and lets only
// one of concurrent rotations of a token win.
func TestRotateAccessToken(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", AccessToken: "access-old", Accounts: []store.Account{{ID: "a"}}, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.RotateAccessToken(ctx, "d", "access-old", "access-x"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("another client's token: %v, want ErrNotFound", err)
			}
			it, err := s.RotateAccessToken(ctx, "c", "access-old", "access-new")
			if err != nil || it.ID != "item" || it.AccessToken != "access-new" || len(it.Accounts) != 1 {
				t.Fatalf("rotated: %+v %v", it, err)
			}
			if _, err := s.ItemByAccessToken(ctx, "c", "access-old"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("old token: %v, want ErrNotFound", err)
			}
			onlyOneWins(t, store.ErrNotFound, func(i int) error {
				_, err := s.RotateAccessToken(ctx, "c", "access-new", "access-"+string(rune('a'+i)))
				return err
			})
		})
	}
}

// TestMigrateFromVersion4 opens a data file made by schema version 4,
// which had no billed_requests and billing_ends, and bills and ends
// there.
func TestMigrateFromVersion4(t *testing.T) {
	ctx := context.Background()
	path := storeAt(t, 4)
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := s.BillRequest(ctx, store.BillingEvent{ID: "r", ClientID: "c", ItemID: "item", Product: "balance", BilledAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveItem(ctx, "c", "item", time.Now(), "/item/remove"); err != nil {
		t.Fatal(err)
	}
	if ev, err := s.BillingEvents(ctx, "c", ""); err != nil || len(ev) != 1 || ev[0].FeeModel != perRequest {
		t.Errorf("ledger %+v %v", ev, err)
	}
}
