package link

import (
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// pay initiates the payment the payer authorised at the bank.
func (s *session) pay(out *output) {
	s.load(out, protocol.PathPaymentExecute, protocol.PaymentExecuteRequest{
		PublicKey:     s.publicKey(),
		LinkToken:     s.linkToken(),
		LinkSessionID: s.linkSessionID,
		InstitutionID: s.institution.ID,
		OAuthStateID:  s.oauth.stateID,
		Events:        s.carry(),
	}, s.paid)
}

// paid shows the success and calls onSuccess, with no accounts.
func (s *session) paid(r *protocol.Response, out *output) {
	body, e := decode[protocol.PaymentExecuteResponse](r)
	if e != nil {
		s.fail(e, out)
		return
	}
	s.requestID = body.RequestID
	s.transition(connectedPane{}, out)
	s.succeed(out, body.PublicToken, metadata.Success{Institution: s.institutionMetadata(), Accounts: []protocol.Account{}, LinkSessionID: s.linkSessionID})
}
