package apitest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/web"
)

// openAPI is the embedded spec as an OpenAPI 3.0 document again, for
// kin-openapi: component schemas under their names, references as
// "$ref": "#/components/schemas/<name>".
func openAPI(t *testing.T, s *spec.Spec) *openapi3.T {
	t.Helper()
	doc, err := loadOpenAPI(s)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// loadOpenAPI is openAPI without a test to fail.
func loadOpenAPI(s *spec.Spec) (*openapi3.T, error) {
	raw, err := json.Marshal(s.Schemas)
	if err != nil {
		return nil, err
	}
	var schemas map[string]any
	json.Unmarshal(raw, &schemas)
	doc := map[string]any{
		"openapi":    "3.0.0",
		"info":       map[string]any{"title": "Plaid", "version": s.Version},
		"paths":      map[string]any{},
		"components": map[string]any{"schemas": refs(schemas)},
	}
	b, _ := json.Marshal(doc)
	loader := openapi3.NewLoader()
	t3, err := loader.LoadFromData(b)
	if err != nil {
		return nil, fmt.Errorf("the embedded spec is not an OpenAPI document again: %w", err)
	}
	return t3, nil
}

// plaidErrorSchema is the spec's PlaidError, loaded once for plaidErr.
var plaidErrorSchema = sync.OnceValues(func() (*openapi3.Schema, error) {
	doc, err := loadOpenAPI(spec.Load())
	if err != nil {
		return nil, err
	}
	ref := doc.Components.Schemas[spec.PlaidErrorName]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("the spec has no %s", spec.PlaidErrorName)
	}
	return ref.Value, nil
})

// refs rewrites the embedded spec's "ref": name into OpenAPI's $ref.
func refs(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if name, ok := v["ref"].(string); ok && len(v) == 1 {
			return map[string]any{"$ref": "#/components/schemas/" + name}
		}
		for k, x := range v {
			v[k] = refs(x)
		}
	case []any:
		for i, x := range v {
			v[i] = refs(x)
		}
	}
	return v
}

// request is a body its request schema accepts (spec.Least), with the
// given access token where it takes one, and without credentials.
func request(s *spec.Spec, sc *spec.Schema, accessToken string) any {
	v := s.Least(sc)
	if m, ok := v.(map[string]any); ok {
		if _, takes := s.Resolve(sc).Properties["access_token"]; takes {
			m["access_token"] = accessToken
		}
		// The credentials go in the headers.
		delete(m, "client_id")
		delete(m, "secret")
	}
	return v
}

// knownBadExamples are operations whose spec example does not validate
// against the spec's own response schema (the spec's README names the
// Signal ones: they lack the required risk_tier).
var knownBadExamples = []string{"/signal/evaluate", "/processor/signal/evaluate"}

// TestSpecShapedPaths walks every operation of Plaid's spec that the
// emulator keeps no state for: a request built from its request schema,
// with the access token of a real Item, gets a 200, and a JSON answer
// validates against the spec's response schema (with kin-openapi).
func TestSpecShapedPaths(t *testing.T) {
	e := newEmulator(t)
	s := spec.Load()
	doc := openAPI(t, s)
	pt := e.kit.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})["public_token"].(string)
	access := e.kit.Must(t, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
	served := map[string]bool{}
	for _, r := range web.Routes() {
		served[r.Method+" "+r.Path] = true
	}
	shaped, validated := 0, 0
	for _, op := range s.Operations {
		if served[op.Method+" "+op.Path] {
			continue
		}
		shaped++
		op := op
		t.Run(op.Method+" "+op.Path, func(t *testing.T) {
			path := strings.NewReplacer("{", "", "}", "", ":", "").Replace(op.Path)
			var body io.Reader
			if op.Method == http.MethodPost {
				var in any = map[string]any{}
				if sc, ok := s.Schema(op.Request); ok {
					in = request(s, sc, access)
				}
				b, _ := json.Marshal(in)
				body = strings.NewReader(string(b))
			}
			req, _ := http.NewRequestWithContext(context.Background(), op.Method, e.url+path, body)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("PLAID-CLIENT-ID", client.ClientID)
			req.Header.Set("PLAID-SECRET", client.Secret)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d %s", resp.StatusCode, raw)
			}
			if op.ResponseType != "application/json" || op.Response == "" || slices.Contains(knownBadExamples, op.Path) {
				return
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("Content-Type %q", ct)
			}
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatalf("not JSON: %s", raw)
			}
			ref := doc.Components.Schemas[op.Response]
			if ref == nil || ref.Value == nil {
				t.Fatalf("no schema %s", op.Response)
			}
			if err := ref.Value.VisitJSON(v); err != nil {
				t.Fatalf("the answer does not validate against %s: %v\n%s", op.Response, err, raw)
			}
			validated++
		})
	}
	t.Logf("%d spec-shaped operations answered, %d of them validated against their response schema", shaped, validated)
	if shaped < 230 {
		t.Errorf("only %d spec-shaped operations: the spec was not walked", shaped)
	}
}

// webhookSchemas names the spec's schema of each webhook the emulator
// sends, by webhook_type and webhook_code. The spec's webhook schemas type
// both fields as plain strings, so the mapping is by their names.
var webhookSchemas = map[string]string{
	"TRANSACTIONS SYNC_UPDATES_AVAILABLE":        "SyncUpdatesAvailableWebhook",
	"TRANSACTIONS DEFAULT_UPDATE":                "DefaultUpdateWebhook",
	"TRANSACTIONS RECURRING_TRANSACTIONS_UPDATE": "RecurringTransactionsUpdateWebhook",
	"AUTH DEFAULT_UPDATE":                        "AuthDefaultUpdateWebhook",
	"INVESTMENTS_TRANSACTIONS DEFAULT_UPDATE":    "InvestmentsDefaultUpdateWebhook",
	"STATEMENTS STATEMENTS_REFRESH_COMPLETE":     "StatementsRefreshCompleteWebhook",
	"HOLDINGS DEFAULT_UPDATE":                    "HoldingsDefaultUpdateWebhook",
	"LIABILITIES DEFAULT_UPDATE":                 "LiabilitiesDefaultUpdateWebhook",
	"ITEM ERROR":                                 "ItemErrorWebhook",
	"ITEM WEBHOOK_UPDATE_ACKNOWLEDGED":           "WebhookUpdateAcknowledgedWebhook",
	"ITEM PENDING_EXPIRATION":                    "PendingExpirationWebhook",
	"ITEM PENDING_DISCONNECT":                    "PendingDisconnectWebhook",
	"ITEM USER_PERMISSION_REVOKED":               "UserPermissionRevokedWebhook",
	"ITEM USER_ACCOUNT_REVOKED":                  "UserAccountRevokedWebhook",
	"ITEM NEW_ACCOUNTS_AVAILABLE":                "NewAccountsAvailableWebhook",
	"ITEM LOGIN_REPAIRED":                        "ItemLoginRepairedWebhook",
	"ASSETS PRODUCT_READY":                       "AssetsProductReadyWebhook",
	"ASSETS ERROR":                               "AssetsErrorWebhook",
	"LINK ITEM_ADD_RESULT":                       "ItemAddResultWebhook",
	"LINK SESSION_FINISHED":                      "LinkSessionFinishedWebhook",
	"PAYMENT_INITIATION PAYMENT_STATUS_UPDATE":   "PaymentStatusUpdateWebhook",
	"TRANSFER TRANSFER_EVENTS_UPDATE":            "TransferEventsUpdateWebhook",
}

// withoutSchema are webhooks the sandbox fires that this version of the
// spec has no schema for.
var withoutSchema = []string{"AUTH SMS_MICRODEPOSITS_VERIFICATION"}

// TestWebhooksMatchTheSpec makes the emulator send each webhook it can
// send for an Item (and a Multi-Item Link session's), and validates every
// body against the spec's schema for its webhook_type and webhook_code.
func TestWebhooksMatchTheSpec(t *testing.T) {
	e := newEmulator(t)
	s := spec.Load()
	doc := openAPI(t, s)
	// A European OAuth bank's Item sends PENDING_EXPIRATION after
	// reset_login.
	var items []string
	for _, x := range []struct{ in, products string }{
		{"ins_109508", "transactions auth investments liabilities assets transfer"}, {"ins_116834", "auth"},
	} {
		in, products := x.in, x.products
		pt := e.kit.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": in,
			"initial_products": strings.Fields(products), "options": map[string]any{"webhook": e.hooks.URL + "/hooks"}})["public_token"].(string)
		items = append(items, e.kit.Must(t, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string))
	}
	access := items[0]
	for _, f := range []struct{ typ, code string }{
		{"TRANSACTIONS", "DEFAULT_UPDATE"}, {"AUTH", "DEFAULT_UPDATE"}, {"INVESTMENTS_TRANSACTIONS", "DEFAULT_UPDATE"},
		{"HOLDINGS", "DEFAULT_UPDATE"}, {"LIABILITIES", "DEFAULT_UPDATE"}, {"", "SYNC_UPDATES_AVAILABLE"},
		{"", "RECURRING_TRANSACTIONS_UPDATE"}, {"", "NEW_ACCOUNTS_AVAILABLE"}, {"", "LOGIN_REPAIRED"},
		{"", "PENDING_DISCONNECT"}, {"", "USER_PERMISSION_REVOKED"}, {"", "USER_ACCOUNT_REVOKED"},
		{"", "SMS_MICRODEPOSITS_VERIFICATION"}, {"", "PRODUCT_READY"}, {"", "ERROR"},
	} {
		body := map[string]any{"access_token": access, "webhook_code": f.code}
		if f.typ != "" {
			body["webhook_type"] = f.typ
		}
		e.kit.Must(t, "/sandbox/item/fire_webhook", body)
	}
	e.kit.Must(t, "/item/webhook/update", map[string]any{"access_token": access, "webhook": e.hooks.URL + "/other"})
	// A transfer: TRANSFER_EVENTS_UPDATE.
	checking := e.kit.Must(t, "/accounts/get", map[string]any{"access_token": access})["accounts"].([]any)[0].(map[string]any)["account_id"]
	auth := e.kit.Must(t, "/transfer/authorization/create", map[string]any{"access_token": access, "account_id": checking, "type": "credit",
		"network": "ach", "ach_class": "ppd", "amount": "1.00", "user": map[string]any{"legal_name": "Alberta Charleson"}})["authorization"].(map[string]any)["id"]
	e.kit.Must(t, "/transfer/create", map[string]any{"access_token": access, "account_id": checking, "authorization_id": auth, "description": "spec"})
	for _, a := range items {
		e.kit.Must(t, "/sandbox/item/reset_login", map[string]any{"access_token": a})
	}
	// A Multi-Item Link session: ITEM_ADD_RESULT and SESSION_FINISHED.
	user := e.kit.Must(t, "/user/create", map[string]any{"client_user_id": "spec-webhooks"})["user_token"].(string)
	token := e.kit.Must(t, "/link/token/create", map[string]any{"client_name": "App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "spec-webhooks"}, "user_token": user, "products": []string{"auth"},
		"enable_multi_item_link": true, "webhook": e.hooks.URL + "/link"})["link_token"].(string)
	e.kit.Must(t, "/linkharness/session/complete", map[string]any{"link_token": token})
	e.settle(t)
	seen := map[string]bool{}
	for _, d := range e.hooks.Deliveries() {
		typ, code := d.Type(), d.Code()
		seen[typ+" "+code] = true
		if slices.Contains(withoutSchema, typ+" "+code) {
			continue
		}
		name, ok := webhookSchemas[typ+" "+code]
		if !ok {
			t.Errorf("%s %s: the test names no spec schema for it", typ, code)
			continue
		}
		sc := doc.Components.Schemas[name]
		if sc == nil {
			t.Errorf("%s %s: the spec has no schema %s", typ, code, name)
			continue
		}
		if err := sc.Value.VisitJSON(d.Webhook); err != nil {
			t.Errorf("%s %s does not validate against %s: %v\n%s", typ, code, name, err, d.Body)
		}
	}
	t.Logf("%d kinds of webhook validated: %v", len(seen), seen)
	for _, want := range []string{"ITEM PENDING_EXPIRATION", "LINK ITEM_ADD_RESULT", "LINK SESSION_FINISHED", "TRANSFER TRANSFER_EVENTS_UPDATE"} {
		if !seen[want] {
			t.Errorf("no %s arrived", want)
		}
	}
	if len(seen) < 18 {
		t.Errorf("only %d kinds of webhook arrived", len(seen))
	}
}
