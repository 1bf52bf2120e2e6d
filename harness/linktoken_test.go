package harness_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// credentials are the test client's, for the Plaid and control APIs.
func credentials(body map[string]any) map[string]any {
	body["client_id"], body["secret"] = "test", "test-secret"
	return body
}

func linkToken(t *testing.T) string {
	t.Helper()
	var created struct {
		LinkToken string `json:"link_token"`
	}
	if err := h.Post("/link/token/create", credentials(map[string]any{
		"client_name": "Harness Shop", "language": "fr", "country_codes": []string{"FR"},
		"user": map[string]any{"client_user_id": "u-1"}, "products": []string{"auth"},
	}), &created); err != nil {
		t.Fatal(err)
	}
	return created.LinkToken
}

// TestLinkTokenMode opens Link with a link token: the session takes the
// token's language and countries, and its public token exchanges.
func TestLinkTokenMode(t *testing.T) {
	s, err := h.Create(harness.Config{Token: linkToken(t)})
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		s.Open,
		func() error { return s.Press("Continuer") },
		func() error { return s.Press("Royal Bank of Plaid") },
		func() error { return s.Fill("Identifiant", "user_good") },
		func() error { return s.Fill("Mot de passe", "pass_good") },
		func() error { return s.Press("Envoyer") },
		func() error { return s.Press("Plaid Checking") },
		func() error { return s.Press("Continuer") },
		func() error { return s.Press("Continuer") },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	public := successToken(t, s.Calls())
	var exchanged struct {
		AccessToken string `json:"access_token"`
	}
	if err := h.Post("/item/public_token/exchange", credentials(map[string]any{"public_token": public}), &exchanged); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(exchanged.AccessToken, "access-sandbox-") {
		t.Fatalf("access_token = %q", exchanged.AccessToken)
	}
}

// TestExpiredLinkToken moves the client's clock past the token's four hours
// through the control API: Link then ends in onExit with INVALID_LINK_TOKEN.
func TestExpiredLinkToken(t *testing.T) {
	token := linkToken(t)
	if err := h.Post("/linkharness/clock/advance", credentials(map[string]any{"duration": "4h1m"}), nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Post("/linkharness/reset", credentials(map[string]any{}), nil) })
	s, err := h.Create(harness.Config{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	calls := s.Calls()
	last := calls[len(calls)-1]
	if last.Name != protocol.OnExit || !strings.Contains(string(last.Args[0]), `"error_code":"INVALID_LINK_TOKEN"`) {
		t.Fatalf("last callback %s %s, want onExit with INVALID_LINK_TOKEN", last.Name, last.Args)
	}
	if s.View() != nil {
		t.Fatal("Link is still open")
	}
}

// successToken is the public token onSuccess received.
func successToken(t *testing.T, calls []harness.Call) string {
	t.Helper()
	for _, c := range calls {
		if c.Name == protocol.OnSuccess {
			var public string
			json.Unmarshal(c.Args[0], &public)
			return public
		}
	}
	t.Fatal("no onSuccess")
	return ""
}
