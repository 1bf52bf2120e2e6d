package testkit_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/internal/webhook"
)

// plaid is a stand-in for the emulator: /webhook_verification_key/get
// serves its signer's key to client "c" with secret "s", /echo answers
// the body and the credentials it got, and /fail answers a Plaid error.
type plaid struct {
	signer *webhook.Signer
}

func newPlaid(t *testing.T) (*plaid, *testkit.Client) {
	t.Helper()
	k, err := webhook.NewKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s, err := webhook.NewSigner(k)
	if err != nil {
		t.Fatal(err)
	}
	p := &plaid{signer: s}
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
	case "/webhook_verification_key/get":
		switch {
		case r.Header.Get("PLAID-CLIENT-ID") != "c" || r.Header.Get("PLAID-SECRET") != "s":
			fail(400, "INVALID_API_KEYS")
		case body["key_id"] != p.signer.KeyID():
			fail(400, "INVALID_WEBHOOK_VERIFICATION_KEY_ID")
		default:
			json.NewEncoder(w).Encode(map[string]any{"key": p.signer.JWK(), "request_id": "req"})
		}
	default:
		w.WriteHeader(404)
	}
}

// deliver POSTs a webhook to the receiver as the emulator does, signed
// over signed (the body itself unless the test tampers), and returns the
// receiver's answer.
func deliver(t *testing.T, p *plaid, url string, body, signed []byte) int {
	t.Helper()
	jwt, err := p.signer.Sign(signed, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", url+"/hook", bytes.NewReader(body))
	req.Header.Set(webhook.Header, jwt)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func hook(typ, code string) []byte {
	return fmt.Appendf(nil, `{"webhook_type":%q,"webhook_code":%q,"environment":"sandbox"}`, typ, code)
}

// fakeT is a testing.TB that records failures instead of failing the
// test, so that a test can check what the kit reports.
type fakeT struct {
	testing.TB
	mu       sync.Mutex
	failures []string
	fatal    bool
	cleanups []func()
}

func (f *fakeT) Helper() {}

func (f *fakeT) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.mu.Lock()
	f.fatal = true
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeT) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }

func (f *fakeT) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }

// run runs fn as a test of its own on f, then f's cleanups, and returns
// what failed.
func (f *fakeT) run(fn func(t testing.TB)) string {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
	return strings.Join(f.failures, "\n")
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
	f := &fakeT{TB: t}
	got := f.run(func(t testing.TB) { c.Must(t, "/fail", map[string]any{}) })
	if !f.fatal || !strings.Contains(got, "POST /fail: 400 INVALID_INPUT INVALID_FIELD: no (request_id req)") {
		t.Errorf("Must of an error reported %q", got)
	}
}

func TestEventually(t *testing.T) {
	n := 0
	testkit.Eventually(t, time.Second, "three calls", func() bool { n++; return n == 3 })
	f := &fakeT{TB: t}
	got := f.run(func(t testing.TB) {
		testkit.Eventually(t, 50*time.Millisecond, "the moon", func() bool { return false })
	})
	if !f.fatal || got != "timed out after 50ms waiting for the moon" {
		t.Errorf("Eventually reported %q", got)
	}
}

func TestReceiverVerifies(t *testing.T) {
	p, c := newPlaid(t)
	r := testkit.NewReceiver(t, c)
	for _, b := range [][]byte{hook("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE"), hook("ITEM", "ERROR"), hook("TRANSACTIONS", "DEFAULT_UPDATE")} {
		if status := deliver(t, p, r.URL, b, b); status != 200 {
			t.Fatalf("a signed webhook was answered %d", status)
		}
	}
	if got := r.Next(t); got["webhook_code"] != "SYNC_UPDATES_AVAILABLE" {
		t.Errorf("first Next: %v", got)
	}
	if got := r.Next(t); got["webhook_code"] != "ERROR" {
		t.Errorf("second Next: %v", got)
	}
	ds := r.WaitFor(t, 2, "TRANSACTIONS", "")
	if len(ds) != 2 || ds[1].Code() != "DEFAULT_UPDATE" || ds[1].Path != "/hook" || ds[1].JWT() == "" || ds[1].Attempt != 3 {
		t.Errorf("WaitFor TRANSACTIONS: %v", ds)
	}
	if got := testkit.Webhooks(r.Received("", "ERROR")); len(got) != 1 || got[0]["webhook_type"] != "ITEM" {
		t.Errorf("Received ERROR: %v", got)
	}
	if r.Count() != 3 || r.Attempts() != 3 {
		t.Errorf("Count %d, Attempts %d, want 3 and 3", r.Count(), r.Attempts())
	}
}

// TestReceiverRejects checks that a bad signature, a body that is not the
// one signed, an unknown key or no signature are rejected with a 400 and
// reported: at once by Wait, at the end of the test otherwise.
func TestReceiverRejects(t *testing.T) {
	p, c := newPlaid(t)
	body := hook("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")
	other, _ := webhook.NewKey(time.Now())
	stranger, _ := webhook.NewSigner(other)
	tests := []struct {
		name string
		send func(url string) int
		want string
	}{
		{"body not the one signed", func(url string) int { return deliver(t, p, url, body, append(bytes.Clone(body), ' ')) },
			"body does not match request_body_sha256"},
		{"another key's signature under this kid", func(url string) int {
			jwt, _ := stranger.Sign(body, time.Now())
			mine, _ := p.signer.Sign(body, time.Now())
			parts, own := strings.Split(jwt, "."), strings.Split(mine, ".")
			return post(t, url, body, own[0]+"."+own[1]+"."+parts[2])
		}, "bad signature"},
		{"unknown key", func(url string) int { jwt, _ := stranger.Sign(body, time.Now()); return post(t, url, body, jwt) },
			"INVALID_WEBHOOK_VERIFICATION_KEY_ID"},
		{"no signature", func(url string) int { return post(t, url, body, "") }, "no Plaid-Verification header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeT{TB: t}
			var r *testkit.Receiver
			got := f.run(func(ft testing.TB) {
				r = testkit.NewReceiver(ft, c)
				if status := tt.send(r.URL); status != 400 {
					t.Errorf("answered %d, want 400", status)
				}
				r.Wait(ft, 1)
			})
			if !f.fatal || !strings.Contains(got, "failed verification") || !strings.Contains(got, tt.want) {
				t.Errorf("reported %q, want a verification failure naming %q", got, tt.want)
			}
			if r.Count() != 0 {
				t.Errorf("the rejected delivery counts: %v", r.Deliveries())
			}
		})
	}
	// Without a Wait the end of the test reports it.
	f := &fakeT{TB: t}
	got := f.run(func(ft testing.TB) {
		r := testkit.NewReceiver(ft, c)
		deliver(t, p, r.URL, body, []byte("{}"))
	})
	if f.fatal || !strings.Contains(got, "failed verification: webhook: body does not match") {
		t.Errorf("at the end of the test: %q", got)
	}
}

func post(t *testing.T, url string, body []byte, jwt string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	if jwt != "" {
		req.Header.Set(webhook.Header, jwt)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestReceiverFails(t *testing.T) {
	p, c := newPlaid(t)
	r := testkit.NewReceiver(t, c, testkit.FailFirst(2))
	body := hook("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")
	var codes []int
	for range 3 {
		codes = append(codes, deliver(t, p, r.URL, body, body))
	}
	if fmt.Sprint(codes) != "[503 503 200]" || r.Attempts() != 3 || r.Count() != 1 {
		t.Errorf("answers %v, %d attempts, %d accepted; want 503 503 200", codes, r.Attempts(), r.Count())
	}
	r.FailNext(1)
	if a, b := deliver(t, p, r.URL, body, body), deliver(t, p, r.URL, body, body); a != 503 || b != 200 {
		t.Errorf("after FailNext(1): %d %d, want 503 200", a, b)
	}
}

func TestReceiverWaitTimesOut(t *testing.T) {
	p, c := newPlaid(t)
	f := &fakeT{TB: t}
	got := f.run(func(ft testing.TB) {
		r := testkit.NewReceiver(ft, c, testkit.WaitTimeout(50*time.Millisecond))
		b := hook("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")
		deliver(t, p, r.URL, b, b)
		r.WaitFor(ft, 2, "LINK", "SESSION_FINISHED")
	})
	want := "webhook receiver: 0 of 2 LINK SESSION_FINISHED webhooks after 50ms; it accepted [#1 /hook TRANSACTIONS SYNC_UPDATES_AVAILABLE]"
	if !f.fatal || got != want {
		t.Errorf("reported %q,\nwant %q", got, want)
	}
}
