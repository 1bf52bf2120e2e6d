// Package plaidtest starts the linkharness emulator of Plaid in process
// for a Go test, in the spirit of net/http/httptest: NewServer serves the
// Plaid API, the Link SDK (link-initialize.js and link.wasm) and the
// /linkharness/ control API on a local httptest server with an in-memory
// store and a fresh client, and closes it when the test ends.
//
// Point the Plaid client under test at Server.URL with Server.ClientID and
// Server.Secret, and a page's script tag at Server.ScriptURL. NewReceiver
// adds a webhook receiver that verifies each delivery's signature with
// the server's keys (package plaidtest/webhooktest), and package
// plaidtest/linkdriver drives Link in headless Chromium by role and
// accessible name:
//
//	srv := plaidtest.NewServer(t)
//	rcv := plaidtest.NewReceiver(t, srv)
//	token := srv.Call(t, "/link/token/create", map[string]any{..., "webhook": rcv.URL})["link_token"]
//
// The package imports chromedp nowhere; only linkdriver does.
package plaidtest

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/plaidtest/webhooktest"
	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

// Server is the emulator, serving on a local address for one test.
type Server struct {
	// URL is the server's base URL, without a trailing slash: the Plaid
	// API's base URL for the client under test.
	URL string
	// ClientID and Secret are the credentials the Plaid API accepts.
	ClientID, Secret string
	// PublicKey is what a legacy Plaid.create({key}) integration sends.
	PublicKey string
	// ScriptURL is the Link SDK's address, for a page's script tag in
	// place of Plaid's CDN.
	ScriptURL string

	http *httptest.Server
	web  *web.Server
	kit  *testkit.Client
}

// Option configures a Server.
type Option func(*config)

type config struct {
	client web.Client
	err    string
}

// WithCredentials gives the server's client the credentials an
// integration under test is configured with, in place of random ones.
// None may be empty.
func WithCredentials(clientID, secret, publicKey string) Option {
	return func(c *config) {
		if clientID == "" || secret == "" || publicKey == "" {
			c.err = "WithCredentials: the client_id, secret and public key must all be set"
			return
		}
		c.client.ClientID, c.client.Secret, c.client.PublicKey = clientID, secret, publicKey
	}
}

// WithRedirectURIs allows OAuth redirect URIs (oauthRedirectUri,
// redirect_uri) for the server's client, as Plaid's Dashboard does; "*."
// before the host allows its subdomains. Each must be an absolute http or
// https URI.
func WithRedirectURIs(uris ...string) Option {
	return func(c *config) {
		parsed, err := web.ParseRedirectURIs(strings.Join(uris, ","))
		if err != nil {
			c.err = "WithRedirectURIs: " + err.Error()
			return
		}
		c.client.RedirectURIs = append(c.client.RedirectURIs, parsed...)
	}
}

// WithSettings gives the server's client Dashboard settings, a JSON
// document as /linkharness/settings/set takes them (and `linkharness serve
// --settings`): Account Select, Link customizations, institution health,
// the webhook retry schedule and chaos ordering, for example
// `{"chaos_ordering": {"enabled": true}}`. A bad document fails the test
// as the server starts.
func WithSettings(doc string) Option {
	return func(c *config) {
		if !json.Valid([]byte(doc)) {
			c.err = "WithSettings: the settings are not JSON"
			return
		}
		c.client.Settings = json.RawMessage(doc)
	}
}

// NewServer starts the emulator for the test, with a fresh in-memory
// store and one client whose client_id, secret and public key are random
// (crypto/rand) unless WithCredentials sets them. The test's cleanup
// closes it. A bad option fails the test at once.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	c := config{client: web.Client{ClientID: ids.RandomString(24), Secret: ids.RandomString(30), PublicKey: ids.RandomString(30)}}
	for _, o := range opts {
		o(&c)
		if c.err != "" {
			t.Fatal("plaidtest: " + c.err)
		}
	}
	h, err := web.NewServer(web.Options{Clients: []web.Client{c.client}, DemoPublicKey: c.client.PublicKey, Assets: assets.New()})
	if err != nil {
		t.Fatalf("plaidtest: starting the emulator: %v", err)
	}
	hs := httptest.NewServer(h)
	s := &Server{
		URL:       hs.URL,
		ClientID:  c.client.ClientID,
		Secret:    c.client.Secret,
		PublicKey: c.client.PublicKey,
		ScriptURL: hs.URL + assets.ScriptPath,
		http:      hs,
		web:       h,
		kit:       testkit.New(hs.URL, c.client.ClientID, c.client.Secret),
	}
	t.Cleanup(s.Close)
	return s
}

// Close shuts the server down: it stops answering and delivering
// webhooks, and its store is gone. The test's cleanup calls it; calling
// it again does nothing.
func (s *Server) Close() {
	s.http.Close()
	s.web.Close()
}

// Call POSTs body as JSON to path (a Plaid API or control API path such as
// "/link/token/create") with the server's credentials and returns the
// answer, decoded. It fails the test with Plaid's error unless the answer
// is 200. A nil body sends {}.
func (s *Server) Call(t testing.TB, path string, body any) map[string]any {
	t.Helper()
	return s.kit.Must(t, path, body)
}

// Post is Call that leaves the status to the test, for a test of what the
// API refuses: it returns the HTTP status and the answer, decoded (Plaid's
// error body when the status is not 200). err is a transport error or an
// answer that is not JSON, never a status.
func (s *Server) Post(path string, body any) (status int, answer map[string]any, err error) {
	return s.kit.Post(path, body)
}

// AdvanceClock moves the client's emulator clock on by d, so that tokens
// expire and reports become ready without waiting (the control API's
// /linkharness/clock/advance), and returns the emulator's new time. d must
// be positive.
func (s *Server) AdvanceClock(t testing.TB, d time.Duration) time.Time {
	t.Helper()
	if d <= 0 {
		t.Fatalf("plaidtest: AdvanceClock(%v): the clock only moves on", d)
	}
	var got struct {
		Now time.Time `json:"now"`
	}
	s.kit.MustDecode(t, web.ControlPrefix+"clock/advance", map[string]any{"duration": d.String()}, &got)
	return got.Now
}

// API is what a webhooktest.Receiver fetches the server's verification
// keys with: its URL and credentials.
func (s *Server) API() webhooktest.API {
	return webhooktest.API{URL: s.URL, ClientID: s.ClientID, Secret: s.Secret}
}

// NewReceiver starts a webhook receiver for the test that verifies every
// delivery with srv's keys, as an integration's endpoint must: pass its
// URL as a link token's or an Item's webhook. See package webhooktest.
func NewReceiver(t testing.TB, srv *Server, opts ...webhooktest.Option) *webhooktest.Receiver {
	t.Helper()
	return webhooktest.NewReceiver(t, srv.API(), opts...)
}
