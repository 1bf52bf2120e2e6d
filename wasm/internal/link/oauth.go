package link

import (
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"github.com/linkharness/linkharness/wasm/internal/wording"
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

// pollDelayMS is how often Link asks whether the user has finished at an
// OAuth bank's window.
const pollDelayMS = 1000

// waitOAuthStatus is a look at the bank's decision; waitOAuthPoll the
// timer for the next look.
const (
	waitOAuthStatus = "oauth status"
	waitOAuthPoll   = "oauth poll"
)

// oauthLogin is a login at the bank's own page: the state the bank
// decides on, its window, whether Link waits on it, and whether the window
// has closed.
type oauthLogin struct {
	stateID      string
	window       int
	waiting      bool
	windowClosed bool
}

// oauthPane sends the user to the bank, then waits for the bank's decision.
type oauthPane struct {
	confirmsExit
	noFields
}

func (oauthPane) name() string { return "OAUTH" }

func (oauthPane) view(s *session, v *protocol.View) {
	text := s.text()
	if s.oauth.waiting {
		// Busy: Link waits on the bank's window, though the user may still
		// close it.
		v.Heading = wording.Fill(text.OAuthWaitingHeading, s.institution.Name)
		v.Text, v.Busy = []string{text.OAuthWaitingBody}, true
	} else {
		v.Heading = wording.Fill(text.OAuthHeading, s.institution.Name)
		v.Text = []string{wording.Fill(text.OAuthBody, s.institution.Name)}
		v.Buttons = []protocol.Button{primary(idContinue, text.Continue)}
	}
}

// press starts the login at the bank.
func (oauthPane) press(s *session, target string, out *output) {
	if target != idContinue || s.oauth.waiting {
		return
	}
	s.event(out, "OPEN_OAUTH", nil)
	s.load(out, protocol.PathOAuthStart, protocol.OAuthStartRequest{
		PublicKey:     s.publicKey(),
		LinkToken:     s.linkToken(),
		LinkSessionID: s.linkSessionID,
		InstitutionID: s.institution.ID,
		ClientName:    s.cfg.ClientName,
		Events:        s.carry(),
	}, s.oauthStarted)
}

func (oauthPane) exitStatus(*session) string { return statusRequiresOAuth }

// oauthStarted sends the user to the bank's page: in a window Link waits
// on, or with the whole page.
func (s *session) oauthStarted(r *protocol.Response, out *output) {
	body, e := decode[protocol.OAuthStartResponse](r)
	if e != nil {
		s.fail(e, out)
		return
	}
	s.requestID = body.RequestID
	s.oauth.stateID, s.oauth.waiting, s.oauth.windowClosed = body.OAuthStateID, true, false
	s.pane = oauthPane{}
	if s.cfg.OAuthRedirect() {
		// The page goes to the bank, which sends the user back to the
		// app's redirect URI; the app re-initialises Link there.
		out.add(protocol.Effect{Kind: protocol.KindNavigate, Navigate: &protocol.Navigate{URL: body.AuthorizeURL}})
		s.render(out)
		return
	}
	s.oauth.window = s.newID()
	out.add(protocol.Effect{Kind: protocol.KindWindow, Window: &protocol.Window{ID: s.oauth.window, URL: body.AuthorizeURL}})
	s.render(out)
	s.schedulePoll(out)
}

// schedulePoll asks to look at the OAuth status again after a while.
func (s *session) schedulePoll(out *output) {
	s.setTimer(out, waitOAuthPoll, pollDelayMS, func(out *output) {
		if s.oauth.waiting {
			s.pollOAuth(out)
		}
	})
}

// pollOAuth asks the backend whether the user has decided at the bank. The
// pane stays as it is: the user may still close Link.
func (s *session) pollOAuth(out *output) {
	s.call(out, waitOAuthStatus, protocol.PathOAuthStatus, protocol.OAuthStatusRequest{
		PublicKey:     s.publicKey(),
		LinkToken:     s.linkToken(),
		LinkSessionID: s.linkSessionID,
		OAuthStateID:  s.oauth.stateID,
		Events:        s.carry(),
	}, s.oauthStatus)
}

// oauthStatus goes on from the backend's word on the bank's decision; a
// failed poll counts as no decision yet.
func (s *session) oauthStatus(r *protocol.Response, out *output) {
	body, e := decode[protocol.OAuthStatusResponse](r)
	if e != nil {
		body.Status = protocol.OAuthPending
	}
	s.decided(body.Status, body.RequestID, out)
}

// windowClosed takes the closing of the bank's window: one last look, as
// the bank may have said yes.
func (s *session) windowClosed(window int, out *output) {
	if window != s.oauth.window || !s.oauth.waiting {
		return
	}
	s.oauth.windowClosed = true
	if _, polling := s.calls[waitOAuthStatus]; !polling {
		s.pollOAuth(out)
	}
}

// decided goes on from the bank's decision: with the approved state to
// create the Item (or initiate the payment), to the ERROR pane when the
// user denied access, back to the OAUTH pane when the user closed the
// window or came back without deciding.
func (s *session) decided(status, requestID string, out *output) {
	switch {
	case status == protocol.OAuthApproved && s.cfg.Payment != nil:
		s.oauth.waiting = false
		s.pay(out)
	case status == protocol.OAuthApproved:
		s.oauth.waiting = false
		s.login(out) // with the approved state for credentials
	case status == protocol.OAuthDenied:
		s.oauth.waiting = false
		s.lastErr = accessNotGrantedError(requestID)
		s.event(out, "FAIL_OAUTH", func(md *metadata.Event) { md.SetError(s.lastErr) })
		s.transition(errorPane{}, out)
	case s.oauth.windowClosed:
		s.oauth.waiting = false
		s.event(out, "CLOSE_OAUTH", nil)
		s.transition(oauthPane{}, out)
	default:
		s.schedulePoll(out)
	}
}
