package e2e

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

// The tests in this file put a faulty proxy between the page and linkharness,
// to see link-initialize.js cope with what real networks and servers do.

// withProxy opens a tab whose pages load Link from a linkharness server
// wrapped in the middleware faulty.
func withProxy(tb testing.TB, faulty func(link http.Handler) http.Handler) *tab {
	tb.Helper()
	link := web.New(web.Options{Clients: []web.Client{{ClientID: testClientID, Secret: testSecret, PublicKey: testPublicKey}}, Assets: assets.New()})
	proxy := httptest.NewServer(faulty(link))
	tb.Cleanup(proxy.Close)
	site := httptest.NewServer(pageHandler(proxy.URL, testPublicKey))
	tb.Cleanup(site.Close)
	t := newTab(tb)
	t.site = site.URL
	return t
}

// wrongType rewrites the Content-Type header of a response.
type wrongType struct {
	http.ResponseWriter
	contentType string
}

func (w wrongType) WriteHeader(code int) {
	w.Header().Set("Content-Type", w.contentType)
	w.ResponseWriter.WriteHeader(code)
}

func (w wrongType) Write(b []byte) (int, error) {
	w.Header().Set("Content-Type", w.contentType)
	return w.ResponseWriter.Write(b)
}

func TestWasmServedWithWrongType(t *testing.T) {
	tb := withProxy(t, func(link http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == assets.WasmPath {
				w = wrongType{w, "application/octet-stream"}
			}
			link.ServeHTTP(w, r)
		})
	})
	tb.navigate("link.html")
	tb.waitCall("main", "onLoad")
	tb.clickPage("Link account")
	tb.waitPane("CONSENT")
}

func TestWasmMissing(t *testing.T) {
	tb := withProxy(t, func(link http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == assets.WasmPath {
				w.Header().Set("Access-Control-Allow-Origin", "*")
				http.NotFound(w, r)
				return
			}
			link.ServeHTTP(w, r)
		})
	})
	tb.navigate("link.html")
	tb.waitConsole(levelError, "could not load")
	// The handler still answers, and still calls exit's callback.
	tb.eval(`handler.open(); handler.exit({force: true}, function () { window.exited = true; }); handler.destroy()`)
	tb.poll("the exit callback", `window.exited === true`)
	if calls := tb.calls("main"); len(calls) != 0 {
		t.Errorf("callbacks = %v, want none", names(calls))
	}
}

func TestBackendUnreachable(t *testing.T) {
	tb := withProxy(t, func(link http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || r.URL.Path != protocol.PathItemCreate {
				link.ServeHTTP(w, r)
				return
			}
			// Drop the connection without an answer: fetch rejects.
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		})
	})
	tb.navigate("link.html")
	tb.toCredentials()
	tb.login("pass_good")
	tb.waitPane("ERROR")
	var code string
	for _, c := range only(tb.calls("main"), "onEvent") {
		var name string
		var md eventMetadata
		decodeArg(t, c, 0, &name)
		decodeArg(t, c, 1, &md)
		if name == "ERROR" && md.ErrorCode != nil {
			code = *md.ErrorCode
		}
	}
	if code != "INTERNAL_SERVER_ERROR" {
		t.Errorf("ERROR event error_code = %q, want INTERNAL_SERVER_ERROR", code)
	}
}

func TestBusyWhileBackendWorks(t *testing.T) {
	gate := make(chan struct{})
	release := sync.OnceFunc(func() { close(gate) })
	tb := withProxy(t, func(link http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path == protocol.PathItemCreate {
				select {
				case <-gate:
				case <-r.Context().Done():
					return
				}
			}
			link.ServeHTTP(w, r)
		})
	})
	t.Cleanup(release) // before the proxy closes, if the test fails early
	tb.navigate("link.html")
	tb.toCredentials()
	tb.login("pass_good")

	// While the login is in flight the dialog is busy and says so.
	status := tb.text(dialog + "[@aria-busy='true']//*[@role='status'][@aria-busy='true']")
	if status == "" {
		t.Error("the busy status has no text")
	}
	if got := tb.axNames("button"); !slices.Equal(got, []string{"Close"}) {
		t.Errorf("buttons while busy = %q, want only Close", got)
	}
	release()
	tb.waitPane("SELECT_ACCOUNT")
}
