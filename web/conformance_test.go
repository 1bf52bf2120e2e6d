package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

// TestSpecRequiredFields checks fields Plaid's OpenAPI schemas require that
// the emulator once left out: an investment account's
// balances.margin_loan_amount, a security's sector, industry, cfi_code,
// option_contract and fixed_income, and a Link session's results beyond
// item_add_results. Each must be present, null or an empty array where the
// sandbox has nothing to say.
func TestSpecRequiredFields(t *testing.T) {
	srv := newAPI(t, web.Options{})
	pt := must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
		"initial_products": []string{"investments"}})["public_token"].(string)
	access := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
	for _, path := range []string{"/investments/holdings/get", "/investments/transactions/get"} {
		body := map[string]any{"access_token": access}
		if path == "/investments/transactions/get" {
			body["start_date"], body["end_date"] = "2000-01-01", "2100-01-01"
		}
		out := must(t, srv, &alice, path, body)
		accounts := out["accounts"].([]any)
		if len(accounts) == 0 {
			t.Fatalf("%s: no accounts", path)
		}
		for _, a := range accounts {
			bal := a.(map[string]any)["balances"].(map[string]any)
			if v, ok := bal["margin_loan_amount"]; !ok || v != nil {
				t.Errorf("%s: balances.margin_loan_amount = %v, %v; want null", path, v, ok)
			}
			if _, ok := bal["current"]; !ok {
				t.Errorf("%s: balances lost current: %v", path, bal)
			}
		}
		securities := out["securities"].([]any)
		if len(securities) == 0 {
			t.Fatalf("%s: no securities", path)
		}
		for _, s := range securities {
			for _, field := range []string{"sector", "industry", "cfi_code", "option_contract", "fixed_income"} {
				if v, ok := s.(map[string]any)[field]; !ok || v != nil {
					t.Errorf("%s: security %s = %v, %v; want null", path, field, v, ok)
				}
			}
		}
	}

	token := linkToken(t, srv, &alice, nil)
	linkFlow(t, srv, token)
	sessions := must(t, srv, &alice, "/link/token/get", map[string]any{"link_token": token})["link_sessions"].([]any)
	if len(sessions) != 1 {
		t.Fatalf("sessions: %v", sessions)
	}
	results := sessions[0].(map[string]any)["results"].(map[string]any)
	if len(results["item_add_results"].([]any)) != 1 {
		t.Errorf("item_add_results: %v", results["item_add_results"])
	}
	for _, field := range []string{"cra_item_add_results", "cra_update_results", "bank_income_results", "payroll_income_results"} {
		if v, ok := results[field].([]any); !ok || len(v) != 0 {
			t.Errorf("results.%s = %v; want []", field, results[field])
		}
	}
	if v, ok := results["document_income_results"]; !ok || v != nil {
		t.Errorf("results.document_income_results = %v, %v; want null", v, ok)
	}
}

// TestLinkEventMetadata records events as the Link engine sends them,
// every documented key present and null where it does not apply, and
// reads them back with /link/token/get, whose schema types each key as a
// string that is never null: the keys without a value are left out.
func TestLinkEventMetadata(t *testing.T) {
	srv := newAPI(t, web.Options{})
	token := linkToken(t, srv, &alice, nil)
	tests := []struct {
		name, metadata, want string
	}{
		{"nulls left out", `{"error_code":null,"institution_id":"ins_109508","view_name":null,"link_session_id":"ls-events"}`,
			`{"institution_id":"ins_109508","link_session_id":"ls-events"}`},
		{"values kept", `{"error_code":"INVALID_CREDENTIALS","error_type":"ITEM_ERROR"}`, `{"error_code":"INVALID_CREDENTIALS","error_type":"ITEM_ERROR"}`},
		{"no metadata", ``, `{}`},
		{"null metadata", `null`, `{}`},
	}
	var events []map[string]any
	for _, tt := range tests {
		ev := map[string]any{"event_name": tt.name, "timestamp": "2026-01-01T00:00:00Z"}
		if tt.metadata != "" {
			ev["event_metadata"] = json.RawMessage(tt.metadata)
		}
		events = append(events, ev)
	}
	if status, out := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: token, LinkSessionID: "ls-events"}); status != 200 {
		t.Fatalf("open: %d %v", status, out)
	}
	if status, out := post(t, srv, protocol.PathSessionRecord, map[string]any{"link_token": token, "link_session_id": "ls-events", "events": events}); status != 200 {
		t.Fatalf("record: %d %v", status, out)
	}
	sessions := must(t, srv, &alice, "/link/token/get", map[string]any{"link_token": token})["link_sessions"].([]any)
	if len(sessions) != 1 {
		t.Fatalf("sessions: %v", sessions)
	}
	got := sessions[0].(map[string]any)["events"].([]any)
	if len(got) != len(tests) {
		t.Fatalf("events: %v", got)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md, _ := json.Marshal(got[i].(map[string]any)["event_metadata"])
			var want any
			json.Unmarshal([]byte(tt.want), &want)
			wantJSON, _ := json.Marshal(want)
			if string(md) != string(wantJSON) {
				t.Errorf("event_metadata %s, want %s", md, wantJSON)
			}
		})
	}
}

// TestLinkTokenForUserID makes a link token for a user of /user/create
// named by user_id, as Plaid's User API does, instead of by user.
func TestLinkTokenForUserID(t *testing.T) {
	srv := newAPI(t, web.Options{})
	userID := must(t, srv, &alice, "/user/create", map[string]any{"client_user_id": "u-42"})["user_id"].(string)
	base := map[string]any{"client_name": "Test App", "language": "en", "country_codes": []string{"US"}, "products": []string{"auth"}}
	tests := []struct {
		name   string
		client *web.Client
		extra  map[string]any
		status int
		code   string
	}{
		{"user_id of a user of the client", &alice, map[string]any{"user_id": userID}, 200, ""},
		{"user_id of another client's user", &bob, map[string]any{"user_id": userID}, 400, "INVALID_FIELD"},
		{"unknown user_id", &alice, map[string]any{"user_id": "usr_nobody"}, 400, "INVALID_FIELD"},
		{"neither user nor user_id", &alice, nil, 400, "MISSING_FIELDS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := map[string]any{}
			for k, v := range base {
				body[k] = v
			}
			for k, v := range tt.extra {
				body[k] = v
			}
			status, out := call(t, srv, tt.client, "/link/token/create", body)
			if status != tt.status || tt.code != "" && out["error_code"] != tt.code {
				t.Fatalf("got %d %v, want %d %s", status, out, tt.status, tt.code)
			}
			if tt.status == 200 && out["link_token"] == nil {
				t.Fatalf("no link token: %v", out)
			}
		})
	}
}

// TestAuthNumbersByCountry gets /auth/get at a US, a Canadian and a UK
// bank: each gives its country's numbers (ACH; EFT; BACS and an IBAN) and
// balances in its currency.
func TestAuthNumbersByCountry(t *testing.T) {
	srv := newAPI(t, web.Options{})
	tests := []struct {
		institution, currency string
		schemes               []string // the non-empty number arrays
	}{
		{"ins_109508", "USD", []string{"ach"}},
		{"ins_43", "CAD", []string{"eft"}},
		{"ins_117650", "GBP", []string{"bacs", "international"}},
	}
	for _, tt := range tests {
		t.Run(tt.institution, func(t *testing.T) {
			pt := must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": tt.institution,
				"initial_products": []string{"auth"}})["public_token"].(string)
			access := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
			out := must(t, srv, &alice, "/auth/get", map[string]any{"access_token": access})
			numbers := out["numbers"].(map[string]any)
			for _, scheme := range []string{"ach", "eft", "bacs", "international"} {
				list, ok := numbers[scheme].([]any)
				if !ok {
					t.Fatalf("numbers.%s is %v, not an array", scheme, numbers[scheme])
				}
				want := 0
				for _, s := range tt.schemes {
					if s == scheme {
						want = 2 // the Item's checking and savings accounts
					}
				}
				if len(list) != want {
					t.Errorf("numbers.%s has %d entries, want %d: %v", scheme, len(list), want, list)
				}
			}
			for _, a := range out["accounts"].([]any) {
				if got := a.(map[string]any)["balances"].(map[string]any)["iso_currency_code"]; got != tt.currency {
					t.Errorf("balances in %v, want %s", got, tt.currency)
				}
			}
		})
	}
}

// TestExactKeysAndVersion sends keys that match Plaid's only up to case,
// which Plaid does not know (so the secret is missing), and Plaid-Version
// headers: the version clients send is accepted, an unknown one is
// INVALID_HEADERS.
func TestExactKeysAndVersion(t *testing.T) {
	srv := newAPI(t, web.Options{})
	status, out := post(t, srv, "/link/token/get", map[string]any{"client_id": "alice", "SECRET": "alice-secret", "link_token": "x"})
	if status != 400 || out["error_code"] != "MISSING_FIELDS" || !strings.Contains(out["error_message"].(string), "secret") {
		t.Errorf("SECRET: %d %v, want MISSING_FIELDS naming secret", status, out)
	}
	status, out = post(t, srv, "/link/token/get", map[string]any{"client_id": "alice", "secret": "alice-secret", "Link_Token": "x"})
	if status != 400 || out["error_code"] != "MISSING_FIELDS" {
		t.Errorf("Link_Token: %d %v, want MISSING_FIELDS", status, out)
	}
	for _, tt := range []struct {
		version string
		status  int
		code    string
	}{
		{"", 200, ""},
		{"2020-09-14", 200, ""},
		{"2019-05-29", 200, ""},
		{"2021-01-01", 400, "INVALID_HEADERS"},
		{"latest", 400, "INVALID_HEADERS"},
	} {
		t.Run("Plaid-Version "+tt.version, func(t *testing.T) {
			req, _ := http.NewRequest("POST", srv.URL+"/user/create", strings.NewReader(`{"client_id":"alice","secret":"alice-secret","client_user_id":"u"}`))
			req.Header.Set("Content-Type", "application/json")
			if tt.version != "" {
				req.Header.Set("Plaid-Version", tt.version)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			json.NewDecoder(resp.Body).Decode(&body)
			if resp.StatusCode != tt.status || tt.code != "" && body["error_code"] != tt.code {
				t.Errorf("got %d %v, want %d %s", resp.StatusCode, body, tt.status, tt.code)
			}
		})
	}
}
