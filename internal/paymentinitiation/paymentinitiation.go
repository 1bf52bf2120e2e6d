// Package paymentinitiation is Payment Initiation (UK and Europe) on the
// store: recipients, payments and the payment tokens that open Link for
// them, by the rules of package payment
// (https://plaid.com/docs/api/products/payment-initiation/), kept by
// package store/payments. None of these writes queues webhooks, so they go
// to the store directly; the payment's execution in Link is package
// linkbackend's.
package paymentinitiation

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/payment"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/payments"
)

// Service is Payment Initiation over one store.
type Service struct{ payments *payments.Store }

// New returns Payment Initiation over st.
func New(st *store.DB) *Service { return &Service{payments: payments.New(st)} }

// CreatePaymentRecipient stores the tenant's recipient r, or returns the
// one made before with the same details (Plaid's endpoint is idempotent),
// once r passes payment.CheckRecipient; it is stored as that normalises it.
func (s *Service) CreatePaymentRecipient(ctx context.Context, t service.Tenant, r payment.Recipient) (payments.Recipient, *plaid.Error) {
	r, e := payment.CheckRecipient(r)
	if e != nil {
		return payments.Recipient{}, e
	}
	rec, err := s.payments.EnsureRecipient(ctx, payments.Recipient{ID: ids.NewToken(plaid.RecipientID), ClientID: t.ClientID,
		Name: r.Name, IBAN: r.IBAN, BACS: storeBACS(r.BACS), Address: storeAddress(r.Address), CreatedAt: t.Now})
	if err != nil {
		return payments.Recipient{}, service.StoreError(err)
	}
	return rec, nil
}

// storeBACS is b as the store keeps it.
func storeBACS(b *payment.BACS) *payments.BACS {
	if b == nil {
		return nil
	}
	return &payments.BACS{Account: b.Account, SortCode: b.SortCode}
}

// storeAddress is a as the store keeps it.
func storeAddress(a *payment.Address) *payments.Address {
	if a == nil {
		return nil
	}
	return &payments.Address{Street: a.Street, City: a.City, PostalCode: a.PostalCode, Country: a.Country}
}

// PaymentRecipient returns the tenant's recipient with the ID: MISSING_FIELDS
// without one, INVALID_FIELD when it is not the tenant's.
func (s *Service) PaymentRecipient(ctx context.Context, t service.Tenant, id string) (payments.Recipient, *plaid.Error) {
	if strings.TrimSpace(id) == "" {
		return payments.Recipient{}, plaid.MissingFields("recipient_id")
	}
	r, err := s.payments.Recipient(ctx, t.ClientID, id)
	if errors.Is(err, store.ErrNotFound) {
		return payments.Recipient{}, payment.ErrUnknownRecipient()
	}
	if err != nil {
		return payments.Recipient{}, service.StoreError(err)
	}
	return r, nil
}

// CreatePayment stores a payment of the order, once it passes
// payment.CheckOrder, to one of the tenant's recipients. A new payment
// waits for the payer (payment.StatusInputNeeded).
func (s *Service) CreatePayment(ctx context.Context, t service.Tenant, o payment.Order) (payments.Payment, *plaid.Error) {
	minor, e := payment.CheckOrder(o)
	if e != nil {
		return payments.Payment{}, e
	}
	p := payments.Payment{ID: ids.NewToken(plaid.PaymentID), ClientID: t.ClientID, RecipientID: o.RecipientID,
		Reference: o.Reference, Currency: o.Amount.Currency, Amount: minor, Status: payment.StatusInputNeeded,
		CreatedAt: t.Now, LastStatusUpdate: t.Now}
	err := s.payments.Create(ctx, p)
	if errors.Is(err, store.ErrNotFound) {
		return payments.Payment{}, payment.ErrUnknownRecipient()
	}
	if err != nil {
		return payments.Payment{}, service.StoreError(err)
	}
	return p, nil
}

// CreatePaymentToken stores a payment token for the tenant's payment, which
// a legacy Plaid.create({paymentToken}) uses once within
// plaid.PaymentTokenLifetime.
func (s *Service) CreatePaymentToken(ctx context.Context, t service.Tenant, paymentID string) (payments.Token, *plaid.Error) {
	if strings.TrimSpace(paymentID) == "" {
		return payments.Token{}, plaid.MissingFields("payment_id")
	}
	tok := payments.Token{Token: ids.NewToken(plaid.PaymentToken), ClientID: t.ClientID, PaymentID: paymentID,
		CreatedAt: t.Now, ExpiresAt: t.Now.Add(plaid.PaymentTokenLifetime)}
	err := s.payments.CreateToken(ctx, tok)
	if errors.Is(err, store.ErrNotFound) {
		return payments.Token{}, payment.ErrUnknownPayment("payment_id")
	}
	if err != nil {
		return payments.Token{}, service.StoreError(err)
	}
	return tok, nil
}

// Payment returns the tenant's payment with the ID, and its newest token.
// field is where the ID came from, as errors name it: MISSING_FIELDS
// without an ID, INVALID_FIELD when it is not the tenant's.
func (s *Service) Payment(ctx context.Context, t service.Tenant, field, id string) (payments.Payment, *plaid.Error) {
	if strings.TrimSpace(id) == "" {
		return payments.Payment{}, plaid.MissingFields(field)
	}
	return s.PaymentOf(ctx, t, field, id)
}

// PaymentOf is Payment without the check for a missing ID.
func (s *Service) PaymentOf(ctx context.Context, t service.Tenant, field, id string) (payments.Payment, *plaid.Error) {
	p, err := s.payments.Get(ctx, t.ClientID, id)
	if errors.Is(err, store.ErrNotFound) {
		return payments.Payment{}, payment.ErrUnknownPayment(field)
	}
	if err != nil {
		return payments.Payment{}, service.StoreError(err)
	}
	return p, nil
}

// PaymentPage is a page of /payment_initiation/payment/list.
type PaymentPage struct {
	// Payments are newest first.
	Payments []payments.Payment
	// NextCursor is the cursor of the next page (payment.Cursor), "" when
	// there is none.
	NextCursor string
}

// ListPayments returns at most count of the tenant's payments (nil:
// payment.DefaultListCount) created at or before cursor ("": any time),
// newest first; see payment.ListCount and payment.ParseCursor.
func (s *Service) ListPayments(ctx context.Context, t service.Tenant, count *int, cursor string) (PaymentPage, *plaid.Error) {
	n, e := payment.ListCount(count)
	if e != nil {
		return PaymentPage{}, e
	}
	before, e := payment.ParseCursor(cursor)
	if e != nil {
		return PaymentPage{}, e
	}
	list, err := s.payments.List(ctx, t.ClientID, before, n+1)
	if err != nil {
		return PaymentPage{}, service.StoreError(err)
	}
	var page PaymentPage
	if len(list) > n {
		page.NextCursor, list = payment.Cursor(list[n].CreatedAt), list[:n]
	}
	page.Payments = list
	return page, nil
}

// CheckPaymentInitiation checks /link/token/create's plan against its
// payment_initiation.payment_id (paymentID, "" when none): the products as
// payment.CheckLinkProducts wants them, and a payment that is the tenant's
// and still waits for the payer.
func (s *Service) CheckPaymentInitiation(ctx context.Context, t service.Tenant, plan linkconfig.Plan, paymentID string) *plaid.Error {
	if e := payment.CheckLinkProducts(paymentID, plan.Products, plan.All()); e != nil || paymentID == "" {
		return e
	}
	p, e := s.PaymentOf(ctx, t, "payment_initiation.payment_id", paymentID)
	if e != nil {
		return e
	}
	if !payment.Authorisable(p.Status) {
		return payment.ErrNotWaiting(p.ID, p.Status)
	}
	return nil
}

// UsePaymentToken uses up the tenant's payment token, as a legacy
// Plaid.create({paymentToken}) opening Link does, and returns its payment:
// MISSING_FIELDS without a token, INVALID_FIELD for an unknown, used or
// expired one (a payment token works once, within
// plaid.PaymentTokenLifetime). Whether the payment still waits for the
// payer is the caller's to check (payment.Authorisable).
func (s *Service) UsePaymentToken(ctx context.Context, t service.Tenant, token string) (payments.Payment, *plaid.Error) {
	if token == "" {
		return payments.Payment{}, plaid.MissingFields("payment_token")
	}
	p, err := s.payments.UseToken(ctx, t.ClientID, token, t.Now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return payments.Payment{}, payment.ErrUnknownToken()
	case errors.Is(err, store.ErrUsed):
		return payments.Payment{}, payment.ErrTokenUsed()
	case errors.Is(err, store.ErrExpired):
		return payments.Payment{}, payment.ErrTokenExpired()
	case err != nil:
		return payments.Payment{}, service.StoreError(err)
	}
	return p, nil
}

// PaymentExecution is payment.Execution as the store's status changes, all
// at at, for store.AdvancePayment.
func PaymentExecution(at time.Time) []payments.StatusChange {
	var out []payments.StatusChange
	for _, st := range payment.Execution() {
		out = append(out, payments.StatusChange{From: st.From, To: st.To, At: at})
	}
	return out
}
