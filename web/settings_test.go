package web_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/web"
)

// TestWebhookRetryPerClient checks that a client's webhook_retry setting
// replaces the server's schedule for its webhooks only: after a failed
// first attempt the next is due after the client's initial wait, or the
// webhook fails when that is beyond the client's window, while a client
// without the setting keeps the server's schedule.
func TestWebhookRetryPerClient(t *testing.T) {
	for _, tc := range []struct {
		name, settings string
		// wantStatus is the webhook's status after its first attempt
		// failed; wantGap the wait until the next (pending only).
		wantStatus string
		wantGap    time.Duration
	}{
		{name: "an hour", settings: `{"webhook_retry": {"initial_seconds": 3600, "factor": 2}}`, wantStatus: "pending", wantGap: time.Hour},
		{name: "Plaid's", settings: `{"webhook_retry": {"factor": 4}}`, wantStatus: "pending", wantGap: 30 * time.Second},
		{name: "beyond the window", settings: `{"webhook_retry": {"initial_seconds": 60, "window_seconds": 10}}`, wantStatus: "failed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newAPI(t, web.Options{})
			must(t, srv, &alice, "/linkharness/settings/set", map[string]any{"settings": json.RawMessage(tc.settings)})
			rcv := testkit.NewReceiver(t, as(srv, &alice), testkit.FailFirst(100))
			pt := must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
				"initial_products": []string{"transactions"}, "options": map[string]any{"webhook": rcv.URL + "/hook"}})["public_token"].(string)
			itemID := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt})["item_id"].(string)
			var hook map[string]any
			testkit.Eventually(t, testkit.Timeout, "the first attempt to be recorded", func() bool {
				hooks := must(t, srv, &alice, "/linkharness/webhooks/list", map[string]any{"item_id": itemID})["webhooks"].([]any)
				if len(hooks) != 1 {
					return false
				}
				hook = hooks[0].(map[string]any)
				attempts := hook["attempts"].([]any)
				return len(attempts) == 1 && attempts[0].(map[string]any)["status_code"].(float64) != 0
			})
			time.Sleep(100 * time.Millisecond) // longer than the server's own backoff
			hook = must(t, srv, &alice, "/linkharness/webhooks/list", map[string]any{"item_id": itemID})["webhooks"].([]any)[0].(map[string]any)
			if n := len(hook["attempts"].([]any)); n != 1 {
				t.Fatalf("%d attempts, want 1: the server's schedule ran instead of the client's", n)
			}
			if hook["status"] != tc.wantStatus {
				t.Fatalf("status %v, want %s", hook["status"], tc.wantStatus)
			}
			if tc.wantStatus != "pending" {
				return
			}
			started, _ := time.Parse(time.RFC3339Nano, hook["attempts"].([]any)[0].(map[string]any)["started_at"].(string))
			next, _ := time.Parse(time.RFC3339Nano, hook["next_attempt_at"].(string))
			if gap := next.Sub(started); gap < tc.wantGap-time.Second || gap > tc.wantGap+time.Second {
				t.Errorf("next attempt %v after the first, want %v", gap, tc.wantGap)
			}
		})
	}
}

// TestWebhookRetryOtherClient checks that one client's schedule leaves
// another's webhooks on the server's: bob's are retried at once.
func TestWebhookRetryOtherClient(t *testing.T) {
	srv := newAPI(t, web.Options{})
	must(t, srv, &alice, "/linkharness/settings/set", map[string]any{"settings": map[string]any{"webhook_retry": map[string]any{"initial_seconds": 3600}}})
	rcv := testkit.NewReceiver(t, as(srv, &bob), testkit.FailFirst(2))
	pt := must(t, srv, &bob, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
		"initial_products": []string{"transactions"}, "options": map[string]any{"webhook": rcv.URL + "/hook"}})["public_token"].(string)
	must(t, srv, &bob, "/item/public_token/exchange", map[string]any{"public_token": pt})
	testkit.Eventually(t, testkit.Timeout, "bob's webhook after two quick retries", func() bool { return rcv.Count() == 1 })
}

// TestClientSettingsChecked checks that a server refuses a client's bad
// settings, naming the client and the field.
func TestClientSettingsChecked(t *testing.T) {
	for _, tc := range []struct{ settings, want string }{
		{`{"account_select": {"mode": "few"}}`, "account_select.mode"},
		{`{"institution_health": {"ins_109508": "ok"}}`, "institution_health.ins_109508"},
		{`"all"`, "JSON object"},
	} {
		_, err := web.NewServer(web.Options{Clients: []web.Client{{ClientID: "c", Secret: "s", PublicKey: "k", Settings: json.RawMessage(tc.settings)}}})
		if err == nil || !strings.Contains(err.Error(), "client c") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("settings %s: %v, want an error naming client c and %s", tc.settings, err, tc.want)
		}
	}
	srv, err := web.NewServer(web.Options{Clients: []web.Client{{ClientID: "c", Secret: "s", PublicKey: "k", Settings: json.RawMessage(`{"account_select": {"mode": "all"}}`)}}})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
}

// TestInstitutionHealthStatus checks that /institutions/get_by_id's
// status follows the health a client's settings give an institution, and
// only for that client.
func TestInstitutionHealthStatus(t *testing.T) {
	srv := newAPI(t, web.Options{})
	must(t, srv, &alice, "/linkharness/settings/set", map[string]any{"settings": map[string]any{"institution_health": map[string]any{"ins_109508": "DOWN", "ins_900002": "HEALTHY"}}})
	for _, tc := range []struct {
		client      *web.Client
		institution string
		want        string
	}{
		{&alice, "ins_109508", "DOWN"},
		{&alice, "ins_900002", "HEALTHY"},
		{&alice, "ins_900001", "DEGRADED"},
		{&bob, "ins_109508", "HEALTHY"},
		{&bob, "ins_900002", "DOWN"},
	} {
		out := must(t, srv, tc.client, "/institutions/get_by_id", map[string]any{"institution_id": tc.institution, "country_codes": []string{"US"},
			"options": map[string]any{"include_status": true}})
		status := out["institution"].(map[string]any)["status"].(map[string]any)["item_logins"].(map[string]any)["status"]
		if status != tc.want {
			t.Errorf("%s sees %s %v, want %s", tc.client.ClientID, tc.institution, status, tc.want)
		}
	}
}
