// Package metadata is the arguments of Link's callbacks as Plaid documents
// them: onEvent's, onSuccess's and onExit's metadata, encoded as JSON for
// the callbacks and as plaidlink:// addresses for the webview protocol
// ("Plaid Link for Webviews",
// https://plaid.com/docs/link/maintain-legacy-integration/), where Link
// navigates to plaidlink://connected, plaidlink://exit and
// plaidlink://event with the callbacks' data in the query string.
package metadata

import (
	"github.com/linkharness/linkharness/wasm/internal/strfmt"
	"github.com/linkharness/linkharness/wasm/internal/wire"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// Event is onEvent's metadata. Every documented key is always present,
// null where it does not apply, as Plaid documents it. The tags name the
// JSON keys, which AppendJSON writes (tests compare it with encoding/json).
type Event struct {
	AccountNumberMask      *string `json:"account_number_mask"`
	ErrorCode              *string `json:"error_code"`
	ErrorMessage           *string `json:"error_message"`
	ErrorType              *string `json:"error_type"`
	ExitStatus             *string `json:"exit_status"`
	InstitutionID          *string `json:"institution_id"`
	InstitutionName        *string `json:"institution_name"`
	InstitutionSearchQuery *string `json:"institution_search_query"`
	IsUpdateMode           *string `json:"is_update_mode"`
	LinkSessionID          string  `json:"link_session_id"`
	MatchReason            *string `json:"match_reason"`
	MFAType                *string `json:"mfa_type"`
	RequestID              string  `json:"request_id"`
	RoutingNumber          *string `json:"routing_number"`
	Selection              *string `json:"selection"`
	Timestamp              string  `json:"timestamp"`
	ViewName               *string `json:"view_name"`
}

// SetError fills in the error's type, code and message, if there is one.
func (md *Event) SetError(e *protocol.PlaidError) {
	if e != nil {
		md.ErrorType, md.ErrorCode, md.ErrorMessage = &e.ErrorType, &e.ErrorCode, &e.ErrorMessage
	}
}

// Institution is the institution object of onSuccess and onExit metadata.
type Institution struct {
	Name          string `json:"name"`
	InstitutionID string `json:"institution_id"`
}

// Success is onSuccess's metadata.
type Success struct {
	Institution *Institution       `json:"institution"`
	Accounts    []protocol.Account `json:"accounts"`
	// Account is deprecated: the one chosen account, or null.
	Account        *protocol.Account `json:"account"`
	LinkSessionID  string            `json:"link_session_id"`
	TransferStatus *string           `json:"transfer_status"`
}

// Exit is onExit's metadata.
type Exit struct {
	Institution   *Institution `json:"institution"`
	Status        *string      `json:"status"`
	LinkSessionID string       `json:"link_session_id"`
	RequestID     string       `json:"request_id"`
}

// AppendJSON appends onEvent's metadata.
func (md Event) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.StrPtr("account_number_mask", md.AccountNumberMask)
	o.StrPtr("error_code", md.ErrorCode)
	o.StrPtr("error_message", md.ErrorMessage)
	o.StrPtr("error_type", md.ErrorType)
	o.StrPtr("exit_status", md.ExitStatus)
	o.StrPtr("institution_id", md.InstitutionID)
	o.StrPtr("institution_name", md.InstitutionName)
	o.StrPtr("institution_search_query", md.InstitutionSearchQuery)
	o.StrPtr("is_update_mode", md.IsUpdateMode)
	o.Str("link_session_id", md.LinkSessionID)
	o.StrPtr("match_reason", md.MatchReason)
	o.StrPtr("mfa_type", md.MFAType)
	o.Str("request_id", md.RequestID)
	o.StrPtr("routing_number", md.RoutingNumber)
	o.StrPtr("selection", md.Selection)
	o.Str("timestamp", md.Timestamp)
	o.StrPtr("view_name", md.ViewName)
	return o.End()
}

// AppendJSON appends the institution object, null for nil.
func (r *Institution) AppendJSON(b []byte) []byte {
	if r == nil {
		return append(b, "null"...)
	}
	o := wire.BeginObject(b)
	o.Str("name", r.Name)
	o.Str("institution_id", r.InstitutionID)
	return o.End()
}

// AppendJSON appends onSuccess's metadata.
func (md Success) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Value("institution", md.Institution)
	o.Key("accounts")
	o.B = wire.AppendList(o.B, md.Accounts)
	if md.Account == nil {
		o.Null("account")
	} else {
		o.Value("account", md.Account)
	}
	o.Str("link_session_id", md.LinkSessionID)
	o.StrPtr("transfer_status", md.TransferStatus)
	return o.End()
}

// AppendJSON appends onExit's metadata.
func (md Exit) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Value("institution", md.Institution)
	o.StrPtr("status", md.Status)
	o.Str("link_session_id", md.LinkSessionID)
	o.Str("request_id", md.RequestID)
	return o.End()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// EventURL is onEvent as plaidlink://event, every key present.
func EventURL(name string, md Event) string {
	return strfmt.URL("plaidlink://event", [][2]string{
		{"event_name", name}, {"error_type", deref(md.ErrorType)}, {"error_code", deref(md.ErrorCode)},
		{"error_message", deref(md.ErrorMessage)}, {"exit_status", deref(md.ExitStatus)},
		{"institution_id", deref(md.InstitutionID)}, {"institution_name", deref(md.InstitutionName)},
		{"institution_search_query", deref(md.InstitutionSearchQuery)}, {"is_update_mode", deref(md.IsUpdateMode)},
		{"match_reason", deref(md.MatchReason)}, {"mfa_type", deref(md.MFAType)}, {"view_name", deref(md.ViewName)},
		{"request_id", md.RequestID}, {"link_session_id", md.LinkSessionID}, {"timestamp", md.Timestamp},
		{"selection", deref(md.Selection)},
	})
}

// ConnectedURL is onSuccess as plaidlink://connected, the accounts
// JSON-stringified.
func ConnectedURL(publicToken string, md Success) string {
	var id, name string
	if md.Institution != nil {
		id, name = md.Institution.InstitutionID, md.Institution.Name
	}
	return strfmt.URL("plaidlink://connected", [][2]string{
		{"public_token", publicToken}, {"institution_id", id}, {"institution_name", name},
		{"accounts", string(wire.AppendList(nil, md.Accounts))}, {"link_session_id", md.LinkSessionID},
	})
}

// ExitURL is onExit as plaidlink://exit.
func ExitURL(e *protocol.PlaidError, md Exit) string {
	var errType, code, display, message, id, name string
	if e != nil {
		errType, code, display, message = e.ErrorType, e.ErrorCode, deref(e.DisplayMessage), e.ErrorMessage
	}
	if md.Institution != nil {
		id, name = md.Institution.InstitutionID, md.Institution.Name
	}
	return strfmt.URL("plaidlink://exit", [][2]string{
		{"status", deref(md.Status)}, {"error_type", errType}, {"error_code", code}, {"error_display_message", display},
		{"error_message", message}, {"institution_id", id}, {"institution_name", name},
		{"link_session_id", md.LinkSessionID}, {"request_id", md.RequestID},
	})
}
