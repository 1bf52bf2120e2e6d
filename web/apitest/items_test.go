package apitest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/spec"
)

// TestAccessTokenInvalidate rotates an Item's access token with plaid-go:
// the new one reaches the same Item, the old one fails from then on.
func TestAccessTokenInvalidate(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	ex := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_AUTH}, "Plaid Checking")
	invalidate := func(token string) (plaid.ItemAccessTokenInvalidateResponse, error) {
		out, _, err := e.plaid.ItemAccessTokenInvalidate(ctx).ItemAccessTokenInvalidateRequest(*plaid.NewItemAccessTokenInvalidateRequest(token)).Execute()
		return out, err
	}
	rot, err := invalidate(ex.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rot.NewAccessToken, "access-sandbox-") || rot.NewAccessToken == ex.AccessToken {
		t.Errorf("new access token %q", rot.NewAccessToken)
	}
	checkRequestID(t, "/item/access_token/invalidate", rot.RequestId)
	item, _, err := e.plaid.ItemGet(ctx).ItemGetRequest(*plaid.NewItemGetRequest(rot.NewAccessToken)).Execute()
	if err != nil || item.Item.ItemId != ex.ItemId {
		t.Fatalf("/item/get with the new token: %+v %v", item.Item, err)
	}
	if auth, _, err := e.plaid.AuthGet(ctx).AuthGetRequest(*plaid.NewAuthGetRequest(rot.NewAccessToken)).Execute(); err != nil || len(auth.Numbers.Ach) != 1 {
		t.Errorf("/auth/get with the new token: %+v %v", auth, err)
	}
	_, _, err = e.plaid.ItemGet(ctx).ItemGetRequest(*plaid.NewItemGetRequest(ex.AccessToken)).Execute()
	wantPlaidError(t, "the old token", err, "INVALID_ACCESS_TOKEN")
	_, err = invalidate(ex.AccessToken)
	wantPlaidError(t, "the old token rotated again", err, "INVALID_ACCESS_TOKEN")
	_, err = invalidate("access-sandbox-00000000-0000-4000-8000-000000000000")
	wantPlaidError(t, "unknown token", err, "INVALID_ACCESS_TOKEN")
	lt := e.kit.Must(t, "/link/token/create", map[string]any{"client_name": "App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "u"}, "products": []string{"auth"}})["link_token"].(string)
	_, err = invalidate(lt)
	wantPlaidError(t, "a link token", err, "INVALID_ACCESS_TOKEN")

	// An Item needing login rotates too: nothing is read at the bank.
	e.kit.Must(t, "/sandbox/item/reset_login", map[string]any{"access_token": rot.NewAccessToken})
	again := e.conforms(t, doc, "/item/access_token/invalidate", map[string]any{"access_token": rot.NewAccessToken})
	newer := again["new_access_token"].(string)
	_, _, err = e.plaid.AccountsGet(ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(newer)).Execute()
	wantPlaidError(t, "the Item is still in error", err, "ITEM_LOGIN_REQUIRED")

	if _, _, err := e.plaid.ItemRemove(ctx).ItemRemoveRequest(*plaid.NewItemRemoveRequest(newer)).Execute(); err != nil {
		t.Fatal(err)
	}
	_, err = invalidate(newer)
	wantPlaidError(t, "removed Item", err, "INVALID_ACCESS_TOKEN")
}

// TestProductsTerminate ends Items with /item/products/terminate (which
// plaid-go v20 does not know: raw JSON): reason_code is required and
// checked, the access token stops working and the subscriptions' billing
// ends.
func TestProductsTerminate(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	ex := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_TRANSACTIONS, plaid.PRODUCTS_AUTH}, "Plaid Checking")
	tests := []struct {
		name string
		body map[string]any
		code string
	}{
		{"no reason", map[string]any{"access_token": ex.AccessToken}, "MISSING_FIELDS"},
		{"unknown reason", map[string]any{"access_token": ex.AccessToken, "reason_code": "BORED"}, "INVALID_FIELD"},
		{"long note", map[string]any{"access_token": ex.AccessToken, "reason_code": "OTHER", "reason_note": strings.Repeat("x", 513)}, "INVALID_FIELD"},
	}
	for _, tt := range tests {
		e.fails(t, doc, tt.name, "/item/products/terminate", tt.body, tt.code)
	}
	out := e.conforms(t, doc, "/item/products/terminate", map[string]any{"access_token": ex.AccessToken, "reason_code": "USER_OFFBOARDING", "reason_note": "closed"})
	checkRequestID(t, "/item/products/terminate", out["request_id"].(string))
	_, _, err := e.plaid.ItemGet(ctx).ItemGetRequest(*plaid.NewItemGetRequest(ex.AccessToken)).Execute()
	wantPlaidError(t, "terminated Item", err, "INVALID_ACCESS_TOKEN")
	e.fails(t, doc, "terminated twice", "/item/products/terminate", map[string]any{"access_token": ex.AccessToken, "reason_code": "OTHER"}, "INVALID_ACCESS_TOKEN")
	pairs, entries := e.ledger(t, ex.ItemId)
	if !slices.Equal(pairs, []string{"transactions/subscription", "auth/one_time"}) {
		t.Fatalf("ledger %v", pairs)
	}
	if entries[0]["ended_at"] == nil || entries[1]["ended_at"] != nil {
		t.Errorf("ledger after terminate: %v, want the subscription ended", entries)
	}
}

// TestItemActivityAndApplications lists an Item's activity and connected
// applications with plaid-go: empty, spec-valid, bound to the token.
func TestItemActivityAndApplications(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	ex := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_AUTH}, "Plaid Checking")

	actReq := plaid.NewItemActivityListRequest()
	actReq.SetAccessToken(ex.AccessToken)
	actReq.SetCount(50)
	act, _, err := e.plaid.ItemActivityList(ctx).ItemActivityListRequest(*actReq).Execute()
	if err != nil || len(act.Activities) != 0 || len(act.LastDataAccessTimes) != 0 {
		t.Errorf("/item/activity/list %+v %v", act, err)
	}
	checkRequestID(t, "/item/activity/list", act.RequestId)
	e.conforms(t, doc, "/item/activity/list", map[string]any{"access_token": ex.AccessToken})

	appReq := plaid.NewItemApplicationListRequest()
	appReq.SetAccessToken(ex.AccessToken)
	apps, _, err := e.plaid.ItemApplicationList(ctx).ItemApplicationListRequest(*appReq).Execute()
	if err != nil || len(apps.Applications) != 0 {
		t.Errorf("/item/application/list %+v %v", apps, err)
	}
	e.conforms(t, doc, "/item/application/list", map[string]any{"access_token": ex.AccessToken})
	e.conforms(t, doc, "/item/application/list", map[string]any{})

	for _, tt := range []struct {
		name, path string
		body       map[string]any
		code       string
	}{
		{"activity: no token", "/item/activity/list", map[string]any{}, "MISSING_FIELDS"},
		{"activity: count 51", "/item/activity/list", map[string]any{"access_token": ex.AccessToken, "count": 51}, "INVALID_FIELD"},
		{"activity: count 0", "/item/activity/list", map[string]any{"access_token": ex.AccessToken, "count": 0}, "INVALID_FIELD"},
		{"activity: a cursor it never gave", "/item/activity/list", map[string]any{"access_token": ex.AccessToken, "cursor": "abc"}, "INVALID_FIELD"},
	} {
		e.fails(t, doc, tt.name, tt.path, tt.body, tt.code)
	}
}

// TestItemEndpointsTokens calls the Item endpoints that read nothing at
// the bank with each kind of token that names no Item (unknown, link,
// public, processor, a removed Item's): INVALID_ACCESS_TOKEN, the error
// validated against the spec. An Item whose login is required is served,
// as /item/remove serves it: listing its activity and applications and
// ending it need no login. plaid-go v20 knows all but
// /item/products/terminate, which goes as raw JSON.
func TestItemEndpointsTokens(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	removed, broken := e.removedAndBroken(t, "auth")
	cases := e.accessTokenCases(t, removed, broken, "")
	for _, ep := range []struct {
		path string
		call func(token string) error
	}{
		{"/item/activity/list", func(token string) error {
			req := plaid.NewItemActivityListRequest()
			req.SetAccessToken(token)
			_, _, err := e.plaid.ItemActivityList(ctx).ItemActivityListRequest(*req).Execute()
			return err
		}},
		{"/item/application/list", func(token string) error {
			req := plaid.NewItemApplicationListRequest()
			req.SetAccessToken(token)
			_, _, err := e.plaid.ItemApplicationList(ctx).ItemApplicationListRequest(*req).Execute()
			return err
		}},
		// Last: it ends the Item in error.
		{"/item/products/terminate", func(token string) error {
			return e.call(t, doc, "/item/products/terminate", map[string]any{"access_token": token, "reason_code": "OTHER"})
		}},
	} {
		for _, tt := range cases {
			wantCase(t, ep.path, tt, ep.call(tt.token))
		}
	}
	_, _, err := e.plaid.ItemGet(ctx).ItemGetRequest(*plaid.NewItemGetRequest(broken)).Execute()
	wantPlaidError(t, "an Item in error, terminated", err, "INVALID_ACCESS_TOKEN")
}
