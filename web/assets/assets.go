// Package assets serves the Link SDK the way Plaid's CDN does:
// link-initialize.js, link.wasm (gzipped for browsers that accept it) and
// link.html, the page webviews open; the demo page; and the session
// inspector (a page, its script and its style sheet, under a strict
// Content-Security-Policy).
//
// `linkharness serve` mounts it beside the API (web.Options.Assets). The
// Cloudflare Worker does not import it: Cloudflare serves the same files as
// static assets, so the Worker's module does not carry link.wasm.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"

	"github.com/linkharness/linkharness/bridge"
	"github.com/linkharness/linkharness/wasm"
	"github.com/linkharness/linkharness/web/internal/httpx"
)

// Paths of the assets, where Plaid's CDN serves them.
const (
	ScriptPath = "/link/v2/stable/link-initialize.js"
	WasmPath   = "/link/v2/stable/link.wasm"
	// WebviewPath is where Plaid serves Link for webviews: the whole
	// configuration in the query string, reports by plaidlink://
	// redirects. The page is static (bridge.WebviewPage): the engine reads
	// the query.
	WebviewPath = "/link/v2/stable/link.html"
	// DemoPath is the demo page's address.
	DemoPath = "/"
	// InspectorPath is the session inspector's page, beside the control
	// API it reads; InspectorScript and InspectorStyle are its script and
	// style sheet.
	InspectorPath   = "/linkharness/"
	InspectorScript = "/linkharness/inspector.js"
	InspectorStyle  = "/linkharness/inspector.css"
)

// InspectorCSP is the Content-Security-Policy the inspector's page runs
// under: nothing but its own origin, nothing inline.
const InspectorCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// The session inspector: a static page, its script and its style sheet.
var (
	//go:embed inspector.html
	InspectorPage []byte
	//go:embed inspector.js
	InspectorJS []byte
	//go:embed inspector.css
	InspectorCSS []byte
)

// DemoPage is the demo page: a legacy public-key integration of Link that
// loads link-initialize.js from the same server by a script tag. It is
// static; it takes its public key from ?key= or asks the server's
// /linkharness/demo for the one it was told to show.
//
//go:embed demo.html
var DemoPage []byte

// Asset is one of the assets, as the README's endpoint table lists it.
type Asset struct {
	Path string
	// CORS says pages on other origins may load it (it answers
	// preflights).
	CORS bool
	// Doc says what it is.
	Doc string
}

// List is every asset, for GET.
func List() []Asset {
	return []Asset{
		{ScriptPath, true, "the SDK script, where Plaid's CDN serves it (CORS)"},
		{WasmPath, true, "the Link engine, gzipped when the browser accepts it (CORS)"},
		{WebviewPath, false, "Link for webviews: the configuration in the query, reports by `plaidlink://` navigations"},
		{DemoPath, false, "the demo page, a legacy public-key integration"},
		{InspectorPath, false, "the session inspector: a client's sessions and Items, and a session's timeline (events, callbacks, backend requests, webhooks and their attempts)"},
		{InspectorScript, false, "the session inspector's script"},
		{InspectorStyle, false, "the session inspector's style sheet"},
	}
}

// Paths are the addresses of the assets, for GET.
func Paths() []string {
	var out []string
	for _, a := range List() {
		out = append(out, a.Path)
	}
	return out
}

// New returns a handler of the assets, with CORS on the script and the
// module (pages live on their own origins) and their preflights. Its
// Handler method tells whether it serves a request.
func New() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET "+ScriptPath, httpx.CORS(asset("text/javascript; charset=utf-8", bridge.Script, nil)))
	mux.Handle("GET "+WasmPath, httpx.CORS(versioned(asset("application/wasm", wasm.Module, gzippedWasm))))
	mux.Handle("GET "+WebviewPath, asset("text/html; charset=utf-8", bridge.WebviewPage, nil))
	mux.Handle("GET /{$}", asset("text/html; charset=utf-8", DemoPage, nil))
	mux.Handle("GET "+InspectorPath+"{$}", csp(asset("text/html; charset=utf-8", InspectorPage, nil)))
	mux.Handle("GET "+InspectorScript, csp(asset("text/javascript; charset=utf-8", InspectorJS, nil)))
	mux.Handle("GET "+InspectorStyle, csp(asset("text/css; charset=utf-8", InspectorCSS, nil)))
	for _, p := range []string{ScriptPath, WasmPath} {
		mux.Handle("OPTIONS "+p, httpx.Preflight)
	}
	return mux
}

// csp serves h under the inspector's Content-Security-Policy.
func csp(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", InspectorCSP)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}

// WasmVersion is the start of link.wasm's SHA-256, as `make wasm` writes it
// into link-initialize.js, which fetches WasmPath?v=WasmVersion.
var WasmVersion = func() string {
	sum := sha256.Sum256(wasm.Module)
	return hex.EncodeToString(sum[:8])
}()

// versioned lets browsers keep link.wasm for good when it is asked for by
// its version (?v=WasmVersion): that address never changes content. Any
// other address of it is revalidated, as the other assets are.
func versioned(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") == WasmVersion {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		h.ServeHTTP(w, r)
	})
}

// asset serves fixed bytes with a strong ETag, so browsers revalidate
// cheaply (unless a wrapper set a Cache-Control of its own), and gzipped
// when gz is given and the client accepts it.
func asset(contentType string, body []byte, gz func() []byte) http.Handler {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", contentType)
		if h.Get("Cache-Control") == "" {
			h.Set("Cache-Control", "no-cache")
		}
		h.Set("ETag", etag)
		if gz != nil {
			h.Add("Vary", "Accept-Encoding")
		}
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if gz != nil && acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			w.Write(gz())
			return
		}
		w.Write(body)
	})
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if coding, _, _ := strings.Cut(strings.TrimSpace(part), ";"); coding == "gzip" {
			return true
		}
	}
	return false
}

// gzippedWasm is link.wasm compressed, computed once on first use: it is a
// third of the size, which is most of a page's time to onLoad.
var gzippedWasm = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(wasm.Module)
	zw.Close()
	return b.Bytes()
})
