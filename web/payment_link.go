package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// The Link side of Payment Initiation: the payment a session authorises,
// and its execution once the payer approved it at the bank.

// openPayment uses up the payment token of a legacy Payment Initiation
// session (Plaid.create({key, paymentToken, product: ['payment_initiation'],
// token?})) and returns the payment as Link shows it. An unknown, used or
// expired payment token is INVALID_FIELD: a payment token works once,
// within 15 minutes.
func (s *Server) openPayment(ctx context.Context, lc linkCaller, paymentToken string) (*protocol.Payment, *plaid.Error) {
	if paymentToken == "" {
		return nil, plaid.MissingFields("payment_token")
	}
	p, err := s.store.UsePaymentToken(ctx, lc.client.ClientID, paymentToken, lc.now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, plaid.InvalidField("payment_token does not exist or is not a payment token of this client; expected format: payment-token-<environment>-<identifier>")
	case errors.Is(err, store.ErrUsed):
		return nil, plaid.InvalidField("payment_token was used already: a payment token works once; create another with /payment_initiation/payment/token/create")
	case errors.Is(err, store.ErrExpired):
		return nil, plaid.InvalidField("payment_token has expired: payment tokens expire 15 minutes after creation; create another with /payment_initiation/payment/token/create")
	case err != nil:
		return nil, service.StoreError(err)
	}
	return s.linkPayment(ctx, p)
}

// linkTokenPayment returns the payment of a link token created with
// payment_initiation: {payment_id}, as Link shows it.
func (s *Server) linkTokenPayment(ctx context.Context, clientID string, paymentID string) (*protocol.Payment, *plaid.Error) {
	p, err := s.store.Payment(ctx, clientID, paymentID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errUnknownPayment("the link token's payment_initiation.payment_id")
	}
	if err != nil {
		return nil, service.StoreError(err)
	}
	return s.linkPayment(ctx, p)
}

// linkPayment is p as Link shows it to the payer, who can authorise it
// only while it waits for them.
func (s *Server) linkPayment(ctx context.Context, p store.Payment) (*protocol.Payment, *plaid.Error) {
	if p.Status != store.PaymentInputNeeded {
		return nil, errPaymentNotWaiting(p)
	}
	shown, err := s.shownPayment(ctx, p)
	if err != nil {
		return nil, service.StoreError(err)
	}
	return shown, nil
}

// shownPayment is p as the payer sees it: amount, reference, recipient.
func (s *Server) shownPayment(ctx context.Context, p store.Payment) (*protocol.Payment, error) {
	r, err := s.store.PaymentRecipient(ctx, p.ClientID, p.RecipientID)
	if err != nil {
		return nil, fmt.Errorf("recipient of payment %s: %w", p.ID, err)
	}
	amount := amountOf(p)
	return &protocol.Payment{PaymentID: p.ID, Amount: protocol.PaymentAmount{Currency: amount.Currency, Value: amount.Value},
		Reference: p.Reference, RecipientName: r.Name}, nil
}

// sessionPayment is what a Payment Initiation session pays: the payment's
// ID, the webhook URL its status updates go to ("" for none) and the link
// token the session runs with ("" for a legacy session).
type sessionPayment struct {
	paymentID, webhook, linkToken string
}

// sessionPaymentOf finds the payment of the caller's session: a link
// token's payment_initiation.payment_id, or what a legacy session was
// opened with.
func (s *Server) sessionPaymentOf(ctx context.Context, lc linkCaller, sessionID string) (sessionPayment, *plaid.Error) {
	if lc.token != nil {
		var cfg linkTokenCreateRequest
		if err := json.Unmarshal(lc.token.Config, &cfg); err != nil {
			return sessionPayment{}, plaid.Internal("stored link token configuration: " + err.Error())
		}
		if cfg.PaymentInitiation == nil || cfg.PaymentInitiation.PaymentID == "" {
			return sessionPayment{}, plaid.InvalidField("this link token was not created for a payment: give /link/token/create payment_initiation.payment_id")
		}
		return sessionPayment{paymentID: cfg.PaymentInitiation.PaymentID, webhook: cfg.Webhook, linkToken: lc.token.Token}, nil
	}
	cfg, err := s.publicKeyConfigOf(ctx, lc.client.ClientID, sessionID)
	if errors.Is(err, store.ErrNotFound) {
		return sessionPayment{}, plaid.InvalidField("link_session_id is not a Link session of this client")
	}
	if err != nil {
		return sessionPayment{}, service.StoreError(err)
	}
	if cfg.PaymentID == "" {
		return sessionPayment{}, plaid.InvalidField("this Link session was not opened with a payment token")
	}
	return sessionPayment{paymentID: cfg.PaymentID, webhook: cfg.Webhook}, nil
}

// paymentOfSession is the ID of the payment the caller's session pays, or
// "" when it is not a Payment Initiation session.
func (s *Server) paymentOfSession(ctx context.Context, lc linkCaller, sessionID string) string {
	sp, e := s.sessionPaymentOf(ctx, lc, sessionID)
	if e != nil {
		return ""
	}
	return sp.paymentID
}

// describePayment says in words what the payer authorises, for the bank's
// page, as Link showed it: "£12.34 to Acme Ltd, reference INV 42".
func (s *Server) describePayment(ctx context.Context, clientID, paymentID string) string {
	p, err := s.store.Payment(ctx, clientID, paymentID)
	if err != nil {
		return "payment " + paymentID
	}
	shown, err := s.shownPayment(ctx, p)
	if err != nil {
		return "payment " + paymentID
	}
	return fmt.Sprintf("%s to %s, reference %s", shown.Amount, shown.RecipientName, shown.Reference)
}

// paymentExecute initiates the payment of a Payment Initiation session
// once the payer authorised it at the bank's page (the approved OAuth state,
// which it uses up): the payment moves from PAYMENT_STATUS_INPUT_NEEDED to
// PAYMENT_STATUS_INITIATED to PAYMENT_STATUS_EXECUTED, with a
// PAYMENT_INITIATION PAYMENT_STATUS_UPDATE webhook for each step, and the
// payer's Item at the bank gets a public token.
func (s *Server) paymentExecute(ctx context.Context, requestID string, req protocol.PaymentExecuteRequest) (protocol.PaymentExecuteResponse, *plaid.Error) {
	lc, e := s.linkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	if e := required("link_session_id", req.LinkSessionID, "institution_id", req.InstitutionID, "oauth_state_id", req.OAuthStateID); e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	sp, e := s.sessionPaymentOf(ctx, lc, req.LinkSessionID)
	if e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	p, err := s.store.Payment(ctx, lc.client.ClientID, sp.paymentID)
	if errors.Is(err, store.ErrNotFound) {
		return protocol.PaymentExecuteResponse{}, errUnknownPayment("the session's payment")
	}
	if err != nil {
		return protocol.PaymentExecuteResponse{}, service.StoreError(err)
	}
	if p.Status != store.PaymentInputNeeded {
		return protocol.PaymentExecuteResponse{}, errPaymentNotWaiting(p)
	}
	in, ok := sandbox.InstitutionByID(req.InstitutionID)
	if !ok {
		return protocol.PaymentExecuteResponse{}, plaid.InvalidInstitution()
	}
	if e := service.InstitutionDown(in); e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	if !in.Supports([]string{"payment_initiation"}) {
		return protocol.PaymentExecuteResponse{}, plaid.ProductsNotSupported(in.Name + " does not support payment_initiation")
	}
	if _, e := s.oauthItemState(ctx, lc, protocol.ItemCreateRequest{LinkSessionID: req.LinkSessionID, InstitutionID: in.ID,
		OAuthStateID: req.OAuthStateID}); e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	changes := []store.PaymentStatusChange{
		{From: store.PaymentInputNeeded, To: store.PaymentInitiated, At: lc.now},
		{From: store.PaymentInitiated, To: store.PaymentExecuted, At: lc.now},
	}
	var outbox []store.Webhook
	if sp.webhook != "" {
		// Queued in order; like Plaid's, they may arrive in any order.
		for _, c := range changes {
			outbox = append(outbox, paymentStatusWebhook(p, c, lc.client.ClientID, req.LinkSessionID, sp.webhook))
		}
	}
	advanced, err := s.store.AdvancePayment(ctx, lc.client.ClientID, p.ID, changes, outbox...)
	if errors.Is(err, store.ErrStatus) {
		// Another request moved it on meanwhile.
		if now, err := s.store.Payment(ctx, lc.client.ClientID, sp.paymentID); err == nil {
			p = now
		}
		return protocol.PaymentExecuteResponse{}, errPaymentNotWaiting(p)
	}
	if err != nil {
		return protocol.PaymentExecuteResponse{}, service.StoreError(err)
	}
	pt, e := s.addItem(ctx, lc.client.ClientID, lc.now, store.Item{InstitutionID: in.ID, Webhook: sp.webhook,
		LinkSessionID: req.LinkSessionID, LinkToken: sp.linkToken}, linkconfig.Plan{Products: []string{"payment_initiation"}},
		nil, protocol.PathPaymentExecute, false)
	if e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	return protocol.PaymentExecuteResponse{RequestID: requestID, PublicToken: pt.Token, Status: advanced.Status}, nil
}

// paymentStatusWebhook is PAYMENT_INITIATION PAYMENT_STATUS_UPDATE for one
// status change of p. It is about a payment, not an Item: its body has no
// item_id.
func paymentStatusWebhook(p store.Payment, c store.PaymentStatusChange, clientID, sessionID, url string) store.Webhook {
	const typ, code = "PAYMENT_INITIATION", "PAYMENT_STATUS_UPDATE"
	body, _ := json.Marshal(map[string]any{
		"webhook_type": typ, "webhook_code": code, "payment_id": p.ID,
		"new_payment_status": c.To, "old_payment_status": c.From,
		"original_reference": p.Reference, "adjusted_reference": nil,
		"original_start_date": nil, "adjusted_start_date": nil,
		"timestamp": c.At.UTC().Format("2006-01-02T15:04:05.000Z07:00"),
		"error":     nil, "environment": plaid.Environment,
	})
	return store.Webhook{ID: plaid.NewUUID(), ClientID: clientID, LinkSessionID: sessionID, URL: url, Type: typ, Code: code,
		Body: body, CreatedAt: time.Now()}
}
