package web

// An internal test: besides the API over HTTP it drives linkTokenPayment,
// which the engine's endpoints call, and reads the store.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store/payments"
	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/wasm/protocol"
)

var (
	payAlice = Client{ClientID: "alice", Secret: "alice-secret", PublicKey: "alice-key"}
	payBob   = Client{ClientID: "bob", Secret: "bob-secret", PublicKey: "bob-key"}
)

// payEnv is a server with alice and bob, over HTTP and in-process.
type payEnv struct {
	t   *testing.T
	s   *Server
	srv *httptest.Server
	kit *testkit.Client // with no credentials
}

func newPayEnv(t *testing.T) *payEnv {
	t.Helper()
	s := New(Options{Clients: []Client{payAlice, payBob},
		Webhooks: WebhookOptions{Backoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, MaxAttempts: 10}})
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	return &payEnv{t: t, s: s, srv: srv, kit: testkit.New(srv.URL, "", "")}
}

// as is a testkit Client of the server as c.
func (e *payEnv) as(c Client) *testkit.Client { return e.kit.As(c.ClientID, c.Secret) }

// post POSTs body as JSON with no credentials and decodes the answer.
func (e *payEnv) post(path string, body any) (int, map[string]any) {
	e.t.Helper()
	return e.kit.Call(e.t, path, body)
}

// api POSTs body to a Plaid API path as c.
func (e *payEnv) api(c Client, path string, body map[string]any) (int, map[string]any) {
	e.t.Helper()
	return e.as(c).Call(e.t, path, body)
}

// must is api that fails the test unless the answer is 200.
func (e *payEnv) must(c Client, path string, body map[string]any) map[string]any {
	e.t.Helper()
	return e.as(c).Must(e.t, path, body)
}

// payment makes a recipient and a payment of 12.34 GBP to it as c.
func (e *payEnv) payment(c Client) (recipientID, paymentID string) {
	e.t.Helper()
	recipientID = e.must(c, "/payment_initiation/recipient/create", map[string]any{"name": "Wonder Wallet",
		"iban": "GB33BUKB20201555555555"})["recipient_id"].(string)
	paymentID = e.must(c, "/payment_initiation/payment/create", map[string]any{"recipient_id": recipientID,
		"reference": "Order 42", "amount": map[string]any{"currency": "GBP", "value": 12.34}})["payment_id"].(string)
	return recipientID, paymentID
}

// token makes a payment token for the payment as c.
func (e *payEnv) token(c Client, paymentID string) string {
	e.t.Helper()
	return e.must(c, "/payment_initiation/payment/token/create", map[string]any{"payment_id": paymentID})["payment_token"].(string)
}

// openLegacy opens a legacy Payment Initiation session as the engine does
// (Plaid.create({key, paymentToken, token?: public token})), and returns
// the payment Link shows or the error.
func (e *payEnv) openLegacy(c Client, paymentToken, publicToken, sessionID, webhook string) (*protocol.Payment, *protocol.PlaidError) {
	e.t.Helper()
	status, out := e.post(protocol.PathSessionOpen, protocol.SessionOpenRequest{PublicKey: c.PublicKey, PaymentToken: paymentToken,
		PublicToken: publicToken, LinkSessionID: sessionID, Products: []string{"payment_initiation"}, Webhook: webhook})
	raw, _ := json.Marshal(out)
	if status != http.StatusOK {
		var pe protocol.PlaidError
		json.Unmarshal(raw, &pe)
		return nil, &pe
	}
	var resp protocol.SessionOpenResponse
	if err := json.Unmarshal(raw, &resp); err != nil || resp.Config == nil || resp.Config.Payment == nil {
		e.t.Fatalf("session open: %s (%v)", raw, err)
	}
	return resp.Config.Payment, nil
}

// approve runs an OAuth login at the bank for the session and approves
// it, as the bank's page does.
func (e *payEnv) approve(start protocol.OAuthStartRequest) string {
	e.t.Helper()
	status, out := e.post(protocol.PathOAuthStart, start)
	if status != 200 {
		e.t.Fatalf("OAuth start: %d %v", status, out)
	}
	id := out["oauth_state_id"].(string)
	// The bank's page shows the payment as Link showed it.
	page, err := http.Get(e.srv.URL + out["authorize_url"].(string))
	if err != nil {
		e.t.Fatal(err)
	}
	text, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !strings.Contains(string(text), "authorise a payment through Plaid: £12.34 to Wonder Wallet, reference Order 42.") {
		e.t.Errorf("the bank's page does not show the payment:\n%s", text)
	}
	resp, err := http.PostForm(e.srv.URL+protocol.PathOAuthAuthorize, url.Values{"oauth_state_id": {id}, "decision": {"allow"}})
	if err != nil {
		e.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		e.t.Fatalf("the bank's page: %d", resp.StatusCode)
	}
	return id
}

// TestPaymentInitiationAPI walks recipient -> payment -> token -> get and
// checks the answers' fields.
func TestPaymentInitiationAPI(t *testing.T) {
	e := newPayEnv(t)
	address := map[string]any{"street": []string{"96 Guild Street", "9th Floor"}, "city": "London", "postal_code": "SE14 8JW", "country": "GB"}
	created := e.must(payAlice, "/payment_initiation/recipient/create", map[string]any{"name": "Wonder Wallet",
		"iban": "GB33 BUKB 2020 1555 5555 55", "address": address})
	rid, _ := created["recipient_id"].(string)
	if !strings.HasPrefix(rid, "recipient-id-sandbox-") || created["request_id"] == "" {
		t.Fatalf("recipient create: %v", created)
	}
	again := e.must(payAlice, "/payment_initiation/recipient/create", map[string]any{"name": "Wonder Wallet",
		"iban": "GB33BUKB20201555555555", "address": address})
	if again["recipient_id"] != rid {
		t.Errorf("the same recipient again got %v, want %s (the endpoint is idempotent)", again["recipient_id"], rid)
	}
	got := e.must(payAlice, "/payment_initiation/recipient/get", map[string]any{"recipient_id": rid})
	if got["name"] != "Wonder Wallet" || got["iban"] != "GB33BUKB20201555555555" || got["bacs"] != nil ||
		got["address"].(map[string]any)["city"] != "London" {
		t.Errorf("recipient get: %v", got)
	}
	bacs := e.must(payAlice, "/payment_initiation/recipient/create", map[string]any{"name": "Corner Shop",
		"bacs": map[string]any{"account": "26207729", "sort_code": "560029"}})["recipient_id"].(string)
	got = e.must(payAlice, "/payment_initiation/recipient/get", map[string]any{"recipient_id": bacs})
	if got["iban"] != nil || got["address"] != nil || got["bacs"].(map[string]any)["sort_code"] != "560029" {
		t.Errorf("BACS recipient get: %v", got)
	}

	pay := e.must(payAlice, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "reference": "Order 42",
		"amount": map[string]any{"currency": "GBP", "value": 12.34}, "schedule": nil, "options": map[string]any{"scheme": "LOCAL_INSTANT"}})
	pid, _ := pay["payment_id"].(string)
	if !strings.HasPrefix(pid, "payment-id-sandbox-") || pay["status"] != payments.StatusInputNeeded {
		t.Fatalf("payment create: %v", pay)
	}
	got = e.must(payAlice, "/payment_initiation/payment/get", map[string]any{"payment_id": pid})
	if got["payment_token"] != nil || got["payment_token_expiration_time"] != nil {
		t.Errorf("payment without a token: %v", got)
	}

	now := e.must(payAlice, "/linkharness/clock/get", nil)["now"].(string)
	clock, _ := time.Parse(time.RFC3339Nano, now)
	tok := e.must(payAlice, "/payment_initiation/payment/token/create", map[string]any{"payment_id": pid})
	token, _ := tok["payment_token"].(string)
	expires, err := time.Parse(time.RFC3339, tok["payment_token_expiration_time"].(string))
	if !strings.HasPrefix(token, "payment-token-sandbox-") || err != nil || expires.Sub(clock) < 14*time.Minute || expires.Sub(clock) > 16*time.Minute {
		t.Fatalf("token create: %v (clock %s)", tok, now)
	}
	got = e.must(payAlice, "/payment_initiation/payment/get", map[string]any{"payment_id": pid})
	amount := got["amount"].(map[string]any)
	want := map[string]any{"payment_id": pid, "payment_token": token, "payment_token_expiration_time": tok["payment_token_expiration_time"],
		"reference": "Order 42", "status": payments.StatusInputNeeded, "recipient_id": rid, "schedule": nil, "refund_details": nil,
		"bacs": nil, "iban": nil, "adjusted_reference": nil}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("payment get %s = %v, want %v", k, got[k], v)
		}
	}
	if amount["currency"] != "GBP" || amount["value"] != 12.34 || got["last_status_update"] == nil {
		t.Errorf("payment get: %v", got)
	}
	if ids, ok := got["refund_ids"].([]any); !ok || len(ids) != 0 {
		t.Errorf("refund_ids = %v, want []", got["refund_ids"])
	}
	// Another token replaces the first in payment/get.
	second := e.token(payAlice, pid)
	if got := e.must(payAlice, "/payment_initiation/payment/get", map[string]any{"payment_id": pid}); got["payment_token"] != second {
		t.Errorf("payment_token after a second token: %v, want %s", got["payment_token"], second)
	}
}

// TestPaymentInitiationErrors checks Plaid-shaped errors for bad input and
// for another client's or unknown IDs.
func TestPaymentInitiationErrors(t *testing.T) {
	e := newPayEnv(t)
	rid, pid := e.payment(payAlice)
	gbp := func(v any) map[string]any { return map[string]any{"currency": "GBP", "value": v} }
	tests := []struct {
		name string
		c    Client
		path string
		body map[string]any
		code string
		msg  string // a part of error_message
	}{
		{"recipient without name", payAlice, "/payment_initiation/recipient/create", map[string]any{"iban": "GB33BUKB20201555555555"}, "MISSING_FIELDS", "name"},
		{"recipient without account", payAlice, "/payment_initiation/recipient/create", map[string]any{"name": "A"}, "MISSING_FIELDS", "iban or bacs"},
		{"bad IBAN checksum", payAlice, "/payment_initiation/recipient/create", map[string]any{"name": "A", "iban": "GB34BUKB20201555555555"}, "INVALID_FIELD", "iban"},
		{"bad sort code", payAlice, "/payment_initiation/recipient/create", map[string]any{"name": "A", "bacs": map[string]any{"account": "26207729", "sort_code": "56-00-29"}}, "INVALID_FIELD", "sort_code"},
		{"BACS without account", payAlice, "/payment_initiation/recipient/create", map[string]any{"name": "A", "bacs": map[string]any{"sort_code": "560029"}}, "MISSING_FIELDS", "bacs.account"},
		{"address without city", payAlice, "/payment_initiation/recipient/create", map[string]any{"name": "A", "iban": "GB33BUKB20201555555555",
			"address": map[string]any{"street": []string{"1 Road"}, "postal_code": "E1", "country": "GB"}}, "MISSING_FIELDS", "address.city"},
		{"lower-case country", payAlice, "/payment_initiation/recipient/create", map[string]any{"name": "A", "iban": "GB33BUKB20201555555555",
			"address": map[string]any{"street": []string{"1 Road"}, "city": "London", "postal_code": "E1", "country": "gb"}}, "INVALID_FIELD", "address.country"},
		{"unknown recipient", payAlice, "/payment_initiation/recipient/get", map[string]any{"recipient_id": "recipient-id-sandbox-nope"}, "INVALID_FIELD", "recipient_id"},
		{"another client's recipient", payBob, "/payment_initiation/recipient/get", map[string]any{"recipient_id": rid}, "INVALID_FIELD", "recipient_id"},
		{"payment without amount", payAlice, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "reference": "r"}, "MISSING_FIELDS", "amount"},
		{"payment without reference", payAlice, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "amount": gbp(1)}, "MISSING_FIELDS", "reference"},
		{"reference too long", payAlice, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "reference": "abcdefghij0123456789", "amount": gbp(1)}, "INVALID_FIELD", "18"},
		{"reference with punctuation", payAlice, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "reference": "Order #42", "amount": gbp(1)}, "INVALID_FIELD", "letters, digits and spaces"},
		{"three decimals", payAlice, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "reference": "r", "amount": gbp(1.234)}, "INVALID_FIELD", "two decimals"},
		{"zero amount", payAlice, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "reference": "r", "amount": gbp(0)}, "INVALID_FIELD", "at least 1"},
		{"amount as a string", payAlice, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "reference": "r", "amount": gbp("5")}, "INVALID_FIELD", "amount.value"},
		{"dollars", payAlice, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "reference": "r", "amount": map[string]any{"currency": "USD", "value": 5}}, "INVALID_FIELD", "amount.currency"},
		{"zloty", payAlice, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "reference": "r", "amount": map[string]any{"currency": "PLN", "value": 5}}, "INVALID_FIELD", "GBP or EUR"},
		{"another client's recipient's payment", payBob, "/payment_initiation/payment/create", map[string]any{"recipient_id": rid, "reference": "r", "amount": gbp(5)}, "INVALID_FIELD", "recipient_id"},
		{"token without payment", payAlice, "/payment_initiation/payment/token/create", map[string]any{}, "MISSING_FIELDS", "payment_id"},
		{"token for another client's payment", payBob, "/payment_initiation/payment/token/create", map[string]any{"payment_id": pid}, "INVALID_FIELD", "payment_id"},
		{"unknown payment", payAlice, "/payment_initiation/payment/get", map[string]any{"payment_id": "payment-id-sandbox-nope"}, "INVALID_FIELD", "payment_id"},
		{"another client's payment", payBob, "/payment_initiation/payment/get", map[string]any{"payment_id": pid}, "INVALID_FIELD", "payment_id"},
		{"list count 0", payAlice, "/payment_initiation/payment/list", map[string]any{"count": 0}, "INVALID_FIELD", "count"},
		{"list bad cursor", payAlice, "/payment_initiation/payment/list", map[string]any{"cursor": "yesterday"}, "INVALID_FIELD", "cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := e.api(tt.c, tt.path, tt.body)
			if status != 400 || out["error_code"] != tt.code {
				t.Fatalf("got %d %v, want 400 %s", status, out, tt.code)
			}
			if msg, _ := out["error_message"].(string); !strings.Contains(msg, tt.msg) {
				t.Errorf("error_message %q does not name %q", msg, tt.msg)
			}
			for _, k := range []string{"error_type", "display_message", "request_id"} {
				if _, ok := out[k]; !ok {
					t.Errorf("error lacks %s: %v", k, out)
				}
			}
		})
	}
	if status, out := e.post("/payment_initiation/payment/get", map[string]any{"payment_id": pid}); status != 400 || out["error_code"] != "MISSING_FIELDS" {
		t.Errorf("no credentials: %d %v", status, out)
	}
}

// TestPaymentList pages through payments, newest first.
func TestPaymentList(t *testing.T) {
	e := newPayEnv(t)
	var ids []string
	for range 3 {
		_, pid := e.payment(payAlice)
		ids = append(ids, pid)
		e.must(payAlice, "/linkharness/clock/advance", map[string]any{"seconds": 1})
	}
	e.payment(payBob)
	first := e.must(payAlice, "/payment_initiation/payment/list", map[string]any{"count": 2})
	page := first["payments"].([]any)
	if len(page) != 2 || page[0].(map[string]any)["payment_id"] != ids[2] || page[1].(map[string]any)["payment_id"] != ids[1] || first["next_cursor"] == nil {
		t.Fatalf("first page: %v", first)
	}
	rest := e.must(payAlice, "/payment_initiation/payment/list", map[string]any{"count": 2, "cursor": first["next_cursor"]})
	page = rest["payments"].([]any)
	if len(page) != 1 || page[0].(map[string]any)["payment_id"] != ids[0] || rest["next_cursor"] != nil {
		t.Fatalf("second page: %v", rest)
	}
	if all := e.must(payAlice, "/payment_initiation/payment/list", nil)["payments"].([]any); len(all) != 3 {
		t.Fatalf("default page: %d payments, want alice's 3", len(all))
	}
}

// TestOpenPayment checks the legacy payment token: Link shows the
// payment, the token works once, and expires with the client's clock.
func TestOpenPayment(t *testing.T) {
	e := newPayEnv(t)
	_, pid := e.payment(payAlice)
	first := e.token(payAlice, pid)
	pt := e.must(payAlice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_116834",
		"initial_products": []string{"payment_initiation"}})["public_token"].(string)

	// A bad public token fails without using the payment token up.
	if _, ae := e.openLegacy(payAlice, first, "public-sandbox-nope", "ls-1", ""); ae == nil || ae.ErrorCode != "INVALID_PUBLIC_TOKEN" {
		t.Fatalf("bad public token: %v", ae)
	}
	p, ae := e.openLegacy(payAlice, first, pt, "ls-2", "")
	if ae != nil {
		t.Fatal(ae)
	}
	want := protocol.Payment{PaymentID: pid, Amount: protocol.PaymentAmount{Currency: "GBP", Value: 12.34}, Reference: "Order 42",
		RecipientName: "Wonder Wallet", InstitutionID: "ins_116834"}
	if *p != want {
		t.Errorf("payment %+v, want %+v", *p, want)
	}

	second := e.token(payAlice, pid)
	expiring := e.token(payAlice, pid)
	steps := []struct {
		name   string
		c      Client
		token  string
		before func()
		msg    string // a part of the INVALID_FIELD message, or "" for success
	}{
		{"used once already", payAlice, first, nil, "used already"},
		{"unknown", payAlice, "payment-token-sandbox-nope", nil, "does not exist"},
		{"another client's", payBob, second, nil, "does not exist"},
		{"a new token works", payAlice, second, nil, ""},
		{"expired after 15 minutes", payAlice, expiring, func() {
			e.must(payAlice, "/linkharness/clock/advance", map[string]any{"duration": "15m"})
		}, "expired"},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		_, ae := e.openLegacy(st.c, st.token, "", "ls-"+st.name, "")
		switch {
		case st.msg == "" && ae != nil:
			t.Errorf("%s: %v", st.name, ae)
		case st.msg != "" && (ae == nil || ae.ErrorCode != "INVALID_FIELD" || !strings.Contains(ae.ErrorMessage, st.msg)):
			t.Errorf("%s: %v, want INVALID_FIELD naming %q", st.name, ae, st.msg)
		}
	}
}

// execute POSTs to the engine's payment execution endpoint.
func (e *payEnv) execute(req protocol.PaymentExecuteRequest) (int, map[string]any) {
	e.t.Helper()
	return e.post(protocol.PathPaymentExecute, req)
}

// TestPaymentExecuteLegacy authorises a legacy session's payment at an
// OAuth bank: the payment is executed with a webhook per step, and the
// payer's Item gets a public token.
func TestPaymentExecuteLegacy(t *testing.T) {
	e := newPayEnv(t)
	hooks := testkit.NewReceiver(t, e.as(payAlice))
	_, pid := e.payment(payAlice)
	if _, ae := e.openLegacy(payAlice, e.token(payAlice, pid), "", "ls-pay", hooks.URL); ae != nil {
		t.Fatal(ae)
	}
	req := protocol.PaymentExecuteRequest{PublicKey: payAlice.PublicKey, LinkSessionID: "ls-pay", InstitutionID: "ins_116834"}

	// Not before the bank approved.
	status, out := e.post(protocol.PathOAuthStart, protocol.OAuthStartRequest{PublicKey: payAlice.PublicKey, LinkSessionID: "ls-pay", InstitutionID: "ins_116834"})
	if status != 200 {
		t.Fatalf("OAuth start: %d %v", status, out)
	}
	req.OAuthStateID = out["oauth_state_id"].(string)
	if status, out := e.execute(req); status != 400 || out["error_code"] != "INVALID_FIELD" {
		t.Fatalf("execute before approval: %d %v", status, out)
	}
	req.OAuthStateID = e.approve(protocol.OAuthStartRequest{PublicKey: payAlice.PublicKey, LinkSessionID: "ls-pay", InstitutionID: "ins_116834"})
	if status, out := e.execute(protocol.PaymentExecuteRequest{PublicKey: payBob.PublicKey, LinkSessionID: "ls-pay",
		InstitutionID: "ins_116834", OAuthStateID: req.OAuthStateID}); status != 400 || out["error_code"] != "INVALID_FIELD" {
		t.Fatalf("another client executes: %d %v", status, out)
	}
	status, out = e.execute(req)
	if status != 200 || out["status"] != payments.StatusExecuted || !strings.HasPrefix(out["public_token"].(string), "public-sandbox-") {
		t.Fatalf("execute: %d %v", status, out)
	}
	if got := e.must(payAlice, "/payment_initiation/payment/get", map[string]any{"payment_id": pid}); got["status"] != payments.StatusExecuted {
		t.Errorf("payment after execute: %v", got)
	}
	access := e.must(payAlice, "/item/public_token/exchange", map[string]any{"public_token": out["public_token"]})["access_token"]
	item := e.must(payAlice, "/item/get", map[string]any{"access_token": access})["item"].(map[string]any)
	if item["institution_id"] != "ins_116834" || strs(item["products"]) != "payment_initiation" {
		t.Errorf("payer's Item: %v", item)
	}

	// Webhooks may arrive in any order, as Plaid's do.
	got := testkit.Webhooks(hooks.Wait(t, 2))
	if got[0]["old_payment_status"] != payments.StatusInputNeeded {
		got[0], got[1] = got[1], got[0]
	}
	for i, step := range [][2]string{{payments.StatusInputNeeded, payments.StatusInitiated}, {payments.StatusInitiated, payments.StatusExecuted}} {
		h := got[i]
		if h["webhook_type"] != "PAYMENT_INITIATION" || h["webhook_code"] != "PAYMENT_STATUS_UPDATE" || h["payment_id"] != pid ||
			h["old_payment_status"] != step[0] || h["new_payment_status"] != step[1] || h["original_reference"] != "Order 42" ||
			h["environment"] != "sandbox" || h["timestamp"] == nil {
			t.Errorf("webhook %d: %v", i, h)
		}
		for _, k := range []string{"adjusted_reference", "original_start_date", "adjusted_start_date", "error"} {
			if v, ok := h[k]; !ok || v != nil {
				t.Errorf("webhook %d: %s = %v, want null", i, k, v)
			}
		}
		if _, ok := h["item_id"]; ok {
			t.Errorf("webhook %d names an Item: %v", i, h)
		}
	}
	// The outbox keeps them in order, under the session.
	listed := e.must(payAlice, "/linkharness/webhooks/list", map[string]any{"link_session_id": "ls-pay"})["webhooks"].([]any)
	if len(listed) != 2 || listed[0].(map[string]any)["body"].(map[string]any)["new_payment_status"] != payments.StatusInitiated ||
		listed[1].(map[string]any)["body"].(map[string]any)["new_payment_status"] != payments.StatusExecuted {
		t.Errorf("the session's webhooks: %v", listed)
	}
	if status, out := e.execute(req); status != 400 || out["error_code"] != "INVALID_FIELD" || !strings.Contains(out["error_message"].(string), payments.StatusExecuted) {
		t.Fatalf("execute again: %d %v", status, out)
	}
	if _, ae := e.openLegacy(payAlice, e.token(payAlice, pid), "", "ls-again", ""); ae == nil || !strings.Contains(ae.ErrorMessage, "authorised already") {
		t.Fatalf("a new token for an executed payment: %v", ae)
	}
}

// strs joins a JSON array of strings with commas.
func strs(v any) string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return strings.Join(out, ",")
}

// TestPaymentExecuteLinkToken runs a link token's payment through the
// engine's endpoints.
func TestPaymentExecuteLinkToken(t *testing.T) {
	e := newPayEnv(t)
	ctx := context.Background()
	_, pid := e.payment(payAlice)
	linkToken := func(extra map[string]any) (int, map[string]any) {
		body := map[string]any{"client_name": "Pay App", "language": "en", "country_codes": []string{"GB"},
			"user": map[string]any{"client_user_id": "u1"}, "products": []string{"payment_initiation"},
			"payment_initiation": map[string]any{"payment_id": pid}}
		for k, v := range extra {
			body[k] = v
		}
		return e.api(payAlice, "/link/token/create", body)
	}
	status, out := linkToken(nil)
	if status != 200 {
		t.Fatalf("link token: %d %v", status, out)
	}
	token := out["link_token"].(string)
	p, ae := e.s.link.SessionPayment(ctx, payAlice.ClientID, pid)
	if ae != nil || p.RecipientName != "Wonder Wallet" || p.Amount.Value != 12.34 || p.Reference != "Order 42" {
		t.Fatalf("link token payment: %+v %v", p, ae)
	}
	if status, out := e.post(protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: token, LinkSessionID: "ls-lt"}); status != 200 {
		t.Fatalf("open: %d %v", status, out)
	}
	start := protocol.OAuthStartRequest{LinkToken: token, LinkSessionID: "ls-lt", InstitutionID: "ins_116834"}
	req := protocol.PaymentExecuteRequest{LinkToken: token, LinkSessionID: "ls-lt", InstitutionID: "ins_117650", OAuthStateID: "nope"}
	// Every payment is authorised at the bank's page, also at a bank whose
	// logins take credentials: without an approved state, nothing moves.
	if status, out := e.execute(req); status != 400 || !strings.Contains(out["error_message"].(string), "not an approved OAuth login") {
		t.Fatalf("no approved state: %d %v", status, out)
	}
	req.InstitutionID, req.OAuthStateID = "ins_116834", e.approve(start)
	status, out = e.execute(req)
	if status != 200 || out["status"] != payments.StatusExecuted {
		t.Fatalf("execute: %d %v", status, out)
	}
	got := e.must(payAlice, "/link/token/get", map[string]any{"link_token": token})
	if sessions := got["link_sessions"].([]any); len(sessions) != 1 ||
		len(sessions[0].(map[string]any)["results"].(map[string]any)["item_add_results"].([]any)) != 1 {
		t.Errorf("link token sessions: %v", got["link_sessions"])
	}
	if _, ae := e.s.link.SessionPayment(ctx, payAlice.ClientID, pid); ae == nil {
		t.Error("an executed payment still opens Link")
	}

	// /link/token/create's checks of payment_initiation.
	_, other := e.payment(payAlice)
	_, bobs := e.payment(payBob)
	tests := []struct {
		name  string
		extra map[string]any
		code  string
	}{
		{"another product", map[string]any{"products": []string{"auth"}, "payment_initiation": map[string]any{"payment_id": other}}, "INVALID_FIELD"},
		{"no payment", map[string]any{"payment_initiation": nil}, "MISSING_FIELDS"},
		{"unknown payment", map[string]any{"payment_initiation": map[string]any{"payment_id": "payment-id-sandbox-nope"}}, "INVALID_FIELD"},
		{"another client's payment", map[string]any{"payment_initiation": map[string]any{"payment_id": bobs}}, "INVALID_FIELD"},
		{"an executed payment", nil, "INVALID_FIELD"},
		{"a waiting payment", map[string]any{"payment_initiation": map[string]any{"payment_id": other}}, ""},
	}
	for _, tt := range tests {
		status, out := linkToken(tt.extra)
		if tt.code == "" && status != 200 || tt.code != "" && (status != 400 || out["error_code"] != tt.code) {
			t.Errorf("%s: %d %v, want %q", tt.name, status, out, tt.code)
		}
	}
}

// TestPaymentExecutePreflight checks that pages may call the endpoint
// from any origin.
func TestPaymentExecutePreflight(t *testing.T) {
	e := newPayEnv(t)
	r, _ := http.NewRequest(http.MethodOptions, e.srv.URL+protocol.PathPaymentExecute, nil)
	r.Header.Set("Origin", "https://app.example")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
}
