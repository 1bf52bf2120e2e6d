package link

import (
	"encoding/json"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// OAuth institutions log the user in on the bank's own page, in a window
// Link opens (the desktop flow of the spec's OAuth table): Link waits on
// the OAUTH pane, polls the login's status, and looks once more when the
// window closes.

// schedulePoll asks to look at the OAuth status again after a while.
func (s *session) schedulePoll(out *output) {
	s.nextID++
	s.pollTimer = s.nextID
	out.add(protocol.Effect{Kind: protocol.KindTimer, Timer: &protocol.Timer{ID: s.pollTimer, DelayMS: pollDelayMS}})
}

// pollOAuth asks the backend whether the user has decided at the bank. The
// pane stays as it is: the user may still close Link.
func (s *session) pollOAuth(out *output) {
	s.nextID++
	s.statusReq = s.nextID
	out.add(protocol.Effect{Kind: protocol.KindRequest, Request: &protocol.Request{ID: s.statusReq, Path: protocol.PathOAuthStatus, Body: mustJSON(protocol.OAuthStatusRequest{
		PublicKey:     s.publicKey(),
		LinkToken:     s.linkToken(),
		LinkSessionID: s.linkSessionID,
		OAuthStateID:  s.oauthStateID,
	})}})
}

// oauthStatus goes on from the bank's decision: with the approved state to
// create the Item, to the ERROR pane when the user denied access, back to
// the OAUTH pane when the user closed the window without deciding.
func (s *session) oauthStatus(r *protocol.Response, out *output) {
	if !s.waitingOAuth {
		return
	}
	var body protocol.OAuthStatusResponse
	if r.Status != statusOK || json.Unmarshal(r.Body, &body) != nil {
		body.Status = protocol.OAuthPending // a failed poll: look again
	}
	switch {
	case body.Status == protocol.OAuthApproved:
		s.waitingOAuth = false
		s.request(out, waitLogin, protocol.PathItemCreate, protocol.ItemCreateRequest{
			PublicKey:     s.publicKey(),
			LinkToken:     s.linkToken(),
			LinkSessionID: s.linkSessionID,
			InstitutionID: s.institution.ID,
			Products:      s.cfg.Products,
			Webhook:       s.cfg.Webhook,
			OAuthStateID:  s.oauthStateID,
		})
	case body.Status == protocol.OAuthDenied:
		s.waitingOAuth = false
		s.lastErr = accessNotGrantedError(body.RequestID)
		s.event(out, "FAIL_OAUTH", func(md *eventMetadata) { md.setError(s.lastErr) })
		s.transition(paneError, out)
	case s.windowClosed:
		s.waitingOAuth = false
		s.event(out, "CLOSE_OAUTH", nil)
		s.transition(paneOAuth, out)
	default:
		s.schedulePoll(out)
	}
}

func accessNotGrantedError(requestID string) *protocol.PlaidError {
	return &protocol.PlaidError{
		ErrorType:      "ITEM_ERROR",
		ErrorCode:      "ACCESS_NOT_GRANTED",
		ErrorMessage:   "access to the requested accounts was not granted at the institution",
		DisplayMessage: ptr("The user did not grant access to their accounts at their financial institution."),
		RequestID:      requestID,
	}
}
