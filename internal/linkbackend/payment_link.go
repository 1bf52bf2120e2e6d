package linkbackend

import (
	"context"
	"errors"
	"fmt"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/payment"
	"github.com/linkharness/linkharness/internal/paymentinitiation"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store/payments"

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
func (s *Backend) openPayment(ctx context.Context, lc Caller, paymentToken string) (*protocol.Payment, *plaid.Error) {
	p, e := s.pi.UsePaymentToken(ctx, lc.Tenant, paymentToken)
	if e != nil {
		return nil, e
	}
	return s.linkPayment(ctx, p)
}

// SessionPayment returns the payment a session authorises (a link token's
// payment_initiation.payment_id, or a legacy payment token's), as Link
// shows it.
func (s *Backend) SessionPayment(ctx context.Context, clientID string, paymentID string) (*protocol.Payment, *plaid.Error) {
	p, e := s.pi.PaymentOf(ctx, service.Tenant{ClientID: clientID}, "the link token's payment_initiation.payment_id", paymentID)
	if e != nil {
		return nil, e
	}
	return s.linkPayment(ctx, p)
}

// linkPayment is p as Link shows it to the payer, who can authorise it
// only while it waits for them.
func (s *Backend) linkPayment(ctx context.Context, p payments.Payment) (*protocol.Payment, *plaid.Error) {
	if !payment.Authorisable(p.Status) {
		return nil, payment.ErrNotWaiting(p.ID, p.Status)
	}
	shown, err := s.shownPayment(ctx, p)
	if err != nil {
		return nil, service.StoreError(err)
	}
	return shown, nil
}

// shownPayment is p as the payer sees it: amount, reference, recipient.
func (s *Backend) shownPayment(ctx context.Context, p payments.Payment) (*protocol.Payment, error) {
	r, err := s.payments.Recipient(ctx, p.ClientID, p.RecipientID)
	if err != nil {
		return nil, fmt.Errorf("recipient of payment %s: %w", p.ID, err)
	}
	return &protocol.Payment{PaymentID: p.ID, Amount: protocol.PaymentAmount{Currency: p.Currency, Value: payment.MajorUnits(p.Amount)},
		Reference: p.Reference, RecipientName: r.Name}, nil
}

// DescribePayment says in words what the payer authorises, for the bank's
// page, as Link showed it: "£12.34 to Acme Ltd, reference INV 42".
func (s *Backend) DescribePayment(ctx context.Context, clientID, paymentID string) string {
	p, err := s.payments.Get(ctx, clientID, paymentID)
	if err != nil {
		return "payment " + paymentID
	}
	shown, err := s.shownPayment(ctx, p)
	if err != nil {
		return "payment " + paymentID
	}
	return fmt.Sprintf("%s to %s, reference %s", shown.Amount, shown.RecipientName, shown.Reference)
}

// ExecutePayment initiates the payment of a Payment Initiation session
// once the payer authorised it at the bank's page (the approved OAuth state,
// which it uses up): the payment moves from PAYMENT_STATUS_INPUT_NEEDED to
// PAYMENT_STATUS_INITIATED to PAYMENT_STATUS_EXECUTED, with a
// PAYMENT_INITIATION PAYMENT_STATUS_UPDATE webhook for each step, and the
// payer's Item at the bank gets a public token.
func (s *Backend) ExecutePayment(ctx context.Context, requestID string, req protocol.PaymentExecuteRequest) (protocol.PaymentExecuteResponse, *plaid.Error) {
	lc, e := s.LinkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	if e := plaid.Required("link_session_id", req.LinkSessionID, "institution_id", req.InstitutionID, "oauth_state_id", req.OAuthStateID); e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	cfg, e := s.SessionConfig(ctx, lc, req.LinkSessionID, linkconfig.Config{})
	if e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	if cfg.PaymentID == "" {
		return protocol.PaymentExecuteResponse{}, plaid.InvalidField("this Link session was not opened for a payment: open Link with a payment token, or a link token of /link/token/create with payment_initiation.payment_id")
	}
	p, e := s.pi.PaymentOf(ctx, lc.Tenant, "the session's payment", cfg.PaymentID)
	if e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	if !payment.Authorisable(p.Status) {
		return protocol.PaymentExecuteResponse{}, payment.ErrNotWaiting(p.ID, p.Status)
	}
	in, ok := sandbox.InstitutionByID(req.InstitutionID)
	if !ok {
		return protocol.PaymentExecuteResponse{}, plaid.InvalidInstitution()
	}
	st, e := s.settings.Get(ctx, lc.ClientID, lc.linkToken())
	if e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	in.Health = st.Health(in) // the client may have made it another
	if e := service.InstitutionDown(in); e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	if !in.Supports([]string{"payment_initiation"}) {
		return protocol.PaymentExecuteResponse{}, plaid.ProductsNotSupported(in.Name + " does not support payment_initiation")
	}
	if _, e := s.UseOAuthState(ctx, lc, req.LinkSessionID, in.ID, req.OAuthStateID); e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	changes := paymentinitiation.PaymentExecution(lc.Now)
	var outbox []store.Webhook
	if cfg.Webhook != "" {
		// Queued in order; like Plaid's, they may arrive in any order.
		for _, c := range changes {
			outbox = append(outbox, paymentStatusWebhook(p, c, lc.ClientID, req.LinkSessionID, cfg.Webhook))
		}
	}
	advanced, err := s.payments.Advance(ctx, lc.ClientID, p.ID, changes, outbox...)
	if errors.Is(err, payments.ErrStatus) {
		// Another request moved it on meanwhile.
		if now, err := s.payments.Get(ctx, lc.ClientID, cfg.PaymentID); err == nil {
			p = now
		}
		return protocol.PaymentExecuteResponse{}, payment.ErrNotWaiting(p.ID, p.Status)
	}
	if err != nil {
		return protocol.PaymentExecuteResponse{}, service.StoreError(err)
	}
	pt, e := s.svc.AddItem(ctx, lc.Tenant, service.NewItem{InstitutionID: in.ID, Webhook: cfg.Webhook, LinkSessionID: req.LinkSessionID,
		LinkToken: cfg.LinkToken, Plan: linkconfig.Plan{Products: []string{"payment_initiation"}}, Endpoint: protocol.PathPaymentExecute})
	if e != nil {
		return protocol.PaymentExecuteResponse{}, e
	}
	return protocol.PaymentExecuteResponse{RequestID: requestID, PublicToken: pt.Token, Status: advanced.Status}, nil
}

// paymentStatusWebhook is PAYMENT_INITIATION PAYMENT_STATUS_UPDATE for one
// status change of p, to the session's webhook.
func paymentStatusWebhook(p payments.Payment, c payments.StatusChange, clientID, sessionID, url string) store.Webhook {
	return service.LinkWebhook(clientID, sessionID, url, plaid.PaymentStatusUpdate(p.ID, c.From, c.To, p.Reference, c.At))
}
