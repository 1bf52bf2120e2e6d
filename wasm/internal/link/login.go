package link

import (
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// login asks the backend to log in with the credentials and the MFA answers
// so far or, at an OAuth institution, with the state the user approved at
// the bank.
func (s *session) login(out *output) {
	s.load(out, protocol.PathItemCreate, protocol.ItemCreateRequest{
		PublicKey:     s.publicKey(),
		LinkToken:     s.linkToken(),
		LinkSessionID: s.linkSessionID,
		InstitutionID: s.institution.ID,
		Products:      s.cfg.Products,
		Webhook:       s.cfg.Webhook,
		Username:      s.username,
		Password:      s.password,
		MFA:           s.mfaAnswers,
		OAuthStateID:  s.oauth.stateID,
		Events:        s.carry(),
	}, s.loggedIn)
}

// loggedIn goes on from the backend's answer to a login: to the next MFA
// round, or with the Item to the choice of accounts. The user chose them
// already at an OAuth bank, and in update mode long ago.
func (s *session) loggedIn(r *protocol.Response, out *output) {
	body, e := decode[protocol.ItemCreateResponse](r)
	if e != nil {
		s.fail(e, out)
		return
	}
	s.requestID = body.RequestID
	if body.MFA != nil {
		s.mfa, s.mfaInput, s.formError = body.MFA, map[string]string{}, ""
		s.transition(mfaPane{}, out)
		return
	}
	s.itemID, s.accounts, s.selected = body.ItemID, nil, map[string]bool{}
	for _, a := range body.Accounts {
		if product.Fits(a.Type, a.Subtype, s.cfg.Products) && s.cfg.ShowsAccount(a.Type, a.Subtype) {
			s.accounts = append(s.accounts, a)
		}
	}
	if len(s.accounts) == 0 {
		s.fail(noAccountsError(body.RequestID), out)
		return
	}
	if s.institution.OAuth || s.cfg.UpdateMode {
		for _, a := range s.accounts {
			s.selected[a.ID] = true
		}
		s.connect(out)
		return
	}
	s.preselect()
	s.transition(accountsPane{}, out)
}
