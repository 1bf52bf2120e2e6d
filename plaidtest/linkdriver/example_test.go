package linkdriver_test

import (
	"testing"

	"github.com/linkharness/linkharness/plaidtest"
	"github.com/linkharness/linkharness/plaidtest/linkdriver"
)

// TestLinkAnAccount is the whole of a test of a Link integration: the
// emulator in process, a webhook receiver that verifies signatures, Link
// completed in Chromium, the public token exchanged and the Item's first
// webhook awaited. The README shows it.
func TestLinkAnAccount(t *testing.T) {
	srv := plaidtest.NewServer(t)
	rcv := plaidtest.NewReceiver(t, srv)
	token := srv.Call(t, "/link/token/create", map[string]any{
		"client_name": "My App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "user-1"}, "products": []string{"transactions"},
		"webhook": rcv.URL,
	})["link_token"].(string)

	page := linkdriver.NewBrowser(t).OpenLink(t, srv.ScriptURL, linkdriver.Config{Token: token})
	got := page.CompleteLink(linkdriver.Login{Username: "user_good", Password: "pass_good", Accounts: []string{"Plaid Checking"}})

	item := srv.Call(t, "/item/public_token/exchange", map[string]any{"public_token": got.PublicToken})
	hook := rcv.WaitFor(t, 1, "TRANSACTIONS", "SYNC_UPDATES_AVAILABLE")[0]
	if hook.Webhook["item_id"] != item["item_id"] || got.Metadata.Accounts[0].Name != "Plaid Checking" {
		t.Errorf("webhook %v for Item %v; accounts %+v", hook.Webhook, item["item_id"], got.Metadata.Accounts)
	}
}
