package dataservice_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/dataservice"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
)

// TestBalance checks /accounts/balance/get's rules: which accounts, which
// errors, and that only a successful call is billed.
func TestBalance(t *testing.T) {
	data, svc, st := newService(t)
	ctx := context.Background()
	tn := service.Tenant{ClientID: "c", Now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	richItem(t, st, tn, "it", "access-good", []string{"transactions"}, "0000", "3333")
	richItem(t, st, tn, "bad", "access-bad", []string{"transactions"}, "0000", "3333")
	raw, _ := json.Marshal(plaid.ItemLoginRequired())
	if _, err := st.SetItemError(ctx, "c", "bad", raw); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		q    dataservice.BalanceQuery
		// want is the error code, or "" with the accounts answered.
		want     string
		accounts []string
	}{
		{"all", dataservice.BalanceQuery{AccessToken: "access-good"}, "", []string{"it-0000", "it-3333"}},
		{"one", dataservice.BalanceQuery{AccessToken: "access-good", AccountIDs: []string{"it-3333"}}, "", []string{"it-3333"}},
		{"min met", dataservice.BalanceQuery{AccessToken: "access-good", MinLastUpdated: "2025-03-01T11:00:00Z"}, "", []string{"it-0000", "it-3333"}},
		{"unknown account", dataservice.BalanceQuery{AccessToken: "access-good", AccountIDs: []string{"it-0000", "bad-0000"}}, "INVALID_ACCOUNT_ID", nil},
		{"min not a time", dataservice.BalanceQuery{AccessToken: "access-good", MinLastUpdated: "2025-03-01"}, "INVALID_FIELD", nil},
		{"no token", dataservice.BalanceQuery{}, "MISSING_FIELDS", nil},
		{"unknown token", dataservice.BalanceQuery{AccessToken: "access-nope"}, "INVALID_ACCESS_TOKEN", nil},
		{"another client's token", dataservice.BalanceQuery{AccessToken: "access-other"}, "INVALID_ACCESS_TOKEN", nil},
		{"login required", dataservice.BalanceQuery{AccessToken: "access-bad"}, "ITEM_LOGIN_REQUIRED", nil},
	}
	richItem(t, st, service.Tenant{ClientID: "d", Now: tn.Now}, "other", "access-other", []string{"transactions"}, "0000", "3333")
	billed := 0
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.RequestID = "req" + strings.Repeat("x", i)
			d, e := data.Balance(ctx, tn, tt.q)
			if tt.want != "" {
				if e == nil || e.ErrorCode != tt.want {
					t.Errorf("Balance = %v, want %s", e, tt.want)
				}
				return
			}
			billed++
			var got []string
			for _, a := range d.Accounts {
				got = append(got, a.ID)
			}
			if e != nil || strings.Join(got, " ") != strings.Join(tt.accounts, " ") {
				t.Errorf("Balance = %v, %v; want %v", got, e, tt.accounts)
			}
		})
	}
	events, e := svc.BillingEvents(ctx, tn, "")
	if e != nil || len(events) != billed {
		t.Fatalf("%d billed calls (%v), want %d", len(events), e, billed)
	}
	for _, ev := range events {
		if ev.ItemID != "it" || ev.Billable != "balance" || ev.FeeModel != "per_request" || ev.Endpoint != "/accounts/balance/get" || !strings.HasPrefix(ev.RequestID, "req") {
			t.Errorf("billed call %+v", ev)
		}
	}
}
