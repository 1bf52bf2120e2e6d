package linkdriver_test

import (
	"bytes"
	"os"
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

// TestReadmeShowsExample checks that the README's "Testing your
// integration in Go" shows TestLinkAnAccount as it is, and in under 30
// lines, imports and all.
func TestReadmeShowsExample(t *testing.T) {
	src, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(src, []byte("func TestLinkAnAccount"))
	end := bytes.Index(src[start:], []byte("\n}\n"))
	if start < 0 || end < 0 {
		t.Fatal("example_test.go has no TestLinkAnAccount")
	}
	fn := src[start : start+end+3]
	_, after, ok := bytes.Cut(readme, []byte("## Testing your integration in Go\n"))
	_, block, ok2 := bytes.Cut(after, []byte("```go\n"))
	block, _, ok3 := bytes.Cut(block, []byte("```\n"))
	if !ok || !ok2 || !ok3 {
		t.Fatal(`the README has no Go block in "Testing your integration in Go"`)
	}
	if !bytes.HasSuffix(block, fn) {
		t.Errorf("the README's example is not TestLinkAnAccount as example_test.go has it:\n%s", block)
	}
	if n := bytes.Count(block, []byte("\n")); n >= 30 {
		t.Errorf("the README's example is %d lines, want under 30", n)
	}
}
