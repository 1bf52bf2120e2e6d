package harness_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/internal/scenario"
	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const publicKey = "test-public-key"

// redirectURI is the app's page the bank sends users back to in the OAuth
// redirect flow, allowed for the test client.
const redirectURI = "https://app.example/oauth-return"

// host is what the scenarios run with.
var host = scenario.Host{Backend: backend, PublicKey: publicKey, RedirectURI: redirectURI}

// h is the harness every test shares, as a test binary shares one browser;
// api is its backend.
var (
	h   *harness.Harness
	api http.Handler
)

// receiver is a webhook receiver that verifies signatures with keys from
// the harness's backend, served over HTTP for the test.
func receiver(t *testing.T) *testkit.Receiver {
	t.Helper()
	return testkit.NewReceiver(t, testkit.Serve(t, api, "test", "test-secret"))
}

func TestMain(m *testing.M) {
	api = web.New(web.Options{Clients: []web.Client{{ClientID: "test", Secret: "test-secret", PublicKey: publicKey,
		RedirectURIs: []string{redirectURI}}}})
	h = harness.New(api)
	code := m.Run()
	h.Close()
	os.Exit(code)
}

// backend is the scenario package's Backend on the harness's server, as
// the test client.
func backend(path string, body map[string]any, out any) error {
	return h.Post(path, credentials(body), out)
}

// withCallbacks is a configuration as the harness's page would pass it:
// every callback a function.
func withCallbacks(t testing.TB, c map[string]any) json.RawMessage {
	t.Helper()
	b, err := callbacksConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// callbacksConfig is withCallbacks for any goroutine: it returns the error.
func callbacksConfig(c map[string]any) (json.RawMessage, error) {
	c = maps.Clone(c)
	fn := protocol.Function{Function: true}
	for _, name := range []string{protocol.OnSuccess, protocol.OnExit, protocol.OnEvent, protocol.OnLoad} {
		c[name] = fn
	}
	return json.Marshal(c)
}

// played is what a scenario did: the Link sessions of each page load, in
// order (more than one when the OAuth redirect flow re-initialised Link).
type played struct {
	sessions []*harness.Session
	// opened is the configuration the first page opened Link with.
	opened map[string]any
}

// last is the session the scenario ended in.
func (p played) last() *harness.Session { return p.sessions[len(p.sessions)-1] }

// calls are the callbacks of every session, in order.
func (p played) calls() []harness.Call {
	var all []harness.Call
	for _, s := range p.sessions {
		all = append(all, s.Calls()...)
	}
	return all
}

// play runs a scenario in a new session of the shared harness, and in one
// more for each redirect step.
func play(t testing.TB, sc scenario.Scenario) played {
	t.Helper()
	p, err := playOn(h, sc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// playOn runs a scenario on hh; it returns an error, and so can run on
// any goroutine (the parallel benchmark's).
func playOn(hh *harness.Harness, sc scenario.Scenario) (played, error) {
	var s *harness.Session
	var opened map[string]any
	var err error
	if sc.Webview != nil {
		s, err = hh.CreateWebview(sc.WebviewQuery(publicKey))
	} else {
		if opened, err = sc.Configuration(host); err != nil {
			return played{}, err
		}
		var c json.RawMessage
		if c, err = callbacksConfig(opened); err != nil {
			return played{}, err
		}
		s, err = hh.CreateJSON(c)
	}
	if err != nil {
		return played{}, err
	}
	if err := s.Open(); err != nil {
		return played{}, err
	}
	p := played{sessions: []*harness.Session{s}, opened: opened}
	var redirect string // where the bank sent the user back to
	for _, st := range sc.Steps {
		var err error
		switch st.Verb {
		case scenario.Press:
			err = s.Press(st.Args[0])
		case scenario.Fill:
			err = s.Fill(st.Args[0], st.Args[1])
		case scenario.See:
			err = see(s.View(), st.Args[0])
		case scenario.Wait:
			err = s.Wait()
		case scenario.Escape:
			err = s.Escape()
		case scenario.Exit:
			err = s.Exit(st.Force())
		case scenario.OAuth:
			if st.Args[0] == scenario.OAuthClose {
				err = s.CloseWindow()
			} else {
				err = s.Authorize(st.Args[0] == scenario.OAuthAllow)
			}
			if back, ok := s.Redirected(); ok {
				redirect = back
			}
		case scenario.Redirect:
			s, err = reinitialise(hh, opened, redirect, st.JSON)
			if s != nil {
				p.sessions = append(p.sessions, s)
			}
		}
		if err != nil {
			return p, fmt.Errorf("%s line %d (%s): %w", sc.Name, st.Line, st, err)
		}
	}
	return p, nil
}

// reinitialise is the app's page at the redirect URI: it creates Link
// again, as scenario.Resume says, and opens it.
func reinitialise(hh *harness.Harness, opened map[string]any, redirect string, options json.RawMessage) (*harness.Session, error) {
	if redirect == "" {
		return nil, errors.New("the bank has not redirected back to the app")
	}
	c, err := scenario.Resume(opened, redirect, options)
	if err != nil {
		return nil, err
	}
	raw, err := callbacksConfig(c)
	if err != nil {
		return nil, err
	}
	s, err := hh.CreateJSON(raw)
	if err != nil {
		return nil, err
	}
	return s, s.Open()
}

// see reports whether v shows text in its heading or a paragraph.
func see(v *protocol.View, text string) error {
	if v == nil {
		return errors.New("Link shows nothing")
	}
	if strings.Contains(v.Heading, text) || slices.ContainsFunc(v.Text, func(p string) bool { return strings.Contains(p, text) }) {
		return nil
	}
	return fmt.Errorf("Link's %s pane shows %q and %q, not %q", v.Pane, v.Heading, v.Text, text)
}

func loadScenarios(t testing.TB) []scenario.Scenario {
	t.Helper()
	all, err := scenario.Load("testdata/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// TestScenarios runs every scenario and checks its callbacks against its
// golden transcript; the Chromium tests in e2e/ check the same files.
func TestScenarios(t *testing.T) {
	for _, sc := range loadScenarios(t) {
		t.Run(sc.Name, func(t *testing.T) {
			p := play(t, sc)
			if v := p.last().View(); v != nil {
				t.Fatalf("Link still shows %s at the end of the scenario", v.Pane)
			}
			for _, s := range p.sessions {
				// A page Link left for the bank ends there; every other
				// ends in onSuccess or onExit.
				if _, left := s.Redirected(); sc.Webview == nil && !left {
					checkOneEnd(t, s.Calls(), sc.MultiItem())
				}
			}
			got, err := harness.Transcript(p.calls())
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(sc.Golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(sc.Golden)
			if err != nil {
				t.Fatalf("%v (go test ./harness -update creates it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("transcript differs from %s (go test ./harness -update refreshes it)\ngot:\n%s\nwant:\n%s", sc.Golden, got, want)
			}
		})
	}
}

// checkOneEnd checks that the session ended in exactly one onSuccess or
// onExit, and that a public token from onSuccess is one the server issued
// (or, in Multi-Item Link, empty).
func checkOneEnd(t *testing.T, calls []harness.Call, multiItem bool) {
	t.Helper()
	ends := 0
	for _, c := range calls {
		switch c.Name {
		case protocol.OnSuccess:
			ends++
			var token string
			json.Unmarshal(c.Args[0], &token)
			if multiItem && token != "" || !multiItem && !strings.HasPrefix(token, "public-sandbox-") {
				t.Errorf("public_token = %q, want public-sandbox-... (empty in Multi-Item Link)", token)
			}
		case protocol.OnExit:
			ends++
		}
	}
	if ends != 1 {
		t.Errorf("%d onSuccess/onExit calls, want exactly 1", ends)
	}
}

func TestPressUnknownName(t *testing.T) {
	s, err := h.CreateJSON(withCallbacks(t, scenario.BaseConfig(publicKey)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Press("Continue"); !errors.Is(err, harness.ErrNotShown) {
		t.Fatalf("Press before open: %v, want ErrNotShown", err)
	}
	s.Open()
	err = s.Press("Contineu")
	if !errors.Is(err, harness.ErrNotShown) || !strings.Contains(err.Error(), `shown: Continue, Close`) {
		t.Fatalf("Press of a misspelt name: %v, want ErrNotShown listing what is shown", err)
	}
	if err := s.Fill("Username", "x"); !errors.Is(err, harness.ErrNotShown) {
		t.Fatalf("Fill on the consent pane: %v, want ErrNotShown", err)
	}
}

// TestSameWasmAsServed proves the harness runs the bytes browsers get.
func TestSameWasmAsServed(t *testing.T) {
	srv := httptest.NewServer(web.New(web.Options{Assets: assets.New()}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + assets.WasmPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if served := hex.EncodeToString(sum[:]); served != h.WasmSHA256() {
		t.Fatalf("server serves link.wasm %s, harness runs %s", served, h.WasmSHA256())
	}
}
