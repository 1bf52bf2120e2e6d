package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/payments"
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

// TestOneExpiryRule checks that public and payment tokens follow the one
// rule of use and expiry at its edge, in SQL and in Go alike: a token
// works until just before its ExpiresAt and not at it, and one used
// before says so rather than that it expired.
func TestOneExpiryRule(t *testing.T) {
	expires := time.UnixMilli(1_700_000_000_000).UTC()
	before := expires.Add(-time.Nanosecond)
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", Connected: true, CreatedAt: expires.Add(-time.Hour)}); err != nil {
				t.Fatal(err)
			}
			if err := s.CreatePublicToken(ctx, store.PublicToken{Token: "p", ClientID: "c", ItemID: "item", ExpiresAt: expires}); err != nil {
				t.Fatal(err)
			}
			seedPayment(t, s, expires.Add(-time.Hour))
			if err := payments.New(s).CreateToken(ctx, payments.Token{Token: "t", ClientID: "c", PaymentID: "p", ExpiresAt: expires}); err != nil {
				t.Fatal(err)
			}
			exchange := func(at time.Time) error { _, _, err := s.ExchangePublicToken(ctx, "c", "p", at, "access"); return err }
			use := func(at time.Time) error { _, err := payments.New(s).UseToken(ctx, "c", "t", at); return err }
			lookup := func(at time.Time) error { _, err := s.PublicToken(ctx, "c", "p", at); return err }
			steps := []struct {
				name string
				do   func(time.Time) error
				at   time.Time
				want error
			}{
				{"look up a public token at its expiry", lookup, expires, store.ErrExpired},
				{"exchange a public token at its expiry", exchange, expires, store.ErrExpired},
				{"exchange a public token just before", exchange, before, nil},
				{"exchange it again at its expiry", exchange, expires, store.ErrUsed},
				{"look up the exchanged token before its expiry", lookup, before, nil},
				{"use a payment token at its expiry", use, expires, store.ErrExpired},
				{"use a payment token just before", use, before, nil},
				{"use it again at its expiry", use, expires, store.ErrUsed},
			}
			for _, st := range steps {
				if err := st.do(st.at); !errors.Is(err, st.want) {
					t.Errorf("%s: %v, want %v", st.name, err, st.want)
				}
			}
		})
	}
	for _, tt := range []struct {
		name    string
		expired func(time.Time) bool
	}{
		{"link token", store.LinkToken{ExpiresAt: expires}.Expired},
		{"public token", store.PublicToken{ExpiresAt: expires}.Expired},
		{"payment token", payments.Token{ExpiresAt: expires}.Expired},
		{"OAuth login", store.OAuthState{ExpiresAt: expires}.Expired},
	} {
		if tt.expired(before) || !tt.expired(expires) {
			t.Errorf("%s: expired just before its expiry %v, at it %v; want false, true", tt.name, tt.expired(before), tt.expired(expires))
		}
	}
}
