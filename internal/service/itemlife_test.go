package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

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

// TestTerminateRules checks /item/products/terminate's reason rules
// before it ends anything.
func TestTerminateRules(t *testing.T) {
	svc, st := newService(t)
	ctx := context.Background()
	tn := service.Tenant{ClientID: "c", Now: time.Now()}
	item(t, st, tn, "it", "access-good")
	tests := []struct {
		name, token, reason, note, want string
	}{
		{"no token", "", "OTHER", "", "MISSING_FIELDS"},
		{"no reason", "access-good", "", "", "MISSING_FIELDS"},
		{"unknown reason", "access-good", "other", "", "INVALID_FIELD"},
		{"long note", "access-good", "OTHER", strings.Repeat("é", 513), "INVALID_FIELD"},
		{"unknown token", "access-nope", "OTHER", "", "INVALID_ACCESS_TOKEN"},
		{"terminated", "access-good", "DUPLICATE_ITEM", strings.Repeat("é", 512), ""},
		{"terminated twice", "access-good", "OTHER", "", "INVALID_ACCESS_TOKEN"},
	}
	for _, tt := range tests {
		e := svc.TerminateItem(ctx, tn, tt.token, tt.reason, tt.note)
		if tt.want == "" && e != nil || tt.want != "" && (e == nil || e.ErrorCode != tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, e, tt.want)
		}
	}
}

// TestInvalidateAccessToken checks that a rotated token names the Item
// no more and the new one does.
func TestInvalidateAccessToken(t *testing.T) {
	svc, st := newService(t)
	ctx := context.Background()
	tn := service.Tenant{ClientID: "c", Now: time.Now()}
	item(t, st, tn, "it", "access-good")
	it, e := svc.InvalidateAccessToken(ctx, tn, "access-good")
	if e != nil || it.ID != "it" || !strings.HasPrefix(it.AccessToken, "access-sandbox-") {
		t.Fatalf("InvalidateAccessToken = %+v, %v", it, e)
	}
	if _, e := svc.ItemByAccessToken(ctx, tn, "access-good"); e == nil || e.ErrorCode != "INVALID_ACCESS_TOKEN" {
		t.Errorf("old token: %v", e)
	}
	if got, e := svc.ItemByAccessToken(ctx, tn, it.AccessToken); e != nil || got.ID != "it" {
		t.Errorf("new token: %+v %v", got, e)
	}
	if _, e := svc.InvalidateAccessToken(ctx, service.Tenant{ClientID: "d", Now: tn.Now}, it.AccessToken); e == nil || e.ErrorCode != "INVALID_ACCESS_TOKEN" {
		t.Errorf("another client's token: %v", e)
	}
}
