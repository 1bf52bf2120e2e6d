package e2e

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/internal/webhook"
)

// kit calls the linkharness server's Plaid API as the test client's
// backend does; kit.Backend is the scenario package's Backend.
var kit *testkit.Client

// receiver is an integrator's webhook endpoint: it keeps what it gets and
// verifies each webhook's signature.
func receiver(t *testing.T) *testkit.Receiver {
	t.Helper()
	return testkit.NewReceiver(t, kit, testkit.WaitTimeout(stepTimeout))
}

// TestLinkTokenFlow is a whole server-side integration in link-token mode:
// the backend creates a link token, the page opens Link with it by script
// tag, the backend exchanges the public token and reads the Item, and the
// webhook receiver gets signed webhooks.
func TestLinkTokenFlow(t *testing.T) {
	rcv := receiver(t)

	var created struct {
		LinkToken string `json:"link_token"`
	}
	kit.MustDecode(t, "/link/token/create", map[string]any{
		"client_name": "Token Shop", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "user-1"}, "products": []string{"transactions"},
		"webhook": rcv.URL,
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
	kit.MustDecode(t, "/item/public_token/exchange", map[string]any{"public_token": publicToken}, &exchanged)
	var item struct {
		Item struct {
			ItemID        string `json:"item_id"`
			InstitutionID string `json:"institution_id"`
			Webhook       string `json:"webhook"`
		} `json:"item"`
	}
	kit.MustDecode(t, "/item/get", map[string]any{"access_token": exchanged.AccessToken}, &item)
	if item.Item.ItemID != exchanged.ItemID || item.Item.InstitutionID != "ins_109508" || item.Item.Webhook != rcv.URL {
		t.Errorf("/item/get = %+v", item.Item)
	}
	var accounts struct {
		Accounts []struct {
			Name string `json:"name"`
		} `json:"accounts"`
	}
	kit.MustDecode(t, "/accounts/get", map[string]any{"access_token": exchanged.AccessToken}, &accounts)
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
		kit.MustDecode(t, "/link/token/get", map[string]any{"link_token": created.LinkToken}, &got)
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
	rcv.Wait(t, 1)
	ds := rcv.Deliveries()
	if len(ds) == 0 {
		t.Fatal("no webhook arrived")
	}
	for _, d := range ds {
		var hook struct {
			WebhookType string `json:"webhook_type"`
			WebhookCode string `json:"webhook_code"`
			ItemID      string `json:"item_id"`
		}
		if err := json.Unmarshal(d.Body, &hook); err != nil {
			t.Fatal(err)
		}
		if hook.WebhookType != "TRANSACTIONS" || hook.WebhookCode != "SYNC_UPDATES_AVAILABLE" || hook.ItemID != exchanged.ItemID {
			t.Errorf("webhook %s, want TRANSACTIONS SYNC_UPDATES_AVAILABLE for the Item", d.Body)
		}
		kid, err := webhook.KeyID(d.JWT())
		if err != nil {
			t.Fatal(err)
		}
		var key struct {
			Key webhook.JWK `json:"key"`
		}
		kit.MustDecode(t, "/webhook_verification_key/get", map[string]any{"key_id": kid}, &key)
		if err := webhook.Verify(d.JWT(), d.Body, key.Key, time.Now()); err != nil {
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
	kit.MustDecode(t, "/link/token/create", map[string]any{
		"client_name": "Token Shop", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "user-2"}, "products": []string{"auth"},
	}, &created)
	var clock map[string]any
	kit.MustDecode(t, "/linkharness/clock/advance", map[string]any{"duration": "4h1m"}, &clock)
	t.Cleanup(func() { kit.MustDecode(t, "/linkharness/reset", map[string]any{}, &clock) })

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
