package store_test

import (
	"context"
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

// TestLastDelivered checks which webhook of an Item counts as its last
// delivered one: the newest delivered, not a newer pending or failed one,
// nor another Item's or another client's.
func TestLastDelivered(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			hook := func(id, client, item string, at time.Duration) store.Webhook {
				return store.Webhook{ID: id, ClientID: client, ItemID: item, URL: "http://x", Type: "ITEM", Code: id, Body: []byte(`{}`), CreatedAt: now.Add(at)}
			}
			if _, ok, err := s.LastDelivered(ctx, "c", "item"); err != nil || ok {
				t.Fatalf("before any webhook: %v %v", ok, err)
			}
			if err := s.EnqueueWebhooks(ctx, hook("old", "c", "item", 0), hook("new", "c", "item", time.Second), hook("failed", "c", "item", 2*time.Second),
				hook("pending", "c", "item", 3*time.Second), hook("other-item", "c", "item2", 4*time.Second), hook("other-client", "d", "item", 5*time.Second)); err != nil {
				t.Fatal(err)
			}
			for id, status := range map[string]string{"old": store.WebhookDelivered, "new": store.WebhookDelivered, "failed": store.WebhookFailed,
				"other-item": store.WebhookDelivered, "other-client": store.WebhookDelivered} {
				if err := s.FinishAttempt(ctx, id, store.Attempt{N: 1, StartedAt: now, StatusCode: 200}, status, now); err != nil {
					t.Fatal(err)
				}
			}
			for _, tc := range []struct{ client, item, want string }{{"c", "item", "new"}, {"c", "item2", "other-item"}, {"d", "item", "other-client"}, {"d", "item2", ""}} {
				h, ok, err := s.LastDelivered(ctx, tc.client, tc.item)
				if err != nil || ok != (tc.want != "") || h.ID != tc.want {
					t.Errorf("%s's %s: %q %v %v, want %q", tc.client, tc.item, h.ID, ok, err, tc.want)
				}
			}
		})
	}
}
