package plaidapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/payment"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/store/payments"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// Payment Initiation (UK and Europe): recipients, payments and the
// payment tokens that open Link for them
// (https://plaid.com/docs/api/products/payment-initiation/). The rules are
// package payment's and the operations package service's; this file
// decodes the requests and writes the answers.

// paymentRoutes are the Payment Initiation endpoints.
func (s *API) paymentRoutes() []httpapi.Route {
	routes := []httpapi.Route{
		{Method: "POST", Path: "/payment_initiation/recipient/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.paymentRecipientCreate), Doc: "makes a payment recipient (IBAN or BACS, address)"},
		{Method: "POST", Path: "/payment_initiation/recipient/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.paymentRecipientGet), Doc: "one recipient"},
		{Method: "POST", Path: "/payment_initiation/payment/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.paymentCreate), Doc: "makes a payment to a recipient, in PAYMENT_STATUS_INPUT_NEEDED"},
		{Method: "POST", Path: "/payment_initiation/payment/token/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.paymentTokenCreate), Doc: "a payment token that opens Link for the payment (legacy `paymentToken`)"},
		{Method: "POST", Path: "/payment_initiation/payment/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.paymentGet), Doc: "one payment and its status"},
		{Method: "POST", Path: "/payment_initiation/payment/list", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.paymentList), Doc: "the client's payments"},
	}
	return routes
}

// paymentRecipientCreateRequest is /payment_initiation/recipient/create's
// body.
type paymentRecipientCreateRequest struct {
	httpapi.Credentials
	Name    string            `json:"name"`
	IBAN    *string           `json:"iban"`
	BACS    *payments.BACS    `json:"bacs"`
	Address *payments.Address `json:"address"`
}

type paymentRecipientCreateResponse struct {
	RecipientID string `json:"recipient_id"`
	RequestID   string `json:"request_id"`
}

// paymentRecipientCreate stores a recipient, or returns the one made
// before with the same details: Plaid's endpoint is idempotent.
func (s *API) paymentRecipientCreate(ctx context.Context, c *httpapi.Call, req *paymentRecipientCreateRequest) (paymentRecipientCreateResponse, *plaid.Error) {
	r := payment.Recipient{Name: req.Name}
	if req.IBAN != nil {
		r.IBAN = *req.IBAN
	}
	if req.BACS != nil {
		r.BACS = &payment.BACS{Account: req.BACS.Account, SortCode: req.BACS.SortCode}
	}
	if a := req.Address; a != nil {
		r.Address = &payment.Address{Street: a.Street, City: a.City, PostalCode: a.PostalCode, Country: a.Country}
	}
	rec, e := s.Payments.CreatePaymentRecipient(ctx, c.Tenant, r)
	if e != nil {
		return paymentRecipientCreateResponse{}, e
	}
	return paymentRecipientCreateResponse{RecipientID: rec.ID, RequestID: c.RequestID}, nil
}

// paymentRecipientGetRequest is /payment_initiation/recipient/get's body.
type paymentRecipientGetRequest struct {
	httpapi.Credentials
	RecipientID string `json:"recipient_id"`
}

type paymentRecipientGetResponse struct {
	RecipientID string            `json:"recipient_id"`
	Name        string            `json:"name"`
	Address     *payments.Address `json:"address"`
	IBAN        *string           `json:"iban"`
	BACS        *payments.BACS    `json:"bacs"`
	RequestID   string            `json:"request_id"`
}

func (s *API) paymentRecipientGet(ctx context.Context, c *httpapi.Call, req *paymentRecipientGetRequest) (paymentRecipientGetResponse, *plaid.Error) {
	r, e := s.Payments.PaymentRecipient(ctx, c.Tenant, req.RecipientID)
	if e != nil {
		return paymentRecipientGetResponse{}, e
	}
	return paymentRecipientGetResponse{RecipientID: r.ID, Name: r.Name, Address: r.Address, IBAN: httpapi.OptString(r.IBAN), BACS: r.BACS,
		RequestID: c.RequestID}, nil
}

// paymentAmount is a payment's amount as the API writes it.
type paymentAmount struct {
	Currency string   `json:"currency"`
	Value    *float64 `json:"value"`
}

// paymentCreateRequest is /payment_initiation/payment/create's body. A
// schedule (standing orders) and options are accepted and not emulated.
type paymentCreateRequest struct {
	httpapi.Credentials
	RecipientID string         `json:"recipient_id"`
	Reference   string         `json:"reference"`
	Amount      *paymentAmount `json:"amount"`
	Schedule    any            `json:"schedule"`
	Options     any            `json:"options"`
}

type paymentCreateResponse struct {
	PaymentID string `json:"payment_id"`
	Status    string `json:"status"`
	RequestID string `json:"request_id"`
}

func (s *API) paymentCreate(ctx context.Context, c *httpapi.Call, req *paymentCreateRequest) (paymentCreateResponse, *plaid.Error) {
	o := payment.Order{RecipientID: req.RecipientID, Reference: req.Reference}
	if req.Amount != nil {
		o.Amount = &payment.Amount{Currency: req.Amount.Currency, Value: req.Amount.Value}
	}
	p, e := s.Payments.CreatePayment(ctx, c.Tenant, o)
	if e != nil {
		return paymentCreateResponse{}, e
	}
	return paymentCreateResponse{PaymentID: p.ID, Status: p.Status, RequestID: c.RequestID}, nil
}

// paymentIDRequest is the body of the endpoints that take a payment_id.
type paymentIDRequest struct {
	httpapi.Credentials
	PaymentID string `json:"payment_id"`
}

type paymentTokenCreateResponse struct {
	PaymentToken               string `json:"payment_token"`
	PaymentTokenExpirationTime string `json:"payment_token_expiration_time"`
	RequestID                  string `json:"request_id"`
}

// paymentTokenCreate makes a payment token, which a legacy
// Plaid.create({paymentToken}) uses once within 15 minutes.
func (s *API) paymentTokenCreate(ctx context.Context, c *httpapi.Call, req *paymentIDRequest) (paymentTokenCreateResponse, *plaid.Error) {
	t, e := s.Payments.CreatePaymentToken(ctx, c.Tenant, req.PaymentID)
	if e != nil {
		return paymentTokenCreateResponse{}, e
	}
	return paymentTokenCreateResponse{PaymentToken: t.Token, PaymentTokenExpirationTime: plaid.Time(t.ExpiresAt), RequestID: c.RequestID}, nil
}

// paymentJSON is a payment as /payment_initiation/payment/get and /list
// show it. payment_token and payment_token_expiration_time are the newest
// token's, as API versions with payment tokens show them. What the
// emulator does not model (standing-order schedules, refunds, sender
// accounts, schemes, wallets) is null or empty.
type paymentJSON struct {
	PaymentID                  string            `json:"payment_id"`
	PaymentToken               *string           `json:"payment_token"`
	PaymentTokenExpirationTime *string           `json:"payment_token_expiration_time"`
	Reference                  string            `json:"reference"`
	AdjustedReference          *string           `json:"adjusted_reference"`
	Amount                     paymentAmountJSON `json:"amount"`
	Status                     string            `json:"status"`
	RecipientID                string            `json:"recipient_id"`
	LastStatusUpdate           string            `json:"last_status_update"`
	Schedule                   *struct{}         `json:"schedule"`
	RefundDetails              *struct{}         `json:"refund_details"`
	BACS                       *payments.BACS    `json:"bacs"`
	IBAN                       *string           `json:"iban"`
	RefundIDs                  []string          `json:"refund_ids"`
	WalletID                   *string           `json:"wallet_id"`
	Scheme                     *string           `json:"scheme"`
	AdjustedScheme             *string           `json:"adjusted_scheme"`
}

// paymentAmountJSON is an amount as responses write it.
type paymentAmountJSON struct {
	Currency string  `json:"currency"`
	Value    float64 `json:"value"`
}

func amountOf(p payments.Payment) paymentAmountJSON {
	return paymentAmountJSON{Currency: p.Currency, Value: payment.MajorUnits(p.Amount)}
}

func paymentOut(p payments.Payment) paymentJSON {
	out := paymentJSON{PaymentID: p.ID, Reference: p.Reference, Amount: amountOf(p), Status: p.Status, RecipientID: p.RecipientID,
		LastStatusUpdate: plaid.Time(p.LastStatusUpdate), RefundIDs: []string{}}
	if p.Token != nil {
		out.PaymentToken, out.PaymentTokenExpirationTime = httpapi.OptString(p.Token.Token), plaid.OptTime(p.Token.ExpiresAt)
	}
	return out
}

type paymentGetResponse struct {
	paymentJSON
	RequestID string `json:"request_id"`
}

func (s *API) paymentGet(ctx context.Context, c *httpapi.Call, req *paymentIDRequest) (paymentGetResponse, *plaid.Error) {
	p, e := s.Payments.Payment(ctx, c.Tenant, "payment_id", req.PaymentID)
	if e != nil {
		return paymentGetResponse{}, e
	}
	return paymentGetResponse{paymentJSON: paymentOut(p), RequestID: c.RequestID}, nil
}

// paymentListRequest is /payment_initiation/payment/list's body: at most
// count payments (10 by default) created at or before cursor, newest
// first. consent_id is accepted; consents are not emulated.
type paymentListRequest struct {
	httpapi.Credentials
	Count     *int    `json:"count"`
	Cursor    *string `json:"cursor"`
	ConsentID *string `json:"consent_id"`
}

type paymentListResponse struct {
	Payments []paymentJSON `json:"payments"`
	// NextCursor is the creation time of the next payment not returned
	// (in milliseconds, so that pages part between payments made within
	// one second), or null when there is none.
	NextCursor *string `json:"next_cursor"`
	RequestID  string  `json:"request_id"`
}

func (s *API) paymentList(ctx context.Context, c *httpapi.Call, req *paymentListRequest) (paymentListResponse, *plaid.Error) {
	cursor := ""
	if req.Cursor != nil {
		cursor = *req.Cursor
	}
	page, e := s.Payments.ListPayments(ctx, c.Tenant, req.Count, cursor)
	if e != nil {
		return paymentListResponse{}, e
	}
	resp := paymentListResponse{Payments: []paymentJSON{}, NextCursor: httpapi.OptString(page.NextCursor), RequestID: c.RequestID}
	for _, p := range page.Payments {
		resp.Payments = append(resp.Payments, paymentOut(p))
	}
	return resp, nil
}

// checkPaymentInitiation checks /link/token/create's payment_initiation
// (paymentinitiation.Service.CheckPaymentInitiation): a payment_id makes a Payment
// Initiation link token, whose products must be exactly
// payment_initiation and whose payment must be the client's and still wait
// for the payer; products with payment_initiation need a payment_id.
func (s *API) checkPaymentInitiation(ctx context.Context, c *httpapi.Call, req *linkTokenCreateRequest) *plaid.Error {
	paymentID := ""
	if req.PaymentInitiation != nil {
		paymentID = req.PaymentInitiation.PaymentID
	}
	return s.Payments.CheckPaymentInitiation(ctx, c.Tenant, planOf(*req), paymentID)
}
