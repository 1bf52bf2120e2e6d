package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
)

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
				_, _, err := s.ExchangePublicToken(ctx, "c", "p1", now, "access-1")
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
				if _, _, err := s.ExchangePublicToken(ctx, tt.client, tt.token, tt.at, "access-2"); !errors.Is(err, tt.want) {
					t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
				}
			}
			itemID, access, err := s.ExchangePublicToken(ctx, "c", "p2", now, "access-2")
			if err != nil || itemID != "item" || access != "access-1" {
				t.Fatalf("second token of the item: %v, item %q, access token %q, want item and the first one", err, itemID, access)
			}
			if it, err := s.ItemByAccessToken(ctx, "c", "access-1"); err != nil || it.ID != "item" {
				t.Fatalf("the item by its access token: %+v %v", it, err)
			}
		})
	}
}
