package webhooktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/webhook"
)

// Receiver is an integrator's webhook endpoint on an httptest server: it
// records every delivery and verifies each one it is not told to fail the
// way Plaid tells receivers to: the Plaid-Verification JWT's kid names a
// key, fetched (once per kid) from /webhook_verification_key/get of the
// Receiver's API; the JWT must be ES256, signed by that key, issued (iat)
// at most 5 minutes ago, and its request_body_sha256 must be the SHA-256
// of the body.
//
// A delivery that fails verification is answered 400 and fails the test:
// at once in Wait, Next and WaitFor, and at the end of the test otherwise.
// Deliveries the Receiver was told to fail (FailFirst, FailNext) are
// answered 503 before they are read, as by a receiver that is down.
type Receiver struct {
	// URL is the receiver's base URL; any path under it is the receiver.
	URL string

	mu   sync.Mutex
	api  API
	keys map[string]webhook.JWK
	wait time.Duration
	fail int // deliveries still to fail
	// attempts counts every request; got holds the accepted and the
	// unverified ones, in the order they came.
	attempts int
	got      []Delivery
	next     int // Next's cursor into the accepted deliveries
}

// Delivery is one webhook the Receiver accepted or rejected.
type Delivery struct {
	// Attempt is the request's number among all the Receiver got, from 1.
	Attempt int
	// Path is the request's path, Header its headers.
	Path   string
	Header http.Header
	// Body is the body as sent; Webhook is the body decoded.
	Body    []byte
	Webhook map[string]any
	// Err is why verification failed, or nil.
	Err error
}

// Decode decodes the body into v, such as a Plaid client library's type
// for the webhook.
func (d Delivery) Decode(v any) error {
	if err := json.Unmarshal(d.Body, v); err != nil {
		return fmt.Errorf("webhook %v: %w", d, err)
	}
	return nil
}

// JWT is the delivery's Plaid-Verification header.
func (d Delivery) JWT() string { return d.Header.Get(Header) }

// Type is the webhook's webhook_type.
func (d Delivery) Type() string { s, _ := d.Webhook["webhook_type"].(string); return s }

// Code is the webhook's webhook_code.
func (d Delivery) Code() string { s, _ := d.Webhook["webhook_code"].(string); return s }

// Is reports whether the webhook has type typ and code code; an empty
// typ or code matches any.
func (d Delivery) Is(typ, code string) bool {
	return (typ == "" || d.Type() == typ) && (code == "" || d.Code() == code)
}

// String names the delivery in failure messages: its attempt number,
// path, type and code.
func (d Delivery) String() string {
	return fmt.Sprintf("#%d %s %s %s", d.Attempt, d.Path, d.Type(), d.Code())
}

// Bodies are the deliveries' bodies, decoded.
func Bodies(ds []Delivery) []map[string]any {
	out := make([]map[string]any, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.Webhook)
	}
	return out
}

// Option configures a Receiver.
type Option func(*Receiver)

// FailFirst makes the Receiver answer its first n deliveries 503, as a
// receiver that is down, to test that the sender retries.
func FailFirst(n int) Option { return func(r *Receiver) { r.fail = n } }

// WaitTimeout makes Wait, WaitFor and Next wait up to d instead of
// DefaultTimeout.
func WaitTimeout(d time.Duration) Option { return func(r *Receiver) { r.wait = d } }

// NewReceiver starts a Receiver, closed when the test ends, that fetches
// verification keys from api (whose credentials must be valid). It fails
// the test at once if api lacks its URL or credentials, or an option is
// out of range.
func NewReceiver(t testing.TB, api API, opts ...Option) *Receiver {
	t.Helper()
	if err := api.check(); err != nil {
		t.Fatal(err)
	}
	r := &Receiver{api: api, keys: map[string]webhook.JWK{}, wait: DefaultTimeout}
	for _, o := range opts {
		o(r)
	}
	if r.fail < 0 || r.wait <= 0 {
		t.Fatalf("webhooktest: FailFirst(%d) or WaitTimeout(%v) out of range: want n >= 0 and d > 0", r.fail, r.wait)
	}
	srv := httptest.NewServer(http.HandlerFunc(r.serve))
	r.URL = srv.URL
	t.Cleanup(func() {
		srv.Close()
		for _, d := range r.rejected() {
			t.Errorf("webhook receiver: delivery %v failed verification: %v", d, d.Err)
		}
	})
	return r
}

// FailNext makes the Receiver answer the next n deliveries 503, and only
// those: FailNext(0) brings a failing receiver up.
func (r *Receiver) FailNext(n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = n
}

// VerifyWith makes the Receiver fetch keys from api from now on, as when
// a test restarts the server on the same store. It fails the test if api
// lacks its URL or credentials.
func (r *Receiver) VerifyWith(t testing.TB, api API) {
	t.Helper()
	if err := api.check(); err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.api = api
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.attempts++
	n := r.attempts
	failing := r.fail > 0
	if failing {
		r.fail--
	}
	r.mu.Unlock()
	if failing {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	body, err := io.ReadAll(req.Body)
	d := Delivery{Attempt: n, Path: req.URL.Path, Header: req.Header.Clone(), Body: body}
	if err == nil {
		if err = json.Unmarshal(body, &d.Webhook); err != nil {
			err = fmt.Errorf("the body is not a JSON object: %w", err)
		}
	}
	if err == nil {
		err = r.verify(d.JWT(), body)
	}
	d.Err = err
	r.mu.Lock()
	r.got = append(r.got, d)
	r.mu.Unlock()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
	}
}

// verify checks a delivery's signature with the key its kid names.
func (r *Receiver) verify(jwt string, body []byte) error {
	if jwt == "" {
		return errNoHeader
	}
	kid, err := webhook.KeyID(jwt)
	if err != nil {
		return err
	}
	key, err := r.key(kid)
	if err != nil {
		return err
	}
	return webhook.Verify(jwt, body, key, time.Now())
}

// key returns the verification key kid, fetched once.
func (r *Receiver) key(kid string) (webhook.JWK, error) {
	r.mu.Lock()
	k, ok := r.keys[kid]
	api := r.api
	r.mu.Unlock()
	if ok {
		return k, nil
	}
	k, err := api.fetchKey(kid)
	if err != nil {
		return webhook.JWK{}, err
	}
	r.mu.Lock()
	r.keys[kid] = k
	r.mu.Unlock()
	return k, nil
}

// Attempts is how many requests the Receiver got, failed ones included.
func (r *Receiver) Attempts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts
}

// Deliveries are the deliveries the Receiver accepted (verified), in the
// order they came.
func (r *Receiver) Deliveries() []Delivery { return r.Received("", "") }

// Received are the accepted deliveries of type typ and code code (empty
// for any), in the order they came.
func (r *Receiver) Received(typ, code string) []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Delivery
	for _, d := range r.got {
		if d.Err == nil && d.Is(typ, code) {
			out = append(out, d)
		}
	}
	return out
}

// Count is how many deliveries the Receiver accepted.
func (r *Receiver) Count() int { return len(r.Deliveries()) }

// rejected are the deliveries that failed verification.
func (r *Receiver) rejected() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Delivery
	for _, d := range r.got {
		if d.Err != nil {
			out = append(out, d)
		}
	}
	return out
}

// Wait waits (up to DefaultTimeout unless WaitTimeout says otherwise)
// until the Receiver has accepted n deliveries and returns them all (n or
// more), failing the test on a timeout, with the deliveries it did get,
// or on a delivery that failed verification.
func (r *Receiver) Wait(t testing.TB, n int) []Delivery {
	t.Helper()
	return r.WaitFor(t, n, "", "")
}

// WaitFor is Wait for the deliveries of type typ and code code (empty for
// any): it returns them once there are n or more.
func (r *Receiver) WaitFor(t testing.TB, n int, typ, code string) []Delivery {
	t.Helper()
	var got []Delivery
	deadline := time.Now().Add(r.wait)
	for {
		r.check(t)
		if got = r.Received(typ, code); len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("webhook receiver: %d of %d %s webhooks after %v; it accepted %v", len(got), n, describe(typ, code), r.wait, r.Deliveries())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Next waits as Wait does for the accepted delivery after the one Next
// returned last (the first, at first) and returns its body, decoded.
func (r *Receiver) Next(t testing.TB) map[string]any {
	t.Helper()
	r.mu.Lock()
	n := r.next
	r.mu.Unlock()
	d := r.Wait(t, n+1)[n]
	r.mu.Lock()
	r.next = n + 1
	r.mu.Unlock()
	return d.Webhook
}

// check fails the test if a delivery failed verification.
func (r *Receiver) check(t testing.TB) {
	t.Helper()
	if bad := r.rejected(); len(bad) > 0 {
		t.Fatalf("webhook receiver: delivery %v failed verification: %v", bad[0], bad[0].Err)
	}
}

func describe(typ, code string) string {
	s := strings.TrimSpace(typ + " " + code)
	if s == "" {
		return "(any)"
	}
	return s
}
