package webhooktest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/internal/webhook"
	"github.com/linkharness/linkharness/plaidtest/webhooktest"
)

// plaid is a stand-in for Plaid's API: /webhook_verification_key/get
// serves its signer's key to client "c" with secret "s".
type plaid struct {
	signer *webhook.Signer
	// fetches counts the key requests.
	fetches atomic.Int32
}

// newPlaid serves a stand-in and returns it with the API that reaches it.
func newPlaid(t *testing.T) (*plaid, webhooktest.API) {
	t.Helper()
	p := &plaid{signer: newSigner(t)}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, webhooktest.API{URL: srv.URL, ClientID: "c", Secret: "s"}
}

func newSigner(t *testing.T) *webhook.Signer {
	t.Helper()
	k, err := webhook.NewKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	s, err := webhook.NewSigner(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (p *plaid) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	fail := func(code string) {
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]any{"error_type": "INVALID_INPUT", "error_code": code, "error_message": "no", "request_id": "req"})
	}
	p.fetches.Add(1)
	switch {
	case r.URL.Path != "/webhook_verification_key/get":
		w.WriteHeader(404)
	case r.Header.Get("PLAID-CLIENT-ID") != "c" || r.Header.Get("PLAID-SECRET") != "s":
		fail("INVALID_API_KEYS")
	case body["key_id"] != p.signer.KeyID():
		fail("INVALID_WEBHOOK_VERIFICATION_KEY_ID")
	default:
		json.NewEncoder(w).Encode(map[string]any{"key": p.signer.JWK(), "request_id": "req"})
	}
}

// deliver POSTs a webhook to the receiver as Plaid does, signed over
// signed (the body itself unless the test tampers), and returns the
// receiver's answer.
func deliver(t *testing.T, p *plaid, url string, body, signed []byte) int {
	t.Helper()
	jwt, err := p.signer.Sign(signed, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return post(t, url+"/hook", body, jwt)
}

func post(t *testing.T, url string, body []byte, jwt string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
	if jwt != "" {
		req.Header.Set(webhooktest.Header, jwt)
	}
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

func TestReceiverVerifies(t *testing.T) {
	if webhooktest.Header != webhook.Header {
		t.Fatalf("Header %q, the emulator signs in %q", webhooktest.Header, webhook.Header)
	}
	p, api := newPlaid(t)
	r := webhooktest.NewReceiver(t, api)
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
	if got := webhooktest.Bodies(r.Received("", "ERROR")); len(got) != 1 || got[0]["webhook_type"] != "ITEM" {
		t.Errorf("Received ERROR: %v", got)
	}
	var typed struct {
		Type string `json:"webhook_type"`
		Code string `json:"webhook_code"`
	}
	if err := ds[1].Decode(&typed); err != nil || typed.Type != "TRANSACTIONS" || typed.Code != "DEFAULT_UPDATE" {
		t.Errorf("Decode: %+v, %v", typed, err)
	}
	var wrong struct {
		Type int `json:"webhook_type"`
	}
	if err := ds[1].Decode(&wrong); err == nil || !strings.Contains(err.Error(), "webhook #3 /hook TRANSACTIONS DEFAULT_UPDATE") {
		t.Errorf("Decode into the wrong type: %v", err)
	}
	if r.Count() != 3 || r.Attempts() != 3 {
		t.Errorf("Count %d, Attempts %d, want 3 and 3", r.Count(), r.Attempts())
	}
	if n := p.fetches.Load(); n != 1 {
		t.Errorf("fetched the key %d times for three deliveries, want once", n)
	}
}

// TestReceiverRejects checks that a bad signature, a body that is not the
// one signed, a stale iat, an unknown key, wrong credentials or no
// signature are rejected with a 400 and reported: at once by Wait, at the
// end of the test otherwise.
func TestReceiverRejects(t *testing.T) {
	p, api := newPlaid(t)
	body := hook("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")
	stranger := newSigner(t)
	wrongSecret := api
	wrongSecret.Secret = "not-s"
	tests := []struct {
		name string
		api  webhooktest.API
		send func(url string) int
		want string
	}{
		{"body not the one signed", api, func(url string) int { return deliver(t, p, url, body, append(bytes.Clone(body), ' ')) },
			"body does not match request_body_sha256"},
		{"another key's signature under this kid", api, func(url string) int {
			jwt, _ := stranger.Sign(body, time.Now())
			mine, _ := p.signer.Sign(body, time.Now())
			parts, own := strings.Split(jwt, "."), strings.Split(mine, ".")
			return post(t, url, body, own[0]+"."+own[1]+"."+parts[2])
		}, "bad signature"},
		{"issued six minutes ago", api, func(url string) int {
			jwt, _ := p.signer.Sign(body, time.Now().Add(-6*time.Minute))
			return post(t, url, body, jwt)
		}, "JWT issued 6m"},
		{"unknown key", api, func(url string) int { jwt, _ := stranger.Sign(body, time.Now()); return post(t, url, body, jwt) },
			"INVALID_WEBHOOK_VERIFICATION_KEY_ID"},
		{"wrong credentials for the key", wrongSecret, func(url string) int { return deliver(t, p, url, body, body) },
			"INVALID_API_KEYS"},
		{"not a JWT", api, func(url string) int { return post(t, url, body, "nonsense") }, "not a JWT"},
		{"no signature", api, func(url string) int { return post(t, url, body, "") }, "no Plaid-Verification header"},
		{"not JSON", api, func(url string) int { return deliver(t, p, url, []byte("hello"), []byte("hello")) }, "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r *webhooktest.Receiver
			got, fatal := testkit.Capture(t, func(ft testing.TB) {
				r = webhooktest.NewReceiver(ft, tt.api)
				if status := tt.send(r.URL); status != 400 {
					t.Errorf("answered %d, want 400", status)
				}
				r.Wait(ft, 1)
			})
			if !fatal || !strings.Contains(got, "failed verification") || !strings.Contains(got, tt.want) {
				t.Errorf("reported %q, want a verification failure naming %q", got, tt.want)
			}
			if r.Count() != 0 {
				t.Errorf("the rejected delivery counts: %v", r.Deliveries())
			}
		})
	}
	// Without a Wait the end of the test reports it.
	got, fatal := testkit.Capture(t, func(ft testing.TB) {
		r := webhooktest.NewReceiver(ft, api)
		deliver(t, p, r.URL, body, []byte("{}"))
	})
	if fatal || !strings.Contains(got, "failed verification: webhook: body does not match") {
		t.Errorf("at the end of the test: %q", got)
	}
}

func TestReceiverFails(t *testing.T) {
	p, api := newPlaid(t)
	r := webhooktest.NewReceiver(t, api, webhooktest.FailFirst(2))
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
	p, api := newPlaid(t)
	got, fatal := testkit.Capture(t, func(ft testing.TB) {
		r := webhooktest.NewReceiver(ft, api, webhooktest.WaitTimeout(50*time.Millisecond))
		b := hook("TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")
		deliver(t, p, r.URL, b, b)
		r.WaitFor(ft, 2, "LINK", "SESSION_FINISHED")
	})
	want := "webhook receiver: 0 of 2 LINK SESSION_FINISHED webhooks after 50ms; it accepted [#1 /hook TRANSACTIONS SYNC_UPDATES_AVAILABLE]"
	if !fatal || got != want {
		t.Errorf("reported %q,\nwant %q", got, want)
	}
}

// TestReceiverBadInput checks that a receiver that could never verify,
// or an option out of range, fails the test at once with what is wrong.
func TestReceiverBadInput(t *testing.T) {
	_, api := newPlaid(t)
	tests := []struct {
		name string
		api  webhooktest.API
		opts []webhooktest.Option
		want string
	}{
		{"no API", webhooktest.API{}, nil, "the API has no URL, ClientID, Secret"},
		{"no secret", webhooktest.API{URL: api.URL, ClientID: "c"}, nil, "the API has no Secret"},
		{"not a URL", webhooktest.API{URL: "localhost:8080", ClientID: "c", Secret: "s"}, nil, `URL "localhost:8080" is not an http or https URL`},
		{"negative FailFirst", api, []webhooktest.Option{webhooktest.FailFirst(-1)}, "FailFirst(-1)"},
		{"zero WaitTimeout", api, []webhooktest.Option{webhooktest.WaitTimeout(0)}, "WaitTimeout(0s) out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fatal := testkit.Capture(t, func(ft testing.TB) { webhooktest.NewReceiver(ft, tt.api, tt.opts...) })
			if !fatal || !strings.Contains(got, tt.want) {
				t.Errorf("reported %q (fatal %v), want a fatal error naming %q", got, fatal, tt.want)
			}
		})
	}
	r := webhooktest.NewReceiver(t, api)
	if got, fatal := testkit.Capture(t, func(ft testing.TB) { r.VerifyWith(ft, webhooktest.API{URL: api.URL}) }); !fatal || !strings.Contains(got, "no ClientID, Secret") {
		t.Errorf("VerifyWith an API without credentials reported %q", got)
	}
}
