package web_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

func codes(hooks []map[string]any) []string {
	var out []string
	for _, h := range hooks {
		out = append(out, h["webhook_code"].(string))
	}
	return out
}

// TestMultiItemLink runs Multi-Item Link sessions on the server as the
// engine does and checks the webhooks a real receiver gets: ITEM_ADD_RESULT
// per Item, SESSION_FINISHED exactly once with the right status and public
// tokens; then the Auth/Transfer recipe of Plaid's Multi-Item Link guide
// (https://plaid.com/docs/link/multi-item-link/).
func TestMultiItemLink(t *testing.T) {
	srv := newAPI(t, web.Options{})
	hooks := testkit.NewReceiver(t, as(srv, &alice))
	userToken := must(t, srv, &alice, "/user/create", map[string]any{"client_user_id": "multi"})["user_token"].(string)
	token := linkToken(t, srv, &alice, map[string]any{"enable_multi_item_link": true, "user_token": userToken,
		"webhook": hooks.URL, "products": []string{"transactions"}, "optional_products": []string{"auth"}})
	open := func(session string) {
		status, out := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: token, LinkSessionID: session})
		if status != 200 || out["config"].(map[string]any)["multi_item"] != true {
			t.Fatalf("open: %d %v", status, out)
		}
	}
	record := func(session string, success bool) {
		req := protocol.SessionRecordRequest{LinkToken: token, LinkSessionID: session}
		if success {
			req.Success = &protocol.RecordedSuccess{PublicToken: "", Metadata: json.RawMessage(`{"institution":null,"accounts":[],"link_session_id":"` + session + `"}`)}
		} else {
			req.Exit = &protocol.RecordedExit{Metadata: json.RawMessage(`{"status":"institution_not_found","link_session_id":"` + session + `"}`)}
		}
		if status, out := post(t, srv, protocol.PathSessionRecord, req); status != 200 {
			t.Fatalf("record: %d %v", status, out)
		}
	}

	// Three Items, then Finish.
	open("ls-three")
	items := []struct{ institution, account string }{{"ins_109508", "Plaid Checking"}, {"ins_109512", "Plaid Saving"}, {"ins_109509", "Plaid Credit Card"}}
	var tokens []string
	for _, it := range items {
		tokens = append(tokens, connectAt(t, srv, token, "ls-three", it.institution, []string{it.account}))
	}
	record("ls-three", true)
	record("ls-three", false) // a late exit changes nothing
	// One Item, then exit; and none, then exit.
	open("ls-one")
	one := connectAt(t, srv, token, "ls-one", "ins_109508", []string{"Plaid Checking"})
	record("ls-one", false)
	open("ls-none")
	record("ls-none", false)

	// The receiver gets them all, in whatever order delivery takes; the
	// outbox keeps the order they were made in.
	hooks.WaitFor(t, 7, "LINK", "")
	if got := hooks.Received("LINK", ""); len(got) != 7 {
		t.Errorf("%d LINK webhooks received, want 7", len(got))
	}
	testkit.Eventually(t, testkit.Timeout, "the deliveries recorded", func() bool {
		n := 0
		for _, w := range must(t, srv, &alice, "/linkharness/webhooks/list", map[string]any{})["webhooks"].([]any) {
			if w := w.(map[string]any); w["webhook_type"] == "LINK" && w["status"] == "delivered" {
				n++
			}
		}
		return n == 7
	})
	bySession := map[string][]map[string]any{}
	for _, session := range []string{"ls-three", "ls-one", "ls-none"} {
		for _, w := range must(t, srv, &alice, "/linkharness/webhooks/list", map[string]any{"link_session_id": session})["webhooks"].([]any) {
			w := w.(map[string]any)
			if w["webhook_type"] != "LINK" {
				continue
			}
			var h map[string]any
			raw, _ := json.Marshal(w["body"])
			json.Unmarshal(raw, &h)
			bySession[session] = append(bySession[session], h)
			if w["status"] != "delivered" || h["link_token"] != token || h["environment"] != "sandbox" || h["item_id"] != nil {
				t.Errorf("webhook %v", w)
			}
		}
	}
	tests := []struct {
		session string
		codes   []string
		status  string
		tokens  []string
	}{
		{"ls-three", []string{"ITEM_ADD_RESULT", "ITEM_ADD_RESULT", "ITEM_ADD_RESULT", "SESSION_FINISHED"}, "SUCCESS", tokens},
		{"ls-one", []string{"ITEM_ADD_RESULT", "SESSION_FINISHED"}, "EXITED", []string{one}},
		{"ls-none", []string{"SESSION_FINISHED"}, "EXITED", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.session, func(t *testing.T) {
			hs := bySession[tt.session]
			if !slices.Equal(codes(hs), tt.codes) {
				t.Fatalf("codes %v, want %v", codes(hs), tt.codes)
			}
			for i, h := range hs[:len(hs)-1] {
				if h["public_token"] != tt.tokens[i] {
					t.Errorf("ITEM_ADD_RESULT %d: %v, want %s", i, h["public_token"], tt.tokens[i])
				}
			}
			fin := hs[len(hs)-1]
			first := ""
			if len(tt.tokens) > 0 {
				first = tt.tokens[0]
			}
			if fin["status"] != tt.status || !slices.Equal(strs(fin["public_tokens"]), tt.tokens) || fin["public_token"] != first {
				t.Errorf("SESSION_FINISHED %v", fin)
			}
		})
	}

	// /link/token/get: every Item in item_add_results; on_success holds
	// one token only, as Plaid's docs warn.
	var three map[string]any
	for _, ls := range must(t, srv, &alice, "/link/token/get", map[string]any{"link_token": token})["link_sessions"].([]any) {
		if ls.(map[string]any)["link_session_id"] == "ls-three" {
			three = ls.(map[string]any)
		}
	}
	if three["on_success"].(map[string]any)["public_token"] != tokens[0] {
		t.Errorf("on_success %v", three["on_success"])
	}
	results := three["results"].(map[string]any)["item_add_results"].([]any)
	if len(results) != 3 {
		t.Fatalf("item_add_results %v", results)
	}

	// The Auth/Transfer recipe: find checking or savings accounts, then
	// auth in item.products, then /auth/get.
	eligible := map[string]bool{}
	for i, r := range results {
		r := r.(map[string]any)
		if r["institution"].(map[string]any)["institution_id"] != items[i].institution || r["public_token"] != tokens[i] {
			t.Errorf("result %d: %v", i, r)
		}
		paymentAccount := false
		for _, a := range r["accounts"].([]any) {
			a := a.(map[string]any)
			if _, ok := a["verification_status"]; !ok || a["mask"] == nil {
				t.Errorf("account %v", a)
			}
			paymentAccount = paymentAccount || a["subtype"] == "checking" || a["subtype"] == "savings"
		}
		ex := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": r["public_token"]})
		item := must(t, srv, &alice, "/item/get", map[string]any{"access_token": ex["access_token"]})["item"].(map[string]any)
		hasAuth := slices.Contains(strs(item["products"]), "auth")
		if paymentAccount && hasAuth {
			eligible[items[i].institution] = true
			if out := must(t, srv, &alice, "/auth/get", map[string]any{"access_token": ex["access_token"]}); len(out["numbers"].(map[string]any)["ach"].([]any)) != 1 {
				t.Errorf("/auth/get %v", out)
			}
		}
	}
	// Houndstooth Bank has no Instant Auth; the credit card is no payment
	// account.
	if len(eligible) != 1 || !eligible["ins_109508"] {
		t.Errorf("eligible Items %v, want First Platypus Bank's only", eligible)
	}
}

// TestNoLinkWebhooksOutsideMultiItem checks that, as at Plaid, a session
// of an ordinary link token sends no LINK webhooks.
func TestNoLinkWebhooksOutsideMultiItem(t *testing.T) {
	srv := newAPI(t, web.Options{})
	hooks := testkit.NewReceiver(t, as(srv, &alice))
	token := linkToken(t, srv, &alice, map[string]any{"webhook": hooks.URL})
	session, _ := linkFlow(t, srv, token)
	testkit.Eventually(t, testkit.Timeout, "SYNC_UPDATES_AVAILABLE", func() bool { return hooks.Count() >= 1 })
	list := must(t, srv, &alice, "/linkharness/webhooks/list", map[string]any{"link_session_id": session})["webhooks"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["webhook_type"] != "TRANSACTIONS" || len(hooks.Received("LINK", "")) != 0 {
		t.Errorf("webhooks %v", list)
	}
}
