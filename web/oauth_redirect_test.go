package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

// nonce is an oauthNonce as the docs recommend: a UUID.
const nonce = "6a0e1c8e-5f7b-4d0a-9a51-2b7f3e9c1d44"

// redirected answers at the bank's page in the redirect flow and returns
// where the bank sends the user back to.
func redirected(t *testing.T, srv, stateID, decision string) *url.URL {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(srv+protocol.PathOAuthAuthorize, url.Values{"oauth_state_id": {stateID}, "decision": {decision}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the bank answered %d to %s, want a 303 back to the app", resp.StatusCode, decision)
	}
	u, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestOAuthRedirectRules checks the security rules of the redirect flow
// on the server's side, each case from a fresh login: the allowed list
// (with subdomain wildcards and the app's own query), the nonce's length
// and absence from the URI, the state resumed once, only with its own
// nonce or link token, and not after it expired.
func TestOAuthRedirectRules(t *testing.T) {
	srv := newAPI(t, web.Options{})
	// legacyStart opens a legacy session with the redirect options, as
	// the engine does, and begins an OAuth login in it.
	sessions := 0
	legacyStart := func(redirect string) (int, map[string]any) {
		sessions++
		id := fmt.Sprintf("ls-r%d", sessions)
		if status, out := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{PublicKey: alice.PublicKey, LinkSessionID: id,
			OAuthNonce: nonce, OAuthRedirectURI: redirect}); status != 200 {
			return status, out
		}
		return post(t, srv, protocol.PathOAuthStart, protocol.OAuthStartRequest{PublicKey: alice.PublicKey, LinkSessionID: id,
			InstitutionID: "ins_116834"})
	}
	resume := func(stateID, withNonce string) (int, map[string]any) {
		return post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{PublicKey: alice.PublicKey, LinkSessionID: "ls-new",
			OAuthNonce: withNonce, OAuthStateID: stateID})
	}
	approved := func(redirect string) (string, *url.URL) {
		t.Helper()
		status, out := legacyStart(redirect)
		if status != 200 {
			t.Fatalf("start with %s: %d %v", redirect, status, out)
		}
		id := out["oauth_state_id"].(string)
		return id, redirected(t, srv.URL, id, "allow")
	}

	for _, tt := range []struct {
		redirect string
		ok       bool
	}{
		{aliceRedirect, true},
		{aliceRedirect + "?user_id=42", true},
		{"https://eu.alice.example/back", true},
		{"https://alice.example/back", false},
		{"https://app.example/elsewhere", false},
		{"http://app.example/oauth-return", false},
		{"https://app.example/oauth-return?n=" + nonce, false},
	} {
		status, out := legacyStart(tt.redirect)
		if (status == 200) != tt.ok {
			t.Errorf("redirect URI %s: %d %v, want allowed %v", tt.redirect, status, out, tt.ok)
		}
	}
	if status, out := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{PublicKey: alice.PublicKey,
		OAuthNonce: "short", OAuthRedirectURI: aliceRedirect}); status != 400 || !strings.Contains(out["error_message"].(string), "16 characters") {
		t.Errorf("a short nonce: %d %v", status, out)
	}

	id, back := approved(aliceRedirect + "?user_id=42")
	began := fmt.Sprintf("ls-r%d", sessions) // the session the login began in
	if back.Query().Get("oauth_state_id") != id || back.Query().Get("user_id") != "42" || back.Path != "/oauth-return" {
		t.Fatalf("redirected to %s, want the redirect URI with its user_id and oauth_state_id", back)
	}
	if status, out := resume(id, nonce+"x"); status != 400 || !strings.Contains(out["error_message"].(string), "oauthNonce") {
		t.Errorf("another nonce: %d %v", status, out)
	}
	status, out := resume(id, nonce)
	config, _ := out["config"].(map[string]any)
	if status != 200 || config == nil || config["resume"].(map[string]any)["status"] != protocol.OAuthApproved ||
		config["resume"].(map[string]any)["link_session_id"] != began {
		t.Fatalf("resume: %d %v", status, out)
	}
	if status, out := resume(id, nonce); status != 400 || !strings.Contains(out["error_message"].(string), "used already") {
		t.Errorf("a second resume: %d %v", status, out)
	}

	// Bob cannot resume alice's login.
	id, _ = approved(aliceRedirect)
	if status, out := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{PublicKey: bob.PublicKey,
		OAuthNonce: nonce, OAuthStateID: id}); status != 400 {
		t.Errorf("bob resumes alice's login: %d %v", status, out)
	}

	// A state expires: ten minutes to decide and come back.
	id, _ = approved(aliceRedirect)
	must(t, srv, &alice, "/linkharness/clock/advance", map[string]any{"seconds": 11 * 60})
	if status, out := resume(id, nonce); status != 400 || !strings.Contains(out["error_message"].(string), "expired") {
		t.Errorf("an expired state: %d %v", status, out)
	}

	// A link token's login resumes only with that link token.
	tokens := [2]string{}
	for i := range tokens {
		tokens[i] = linkToken(t, srv, &alice, map[string]any{"country_codes": []string{"GB"}, "redirect_uri": aliceRedirect})
	}
	status, out = post(t, srv, protocol.PathOAuthStart, protocol.OAuthStartRequest{LinkToken: tokens[0], LinkSessionID: "ls-t", InstitutionID: "ins_116834"})
	if status != 200 {
		t.Fatalf("start with a link token: %d %v", status, out)
	}
	back = redirected(t, srv.URL, out["oauth_state_id"].(string), "deny")
	if status, out := post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: tokens[1], ReceivedRedirectURI: back.String()}); status != 400 ||
		!strings.Contains(out["error_message"].(string), "another link token") {
		t.Errorf("another link token: %d %v", status, out)
	}
	status, out = post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: tokens[0], ReceivedRedirectURI: back.String()})
	if config, _ := out["config"].(map[string]any); status != 200 || config["resume"].(map[string]any)["status"] != protocol.OAuthDenied {
		t.Errorf("resume a denied login: %d %v", status, out)
	}
	for _, redirect := range []string{"https://app.example/elsewhere", aliceRedirect + "?user_id=1"} {
		if status, out := call(t, srv, &alice, "/link/token/create", map[string]any{"client_name": "A", "language": "en", "country_codes": []string{"GB"},
			"user": map[string]any{"client_user_id": "u"}, "products": []string{"auth"}, "redirect_uri": redirect}); status != 400 {
			t.Errorf("/link/token/create with redirect_uri %s: %d %v", redirect, status, out)
		}
	}
}
