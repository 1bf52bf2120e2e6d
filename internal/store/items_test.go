package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
)

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

// TestRemoveItemOfAnotherClient checks that removing another client's
// Item fails and leaves its accounts.
func TestRemoveItemOfAnotherClient(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", Accounts: []store.Account{{ID: "a"}}, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			if err := s.RemoveItem(ctx, "d", "item", time.Now(), "test"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("remove another client's item: %v, want ErrNotFound", err)
			}
			if it, err := s.Item(ctx, "c", "item"); err != nil || len(it.Accounts) != 1 {
				t.Fatalf("item after another client's remove: %+v %v", it, err)
			}
			if err := s.RemoveItem(ctx, "c", "item", time.Now(), "test"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Item(ctx, "c", "item"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("removed item: %v", err)
			}
		})
	}
}

// TestManyRows checks what the statements of many rows keep, across the
// limit on bound parameters per statement: an Item's accounts in order,
// and a record's callbacks numbered after the session's, in order.
func TestManyRows(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			for _, n := range []int{1, 12, 13, 40} {
				id := fmt.Sprint("item", n)
				it := store.Item{ID: id, ClientID: "c", CreatedAt: time.Now()}
				for i := range n {
					it.Accounts = append(it.Accounts, store.Account{ID: fmt.Sprint(id, "-", i), Name: fmt.Sprint("Account ", i), Custom: json.RawMessage(`{"i":1}`)})
				}
				if err := s.CreateItem(ctx, it); err != nil {
					t.Fatal(err)
				}
				got, err := s.Item(ctx, "c", id)
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Accounts) != n {
					t.Fatalf("%d accounts kept, want %d", len(got.Accounts), n)
				}
				for i, a := range got.Accounts {
					if a.ID != it.Accounts[i].ID || a.Name != it.Accounts[i].Name || string(a.Custom) != `{"i":1}` {
						t.Fatalf("account %d is %+v, want %+v", i, a, it.Accounts[i])
					}
				}
			}
			sess := store.Session{ID: "many", ClientID: "c", StartedAt: time.Now()}
			want := 0
			for _, n := range []int{1, 16, 17, 40} {
				var cbs []store.Callback
				for range n {
					want++
					cbs = append(cbs, store.Callback{Name: store.OnEvent, EventID: fmt.Sprint("e", want), EventName: "E", Timestamp: "t", Payload: json.RawMessage(`{}`)})
				}
				if err := s.RecordSession(ctx, sess, cbs, time.Time{}, nil); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Session(ctx, "c", "many")
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Callbacks) != want {
				t.Fatalf("%d callbacks kept, want %d", len(got.Callbacks), want)
			}
			for i, c := range got.Callbacks {
				if c.Seq != i+1 || c.EventID != fmt.Sprint("e", i+1) {
					t.Fatalf("callback %d is %+v", i, c)
				}
			}
		})
	}
}
