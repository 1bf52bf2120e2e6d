package link

import (
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"github.com/linkharness/linkharness/wasm/internal/wording"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// connect keeps the chosen accounts and gets the public token.
func (s *session) connect(out *output) {
	var ids []string
	for _, a := range s.chosenAccounts() {
		ids = append(ids, a.ID)
	}
	s.load(out, protocol.PathItemConnect, protocol.ItemConnectRequest{
		PublicKey:     s.publicKey(),
		LinkToken:     s.linkToken(),
		LinkSessionID: s.linkSessionID,
		ItemID:        s.itemID,
		AccountIDs:    ids,
		Events:        s.carry(),
	}, s.itemConnected)
}

// itemConnected shows the success and calls onSuccess, which Multi-Item
// Link leaves until the user finishes.
func (s *session) itemConnected(r *protocol.Response, out *output) {
	body, e := decode[protocol.ItemConnectResponse](r)
	if e != nil {
		s.fail(e, out)
		return
	}
	s.requestID = body.RequestID
	s.transition(connectedPane{}, out)
	if s.cfg.MultiItem {
		// The tokens reach the integrator by webhook and
		// /link/token/get; onSuccess waits for the user to finish.
		return
	}
	chosen := s.chosenAccounts()
	var account *protocol.Account
	if len(chosen) == 1 {
		account = &chosen[0]
	}
	s.succeed(out, body.PublicToken, metadata.Success{
		Institution:   s.institutionMetadata(),
		Accounts:      chosen,
		Account:       account,
		LinkSessionID: s.linkSessionID,
	})
}

// connectedPane shows that the Item is linked. In Multi-Item Link the user
// may add another, or finish.
type connectedPane struct{ noFields }

func (connectedPane) name() string { return "CONNECTED" }

func (connectedPane) view(s *session, v *protocol.View) {
	text := s.text()
	v.Heading = text.ConnectedHeading
	if s.cfg.MultiItem {
		v.Text = []string{wording.Fill(text.ItemLinked, s.institution.Name)}
		v.Buttons = []protocol.Button{primary(idFinish, text.Finish), {ID: idAddAnother, Label: text.AddAnother}}
	} else {
		v.Text = []string{wording.Fill(text.Connected, s.clientName())}
		v.Buttons = []protocol.Button{primary(idContinue, text.Continue)}
	}
}

func (connectedPane) press(s *session, target string, out *output) {
	multi := s.cfg.MultiItem
	switch {
	case target == idContinue && !multi, target == idFinish && multi:
		s.leave(out)
	case target == idAddAnother && multi:
		s.attempt = attempt{}
		s.transition(institutionPane{}, out)
	}
}

// exit leaves at once: there is nothing left to lose.
func (connectedPane) exit(s *session, out *output) { s.leave(out) }

// exitStatus is never reported: Link leaves CONNECTED with HANDOFF.
func (connectedPane) exitStatus(*session) string { return statusRequiresCredentials }
