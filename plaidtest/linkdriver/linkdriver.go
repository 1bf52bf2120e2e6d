// Package linkdriver drives Plaid Link in headless Chromium from a Go
// test, as a person would: it finds Link's controls by role and
// accessible name (see the selectors Button, Field, Checkbox and the
// others), and CompleteLink clicks through the panes, from consent to
// onSuccess, for a Login. It works with the linkharness emulator's SDK
// (plaidtest.Server.ScriptURL) on any page: a page of the test's own
// (Visit), whose Plaid.create callbacks it records without a change to
// the page, or a page it serves itself (OpenLink).
//
// It looks for the browser as linkharness's own e2e tests do:
// $LINKHARNESS_CHROME, then chromium, chromium-browser or google-chrome
// on the PATH. Where there is none, NewBrowser and Require fail the test
// under CI=true and skip it elsewhere, saying how to install one.
package linkdriver

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ErrNoChrome is FindChrome's error when no browser is installed.
var ErrNoChrome = errors.New("linkdriver: no Chromium found: install it (apt-get install -y chromium) or set LINKHARNESS_CHROME to a Chrome or Chromium binary")

// StepTimeout bounds each step of a Page: a click, a fill, a wait for a
// pane or a callback. A limit only matters when a test fails, so it is
// generous for slow CI machines.
const StepTimeout = 20 * time.Second

// FindChrome returns the browser to test with: $LINKHARNESS_CHROME, or
// the first of chromium, chromium-browser and google-chrome on the PATH.
// It returns an error wrapping ErrNoChrome when there is none.
func FindChrome() (string, error) {
	if exe := os.Getenv("LINKHARNESS_CHROME"); exe != "" {
		p, err := exec.LookPath(exe)
		if err != nil {
			return "", fmt.Errorf("LINKHARNESS_CHROME=%s: %w", exe, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChrome
}

// Browser is one headless Chromium, in which each Page is a tab.
type Browser struct {
	ctx   context.Context
	close func()
}

// StartBrowser starts headless Chromium (FindChrome's) with a profile of
// its own, for a whole test binary: in TestMain, with Close when the
// tests are done. Tests then pass its error to Require.
func StartBrowser() (*Browser, error) {
	exe, err := FindChrome()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "linkdriver-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx, close: func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser to exit, before RemoveAll
		os.RemoveAll(dir)
	}}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		b.Close()
		return nil, fmt.Errorf("linkdriver: starting %s: %w", exe, err)
	}
	return b, nil
}

// NewBrowser starts headless Chromium for one test and closes it when the
// test ends. Where it cannot, Require says what happens to the test.
func NewBrowser(t testing.TB) *Browser {
	t.Helper()
	b, err := StartBrowser()
	Require(t, err)
	t.Cleanup(b.Close)
	return b
}

// Require stops a test whose browser did not start (err is StartBrowser's
// error; nil goes on): where no browser is installed it skips the test on
// a developer's machine and fails it on CI (CI=true); a browser that is
// there but broken always fails it.
func Require(t testing.TB, err error) {
	t.Helper()
	switch {
	case err == nil:
	case errors.Is(err, ErrNoChrome) && os.Getenv("CI") != "true":
		t.Skip(err)
	default:
		t.Fatal(err)
	}
}

// Context is the browser's chromedp context, for a test's own chromedp
// actions; a new tab is chromedp.NewContext(b.Context()).
func (b *Browser) Context() context.Context { return b.ctx }

// Close closes the browser and removes its profile. Calling it again does
// nothing.
func (b *Browser) Close() {
	if b.close != nil {
		b.close()
		b.close = nil
	}
}
