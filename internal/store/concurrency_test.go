package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
)

// TestOAuthStateOnce checks that an OAuth login is decided, used and
// resumed once each, also when many try at once, and the errors of the
// others.
func TestOAuthStateOnce(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			for _, id := range []string{"st", "pending"} {
				if err := s.CreateOAuthState(ctx, store.OAuthState{ID: id, ClientID: "c", LinkSessionID: "sess", InstitutionID: "ins_1",
					Status: "pending", RedirectURI: "https://app.example/oauth", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			onlyOneWins(t, store.ErrUsed, func(int) error { return s.DecideOAuthState(ctx, "st", "approved", []string{"auth"}) })
			onlyOneWins(t, store.ErrUsed, func(int) error {
				_, err := s.UseOAuthState(ctx, "c", "st")
				return err
			})
			onlyOneWins(t, store.ErrUsed, func(int) error {
				_, err := s.ResumeOAuthState(ctx, "c", "st")
				return err
			})
			st, err := s.OAuthState(ctx, "st")
			if err != nil || !st.Used || !st.Resumed || st.Status != "approved" || !slices.Equal(st.GrantedProducts, []string{"auth"}) {
				t.Fatalf("state after all: %+v %v", st, err)
			}
			tests := []struct {
				name string
				f    func() error
				want error
			}{
				{"decide unknown", func() error { return s.DecideOAuthState(ctx, "nope", "approved", nil) }, store.ErrNotFound},
				{"use unknown", func() error { _, err := s.UseOAuthState(ctx, "c", "nope"); return err }, store.ErrNotFound},
				{"use another client's", func() error { _, err := s.UseOAuthState(ctx, "d", "st"); return err }, store.ErrNotFound},
				{"use pending", func() error { _, err := s.UseOAuthState(ctx, "c", "pending"); return err }, store.ErrNotFound},
				{"resume another client's", func() error { _, err := s.ResumeOAuthState(ctx, "d", "pending"); return err }, store.ErrNotFound},
				{"resume unknown", func() error { _, err := s.ResumeOAuthState(ctx, "c", "nope"); return err }, store.ErrNotFound},
			}
			for _, tt := range tests {
				if err := tt.f(); !errors.Is(err, tt.want) {
					t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
				}
			}
		})
	}
}

// TestRecordSessionConcurrently checks that callbacks recorded at once
// into one session are all kept, numbered 1, 2, 3, ... without a gap or
// a repeat, each record's callbacks together and in order; and that of
// records finishing the session at once exactly one queues the webhooks
// of the finish, for the public tokens the session issued.
func TestRecordSessionConcurrently(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			sess := store.Session{ID: "sess", ClientID: "c", LinkToken: "link", StartedAt: now}
			const n, per = 16, 3
			record := func(i int, finishedAt time.Time, finish store.FinishHook) {
				var cbs []store.Callback
				for j := range per {
					cbs = append(cbs, store.Callback{Name: store.OnEvent, EventName: fmt.Sprintf("E%d-%d", i, j), Payload: json.RawMessage(`{}`)})
				}
				if err := s.RecordSession(ctx, sess, cbs, finishedAt, finish); err != nil {
					t.Error(err)
				}
			}
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { record(i, time.Time{}, nil) })
			}
			wg.Wait()

			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", LinkSessionID: "sess", CreatedAt: now}); err != nil {
				t.Fatal(err)
			}
			if err := s.CreatePublicToken(ctx, store.PublicToken{Token: "pt", ClientID: "c", ItemID: "item", LinkSessionID: "sess",
				CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			var made atomic.Int64
			finish := func(tokens []string) []store.Webhook {
				body, _ := json.Marshal(tokens)
				return []store.Webhook{{ID: fmt.Sprintf("w%d", made.Add(1)), ClientID: "c", LinkSessionID: "sess", URL: "http://x",
					Type: "LINK", Code: "SESSION_FINISHED", Body: body, CreatedAt: now}}
			}
			for i := range n {
				wg.Go(func() { record(n+i, now, finish) })
			}
			wg.Wait()

			got, err := s.Session(ctx, "c", "sess")
			if err != nil {
				t.Fatal(err)
			}
			if got.FinishedAt.IsZero() {
				t.Error("session not finished")
			}
			if len(got.Callbacks) != 2*n*per {
				t.Fatalf("%d callbacks, want %d", len(got.Callbacks), 2*n*per)
			}
			for k, c := range got.Callbacks {
				if c.Seq != k+1 {
					t.Fatalf("callback %d has seq %d", k, c.Seq)
				}
				var i, j int
				fmt.Sscanf(c.EventName, "E%d-%d", &i, &j)
				if j != k%per {
					t.Fatalf("callback %d is %s: a record's callbacks are split", k, c.EventName)
				}
			}
			hooks, err := s.Webhooks(ctx, "c", store.WebhookFilter{LinkSessionID: "sess"})
			if err != nil {
				t.Fatal(err)
			}
			if len(hooks) != 1 || string(hooks[0].Body) != `["pt"]` {
				t.Fatalf("finish webhooks %+v, want one for [pt]", hooks)
			}
		})
	}
}

// TestAddItemProductConcurrently checks that products added at once are
// all kept, each once, and billed once.
func TestAddItemProductConcurrently(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", Products: []string{"auth"}, BilledProducts: []string{"auth"}, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			products := []string{"identity", "transactions", "liabilities", "investments"}
			var wg sync.WaitGroup
			for i := range 16 {
				p := products[i%len(products)]
				wg.Go(func() {
					bill := []store.BillingEvent{{ID: fmt.Sprintf("e%d", i), ClientID: "c", ItemID: "item", Product: p, Billable: p, FeeModel: store.OneTimeFee}}
					if _, err := s.AddItemProduct(ctx, "c", "item", p, bill); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			it, err := s.Item(ctx, "c", "item")
			if err != nil {
				t.Fatal(err)
			}
			want := append([]string{"auth"}, products...)
			for _, list := range [][]string{it.Products, it.BilledProducts} {
				got := slices.Clone(list)
				slices.Sort(got)
				w := slices.Sorted(slices.Values(want))
				if !slices.Equal(got, w) {
					t.Errorf("products %v, want %v once each", list, want)
				}
			}
			if ev, err := s.BillingEvents(ctx, "c", "item"); err != nil || len(ev) != len(products) {
				t.Errorf("%d billing events (%v), want %d", len(ev), err, len(products))
			}
			if _, err := s.AddItemProduct(ctx, "d", "item", "auth", nil); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("another client's item: %v, want ErrNotFound", err)
			}
		})
	}
}

// TestAdvanceClockConcurrently checks that advances made at once all
// count and each returns a different offset.
func TestAdvanceClockConcurrently(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			const n = 16
			offsets := make(chan time.Duration, n)
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					off, err := s.AdvanceClock(ctx, "c", time.Second)
					if err != nil {
						t.Error(err)
					}
					offsets <- off
				})
			}
			wg.Wait()
			close(offsets)
			var got []time.Duration
			for off := range offsets {
				got = append(got, off)
			}
			slices.Sort(got)
			for i, off := range got {
				if off != time.Duration(i+1)*time.Second {
					t.Fatalf("offsets %v, want 1s to %ds", got, n)
				}
			}
		})
	}
}

// TestRemoveItemOfAnotherClient checks that removing another client's
// Item fails and leaves its accounts.
func TestRemoveItemOfAnotherClient(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", Accounts: []store.Account{{ID: "a"}}, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			if err := s.RemoveItem(ctx, "d", "item"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("remove another client's item: %v, want ErrNotFound", err)
			}
			if it, err := s.Item(ctx, "c", "item"); err != nil || len(it.Accounts) != 1 {
				t.Fatalf("item after another client's remove: %+v %v", it, err)
			}
			if err := s.RemoveItem(ctx, "c", "item"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Item(ctx, "c", "item"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("removed item: %v", err)
			}
		})
	}
}
