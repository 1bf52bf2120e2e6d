//go:build js

package webhook

import (
	"errors"
	"net/http"
)

// defaultClient is the client Options.Client nil stands for: none under
// js/wasm, where http.Client's transport would link net/http's client
// and crypto/tls (over a megabyte of a Worker's size) and the host has
// its own fetch to pass instead.
func defaultClient() Doer { return noClient{} }

// noClient fails every delivery, saying why.
type noClient struct{}

func (noClient) Do(*http.Request) (*http.Response, error) {
	return nil, errors.New("webhook: no HTTP client under js/wasm: set Options.Client")
}
