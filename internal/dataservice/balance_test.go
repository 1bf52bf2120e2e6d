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
	"github.com/linkharness/linkharness/internal/store"
)

// item stores an Item of the tenant with a checking and a credit card
// account and the given access token.
func item(t *testing.T, st *store.DB, tn service.Tenant, id, access string) {
	t.Helper()
	if err := st.CreateItem(context.Background(), store.Item{ID: id, ClientID: tn.ClientID, AccessToken: access, InstitutionID: "ins_109508",
		Products: []string{"transactions"}, Connected: true, CreatedAt: tn.Now,
		Accounts: []store.Account{{ID: id + "-chk", Mask: "0000", Type: "depository", Subtype: "checking"}, {ID: id + "-cc", Mask: "3333", Type: "credit", Subtype: "credit card"}}}); err != nil {
		t.Fatal(err)
	}
}

// TestBalance checks /accounts/balance/get's rules: which accounts, which
// errors, and that only a successful call is billed.
func TestBalance(t *testing.T) {
	data, svc, st := newService(t)
	ctx := context.Background()
	tn := service.Tenant{ClientID: "c", Now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	item(t, st, tn, "it", "access-good")
	item(t, st, tn, "bad", "access-bad")
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
		{"all", dataservice.BalanceQuery{AccessToken: "access-good"}, "", []string{"it-chk", "it-cc"}},
		{"one", dataservice.BalanceQuery{AccessToken: "access-good", AccountIDs: []string{"it-cc"}}, "", []string{"it-cc"}},
		{"min met", dataservice.BalanceQuery{AccessToken: "access-good", MinLastUpdated: "2025-03-01T11:00:00Z"}, "", []string{"it-chk", "it-cc"}},
		{"unknown account", dataservice.BalanceQuery{AccessToken: "access-good", AccountIDs: []string{"it-chk", "bad-chk"}}, "INVALID_ACCOUNT_ID", nil},
		{"min not a time", dataservice.BalanceQuery{AccessToken: "access-good", MinLastUpdated: "2025-03-01"}, "INVALID_FIELD", nil},
		{"no token", dataservice.BalanceQuery{}, "MISSING_FIELDS", nil},
		{"unknown token", dataservice.BalanceQuery{AccessToken: "access-nope"}, "INVALID_ACCESS_TOKEN", nil},
		{"another client's token", dataservice.BalanceQuery{AccessToken: "access-other"}, "INVALID_ACCESS_TOKEN", nil},
		{"login required", dataservice.BalanceQuery{AccessToken: "access-bad"}, "ITEM_LOGIN_REQUIRED", nil},
	}
	item(t, st, service.Tenant{ClientID: "d", Now: tn.Now}, "other", "access-other")
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
