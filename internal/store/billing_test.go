package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/store"
)

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
					bill := []store.BillingEvent{{ID: fmt.Sprintf("e%d", i), ClientID: "c", ItemID: "item", Product: p, Billable: p, FeeModel: product.OneTime}}
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
