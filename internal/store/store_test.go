package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// stores opens one store of each kind linkharness runs on: in memory, in
// a file, and in a file through connections that run batches and have no
// transactions, as D1's (the edge's).
func stores(t *testing.T) map[string]*store.DB {
	t.Helper()
	batch := openBatchStore(t)
	t.Cleanup(func() { batch.Close() })
	out := map[string]*store.DB{"batch": batch}
	for name, path := range map[string]string{"memory": sqlite.Memory, "file": filepath.Join(t.TempDir(), "state.db")} {
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[name] = s
	}
	return out
}

// onlyOneWins runs f 16 times at once and checks that exactly one call
// succeeds and every other fails with lose.
func onlyOneWins(t *testing.T, lose error, f func(i int) error) {
	t.Helper()
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() { errs <- f(i) })
	}
	wg.Wait()
	close(errs)
	won := 0
	for err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, lose):
			t.Fatalf("unexpected error %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d calls won, want 1", won)
	}
}

// TestConnectOnce checks that of many concurrent connections of one Item
// exactly one wins, keeps only the chosen accounts and stores its token.
func TestConnectOnce(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			it := store.Item{ID: "item", ClientID: "c", InstitutionID: "ins_1", Accounts: []store.Account{{ID: "a"}, {ID: "b"}}, CreatedAt: time.Now()}
			if err := s.CreateItem(ctx, it); err != nil {
				t.Fatal(err)
			}
			onlyOneWins(t, store.ErrConnected, func(i int) error {
				return s.ConnectItem(ctx, "c", "item", store.Connection{AccountIDs: []string{"b"}, PublicToken: store.PublicToken{Token: string(rune('A' + i)), ClientID: "c", ItemID: "item"}})
			})
			got, err := s.Item(ctx, "c", "item")
			if err != nil {
				t.Fatal(err)
			}
			if !got.Connected || len(got.Accounts) != 1 || got.Accounts[0].ID != "b" {
				t.Fatalf("item after connect: %+v", got)
			}
			if _, err := s.Item(ctx, "other-client", "item"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("another client's item: %v, want ErrNotFound", err)
			}
			if err := s.ConnectItem(ctx, "c", "nope", store.Connection{}); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("connect unknown item: %v, want ErrNotFound", err)
			}
		})
	}
}

// TestExchangeOnce checks that of many concurrent exchanges of one public
// token exactly one succeeds, and that expiry and tenancy hold.
func TestExchangeOnce(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", Connected: true, CreatedAt: now}); err != nil {
				t.Fatal(err)
			}
			for _, tok := range []string{"p1", "p2"} {
				if err := s.CreatePublicToken(ctx, store.PublicToken{Token: tok, ClientID: "c", ItemID: "item", CreatedAt: now, ExpiresAt: now.Add(time.Minute)}); err != nil {
					t.Fatal(err)
				}
			}
			onlyOneWins(t, store.ErrUsed, func(int) error {
				_, err := s.ExchangePublicToken(ctx, "c", "p1", now, "access-1")
				return err
			})
			tests := []struct {
				name, client, token string
				at                  time.Time
				want                error
			}{
				{"another client", "d", "p2", now, store.ErrNotFound},
				{"expired", "c", "p2", now.Add(time.Minute), store.ErrExpired},
				{"unknown", "c", "p3", now, store.ErrNotFound},
			}
			for _, tt := range tests {
				if _, err := s.ExchangePublicToken(ctx, tt.client, tt.token, tt.at, "access-2"); !errors.Is(err, tt.want) {
					t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
				}
			}
			it, err := s.ExchangePublicToken(ctx, "c", "p2", now, "access-2")
			if err != nil || it.AccessToken != "access-1" {
				t.Fatalf("second token of the item: %v, access token %q, want the first one", err, it.AccessToken)
			}
		})
	}
}

// TestWebhookClaims checks that a due webhook is claimed by one worker
// only, and that attempts are kept.
func TestWebhookClaims(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			if err := s.EnqueueWebhooks(ctx, store.Webhook{ID: "w", ClientID: "c", URL: "http://x", Type: "ITEM", Code: "X", Body: []byte(`{}`), CreatedAt: now}); err != nil {
				t.Fatal(err)
			}
			first, err := s.ClaimDueWebhooks(ctx, now, time.Minute, 10)
			if err != nil || len(first) != 1 {
				t.Fatalf("first claim: %v %v", first, err)
			}
			if again, err := s.ClaimDueWebhooks(ctx, now, time.Minute, 10); err != nil || len(again) != 0 {
				t.Fatalf("second claim while leased: %v %v", again, err)
			}
			if err := s.FinishAttempt(ctx, "w", store.Attempt{N: 1, StartedAt: now, StatusCode: 500}, store.WebhookPending, now.Add(time.Second)); err != nil {
				t.Fatal(err)
			}
			if due, ok, err := s.NextWebhookDue(ctx); err != nil || !ok || !due.Equal(now.Add(time.Second).Truncate(time.Millisecond)) {
				t.Fatalf("next due %v %v %v", due, ok, err)
			}
			list, err := s.Webhooks(ctx, "c", store.WebhookFilter{})
			if err != nil || len(list) != 1 || len(list[0].Attempts) != 1 || list[0].Attempts[0].StatusCode != 500 {
				t.Fatalf("webhooks: %+v %v", list, err)
			}
			if other, _ := s.Webhooks(ctx, "d", store.WebhookFilter{}); len(other) != 0 {
				t.Fatal("another client sees the webhook")
			}
		})
	}
}
