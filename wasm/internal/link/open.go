package link

import (
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// open starts a visit: it tells the backend, which answers with the
// configuration of a link token, and shows the LOADING pane meanwhile.
func (s *session) open(out *output) {
	if s.pane != nil {
		out.console(protocol.LevelWarn, "attempted to open Link when it was already open")
		return
	}
	s.visit = visit{cfg: s.base}
	s.linkSessionID = out.uuid()
	if s.cfgErr != nil {
		// Link failed to initialize: there is no flow to show.
		s.lastErr = configError(s.cfgErr)
		if !s.cfg.Has(protocol.OnExit) && !s.cfg.Webview {
			out.console(protocol.LevelError, s.cfgErr.Error()+"; Link cannot open")
			return
		}
		s.onExit(out, s.lastErr, s.exitMetadata(nil))
		return
	}
	if !s.cfg.LinkTokenMode() && !s.cfg.Resuming() {
		// A legacy configuration says all Link needs: OPEN in real time. A
		// link token's says whether it is update mode once the server has
		// answered. Link re-initialised after an OAuth redirect carries on
		// the session that opened before.
		s.opened(out)
	}
	publicToken := s.cfg.LegacyPayer()
	if s.cfg.LegacyUpdate() {
		publicToken = s.cfg.Token
	}
	s.load(out, protocol.PathSessionOpen, protocol.SessionOpenRequest{
		PublicToken:           publicToken,
		PaymentToken:          s.cfg.PaymentToken,
		OAuthNonce:            s.cfg.OAuthNonce,
		OAuthRedirectURI:      s.cfg.OAuthRedirectURI,
		OAuthStateID:          s.cfg.OAuthStateID,
		ReceivedRedirectURI:   s.cfg.ReceivedRedirectURI,
		PublicKey:             s.publicKey(),
		LinkToken:             s.linkToken(),
		Env:                   s.cfg.Env,
		ClientName:            s.cfg.ClientName,
		Products:              s.cfg.Products,
		CountryCodes:          s.cfg.CountryCodes,
		Language:              s.cfg.Language,
		Webhook:               s.cfg.Webhook,
		LinkSessionID:         s.linkSessionID,
		LinkCustomizationName: s.cfg.LinkCustomizationName,
	}, s.openAnswered)
}

// opened reports OPEN.
func (s *session) opened(out *output) {
	update := "false"
	if s.cfg.UpdateMode || s.cfg.LegacyUpdate() {
		update = "true"
	}
	s.event(out, "OPEN", func(md *metadata.Event) { md.IsUpdateMode = &update })
}

// openAnswered shows the first pane: consent, or in update mode the Item's
// institution, or the payment to authorise.
func (s *session) openAnswered(r *protocol.Response, out *output) {
	body, e := decode[protocol.SessionOpenResponse](r)
	if e != nil {
		s.failOpen(e, out)
		return
	}
	s.requestID = body.RequestID
	if body.Config != nil {
		s.cfg.Apply(body.Config)
	}
	if body.Settings != nil {
		s.applySettings(*body.Settings, out)
	}
	if s.cfg.Resume != nil {
		s.resume(out)
		return
	}
	if s.cfg.LinkTokenMode() {
		s.opened(out)
	}
	var first pane = consentPane{}
	if in, ok := sandbox.InstitutionByID(s.cfg.UpdateInstitution); s.cfg.UpdateMode && ok {
		// Update mode opens straight on the Item's institution.
		in.Health = s.health(in)
		s.institution, first = &in, credentialPane{}
	}
	if s.cfg.Payment != nil {
		// Payment Initiation opens straight into the payment flow, at the
		// payer's institution when a public token named it.
		first = institutionPane{}
		if in, ok := sandbox.InstitutionByID(s.cfg.Payment.InstitutionID); ok {
			in.Health = s.health(in)
			s.institution, first = &in, consentPane{}
		}
	}
	s.pane = first
	s.render(out)
}

// failOpen ends a visit the backend would not open: there is no flow to
// return to, so Link exits.
func (s *session) failOpen(e *protocol.PlaidError, out *output) {
	s.failed(e)
	if s.cfg.LinkTokenMode() {
		s.opened(out) // the user did open Link, though it cannot run
	}
	s.exitNow(out)
}
