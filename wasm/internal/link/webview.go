package link

import (
	"net/url"
	"strings"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// The webview protocol ("Plaid Link for Webviews",
// https://plaid.com/docs/link/maintain-legacy-integration/): instead of
// calling callbacks, Link navigates to plaidlink://connected,
// plaidlink://exit and plaidlink://event with the callbacks' data in the
// query string, which the app's webview delegate intercepts.

// eventParams are the keys of plaidlink://event, all always present.
var eventParams = []string{"event_name", "error_type", "error_code", "error_message", "exit_status", "institution_id",
	"institution_name", "institution_search_query", "is_update_mode", "match_reason", "mfa_type", "view_name",
	"request_id", "link_session_id", "timestamp", "selection"}

// plaidlink builds plaidlink://host with the parameters in order, each
// present even when empty, escaped as a URL component (%20, never +).
func plaidlink(host string, params [][2]string) protocol.Effect {
	var b strings.Builder
	b.WriteString("plaidlink://" + host)
	for i, p := range params {
		b.WriteByte("?&"[min(i, 1)])
		b.WriteString(p[0] + "=" + strings.ReplaceAll(url.QueryEscape(p[1]), "+", "%20"))
	}
	return protocol.Effect{Kind: protocol.KindNavigate, Navigate: &protocol.Navigate{URL: b.String()}}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// webviewEvent is onEvent as plaidlink://event.
func webviewEvent(name string, md eventMetadata) protocol.Effect {
	values := map[string]string{
		"event_name": name, "error_type": deref(md.ErrorType), "error_code": deref(md.ErrorCode),
		"error_message": deref(md.ErrorMessage), "exit_status": deref(md.ExitStatus),
		"institution_id": deref(md.InstitutionID), "institution_name": deref(md.InstitutionName),
		"institution_search_query": deref(md.InstitutionSearchQuery), "is_update_mode": deref(md.IsUpdateMode),
		"match_reason": deref(md.MatchReason), "mfa_type": deref(md.MFAType), "view_name": deref(md.ViewName),
		"request_id": md.RequestID, "link_session_id": md.LinkSessionID, "timestamp": md.Timestamp,
		"selection": deref(md.Selection),
	}
	params := make([][2]string, len(eventParams))
	for i, k := range eventParams {
		params[i] = [2]string{k, values[k]}
	}
	return plaidlink("event", params)
}

// webviewConnected is onSuccess as plaidlink://connected, the accounts
// JSON-stringified.
func webviewConnected(publicToken string, md successMetadata) protocol.Effect {
	var id, name string
	if md.Institution != nil {
		id, name = md.Institution.InstitutionID, md.Institution.Name
	}
	return plaidlink("connected", [][2]string{
		{"public_token", publicToken}, {"institution_id", id}, {"institution_name", name},
		{"accounts", string(mustJSON(md.Accounts))}, {"link_session_id", md.LinkSessionID},
	})
}

// webviewExit is onExit as plaidlink://exit.
func webviewExit(e *protocol.PlaidError, md exitMetadata) protocol.Effect {
	var errType, code, display, message, id, name string
	if e != nil {
		errType, code, display, message = e.ErrorType, e.ErrorCode, deref(e.DisplayMessage), e.ErrorMessage
	}
	if md.Institution != nil {
		id, name = md.Institution.InstitutionID, md.Institution.Name
	}
	return plaidlink("exit", [][2]string{
		{"status", deref(md.Status)}, {"error_type", errType}, {"error_code", code}, {"error_display_message", display},
		{"error_message", message}, {"institution_id", id}, {"institution_name", name},
		{"link_session_id", md.LinkSessionID}, {"request_id", md.RequestID},
	})
}

// onSuccess reports success: the page's onSuccess, or plaidlink://connected.
func (s *session) onSuccess(out *output, publicToken string, md successMetadata) {
	switch {
	case s.cfg.Webview:
		out.add(webviewConnected(publicToken, md))
	case s.cfg.Has(protocol.OnSuccess):
		out.callback(protocol.OnSuccess, publicToken, md)
	}
}

// onExit reports an exit: the page's onExit, or plaidlink://exit.
func (s *session) onExit(out *output, e *protocol.PlaidError, md exitMetadata) {
	switch {
	case s.cfg.Webview:
		out.add(webviewExit(e, md))
	case s.cfg.Has(protocol.OnExit):
		out.callback(protocol.OnExit, e, md)
	}
}
