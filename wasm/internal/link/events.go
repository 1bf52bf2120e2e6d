package link

import "github.com/linkharness/linkharness/wasm/protocol"

// eventMetadata is onEvent's metadata. Every documented key is always
// present, null where it does not apply, as Plaid documents it.
type eventMetadata struct {
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

func (md *eventMetadata) setError(e *protocol.PlaidError) {
	if e != nil {
		md.ErrorType, md.ErrorCode, md.ErrorMessage = &e.ErrorType, &e.ErrorCode, &e.ErrorMessage
	}
}

// event reports an event through onEvent, with the metadata every event
// carries and whatever fill adds, and keeps it for the server's record of
// the session (/link/token/get) whether or not the page listens.
func (s *session) event(out *output, name string, fill func(*eventMetadata)) {
	md := eventMetadata{
		LinkSessionID: s.linkSessionID,
		RequestID:     s.requestID,
		Timestamp:     out.timestamp(),
	}
	if s.institution != nil {
		md.InstitutionID, md.InstitutionName = &s.institution.ID, &s.institution.Name
	}
	if fill != nil {
		fill(&md)
	}
	s.record.Events = append(s.record.Events, protocol.RecordedEvent{EventName: name, EventMetadata: mustJSON(md), Timestamp: md.Timestamp})
	switch {
	case s.cfg.Webview:
		out.add(webviewEvent(name, md))
	case s.cfg.Has(protocol.OnEvent):
		out.callback(protocol.OnEvent, name, md)
	}
}

// institutionRef is the institution object of onSuccess and onExit metadata.
type institutionRef struct {
	Name          string `json:"name"`
	InstitutionID string `json:"institution_id"`
}

func (s *session) institutionRef() *institutionRef {
	if s.institution == nil {
		return nil
	}
	return &institutionRef{Name: s.institution.Name, InstitutionID: s.institution.ID}
}

// successMetadata is onSuccess's metadata.
type successMetadata struct {
	Institution *institutionRef    `json:"institution"`
	Accounts    []protocol.Account `json:"accounts"`
	// Account is deprecated: the one chosen account, or null.
	Account        any     `json:"account"`
	LinkSessionID  string  `json:"link_session_id"`
	TransferStatus *string `json:"transfer_status"`
}

// exitMetadata is onExit's metadata.
type exitMetadata struct {
	Institution   *institutionRef `json:"institution"`
	Status        *string         `json:"status"`
	LinkSessionID string          `json:"link_session_id"`
	RequestID     string          `json:"request_id"`
}

func (s *session) exitMetadata(status *string) exitMetadata {
	return exitMetadata{
		Institution:   s.institutionRef(),
		Status:        status,
		LinkSessionID: s.linkSessionID,
		RequestID:     s.requestID,
	}
}
