package testkit_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/testkit"
)

// plaid is a stand-in for the emulator: /echo answers the body and the
// credentials it got, and /fail answers a Plaid error.
type plaid struct{}

func newPlaid(t *testing.T) (*plaid, *testkit.Client) {
	t.Helper()
	p := &plaid{}
	return p, testkit.Serve(t, p, "c", "s")
}

func (p *plaid) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	fail := func(status int, code string) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error_type": "INVALID_INPUT", "error_code": code,
			"error_message": "no", "display_message": nil, "request_id": "req"})
	}
	switch r.URL.Path {
	case "/echo":
		json.NewEncoder(w).Encode(map[string]any{"body": body, "client_id": r.Header.Get("PLAID-CLIENT-ID"), "secret": r.Header.Get("PLAID-SECRET")})
	case "/fail":
		fail(400, "INVALID_FIELD")
	default:
		w.WriteHeader(404)
	}
}

func TestClient(t *testing.T) {
	_, c := newPlaid(t)
	status, out, err := c.Post("/echo", map[string]any{"x": 1})
	if err != nil || status != 200 || out["client_id"] != "c" || out["secret"] != "s" || out["body"].(map[string]any)["x"] != 1.0 {
		t.Fatalf("Post: %d %v %v", status, out, err)
	}
	if _, out, _ := c.As("", "").Post("/echo", `{"raw":true}`); out["client_id"] != "" || out["body"].(map[string]any)["raw"] != true {
		t.Errorf("As with no credentials, a raw body: %v", out)
	}
	if out := c.Must(t, "/echo", nil); out["body"] == nil {
		t.Errorf("a nil body is not {}: %v", out)
	}
	var typed struct {
		ClientID string `json:"client_id"`
	}
	c.MustDecode(t, "/echo", nil, &typed)
	if typed.ClientID != "c" {
		t.Errorf("MustDecode: %+v", typed)
	}
	status, out, err = c.Post("/fail", nil)
	if err != nil || status != 400 || out["error_code"] != "INVALID_FIELD" {
		t.Errorf("Post of an error: %d %v %v, want the error as an answer", status, out, err)
	}
	err = c.Do("/fail", nil, nil)
	if e, ok := err.(*testkit.Error); !ok || e.Status != 400 || e.ErrorCode != "INVALID_FIELD" || e.Body["request_id"] != "req" {
		t.Errorf("Do of an error: %#v", err)
	}
	if _, _, err := c.Post("/nope", nil); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("a 404 without a body: %v", err)
	}
	got, fatal := testkit.Capture(t, func(t testing.TB) { c.Must(t, "/fail", map[string]any{}) })
	if !fatal || !strings.Contains(got, "POST /fail: 400 INVALID_INPUT INVALID_FIELD: no (request_id req)") {
		t.Errorf("Must of an error reported %q", got)
	}
}

func TestEventually(t *testing.T) {
	n := 0
	testkit.Eventually(t, time.Second, "three calls", func() bool { n++; return n == 3 })
	got, fatal := testkit.Capture(t, func(t testing.TB) {
		testkit.Eventually(t, 50*time.Millisecond, "the moon", func() bool { return false })
	})
	if !fatal || got != "timed out after 50ms waiting for the moon" {
		t.Errorf("Eventually reported %q", got)
	}
}

func TestCapture(t *testing.T) {
	tests := []struct {
		name  string
		fn    func(testing.TB)
		want  string
		fatal bool
	}{
		{"passes", func(testing.TB) {}, "", false},
		{"errors", func(t testing.TB) { t.Errorf("a %d", 1); t.Error("b") }, "a 1\nb", false},
		{"fatal stops", func(t testing.TB) { t.Fatal("c"); t.Error("never") }, "c", true},
		{"cleanups run", func(t testing.TB) { t.Cleanup(func() { t.Error("cleaned") }) }, "cleaned", false},
		{"skip is a failure", func(t testing.TB) { t.Skip("no") }, "skipped: no", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fatal := testkit.Capture(t, tt.fn)
			if got != tt.want || fatal != tt.fatal {
				t.Errorf("Capture = %q, %v; want %q, %v", got, fatal, tt.want, tt.fatal)
			}
		})
	}
}
