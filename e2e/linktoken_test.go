package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/webhook"
)

// receiver is an integrator's webhook endpoint: it keeps what it gets.
type receiver struct {
	mu  sync.Mutex
	got []delivery
}

type delivery struct {
	body []byte
	jwt  string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.got = append(r.got, delivery{body, req.Header.Get("Plaid-Verification")})
	r.mu.Unlock()
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.got)
}

// post calls a Plaid endpoint of the linkharness server as the test
// client's backend does and decodes the answer into out (nil to ignore it):
// the scenario package's Backend.
func post(path string, body map[string]any, out any) error {
	body["client_id"], body["secret"] = testClientID, testSecret
	raw, _ := json.Marshal(body)
	resp, err := http.Post(linkURL+path, "application/json", bytes.NewReader(raw))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d %s", path, resp.StatusCode, answer)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// api is post that fails the test on an error.
func api(t *testing.T, path string, body map[string]any, out any) {
	t.Helper()
	if err := post(path, body, out); err != nil {
		t.Fatal(err)
	}
}

// TestLinkTokenFlow is a whole server-side integration in link-token mode:
// the backend creates a link token, the page opens Link with it by script
// tag, the backend exchanges the public token and reads the Item, and the
// webhook receiver gets signed webhooks.
func TestLinkTokenFlow(t *testing.T) {
	rcv := &receiver{}
	hooks := httptest.NewServer(rcv)
	defer hooks.Close()

	var created struct {
		LinkToken string `json:"link_token"`
	}
	api(t, "/link/token/create", map[string]any{
		"client_name": "Token Shop", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "user-1"}, "products": []string{"transactions"},
		"webhook": hooks.URL,
	}, &created)

	tb := openPage(t, "blank.html")
	tb.eval(`window.h = Plaid.create(Object.assign({token: ` + jsString(created.LinkToken) + `}, callbacks('main'))); h.open();`)
	tb.waitPane("CONSENT")
	if heading := tb.text(dialog + "//h2"); heading != "Token Shop uses Plaid to connect your account" {
		t.Errorf("consent heading = %q: the token's client_name did not reach Link", heading)
	}
	tb.press("Continue")
	tb.waitPane("SELECT_INSTITUTION")
	tb.choose("First Platypus Bank")
	tb.waitPane("CREDENTIAL")
	tb.login("pass_good")
	tb.waitPane("SELECT_ACCOUNT")
	tb.check("Plaid Checking")
	tb.check("Plaid Saving")
	tb.press("Continue")
	tb.waitPane("CONNECTED")
	tb.press("Continue")
	tb.waitDialogs(0)

	success := only(tb.calls("main"), "onSuccess")
	if len(success) != 1 {
		t.Fatalf("%d onSuccess calls", len(success))
	}
	var publicToken string
	decodeArg(t, success[0], 0, &publicToken)

	var exchanged struct {
		AccessToken string `json:"access_token"`
		ItemID      string `json:"item_id"`
	}
	api(t, "/item/public_token/exchange", map[string]any{"public_token": publicToken}, &exchanged)
	var item struct {
		Item struct {
			ItemID        string `json:"item_id"`
			InstitutionID string `json:"institution_id"`
			Webhook       string `json:"webhook"`
		} `json:"item"`
	}
	api(t, "/item/get", map[string]any{"access_token": exchanged.AccessToken}, &item)
	if item.Item.ItemID != exchanged.ItemID || item.Item.InstitutionID != "ins_109508" || item.Item.Webhook != hooks.URL {
		t.Errorf("/item/get = %+v", item.Item)
	}
	var accounts struct {
		Accounts []struct {
			Name string `json:"name"`
		} `json:"accounts"`
	}
	api(t, "/accounts/get", map[string]any{"access_token": exchanged.AccessToken}, &accounts)
	var names []string
	for _, a := range accounts.Accounts {
		names = append(names, a.Name)
	}
	if want := []string{"Plaid Checking", "Plaid Saving"}; !slices.Equal(names, want) {
		t.Errorf("/accounts/get accounts = %q, want the ones picked in Link, %q", names, want)
	}

	// /link/token/get shows the session the page ran, with its events; the
	// last of them travel after Link closed, so give them a moment.
	type linkSession struct {
		Events []struct {
			EventName string `json:"event_name"`
		} `json:"events"`
		Results struct {
			ItemAddResults []struct {
				PublicToken string `json:"public_token"`
			} `json:"item_add_results"`
		} `json:"results"`
	}
	want := events(t, tb.calls("main"))
	var ls linkSession
	var recorded []string
	for deadline := time.Now().Add(stepTimeout); ; time.Sleep(50 * time.Millisecond) {
		var got struct {
			LinkSessions []linkSession `json:"link_sessions"`
		}
		api(t, "/link/token/get", map[string]any{"link_token": created.LinkToken}, &got)
		if len(got.LinkSessions) != 1 {
			t.Fatalf("/link/token/get has %d sessions, want 1", len(got.LinkSessions))
		}
		ls, recorded = got.LinkSessions[0], nil
		for _, e := range ls.Events {
			recorded = append(recorded, e.EventName)
		}
		if slices.Equal(recorded, want) || time.Now().After(deadline) {
			break
		}
	}
	if !slices.Equal(recorded, want) {
		t.Errorf("recorded events %q, the page saw %q", recorded, want)
	}
	if len(ls.Results.ItemAddResults) != 1 || ls.Results.ItemAddResults[0].PublicToken != publicToken {
		t.Errorf("item_add_results = %+v, want the onSuccess public token", ls.Results.ItemAddResults)
	}

	// The receiver gets SYNC_UPDATES_AVAILABLE, signed with a key that
	// /webhook_verification_key/get serves.
	deadline := time.Now().Add(stepTimeout)
	for len(rcv.deliveries()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	ds := rcv.deliveries()
	if len(ds) == 0 {
		t.Fatal("no webhook arrived")
	}
	for _, d := range ds {
		var hook struct {
			WebhookType string `json:"webhook_type"`
			WebhookCode string `json:"webhook_code"`
			ItemID      string `json:"item_id"`
		}
		if err := json.Unmarshal(d.body, &hook); err != nil {
			t.Fatal(err)
		}
		if hook.WebhookType != "TRANSACTIONS" || hook.WebhookCode != "SYNC_UPDATES_AVAILABLE" || hook.ItemID != exchanged.ItemID {
			t.Errorf("webhook %s, want TRANSACTIONS SYNC_UPDATES_AVAILABLE for the Item", d.body)
		}
		kid, err := webhook.KeyID(d.jwt)
		if err != nil {
			t.Fatal(err)
		}
		var key struct {
			Key webhook.JWK `json:"key"`
		}
		api(t, "/webhook_verification_key/get", map[string]any{"key_id": kid}, &key)
		if err := webhook.Verify(d.jwt, d.body, key.Key, time.Now()); err != nil {
			t.Errorf("webhook signature: %v", err)
		}
	}
}

// TestExpiredLinkToken expires a link token through the control API instead
// of waiting four hours (react-plaid-link#258): Link then ends in onExit
// with INVALID_LINK_TOKEN and shows nothing.
func TestExpiredLinkToken(t *testing.T) {
	var created struct {
		LinkToken string `json:"link_token"`
	}
	api(t, "/link/token/create", map[string]any{
		"client_name": "Token Shop", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "user-2"}, "products": []string{"auth"},
	}, &created)
	var clock map[string]any
	api(t, "/linkharness/clock/advance", map[string]any{"duration": "4h1m"}, &clock)
	t.Cleanup(func() { api(t, "/linkharness/reset", map[string]any{}, &clock) })

	tb := openPage(t, "blank.html")
	tb.eval(`Plaid.create(Object.assign({token: ` + jsString(created.LinkToken) + `}, callbacks('main'))).open();`)
	tb.waitCall("main", "onExit")
	tb.waitDialogs(0)
	var e plaidError
	decodeArg(t, only(tb.calls("main"), "onExit")[0], 0, &e)
	if e.ErrorType != "INVALID_INPUT" || e.ErrorCode != "INVALID_LINK_TOKEN" {
		t.Fatalf("onExit error %+v, want INVALID_INPUT / INVALID_LINK_TOKEN", e)
	}
}
