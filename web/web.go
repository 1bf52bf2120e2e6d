// Package web is the HTTP side of linkharness: it serves the Link SDK
// (link-initialize.js and link.wasm) the way Plaid's CDN does, answers the
// requests the Link engine makes while a session runs, and shows a demo page.
//
// The SDK assets and the engine's endpoints answer cross-origin requests,
// because integrating pages live on their own origins; nothing else does.
package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
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
	wasmTag string
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
	sum := sha256.Sum256(wasm.Module)
	s.wasmTag = `"` + hex.EncodeToString(sum[:]) + `"`

	s.mux.Handle("GET "+ScriptPath, cors(asset("text/javascript; charset=utf-8", bridge.Script, "")))
	s.mux.Handle("GET "+WasmPath, cors(asset("application/wasm", wasm.Module, s.wasmTag)))
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

// asset serves fixed bytes; with an ETag, browsers revalidate cheaply.
func asset(contentType string, body []byte, etag string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "no-cache")
		if etag != "" {
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Write(body)
	})
}

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
