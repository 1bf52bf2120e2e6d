package assetreports_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/assetreports"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// TestReports stores records and checks tenancy, removal (once), the
// outbox entry queued with a record, the shift of its due time and the
// client's reset.
func TestReports(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	reports := assetreports.New(s)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	due := now.Add(5 * time.Second)
	wh := store.Webhook{ID: "w", ClientID: "c", URL: "http://x", Type: "ASSETS", Code: "PRODUCT_READY", Body: json.RawMessage(`{}`), CreatedAt: now, NextAttemptAt: due}
	if err := reports.Create(ctx, assetreports.Record{Token: "r", ClientID: "c", Kind: assetreports.KindReport, Doc: json.RawMessage(`{"id":"x"}`), CreatedAt: now}, wh); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, client, token string
		err                 error
	}{
		{"own", "c", "r", nil},
		{"another client's", "d", "r", store.ErrNotFound},
		{"unknown", "c", "nope", store.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := reports.Get(ctx, tc.client, tc.token)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if err == nil && (string(r.Doc) != `{"id":"x"}` || r.Kind != assetreports.KindReport || !r.CreatedAt.Equal(now) || r.Removed) {
				t.Errorf("got %+v", r)
			}
		})
	}
	if n, err := reports.ShiftPendingWebhooks(ctx, "d", "ASSETS", now, time.Second); err != nil || n != 0 {
		t.Errorf("another client's shift moved %d %v", n, err)
	}
	if n, err := reports.ShiftPendingWebhooks(ctx, "c", "ASSETS", now, time.Hour); err != nil || n != 1 {
		t.Errorf("shift moved %d %v", n, err)
	}
	if next, ok, err := s.NextWebhookDue(ctx); err != nil || !ok || !next.Equal(now) {
		t.Errorf("next due %v %v %v, want now (never before it)", next, ok, err)
	}
	if ok, err := reports.Remove(ctx, "d", "r", now); ok || err != nil {
		t.Errorf("another client removed the record: %v %v", ok, err)
	}
	if ok, err := reports.Remove(ctx, "c", "r", now); !ok || err != nil {
		t.Errorf("remove: %v %v", ok, err)
	}
	if ok, _ := reports.Remove(ctx, "c", "r", now); ok {
		t.Error("removed twice")
	}
	if r, err := reports.Get(ctx, "c", "r"); err != nil || !r.Removed {
		t.Errorf("removed record: %+v %v", r, err)
	}
	if err := s.Reset(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := reports.Get(ctx, "c", "r"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("reset kept the record: %v", err)
	}
}
