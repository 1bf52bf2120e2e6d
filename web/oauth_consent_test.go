package web_test

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

// TestOAuthProductConsent checks a bank with product-level OAuth consent
// (First Platypus OAuth App2App Bank): its page offers a checkbox per
// product; withholding a required product, or a required-if-supported one
// that applies, fails the Item with ACCESS_NOT_GRANTED (Link asks again);
// withholding an optional one drops it, and its endpoint then needs
// consent.
func TestOAuthProductConsent(t *testing.T) {
	srv := newAPI(t, web.Options{})
	token := linkToken(t, srv, &alice, map[string]any{"products": []string{"transactions"},
		"required_if_supported_products": []string{"identity"}, "optional_products": []string{"auth"}})
	const session, bank = "ls-consent", "ins_132241"
	post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: token, LinkSessionID: session})

	// login asks the bank, grants the products and creates the Item.
	login := func(granted ...string) (int, map[string]any) {
		status, out := post(t, srv, protocol.PathOAuthStart, protocol.OAuthStartRequest{LinkToken: token, LinkSessionID: session, InstitutionID: bank})
		if status != 200 {
			t.Fatalf("start: %d %v", status, out)
		}
		resp, err := http.Get(srv.URL + out["authorize_url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{`name="product" value="transactions" checked> Transactions</label>`,
			`value="identity" checked> Identity</label>`, `value="auth" checked> Auth</label>`, `value="allow">Allow`, `value="deny">Deny`} {
			if !strings.Contains(string(page), want) {
				t.Fatalf("the bank's page lacks %q:\n%s", want, page)
			}
		}
		stateID := out["oauth_state_id"].(string)
		form := url.Values{"oauth_state_id": {stateID}, "decision": {"allow"}, "product_consent": {"1"}, "product": granted}
		r, err := http.PostForm(srv.URL+protocol.PathOAuthAuthorize, form)
		if err != nil || r.StatusCode != 200 {
			t.Fatalf("decide: %v %v", r, err)
		}
		r.Body.Close()
		return post(t, srv, protocol.PathItemCreate, protocol.ItemCreateRequest{LinkToken: token, LinkSessionID: session,
			InstitutionID: bank, OAuthStateID: stateID})
	}
	tests := []struct {
		name    string
		granted []string
		want    string // error code, or "" for an Item
	}{
		{"withholding a required product", []string{"identity", "auth"}, "ACCESS_NOT_GRANTED"},
		{"withholding an applicable required-if-supported product", []string{"transactions", "auth"}, "ACCESS_NOT_GRANTED"},
		{"withholding an optional product", []string{"transactions", "identity"}, ""},
	}
	var created map[string]any
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out := login(tt.granted...)
			got := ""
			if status != 200 {
				got, _ = out["error_code"].(string)
				if out["error_type"] != "ITEM_ERROR" || out["display_message"] == nil {
					t.Errorf("error %v", out)
				}
			}
			if got != tt.want {
				t.Fatalf("%d %v, want %q", status, out, tt.want)
			}
			created = out
		})
	}
	var ids []string
	for _, a := range created["accounts"].([]any) {
		if name := a.(map[string]any)["name"]; name == "Plaid Checking" || name == "Plaid Credit Card" {
			ids = append(ids, a.(map[string]any)["id"].(string))
		}
	}
	_, connected := post(t, srv, protocol.PathItemConnect, protocol.ItemConnectRequest{LinkToken: token, LinkSessionID: session,
		ItemID: created["item_id"].(string), AccountIDs: ids})
	ex := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": connected["public_token"]})
	item := must(t, srv, &alice, "/item/get", map[string]any{"access_token": ex["access_token"]})["item"].(map[string]any)
	if !slices.Equal(strs(item["products"]), []string{"transactions", "identity"}) || !slices.Equal(strs(item["consented_products"]), []string{"transactions", "identity"}) {
		t.Errorf("item %v", item)
	}
	if status, out := call(t, srv, &alice, "/auth/get", map[string]any{"access_token": ex["access_token"]}); status != 400 || out["error_code"] != "ADDITIONAL_CONSENT_REQUIRED" {
		t.Errorf("/auth/get after withholding auth: %d %v", status, out)
	}

	// A bank without product-level consent asks nothing of the kind.
	_, out := post(t, srv, protocol.PathOAuthStart, protocol.OAuthStartRequest{LinkToken: token, LinkSessionID: session, InstitutionID: "ins_127287"})
	resp, _ := http.Get(srv.URL + out["authorize_url"].(string))
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(page), `type="checkbox"`) {
		t.Errorf("Platypus OAuth Bank asks for product-level consent")
	}
}
