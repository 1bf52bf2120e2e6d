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

// TestItemStatus checks the Item ItemStatus reads by its access token, and
// which of its webhooks counts as its last delivered one: the newest
// delivered, not a newer pending or failed one, nor another Item's or
// another client's.
func TestItemStatus(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			for _, it := range []store.Item{
				{ID: "item", ClientID: "c", AccessToken: "access-1", InstitutionID: "ins_1", Products: []string{"auth"}, Webhook: "http://x",
					Accounts: []store.Account{{ID: "a"}}, Error: json.RawMessage(`{"error_code":"X"}`), CreatedAt: now.Truncate(time.Millisecond)},
				{ID: "item2", ClientID: "c", AccessToken: "access-2", CreatedAt: now},
				{ID: "item3", ClientID: "d", AccessToken: "access-3", CreatedAt: now},
			} {
				if err := s.CreateItem(ctx, it); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, ok, err := s.ItemStatus(ctx, "c", "access-1"); err != nil || ok {
				t.Fatalf("before any webhook: %v %v", ok, err)
			}
			hook := func(id, client, item string, at time.Duration) store.Webhook {
				return store.Webhook{ID: id, ClientID: client, ItemID: item, URL: "http://x", Type: "ITEM", Code: id, Body: []byte(`{}`), CreatedAt: now.Add(at)}
			}
			if err := s.EnqueueWebhooks(ctx, hook("old", "c", "item", 0), hook("new", "c", "item", time.Second), hook("failed", "c", "item", 2*time.Second),
				hook("pending", "c", "item", 3*time.Second), hook("other-item", "c", "item2", 4*time.Second), hook("other-client", "d", "item", 5*time.Second)); err != nil {
				t.Fatal(err)
			}
			for id, status := range map[string]string{"old": store.WebhookDelivered, "new": store.WebhookDelivered, "failed": store.WebhookFailed,
				"other-item": store.WebhookDelivered, "other-client": store.WebhookDelivered} {
				if err := s.FinishAttempt(ctx, id, store.Attempt{N: 1, StartedAt: now.Add(time.Duration(len(id)) * time.Second), StatusCode: 200}, status, now); err != nil {
					t.Fatal(err)
				}
			}
			for _, tc := range []struct{ client, token, item, want string }{
				{"c", "access-1", "item", "new"}, {"c", "access-2", "item2", "other-item"}, {"d", "access-3", "item3", ""}} {
				it, d, ok, err := s.ItemStatus(ctx, tc.client, tc.token)
				if err != nil || it.ID != tc.item || it.ClientID != tc.client || ok != (tc.want != "") || d.Code != tc.want {
					t.Errorf("%s's %s: %s, %+v %v %v, want %s and %q", tc.client, tc.token, it.ID, d, ok, err, tc.item, tc.want)
				}
				if want := now.Add(time.Duration(len(tc.want)) * time.Second).Truncate(time.Millisecond); ok && !d.DeliveredAt.Equal(want) {
					t.Errorf("%s delivered at %v, want %v", tc.want, d.DeliveredAt, want)
				}
			}
			got, _, _, err := s.ItemStatus(ctx, "c", "access-1")
			want, err2 := s.Item(ctx, "c", "item")
			if err != nil || err2 != nil {
				t.Fatal(err, err2)
			}
			want.Accounts = nil
			if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want); g != w {
				t.Errorf("ItemStatus's Item %s, want Item's without accounts %s", g, w)
			}
			for _, tc := range []struct{ client, token string }{{"d", "access-1"}, {"c", "access-3"}, {"c", "nope"}} {
				if _, _, _, err := s.ItemStatus(ctx, tc.client, tc.token); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("%s's %s: %v, want ErrNotFound", tc.client, tc.token, err)
				}
			}
		})
	}
}
