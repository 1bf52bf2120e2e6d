package link

import (
	"encoding/json"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// OAuth institutions log the user in on the bank's own page
// (https://plaid.com/docs/link/oauth/). On the desktop that page is a
// window Link opens: Link waits on the OAUTH pane, polls the login's
// status, and looks once more when the window closes. With a redirect URI
// (legacy oauthRedirectUri, a link token's redirect_uri) the whole page
// goes to the bank, which sends the user back to the app; the app
// re-initialises Link, which resumes the login with the server's word on
// it.

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
	s.decided(body.Status, body.RequestID, out)
}

// decided goes on from the bank's decision: with the approved state to
// create the Item (or initiate the payment), to the ERROR pane when the
// user denied access, back to the OAUTH pane when the user closed the
// window or came back without deciding.
func (s *session) decided(status, requestID string, out *output) {
	switch {
	case status == protocol.OAuthApproved && s.cfg.Payment != nil:
		s.waitingOAuth = false
		s.request(out, waitPayment, protocol.PathPaymentExecute, protocol.PaymentExecuteRequest{
			PublicKey:     s.publicKey(),
			LinkToken:     s.linkToken(),
			LinkSessionID: s.linkSessionID,
			InstitutionID: s.institution.ID,
			OAuthStateID:  s.oauthStateID,
		})
	case status == protocol.OAuthApproved:
		s.waitingOAuth = false
		s.login(out) // with the approved state for credentials
	case status == protocol.OAuthDenied:
		s.waitingOAuth = false
		s.lastErr = accessNotGrantedError(requestID)
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

// resume takes up, in Link re-initialised after the bank's redirect, the
// OAuth login the server says the user came back from: the session that
// began it goes on where it stood, on the OAUTH pane, with the bank's
// decision (a login still pending is one the user left without deciding).
func (s *session) resume(out *output) {
	r := s.cfg.Resume
	in, ok := sandbox.InstitutionByID(r.InstitutionID)
	if !ok {
		s.fail(internalError("the OAuth login is at an unknown institution "+r.InstitutionID), out)
		return
	}
	s.linkSessionID, s.institution, s.oauthStateID = r.LinkSessionID, &in, r.OAuthStateID
	s.pane, s.waiting = paneOAuth, ""
	s.waitingOAuth, s.windowClosed = true, true
	s.decided(r.Status, s.requestID, out)
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
