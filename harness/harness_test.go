package harness_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const publicKey = "test-public-key"

// h is the harness every test shares, as a test binary shares one browser.
var h *harness.Harness

func TestMain(m *testing.M) {
	h = harness.New(web.New(web.Options{Clients: []web.Client{{ClientID: "test", Secret: "test-secret", PublicKey: publicKey}}}))
	code := m.Run()
	h.Close()
	os.Exit(code)
}

func config() harness.Config {
	return harness.Config{ClientName: "Harness Test", Key: publicKey, Product: []string{"transactions"}}
}

// steps drives a session; each step is an action a person takes.
type step func(*harness.Session) error

func press(name string) step { return func(s *harness.Session) error { return s.Press(name) } }

func fill(label, value string) step {
	return func(s *harness.Session) error { return s.Fill(label, value) }
}

func exit(force bool) step { return func(s *harness.Session) error { return s.Exit(force) } }

func login(password string) []step {
	return []step{fill("Username", "user_good"), fill("Password", password), press("Submit")}
}

func run(t testing.TB, c harness.Config, steps ...step) *harness.Session {
	t.Helper()
	s, err := h.Create(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	for i, st := range steps {
		if err := st(s); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	return s
}

func concat(parts ...[]step) []step { return slices.Concat(parts...) }

var successFlow = concat(
	[]step{press("Continue"), press("First Platypus Bank")},
	login("pass_good"),
	[]step{press("Plaid Checking"), press("Continue"), press("Continue")},
)

// TestSuccessFlowGolden pins the callbacks of the success flow; the chromedp
// test in e2e/ checks the browser against the same file.
func TestSuccessFlowGolden(t *testing.T) {
	s := run(t, config(), successFlow...)
	if v := s.View(); v != nil {
		t.Fatalf("Link still shows %s after the flow", v.Pane)
	}
	checkGolden(t, "success_flow.golden", s.Calls())

	var public string
	for _, c := range s.Calls() {
		if c.Name == protocol.OnSuccess {
			json.Unmarshal(c.Args[0], &public)
		}
	}
	if !strings.HasPrefix(public, "public-sandbox-") {
		t.Fatalf("public_token = %q, want public-sandbox-...", public)
	}
}

func checkGolden(t *testing.T, name string, calls []harness.Call) {
	t.Helper()
	got, err := harness.Transcript(calls)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./harness -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("transcript differs from %s (go test ./harness -update refreshes it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestFlows checks the event sequence and the final callback of each flow.
func TestFlows(t *testing.T) {
	tests := []struct {
		name   string
		steps  []step
		events []string
		// last is the name of the last callback and a fragment of its
		// arguments' JSON.
		last, lastHas string
	}{
		{
			name:   "success",
			steps:  successFlow,
			events: []string{"OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW", "TRANSITION_VIEW", "HANDOFF"},
			last:   "onEvent", lastHas: `"HANDOFF"`,
		},
		{
			name: "wrong password, retry, success",
			steps: concat(
				[]step{press("Continue"), press("First Platypus Bank")},
				login("pass_bad"),
				[]step{press("Try again")},
				login("pass_good"),
				[]step{press("Plaid Checking"), press("Continue"), press("Continue")},
			),
			events: []string{"OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW", "ERROR", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW", "TRANSITION_VIEW", "HANDOFF"},
			last:   "onEvent", lastHas: `"HANDOFF"`,
		},
		{
			name:   "forced exit on the credential pane",
			steps:  []step{press("Continue"), press("First Platypus Bank"), exit(true)},
			events: []string{"OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "EXIT"},
			last:   "onExit", lastHas: `[null,{"institution":{"name":"First Platypus Bank","institution_id":"ins_109508"},"status":"requires_credentials"`,
		},
		{
			name:   "exit after a failed login reports the error",
			steps:  concat([]step{press("Continue"), press("First Platypus Bank")}, login("error_ITEM_LOCKED"), []step{press("Close")}),
			events: []string{"OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW", "ERROR", "EXIT"},
			last:   "onExit", lastHas: `"error_code":"ITEM_LOCKED"`,
		},
		{
			name:   "exit on account selection",
			steps:  concat([]step{press("Continue"), press("First Platypus Bank")}, login("pass_good"), []step{exit(false)}),
			events: []string{"OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS", "TRANSITION_VIEW", "EXIT"},
			last:   "onExit", lastHas: `"status":"requires_account_selection"`,
		},
		{
			name:   "search then pick",
			steps:  []step{press("Continue"), fill("Search", "tartan"), press("Tartan Bank"), exit(true)},
			events: []string{"OPEN", "TRANSITION_VIEW", "SEARCH_INSTITUTION", "SELECT_INSTITUTION", "TRANSITION_VIEW", "EXIT"},
			last:   "onExit", lastHas: `"institution_id":"ins_109511"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := run(t, config(), tt.steps...)
			if got := s.Events(); !slices.Equal(got, tt.events) {
				t.Errorf("events:\n got %v\nwant %v", got, tt.events)
			}
			calls := s.Calls()
			last := calls[len(calls)-1]
			args, _ := json.Marshal(last.Args)
			if last.Name != tt.last || !strings.Contains(string(args), tt.lastHas) {
				t.Errorf("last callback %s %s, want %s containing %s", last.Name, args, tt.last, tt.lastHas)
			}
		})
	}
}

// TestSameWasmAsServed proves the harness runs the bytes browsers get.
func TestSameWasmAsServed(t *testing.T) {
	srv := httptest.NewServer(web.New(web.Options{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + web.WasmPath)
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
