// Package testkit is the test kit linkharness's tests share instead of a
// copy in every test file: one Client that POSTs to the Plaid API with a
// client's credentials, one poller (Eventually) with a bounded timeout,
// and the webhook Receiver of package plaidtest/webhooktest, which records
// every delivery and verifies its Plaid-Verification signature with the
// key /webhook_verification_key/get serves, as an integrator's receiver
// must.
//
// The kit takes testing.TB and fails the test itself where a helper must
// succeed (Client.Must, Receiver.Wait, Eventually); the functions that
// return an error (Client.Post, Client.Do) leave the failure to the test.
// It imports no package of the emulator besides plaidtest/webhooktest
// (and through it internal/webhook's verifier), so that any test package,
// package web's own included, may use it.
package testkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/plaidtest/webhooktest"
)

// Timeout is how long a Receiver's Wait, WaitFor and Next wait before
// they fail the test, unless WaitTimeout says otherwise; tests pass it to
// Eventually too.
const Timeout = webhooktest.DefaultTimeout

// Client calls the Plaid API (and the /linkharness/ control API) of one
// linkharness server as one client: every request is a POST of a JSON
// body with the credentials in the PLAID-CLIENT-ID and PLAID-SECRET
// headers, as plaid-go sends them. A Client with no ClientID and Secret
// sends no credentials, as the Link engine's endpoints are called.
// A Client is safe for concurrent use; its fields must not change once it
// is in use.
type Client struct {
	// URL is the server's base URL, without a trailing slash.
	URL string
	// ClientID and Secret are the client's credentials; empty sends none.
	ClientID, Secret string
	// HTTP is the client to send with; nil means http.DefaultClient.
	HTTP *http.Client
}

// New returns a Client of the server at url (a trailing slash is
// dropped) with the credentials clientID and secret.
func New(url, clientID, secret string) *Client {
	return &Client{URL: strings.TrimSuffix(url, "/"), ClientID: clientID, Secret: secret}
}

// Serve serves h with an httptest server, closed when the test ends, and
// returns a Client of it with the credentials clientID and secret.
func Serve(t testing.TB, h http.Handler, clientID, secret string) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return New(srv.URL, clientID, secret)
}

// As returns a Client of the same server with other credentials (empty
// for none).
func (c *Client) As(clientID, secret string) *Client {
	return &Client{URL: c.URL, ClientID: clientID, Secret: secret, HTTP: c.HTTP}
}

// Error is a non-200 answer: the HTTP status and Plaid's error fields.
type Error struct {
	// Path is the path POSTed to; Status is the answer's HTTP status.
	Path   string
	Status int
	// ErrorType, ErrorCode, ErrorMessage, DisplayMessage and RequestID
	// are the fields of Plaid's error body (ErrorMessage holds the start
	// of the answer when it is not JSON).
	ErrorType      string `json:"error_type"`
	ErrorCode      string `json:"error_code"`
	ErrorMessage   string `json:"error_message"`
	DisplayMessage string `json:"display_message"`
	RequestID      string `json:"request_id"`
	// Body is the whole answer, decoded.
	Body map[string]any `json:"-"`
}

// Error says which call failed and Plaid's error type, code and message.
func (e *Error) Error() string {
	return fmt.Sprintf("POST %s: %d %s %s: %s (request_id %s)", e.Path, e.Status, e.ErrorType, e.ErrorCode, e.ErrorMessage, e.RequestID)
}

// Post POSTs body to path and returns the HTTP status and the answer,
// decoded. body is sent as is when it is a string, []byte or
// json.RawMessage, as JSON otherwise, and as {} when nil (a nil map too). err is a
// transport error or an answer that is not a JSON object, never a status.
func (c *Client) Post(path string, body any) (status int, resp map[string]any, err error) {
	status, raw, err := c.send(path, body)
	if err != nil {
		return 0, nil, err
	}
	if err := json.Unmarshal(raw, &resp); err != nil {
		return status, nil, fmt.Errorf("POST %s: %d, answer is not JSON: %v: %.200s", path, status, err, raw)
	}
	return status, resp, nil
}

// Do POSTs body to path (as Post sends it) and decodes the answer into
// out, unless out is nil. An answer other than 200 is an *Error.
func (c *Client) Do(path string, body, out any) error {
	status, raw, err := c.send(path, body)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		e := &Error{Path: path, Status: status}
		json.Unmarshal(raw, e)
		json.Unmarshal(raw, &e.Body)
		if e.Body == nil {
			e.ErrorMessage = fmt.Sprintf("%.200s", raw)
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("POST %s: decoding the answer: %w", path, err)
	}
	return nil
}

// Backend is Do with a JSON-object body: the signature of
// scenario.Backend, so that c.Backend is one.
func (c *Client) Backend(path string, body map[string]any, out any) error {
	return c.Do(path, body, out)
}

// Call is Post that fails the test on a transport error or an answer
// that is not JSON; the status is the test's to check.
func (c *Client) Call(t testing.TB, path string, body any) (int, map[string]any) {
	t.Helper()
	status, resp, err := c.Post(path, body)
	if err != nil {
		t.Fatal(err)
	}
	return status, resp
}

// Must POSTs body to path and returns the answer, failing the test with
// Plaid's error unless the answer is 200.
func (c *Client) Must(t testing.TB, path string, body any) map[string]any {
	t.Helper()
	var out map[string]any
	c.MustDecode(t, path, body, &out)
	return out
}

// MustDecode is Do that fails the test on an error: it decodes a 200
// answer into out (nil to ignore it).
func (c *Client) MustDecode(t testing.TB, path string, body, out any) {
	t.Helper()
	if err := c.Do(path, body, out); err != nil {
		t.Fatal(err)
	}
}

// send POSTs body to path and returns the status and the answer's bytes.
func (c *Client) send(path string, body any) (int, []byte, error) {
	if m, ok := body.(map[string]any); ok && m == nil {
		body = nil
	}
	var raw []byte
	switch b := body.(type) {
	case nil:
		raw = []byte("{}")
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	case json.RawMessage:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			return 0, nil, fmt.Errorf("POST %s: %w", path, err)
		}
	}
	req, err := http.NewRequest(http.MethodPost, c.URL+path, bytes.NewReader(raw))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.ClientID != "" {
		req.Header.Set("PLAID-CLIENT-ID", c.ClientID)
	}
	if c.Secret != "" {
		req.Header.Set("PLAID-SECRET", c.Secret)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("POST %s: reading the answer: %w", path, err)
	}
	return resp.StatusCode, answer, nil
}

// Eventually polls cond every 10 ms until it holds, and fails the test
// with "timed out after <timeout> waiting for <what>" once timeout has
// passed. cond runs on the test's goroutine, so it may fail the test
// itself.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
