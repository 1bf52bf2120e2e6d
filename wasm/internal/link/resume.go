package link

import "github.com/linkharness/linkharness/internal/sandbox"

// resume takes up, in Link re-initialised after the bank's redirect, the
// OAuth login the server says the user came back from: the session that
// began it goes on where it stood, on the OAUTH pane, with the bank's
// decision (a login still pending is one the user left without deciding).
func (s *session) resume(out *output) {
	r := s.cfg.Resume
	in, ok := sandbox.InstitutionByID(r.InstitutionID)
	if !ok {
		s.failOpen(internalError("the OAuth login is at an unknown institution "+r.InstitutionID), out)
		return
	}
	s.linkSessionID, s.institution, s.oauth.stateID = r.LinkSessionID, &in, r.OAuthStateID
	s.pane = oauthPane{}
	s.oauth.waiting, s.oauth.windowClosed = true, true
	s.decided(r.Status, s.requestID, out)
}
