// Package httpx holds the small HTTP pieces that the API server (package
// web) and the SDK asset server (package web/assets) share.
package httpx

import "net/http"

// CORS lets pages on any origin use h, as Plaid's CDN and Link backend do.
// No credentials are involved: keys and tokens travel in the body.
func CORS(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.Header().Set("Access-Control-Max-Age", "600")
		h.ServeHTTP(w, r)
	})
}

// Preflight answers a CORS preflight request.
var Preflight = CORS(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}))
