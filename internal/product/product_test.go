package product

import (
	"slices"
	"testing"

	"github.com/linkharness/linkharness/internal/plaid"
)

func TestRegistryRows(t *testing.T) {
	seen := map[string]bool{}
	hooks := map[string]string{}
	for _, p := range All() {
		if seen[p.Name] {
			t.Errorf("%s has two rows", p.Name)
		}
		seen[p.Name] = true
		if p.Label == "" {
			t.Errorf("%s has no label", p.Name)
		}
		for _, h := range p.Webhooks {
			if other, ok := hooks[h]; ok {
				t.Errorf("webhook type %s belongs to %s and %s", h, other, p.Name)
			}
			hooks[h] = p.Name
		}
		for _, b := range p.Billables {
			if b.Fee != OneTime && b.Fee != Subscription {
				t.Errorf("%s: billable %s has fee model %q", p.Name, b.Name, b.Fee)
			}
		}
		if p.NoAccountsCode != "" {
			if _, ok := plaid.Lookup(p.NoAccountsCode); !ok {
				t.Errorf("%s: %s is not in the error catalogue", p.Name, p.NoAccountsCode)
			}
		}
		if p.Alone && p.MultiItem {
			t.Errorf("%s stands alone and works with Multi-Item Link", p.Name)
		}
	}
}

func TestFits(t *testing.T) {
	tests := []struct {
		typ, subtype string
		products     []string
		want         bool
	}{
		{"depository", "checking", []string{"auth", "transactions"}, true},
		{"depository", "cd", []string{"auth"}, false},
		{"depository", "cd", []string{"transactions"}, true},
		{"credit", "credit card", []string{"liabilities", "transactions"}, true},
		{"investment", "ira", []string{"transactions"}, false},
		{"investment", "401k", []string{"investments", "identity"}, true},
		{"loan", "student", []string{"signal"}, false},
		{"loan", "mortgage", []string{"balance"}, true},
		{"loan", "mortgage", []string{"no_such_product"}, true},
		{"depository", "savings", []string{"transfer"}, true},
	}
	for _, tt := range tests {
		if got := Fits(tt.typ, tt.subtype, tt.products); got != tt.want {
			t.Errorf("Fits(%s/%s, %v) = %v, want %v", tt.typ, tt.subtype, tt.products, got, tt.want)
		}
	}
}

func TestLookups(t *testing.T) {
	if p, ok := OfWebhook("HOLDINGS"); !ok || p.Name != "investments" {
		t.Errorf("OfWebhook(HOLDINGS) = %s, %v", p.Name, ok)
	}
	if _, ok := OfWebhook("ITEM"); ok {
		t.Error("ITEM webhooks belong to a product")
	}
	if got := Label("income_verification"); got != "Income Verification" {
		t.Errorf("Label = %q", got)
	}
	if got := Label("investments_transactions"); got != "Investments Transactions" {
		t.Errorf("Label of a billable = %q", got)
	}
	alone := Names(func(p Product) bool { return p.Alone })
	if !slices.Equal(alone, []string{"payment_initiation", "identity_verification"}) {
		t.Errorf("alone products %v", alone)
	}
	auth, _ := Lookup("auth")
	if e := auth.NoAccounts(); e.ErrorCode != "NO_AUTH_ACCOUNTS" {
		t.Errorf("auth's no-accounts error %s", e.ErrorCode)
	}
	sig, _ := Lookup("signal")
	if e := sig.NoAccounts(); e.ErrorCode != "PRODUCTS_NOT_SUPPORTED" {
		t.Errorf("signal's no-accounts error %s", e.ErrorCode)
	}
}

func TestTransferAndAuthNeedCheckingOrSavings(t *testing.T) {
	for _, p := range []string{"auth", "transfer"} {
		if !Fits("depository", "savings", []string{p}) || Fits("depository", "cd", []string{p}) {
			t.Errorf("%s fits the wrong accounts", p)
		}
	}
	if !Fits("credit", "credit card", []string{"assets"}) {
		t.Errorf("assets should take any account")
	}
}

// TestBilledCalls checks the per-request products: Balance bills each
// /accounts/balance/get, and a per-request product bills nothing per Item.
func TestBilledCalls(t *testing.T) {
	tests := []struct {
		endpoint, product string
		ok                bool
	}{
		{"/accounts/balance/get", "balance", true},
		{"/accounts/get", "", false},
		{"/auth/get", "", false},
	}
	for _, tt := range tests {
		p, ok := OfBilledCall(tt.endpoint)
		if ok != tt.ok || p.Name != tt.product {
			t.Errorf("OfBilledCall(%s) = %s, %v; want %s, %v", tt.endpoint, p.Name, ok, tt.product, tt.ok)
		}
	}
	for _, p := range All() {
		if len(p.BilledCalls) > 0 && len(p.Billables) > 0 {
			t.Errorf("%s is billed per request and per Item", p.Name)
		}
	}
}
