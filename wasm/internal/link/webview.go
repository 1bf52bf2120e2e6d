package link

import (
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"github.com/linkharness/linkharness/wasm/internal/wire"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// The webview protocol: instead of calling callbacks, Link navigates to
// plaidlink:// addresses (package metadata), which the app's webview
// delegate intercepts.

// navigate asks the host to navigate the page to url.
func (o *output) navigate(url string) {
	o.add(protocol.Effect{Kind: protocol.KindNavigate, Navigate: &protocol.Navigate{URL: url}})
}

// onSuccess reports success: the page's onSuccess, or plaidlink://connected.
func (s *session) onSuccess(out *output, publicToken string, md metadata.Success) {
	switch {
	case s.cfg.Webview:
		out.navigate(metadata.ConnectedURL(publicToken, md))
	case s.cfg.Has(protocol.OnSuccess):
		out.callback(protocol.OnSuccess, wire.String(publicToken), md)
	}
}

// onExit reports an exit: the page's onExit, or plaidlink://exit.
func (s *session) onExit(out *output, e *protocol.PlaidError, md metadata.Exit) {
	switch {
	case s.cfg.Webview:
		out.navigate(metadata.ExitURL(e, md))
	case s.cfg.Has(protocol.OnExit):
		out.callback(protocol.OnExit, e, md)
	}
}
