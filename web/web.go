// Package web is the HTTP side of linkharness: it serves the Link SDK
// (link-initialize.js and link.wasm) the way Plaid's CDN does, answers the
// requests the Link engine makes while a session runs, and shows a demo page.
//
// The SDK assets and the engine's endpoints answer cross-origin requests,
// because integrating pages live on their own origins; nothing else does.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/linkharness/linkharness/bridge"
	"github.com/linkharness/linkharness/wasm"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web/store"
)

// Paths of the SDK assets, where Plaid's CDN serves them.
const (
	ScriptPath = "/link/v2/stable/link-initialize.js"
	WasmPath   = "/link/v2/stable/link.wasm"
)

// Client is an API client of the emulator, as Plaid's dashboard issues them.
type Client struct {
	ClientID string
	// Secret authenticates the client's backend; it never reaches a page.
	Secret string
	// PublicKey is what legacy Plaid.create({key}) integrations send.
	PublicKey string
}

// Options configure a Server.
type Options struct {
	// Clients are the API clients the server accepts.
	Clients []Client
	// Store keeps the server's state; nil means a fresh in-memory store.
	Store store.Store
	// Now is the server's clock; nil means time.Now.
	Now func() time.Time
}

// Server is the linkharness HTTP handler.
type Server struct {
	clients []Client
	store   store.Store
	now     func() time.Time
	mux     *http.ServeMux
}

// New returns a Server for the given options.
func New(o Options) *Server {
	s := &Server{clients: o.Clients, store: o.Store, now: o.Now, mux: http.NewServeMux()}
	if s.store == nil {
		s.store = store.NewMemory()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.mux.Handle("GET "+ScriptPath, cors(asset("text/javascript; charset=utf-8", bridge.Script, nil)))
	s.mux.Handle("GET "+WasmPath, cors(asset("application/wasm", wasm.Module, gzippedWasm)))
	s.mux.Handle("OPTIONS /link/", cors(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})))
	s.mux.Handle("POST "+protocol.PathSessionOpen, cors(api(s.sessionOpen)))
	s.mux.Handle("POST "+protocol.PathItemCreate, cors(api(s.itemCreate)))
	s.mux.Handle("POST "+protocol.PathItemConnect, cors(api(s.itemConnect)))
	s.mux.HandleFunc("GET /{$}", s.demo)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, newRequestID(), errNotFound(r.Method+" "+r.URL.Path))
	})
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// clientByPublicKey returns the client a legacy public key belongs to.
func (s *Server) clientByPublicKey(key string) (Client, bool) {
	for _, c := range s.clients {
		if c.PublicKey == key && key != "" {
			return c, true
		}
	}
	return Client{}, false
}

// asset serves fixed bytes with a strong ETag, so browsers revalidate
// cheaply, and gzipped when gz is given and the client accepts it.
func asset(contentType string, body []byte, gz func() []byte) http.Handler {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Set("Cache-Control", "no-cache")
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

// cors lets pages on any origin use h, as Plaid's CDN and Link backend do.
// No credentials are involved: the public key travels in the body.
func cors(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.Header().Set("Access-Control-Max-Age", "600")
		h.ServeHTTP(w, r)
	})
}
