package link

import (
	"github.com/linkharness/linkharness/wasm/internal/wording"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// consentPane asks the user to agree to connect through Plaid or, in
// Payment Initiation, to the payment.
type consentPane struct {
	exitsAtOnce
	noFields
}

func (consentPane) name() string { return "CONSENT" }

func (consentPane) view(s *session, v *protocol.View) {
	text := s.text()
	if p := s.cfg.Payment; p != nil {
		v.Heading = text.PaymentHeading
		v.Text = []string{wording.Fill(text.PaymentBody, p.Amount.String(), p.RecipientName), wording.Fill(text.PaymentReference, p.Reference)}
	} else if s.cfg.European() {
		v.Heading = wording.Fill(text.EUConsentHeading, s.clientName())
		v.Text = []string{wording.Fill(text.EUConsentBody, s.clientName()), text.EUConsentBody2}
	} else {
		v.Heading = wording.Fill(text.ConsentHeading, s.clientName())
		v.Text = []string{text.ConsentBody, wording.Fill(text.ConsentBody2, s.clientName())}
	}
	v.Buttons = []protocol.Button{primary(idContinue, text.Continue)}
}

func (consentPane) press(s *session, target string, out *output) {
	switch {
	case target != idContinue:
	case s.cfg.Payment != nil && s.institution != nil:
		s.transition(oauthPane{}, out) // the payment is agreed: on to the bank
	default:
		s.transition(institutionPane{}, out)
	}
}

func (consentPane) exitStatus(*session) string { return statusRequiresCredentials }
