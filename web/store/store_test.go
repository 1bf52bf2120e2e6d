package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/web/store"
)

// TestConnectOnce checks that of many concurrent connections of one Item
// exactly one wins, keeps only the chosen accounts and stores its token.
func TestConnectOnce(t *testing.T) {
	ctx := context.Background()
	s := store.NewMemory()
	it := store.Item{ID: "item", Accounts: []store.Account{{ID: "a"}, {ID: "b"}}, CreatedAt: time.Now()}
	if err := s.CreateItem(ctx, it); err != nil {
		t.Fatal(err)
	}
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- s.ConnectItem(ctx, "item", []string{"b"}, store.PublicToken{Token: string(rune('A' + i)), ItemID: "item"})
		})
	}
	wg.Wait()
	close(errs)
	won := 0
	for err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, store.ErrConnected):
			t.Fatalf("unexpected error %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d connections won, want 1", won)
	}
	got, err := s.Item(ctx, "item")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Connected || len(got.Accounts) != 1 || got.Accounts[0].ID != "b" {
		t.Fatalf("item after connect: %+v", got)
	}
	if _, err := s.Item(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown item: %v, want ErrNotFound", err)
	}
	if err := s.ConnectItem(ctx, "nope", nil, store.PublicToken{}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("connect unknown item: %v, want ErrNotFound", err)
	}
}
