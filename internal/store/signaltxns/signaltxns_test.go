package signaltxns_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/signaltxns"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// TestTxns keeps an evaluation, its reports, its re-evaluation, and
// checks tenancy, an unknown ID, a gone Item and the client's reset.
func TestTxns(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", Accounts: []store.Account{{ID: "a"}}, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	txns := signaltxns.New(s)
	in := signaltxns.Txn{ClientID: "c", ID: "tx1", ItemID: "item", AccountID: "a", Amount: 12.5, Evaluation: json.RawMessage(`{"s":1}`), EvaluatedAt: now}
	if err := txns.Evaluate(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := txns.Evaluate(ctx, signaltxns.Txn{ClientID: "c", ID: "tx2", ItemID: "nope", Evaluation: json.RawMessage(`{}`), EvaluatedAt: now}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("evaluation on an unknown Item: %v", err)
	}
	for _, tc := range []struct {
		name, client, id string
		err              error
	}{{"known", "c", "tx1", nil}, {"other client", "d", "tx1", store.ErrNotFound}, {"unknown id", "c", "tx2", store.ErrNotFound}} {
		if err := txns.ReportDecision(ctx, tc.client, tc.id, json.RawMessage(`{"initiated":true}`)); !errors.Is(err, tc.err) {
			t.Errorf("%s: decision: %v, want %v", tc.name, err, tc.err)
		}
		if err := txns.ReportReturn(ctx, tc.client, tc.id, json.RawMessage(`{"return_code":"R01"}`)); !errors.Is(err, tc.err) {
			t.Errorf("%s: return: %v, want %v", tc.name, err, tc.err)
		}
	}
	got, err := txns.Txn(ctx, "c", "tx1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Amount != 12.5 || got.AccountID != "a" || string(got.Decision) != `{"initiated":true}` || string(got.Return) != `{"return_code":"R01"}` || !got.EvaluatedAt.Equal(now) {
		t.Errorf("kept %+v", got)
	}
	if err := txns.Evaluate(ctx, in); err != nil {
		t.Fatal(err)
	}
	if got, _ := txns.Txn(ctx, "c", "tx1"); got.Decision != nil || got.Return != nil {
		t.Errorf("a re-evaluation kept the reports: %+v", got)
	}
	if err := s.Reset(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := txns.Txn(ctx, "c", "tx1"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after the reset: %v", err)
	}
}
