// Package webhooktest is a webhook receiver for tests of a Plaid
// integration: an httptest server that verifies every delivery's
// Plaid-Verification header the way Plaid tells receivers to
// (https://plaid.com/docs/api/webhooks/webhook-verification/) and lets a
// test wait for the webhooks it expects.
//
// A Receiver fetches the verification keys from the Plaid API named by
// an API: the linkharness emulator's (plaidtest.NewReceiver fills it in)
// or Plaid's own Sandbox. It depends on nothing of the emulator's server,
// so any test may use it.
package webhooktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/webhook"
)

// DefaultTimeout is how long Wait, WaitFor and Next wait before they fail
// the test, unless WaitTimeout says otherwise.
const DefaultTimeout = 10 * time.Second

// Header is the header that carries a webhook's signature, a JWT.
const Header = "Plaid-Verification"

// API names the Plaid API a Receiver fetches verification keys from with
// /webhook_verification_key/get: its base URL and a client's credentials,
// sent in the PLAID-CLIENT-ID and PLAID-SECRET headers.
type API struct {
	// URL is the API's base URL, such as a plaidtest.Server's URL.
	URL string
	// ClientID and Secret are the client's credentials.
	ClientID, Secret string
	// HTTP is the client to send with; nil means http.DefaultClient.
	HTTP *http.Client
}

// check says what is missing from a.
func (a API) check() error {
	var missing []string
	for _, f := range []struct{ name, v string }{{"URL", a.URL}, {"ClientID", a.ClientID}, {"Secret", a.Secret}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("webhooktest: the API has no %s: the receiver could not fetch verification keys", strings.Join(missing, ", "))
	}
	if !strings.HasPrefix(a.URL, "http://") && !strings.HasPrefix(a.URL, "https://") {
		return fmt.Errorf("webhooktest: the API's URL %q is not an http or https URL", a.URL)
	}
	return nil
}

// fetchKey asks the API for the verification key kid.
func (a API) fetchKey(kid string) (webhook.JWK, error) {
	body, _ := json.Marshal(map[string]string{"key_id": kid})
	req, err := http.NewRequest(http.MethodPost, strings.TrimSuffix(a.URL, "/")+"/webhook_verification_key/get", bytes.NewReader(body))
	if err != nil {
		return webhook.JWK{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("PLAID-CLIENT-ID", a.ClientID)
	req.Header.Set("PLAID-SECRET", a.Secret)
	hc := a.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return webhook.JWK{}, fmt.Errorf("fetching key %s: %w", kid, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return webhook.JWK{}, fmt.Errorf("fetching key %s: %w", kid, err)
	}
	var got struct {
		Key          webhook.JWK `json:"key"`
		ErrorCode    string      `json:"error_code"`
		ErrorMessage string      `json:"error_message"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		return webhook.JWK{}, fmt.Errorf("fetching key %s: %d, the answer is not JSON: %.200s", kid, resp.StatusCode, raw)
	}
	switch {
	case resp.StatusCode != http.StatusOK:
		return webhook.JWK{}, fmt.Errorf("fetching key %s: %d %s: %s", kid, resp.StatusCode, got.ErrorCode, got.ErrorMessage)
	case got.Key.Kid != kid:
		return webhook.JWK{}, fmt.Errorf("/webhook_verification_key/get for %s answered key %q", kid, got.Key.Kid)
	}
	return got.Key, nil
}

// errNoHeader is a delivery without a signature.
var errNoHeader = errors.New("no " + Header + " header")
