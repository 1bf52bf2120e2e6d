package plaidtest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/plaidtest"
)

// sandboxItem makes an Item without Link, with webhook as its webhook, and
// returns its access token.
func sandboxItem(t *testing.T, srv *plaidtest.Server, webhook string) string {
	t.Helper()
	pub := srv.Call(t, "/sandbox/public_token/create", map[string]any{
		"institution_id": "ins_109508", "initial_products": []string{"transactions"},
		"options": map[string]any{"webhook": webhook},
	})
	item := srv.Call(t, "/item/public_token/exchange", map[string]any{"public_token": pub["public_token"]})
	return item["access_token"].(string)
}

func TestNewServer(t *testing.T) {
	a, b := plaidtest.NewServer(t), plaidtest.NewServer(t)
	for _, s := range []*plaidtest.Server{a, b} {
		if len(s.ClientID) != 24 || len(s.Secret) != 30 || len(s.PublicKey) != 30 || !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
			t.Errorf("server %s: client_id %q, secret %q, public key %q", s.URL, s.ClientID, s.Secret, s.PublicKey)
		}
	}
	if a.ClientID == b.ClientID || a.Secret == b.Secret || a.PublicKey == b.PublicKey || a.URL == b.URL {
		t.Errorf("two servers share credentials or an address: %+v, %+v", a, b)
	}
	if token := sandboxItem(t, a, ""); !strings.HasPrefix(token, "access-sandbox-") {
		t.Errorf("access token %q", token)
	}
	// Another server's credentials are unknown here.
	status, answer, err := a.Post("/institutions/get_by_id", map[string]any{
		"client_id": b.ClientID, "secret": b.Secret, "institution_id": "ins_109508", "country_codes": []string{"US"}})
	if err != nil || status != 400 || answer["error_code"] != "INVALID_API_KEYS" {
		t.Errorf("another server's credentials: %d %v %v, want 400 INVALID_API_KEYS", status, answer, err)
	}

	resp, err := http.Get(a.ScriptURL)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") || !strings.Contains(string(js), "window.Plaid") {
		t.Errorf("GET %s: %d %s, %d bytes", a.ScriptURL, resp.StatusCode, resp.Header.Get("Content-Type"), len(js))
	}

	a.Close()
	if _, err := http.Get(a.ScriptURL); err == nil {
		t.Error("the server answers after Close")
	}
	a.Close() // again, as the cleanup does
}

func TestOptions(t *testing.T) {
	s := plaidtest.NewServer(t, plaidtest.WithCredentials("my-client", "my-secret", "my-key"),
		plaidtest.WithRedirectURIs("https://app.example/oauth", "https://*.example.org/back"))
	if s.ClientID != "my-client" || s.Secret != "my-secret" || s.PublicKey != "my-key" {
		t.Errorf("credentials %q %q %q", s.ClientID, s.Secret, s.PublicKey)
	}
	token := func(redirect string) (int, map[string]any) {
		status, answer, err := s.Post("/link/token/create", map[string]any{
			"client_name": "My App", "language": "en", "country_codes": []string{"US"},
			"user": map[string]any{"client_user_id": "u"}, "products": []string{"transactions"}, "redirect_uri": redirect})
		if err != nil {
			t.Fatal(err)
		}
		return status, answer
	}
	for _, uri := range []string{"https://app.example/oauth", "https://www.example.org/back"} {
		if status, answer := token(uri); status != 200 {
			t.Errorf("redirect_uri %s refused: %v", uri, answer)
		}
	}
	if status, answer := token("https://evil.example/oauth"); status != 400 {
		t.Errorf("a redirect_uri not allowed: %d %v", status, answer)
	}
}

// TestWithSettings checks that WithSettings gives the client its
// settings, as the control API then reads them.
func TestWithSettings(t *testing.T) {
	s := plaidtest.NewServer(t, plaidtest.WithSettings(`{"account_select": {"mode": "single"}, "chaos_ordering": {"enabled": true, "seed": 11}}`))
	got := s.Call(t, "/linkharness/settings/get", map[string]any{})["settings"].(map[string]any)
	mode := got["account_select"].(map[string]any)["mode"]
	seed := got["chaos_ordering"].(map[string]any)["seed"]
	if mode != "single" || seed != 11.0 {
		t.Errorf("settings %v, want account_select single and chaos seed 11", got)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		run  func(t testing.TB)
		want string
	}{
		{"empty secret", func(t testing.TB) { plaidtest.NewServer(t, plaidtest.WithCredentials("id", "", "key")) },
			"plaidtest: WithCredentials: the client_id, secret and public key must all be set"},
		{"relative redirect URI", func(t testing.TB) { plaidtest.NewServer(t, plaidtest.WithRedirectURIs("/oauth")) },
			`plaidtest: WithRedirectURIs: redirect URI "/oauth" is not an absolute http or https URI`},
		{"settings not JSON", func(t testing.TB) { plaidtest.NewServer(t, plaidtest.WithSettings("{")) },
			"plaidtest: WithSettings: the settings are not JSON"},
		{"a bad setting", func(t testing.TB) {
			plaidtest.NewServer(t, plaidtest.WithSettings(`{"account_select": {"mode": "two"}}`))
		},
			"plaidtest: starting the emulator: web: settings of client"},
		{"clock backwards", func(t testing.TB) { plaidtest.NewServer(t).AdvanceClock(t, -time.Hour) },
			"plaidtest: AdvanceClock(-1h0m0s): the clock only moves on"},
		{"a Plaid error", func(t testing.TB) {
			plaidtest.NewServer(t).Call(t, "/item/get", map[string]any{"access_token": "access-sandbox-nope"})
		},
			"POST /item/get: 400 INVALID_INPUT INVALID_ACCESS_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fatal := testkit.Capture(t, tt.run)
			if !fatal || !strings.HasPrefix(got, tt.want) {
				t.Errorf("reported %q (fatal %v), want %q", got, fatal, tt.want)
			}
		})
	}
}

func TestAdvanceClock(t *testing.T) {
	s := plaidtest.NewServer(t)
	before, err := time.Parse(time.RFC3339Nano, s.Call(t, "/linkharness/clock/get", nil)["now"].(string))
	if err != nil {
		t.Fatal(err)
	}
	after := s.AdvanceClock(t, 4*time.Hour)
	if d := after.Sub(before); d < 4*time.Hour || d > 4*time.Hour+time.Minute {
		t.Errorf("the clock moved %v, want 4h", d)
	}
	// A link token lives 4 hours: advanced past that, it has expired.
	tok := s.Call(t, "/link/token/create", map[string]any{"client_name": "My App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "u"}, "products": []string{"transactions"}})
	s.AdvanceClock(t, 4*time.Hour+time.Second)
	if status, answer, _ := s.Post("/link/token/get", map[string]any{"link_token": tok["link_token"]}); status != 400 || answer["error_code"] != "INVALID_LINK_TOKEN" {
		t.Errorf("a link token 4 h old: %d %v, want INVALID_LINK_TOKEN", status, answer)
	}
}

func TestNewReceiver(t *testing.T) {
	s := plaidtest.NewServer(t)
	rcv := plaidtest.NewReceiver(t, s)
	token := sandboxItem(t, s, rcv.URL+"/plaid")
	s.Call(t, "/sandbox/item/fire_webhook", map[string]any{"access_token": token, "webhook_code": "DEFAULT_UPDATE"})
	got := rcv.WaitFor(t, 1, "TRANSACTIONS", "DEFAULT_UPDATE")
	if got[0].Path != "/plaid" || got[0].JWT() == "" {
		t.Errorf("delivery %v, with JWT %q", got[0], got[0].JWT())
	}
	if api := s.API(); api.URL != s.URL || api.ClientID != s.ClientID || api.Secret != s.Secret {
		t.Errorf("API() = %+v", api)
	}
}
