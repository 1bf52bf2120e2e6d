package e2e

import (
	"maps"
	"testing"
)

// strictCSP is the Content-Security-Policy of csp.html: the one the
// README says a page needs for Link served from origin, which allows no
// inline script or style.
func strictCSP(origin string) string {
	return "default-src 'self'; script-src 'self' " + origin + " 'wasm-unsafe-eval'; style-src 'self' " + origin + "; connect-src " + origin
}

// dialogStyles reads computed styles of the open dialog that Link's style
// sheet sets, by selector and property.
const dialogStyles = `(function () {
  var out = {};
  [['.lh-overlay', ['position', 'display', 'background-color', 'z-index', 'font-family']],
   ['.lh-dialog', ['max-width', 'border-radius', 'padding-top', 'box-shadow', 'background-color']],
   ['.lh-heading', ['font-size', 'font-weight']],
   ['.lh-button.lh-primary', ['background-color', 'color', 'border-radius', 'font-weight']]].forEach(function (e) {
    var el = document.querySelector(e[0]);
    var cs = el ? getComputedStyle(el) : null;
    e[1].forEach(function (p) { out[e[0] + ' ' + p] = cs ? cs.getPropertyValue(p) : '(no element)'; });
  });
  return out;
})()`

// TestStrictCSP opens Link on a page whose Content-Security-Policy allows
// nothing inline: Link looks as it does on a page without the policy,
// the flow completes, and the page records no violation. A probe then
// shows the policy was in force.
func TestStrictCSP(t *testing.T) {
	styles := map[string]map[string]string{}
	for _, page := range []string{"csp.html?csp=off", "csp.html"} {
		tb := openPage(t, page)
		tb.clickPage("Link account")
		tb.waitPane("CONSENT")
		var got map[string]string
		if err := tb.evalInto(dialogStyles, &got); err != nil {
			t.Fatal(err)
		}
		styles[page] = got
		if page == "csp.html?csp=off" {
			continue
		}
		tb.eval(`handler.exit({force: true})`)
		tb.waitDialogs(0)
		tb.successFlow()
		tb.waitCall("main", "onSuccess")
		var violations []string
		if err := tb.evalInto(`window.__csp`, &violations); err != nil {
			t.Fatal(err)
		}
		for _, v := range violations {
			t.Errorf("CSP violation during Link: %s", v)
		}
		// The probe: an inline style is refused and reported.
		tb.eval(`(function () { var s = document.createElement('style'); s.textContent = 'h1{color:rgb(1, 2, 3)}'; document.head.appendChild(s); })()`)
		tb.poll("the inline style's violation", `window.__csp.length === 1 && getComputedStyle(document.querySelector('h1')).color !== 'rgb(1, 2, 3)'`)
	}
	plain, strict := styles["csp.html?csp=off"], styles["csp.html"]
	if !maps.Equal(plain, strict) {
		t.Errorf("the dialog's styles differ under the CSP:\nwithout: %v\nwith:    %v", plain, strict)
	}
	// The styles are Link's, not the browser's defaults.
	for k, want := range map[string]string{".lh-dialog border-radius": "12px", ".lh-overlay position": "fixed", ".lh-dialog max-width": "400px"} {
		if plain[k] != want {
			t.Errorf("%s is %q, want %q", k, plain[k], want)
		}
	}
}
