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
