package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDemoPage opens the server's static demo page in Chromium: with
// ?key= it opens Link with that key; without one, and with no key from
// the server (this test server names none), it asks for one.
func TestDemoPage(t *testing.T) {
	tests := []struct {
		name, query, want string
	}{
		{"with ?key=", "?key=" + testPublicKey, `document.querySelector('[role=dialog]') !== null && document.getElementById('log').textContent.includes('"OPEN"')`},
		{"without a key", "", `!document.getElementById('no-key').hidden`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := newTab(t)
			if err := chromedp.Do(tb.ctx, chromedp.Navigate(linkURL+"/"+tt.query)); err != nil {
				t.Fatal(err)
			}
			if tt.query != "" {
				tb.poll("onLoad in the page's log", `document.getElementById('log').textContent.includes('onLoad')`)
				tb.clickPage("Link an account")
			}
			tb.poll(tt.name, tt.want)
		})
	}
}
