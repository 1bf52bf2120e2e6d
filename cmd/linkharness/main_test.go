package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/testkit"
)

// served is a running serve: what it printed, and how to stop it.
type served struct {
	url, secret, key string
	stop             func()
}

// serve runs `linkharness serve` with args until the test stops it, and
// reads the address and credentials it prints.
func serve(t *testing.T, args ...string) served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), pw, io.Discard)
		pw.Close()
	}()
	var s served
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if rest, ok := strings.CutPrefix(line, "linkharness listening on "); ok {
			s.url = rest
		}
		if rest, ok := strings.CutPrefix(line, "secret: "); ok {
			s.secret = strings.TrimSpace(rest)
		}
		if rest, ok := strings.CutPrefix(line, "public key: "); ok {
			s.key = strings.TrimSpace(rest)
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if s.url == "" {
		cancel()
		t.Fatalf("serve printed no address: %v", <-done)
	}
	stopped := false
	s.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve ended with %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop when its context ended")
		}
	}
	t.Cleanup(s.stop)
	return s
}

func TestServe(t *testing.T) {
	s := serve(t, "--public-key", "demo-key", "--secret", "demo-secret",
		"--data", filepath.Join(t.TempDir(), "state.db"), "--client", "other:other-secret:other-key")
	url := s.url
	if s.key != "demo-key" || s.secret != "demo-secret" {
		t.Fatalf("serve printed key %q and secret %q", s.key, s.secret)
	}
	for _, c := range []struct{ id, secret string }{{"linkharness", "demo-secret"}, {"other", "other-secret"}} {
		status, _ := testkit.New(url, c.id, c.secret).Call(t, "/user/create", map[string]any{"client_user_id": "u"})
		if status != http.StatusOK {
			t.Fatalf("client %s: /user/create answered %d", c.id, status)
		}
	}
	resp, err := http.Get(url + "linkharness/demo")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `"public_key":"demo-key"`) {
		t.Fatalf("the demo page is not told the printed public key: %s", page)
	}
	s.stop()
}

// TestGeneratedCredentialsKept restarts serve on the same data file without
// credentials: the generated secret and key are the same as before.
func TestGeneratedCredentialsKept(t *testing.T) {
	data := filepath.Join(t.TempDir(), "state.db")
	first := serve(t, "--data", data)
	first.stop()
	second := serve(t, "--data", data)
	if first.secret == "" || len(first.key) != 30 {
		t.Fatalf("generated secret %q and key %q", first.secret, first.key)
	}
	if second.secret != first.secret || second.key != first.key {
		t.Fatalf("after a restart: secret %q key %q, before %q %q", second.secret, second.key, first.secret, first.key)
	}
	other := serve(t, "--data", filepath.Join(t.TempDir(), "other.db"))
	if other.secret == first.secret {
		t.Fatal("two data files share a generated secret")
	}
}

// TestRedirectURIs allows the --redirect-uri URIs for the clients' link
// tokens, and no other.
func TestRedirectURIs(t *testing.T) {
	s := serve(t, "--secret", "demo-secret", "--data", ":memory:", "--redirect-uri", "https://app.example/oauth-return")
	for _, tt := range []struct {
		uri  string
		want int
	}{
		{"https://app.example/oauth-return", http.StatusOK},
		{"https://app.example/elsewhere", http.StatusBadRequest},
		{"https://evil.example/oauth-return", http.StatusBadRequest},
	} {
		status, msg := testkit.New(s.url, "linkharness", "demo-secret").Call(t, "/link/token/create", map[string]any{"client_name": "App",
			"language": "en", "country_codes": []string{"GB"}, "user": map[string]any{"client_user_id": "u"}, "products": []string{"auth"},
			"redirect_uri": tt.uri})
		if status != tt.want {
			t.Errorf("redirect_uri %s: /link/token/create answered %d, want %d: %v", tt.uri, status, tt.want, msg)
		}
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no command", nil},
		{"unknown command", []string{"start"}},
		{"unknown flag", []string{"serve", "--nope"}},
		{"malformed client", []string{"serve", "--client", "only-an-id"}},
		{"relative redirect URI", []string{"serve", "--redirect-uri", "/oauth-return"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			if err := run(context.Background(), tt.args, io.Discard, &stderr); err == nil {
				t.Fatal("run succeeded")
			}
			if !strings.Contains(stderr.String(), "usage: linkharness serve") {
				t.Fatalf("stderr lacks the usage: %q", stderr.String())
			}
		})
	}
}

// TestSlowClients checks that a client cannot hold a connection: one that
// sends a request's headers but never its body, and one left idle after a
// request, are both closed by the server within its timeouts.
func TestSlowClients(t *testing.T) {
	saved := serverTimeouts
	serverTimeouts = timeouts{header: 200 * time.Millisecond, read: 500 * time.Millisecond, write: 2 * time.Second, idle: 500 * time.Millisecond}
	t.Cleanup(func() { serverTimeouts = saved })
	s := serve(t, "--data", ":memory:")
	addr := strings.TrimSuffix(strings.TrimPrefix(s.url, "http://"), "/")
	closedWithin := func(what string, c net.Conn, r *bufio.Reader, limit time.Duration) {
		t.Helper()
		start := time.Now()
		c.SetReadDeadline(start.Add(limit))
		_, err := io.Copy(io.Discard, r)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Errorf("%s: the connection is still open after %v", what, limit)
		}
	}
	for _, tc := range []struct {
		name, request string
		// answered says the request is whole, so a response comes first.
		answered bool
	}{
		{"headers without the body", "POST /item/get HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", false},
		{"half the headers", "POST /item/get HTTP/1.1\r\nHost: x\r\n", false},
		{"idle after a request", "GET /link/v2/stable/link-initialize.js HTTP/1.1\r\nHost: x\r\n\r\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if _, err := io.WriteString(c, tc.request); err != nil {
				t.Fatal(err)
			}
			r := bufio.NewReader(c)
			if tc.answered {
				resp, err := http.ReadResponse(r, nil)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || resp.Close {
					t.Fatalf("the request was answered %d (close %v), want a 200 on a kept-alive connection", resp.StatusCode, resp.Close)
				}
			}
			closedWithin(tc.name, c, r, 5*time.Second)
		})
	}
}

// TestSettingsFlags starts serve with the default client's Dashboard
// settings from flags and the environment: /linkharness/settings/get
// answers with them, a reset keeps them, and a bad value stops serve
// naming the flag.
func TestSettingsFlags(t *testing.T) {
	t.Setenv("LINKHARNESS_CHAOS_SEED", "42")
	s := serve(t, "--data", ":memory:", "--account-select", "single", "--preselect", "checking",
		"--institution-health", "ins_109508=down", "--webhook-retry-initial", "2s", "--webhook-retry-factor", "2",
		"--webhook-retry-window", "1h", "--settings", `{"link_customizations": {"brand": {"text": {"consent": "Hello"}}}}`)
	c := testkit.New(s.url, "linkharness", s.secret)
	check := func(when string) {
		t.Helper()
		var out struct {
			Settings struct {
				AccountSelect struct {
					Mode      string   `json:"mode"`
					Preselect []string `json:"preselect"`
				} `json:"account_select"`
				LinkCustomizations map[string]any    `json:"link_customizations"`
				InstitutionHealth  map[string]string `json:"institution_health"`
				WebhookRetry       struct {
					InitialSeconds float64 `json:"initial_seconds"`
					Factor         int     `json:"factor"`
					WindowSeconds  float64 `json:"window_seconds"`
				} `json:"webhook_retry"`
				ChaosOrdering struct {
					Enabled bool  `json:"enabled"`
					Seed    int64 `json:"seed"`
				} `json:"chaos_ordering"`
			} `json:"settings"`
		}
		if err := c.Do("/linkharness/settings/get", map[string]any{}, &out); err != nil {
			t.Fatal(err)
		}
		st := out.Settings
		if st.AccountSelect.Mode != "single" || len(st.AccountSelect.Preselect) != 1 || st.InstitutionHealth["ins_109508"] != "DOWN" ||
			st.WebhookRetry.InitialSeconds != 2 || st.WebhookRetry.Factor != 2 || st.WebhookRetry.WindowSeconds != 3600 ||
			!st.ChaosOrdering.Enabled || st.ChaosOrdering.Seed != 42 || st.LinkCustomizations["brand"] == nil {
			t.Errorf("%s: settings %+v, want the flags'", when, st)
		}
	}
	check("at start")
	if err := c.Do("/linkharness/settings/set", map[string]any{"settings": map[string]any{"account_select": map[string]any{"mode": "all"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Do("/linkharness/reset", map[string]any{}, nil); err != nil {
		t.Fatal(err)
	}
	check("after set and reset")
	s.stop()

	for _, tc := range []struct{ args []string }{
		{[]string{"--account-select", "some"}},
		{[]string{"--webhook-retry-initial", "soon"}},
		{[]string{"--institution-health", "ins_109508"}},
		{[]string{"--settings", "[]"}},
	} {
		err := run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0", "--data", ":memory:"}, tc.args...), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(tc.args[0], "--")) && !strings.Contains(err.Error(), "account_select.mode") {
			t.Errorf("serve %v: %v, want an error naming the flag", tc.args, err)
		}
	}
}
