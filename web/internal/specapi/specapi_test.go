package specapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/internal/store"
)

func TestBody(t *testing.T) {
	op := &spec.Operation{Method: "POST", Path: "/x", ResponseType: "application/json", Examples: []spec.Example{{Value: json.RawMessage(`{
		"item_id": "example-item", "request_id": "example",
		"accounts": [{"account_id": "a1"}, {"account_id": "a2"}, {"account_id": "a1"}],
		"account_ids": ["a2"],
		"date": "2020-01-10", "created": "2020-01-05T10:00:00Z", "note": "2020-01-10 is not alone"}`)}}}
	it := &store.Item{ID: "item-1", Accounts: []store.Account{{ID: "acc-1"}, {ID: "acc-2"}}}
	now := time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)
	var got map[string]any
	if err := json.Unmarshal(Body(op, "req-1", it, now), &got); err != nil {
		t.Fatal(err)
	}
	accounts := got["accounts"].([]any)
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"request_id", got["request_id"], "req-1"},
		{"item_id", got["item_id"], "item-1"},
		// Keys in order: account_ids names a2 first, the Item's first
		// account; the accounts' a1 is then its second.
		{"account_ids", got["account_ids"].([]any)[0], "acc-1"},
		{"first account", accounts[0].(map[string]any)["account_id"], "acc-2"},
		{"second account", accounts[1].(map[string]any)["account_id"], "acc-1"},
		{"the same example account again", accounts[2].(map[string]any)["account_id"], "acc-2"},
		{"the latest date is today", got["date"], "2026-12-02"},
		{"a date-time keeps its distance and time of day", got["created"], "2026-11-27T10:00:00Z"},
		{"text is not a date", got["note"], "2020-01-10 is not alone"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	var plain map[string]any
	json.Unmarshal(Body(op, "req-2", nil, time.Time{}), &plain)
	if plain["item_id"] != "example-item" || plain["date"] != "2020-01-10" {
		t.Errorf("without an Item or a clock the example is kept: %v", plain)
	}
}

func TestOperation(t *testing.T) {
	tests := []struct {
		method, path string
		want         bool
	}{
		{"POST", "/accounts/balance/get", true},
		{"GET", "/fdx/recipient/abc", true},
		{"POST", "/fdx/recipient/abc", false},
		{"POST", "/no/such/path", false},
		{"POST", "/transactions/recurring/deactivate", true}, // a spec path without operations
	}
	for _, tt := range tests {
		if _, ok := Operation(tt.method, tt.path); ok != tt.want {
			t.Errorf("Operation(%s %s) = %v, want %v", tt.method, tt.path, ok, tt.want)
		}
	}
}
