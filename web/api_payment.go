package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"

	"github.com/linkharness/linkharness/internal/store"
)

// Payment Initiation (UK and Europe): recipients, payments and the
// payment tokens that open Link for them
// (https://plaid.com/docs/api/products/payment-initiation/).
const (
	// maxReference is the longest payment reference Plaid accepts.
	maxReference = 18
	// Payment list page sizes.
	defaultPaymentCount = 10
	maxPaymentCount     = 200
)

// paymentCurrencies are the currencies a payment may be in: pounds
// (Faster Payments) and euros (SEPA Credit Transfer).
var paymentCurrencies = []string{"GBP", "EUR"}

// paymentRoutes mounts the Payment Initiation endpoints.
func (s *Server) paymentRoutes() {
	s.mux.Handle("POST /payment_initiation/recipient/create", plaidAPI(s, s.paymentRecipientCreate))
	s.mux.Handle("POST /payment_initiation/recipient/get", plaidAPI(s, s.paymentRecipientGet))
	s.mux.Handle("POST /payment_initiation/payment/create", plaidAPI(s, s.paymentCreate))
	s.mux.Handle("POST /payment_initiation/payment/token/create", plaidAPI(s, s.paymentTokenCreate))
	s.mux.Handle("POST /payment_initiation/payment/get", plaidAPI(s, s.paymentGet))
	s.mux.Handle("POST /payment_initiation/payment/list", plaidAPI(s, s.paymentList))
}

// paymentRecipientCreateRequest is /payment_initiation/recipient/create's
// body.
type paymentRecipientCreateRequest struct {
	credentials
	Name    string                `json:"name"`
	IBAN    *string               `json:"iban"`
	BACS    *store.BACS           `json:"bacs"`
	Address *store.PaymentAddress `json:"address"`
}

type paymentRecipientCreateResponse struct {
	RecipientID string `json:"recipient_id"`
	RequestID   string `json:"request_id"`
}

// paymentRecipientCreate stores a recipient, or returns the one made
// before with the same details: Plaid's endpoint is idempotent.
func (s *Server) paymentRecipientCreate(ctx context.Context, c *call, req *paymentRecipientCreateRequest) (paymentRecipientCreateResponse, *plaid.Error) {
	if e := plaid.Required("name", req.Name); e != nil {
		return paymentRecipientCreateResponse{}, e
	}
	r := store.PaymentRecipient{ID: plaid.NewToken(plaid.RecipientID), ClientID: c.client.ClientID, Name: req.Name, CreatedAt: c.now}
	if req.IBAN != nil && *req.IBAN != "" {
		iban, ok := normalIBAN(*req.IBAN)
		if !ok {
			return paymentRecipientCreateResponse{}, plaid.InvalidField("iban must be a valid IBAN: a country code, two check digits that pass the mod-97 check and up to 30 letters and digits")
		}
		r.IBAN = iban
	}
	if req.BACS != nil && (req.BACS.Account != "" || req.BACS.SortCode != "") {
		if e := checkBACS(*req.BACS); e != nil {
			return paymentRecipientCreateResponse{}, e
		}
		r.BACS = req.BACS
	}
	if r.IBAN == "" && r.BACS == nil {
		return paymentRecipientCreateResponse{}, plaid.New("MISSING_FIELDS",
			"either iban or bacs is required: a recipient is paid by IBAN, or by UK account number and sort code")
	}
	if req.Address != nil {
		if e := checkPaymentAddress(*req.Address); e != nil {
			return paymentRecipientCreateResponse{}, e
		}
		r.Address = req.Address
	}
	r, err := s.store.EnsurePaymentRecipient(ctx, r)
	if err != nil {
		return paymentRecipientCreateResponse{}, service.StoreError(err)
	}
	return paymentRecipientCreateResponse{RecipientID: r.ID, RequestID: c.requestID}, nil
}

// normalIBAN returns iban without spaces and in capitals, and whether it
// is a valid IBAN (ISO 13616: two letters, two check digits, at most 30
// letters and digits, and the whole is 1 modulo 97).
func normalIBAN(iban string) (string, bool) {
	iban = strings.ToUpper(strings.ReplaceAll(iban, " ", ""))
	if len(iban) < 15 || len(iban) > 34 {
		return iban, false
	}
	for i, r := range iban {
		letter, digit := r >= 'A' && r <= 'Z', r >= '0' && r <= '9'
		if (i < 2 && !letter) || (i >= 2 && i < 4 && !digit) || (!letter && !digit) {
			return iban, false
		}
	}
	var digits strings.Builder
	for _, r := range iban[4:] + iban[:4] {
		if r >= 'A' {
			fmt.Fprint(&digits, int(r-'A')+10)
		} else {
			digits.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	return iban, new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// checkBACS returns INVALID_FIELD unless b is a UK account number (at
// most 10 digits) and a 6-digit sort code.
func checkBACS(b store.BACS) *plaid.Error {
	if e := plaid.Required("bacs.account", b.Account, "bacs.sort_code", b.SortCode); e != nil {
		return e
	}
	if len(b.Account) > 10 || !allDigits(b.Account) {
		return plaid.InvalidField("bacs.account must be an account number of at most 10 digits")
	}
	if len(b.SortCode) != 6 || !allDigits(b.SortCode) {
		return plaid.InvalidField("bacs.sort_code must be a sort code of 6 digits, without dashes")
	}
	return nil
}

func allDigits(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// checkPaymentAddress checks a recipient's address as Plaid's reference
// describes it: one or two street lines of at most 70 characters, a city
// of at most 35, a postal code of at most 16 and a country code.
func checkPaymentAddress(a store.PaymentAddress) *plaid.Error {
	if e := plaid.Required("address.street", a.Street, "address.city", a.City, "address.postal_code", a.PostalCode,
		"address.country", a.Country); e != nil {
		return e
	}
	switch {
	case len(a.Street) > 2:
		return plaid.InvalidField("address.street must have one or two lines")
	case slices.ContainsFunc(a.Street, func(l string) bool { return len(l) > 70 || strings.TrimSpace(l) == "" }):
		return plaid.InvalidField("address.street lines must be non-empty and at most 70 characters")
	case len(a.City) > 35:
		return plaid.InvalidField("address.city must be at most 35 characters")
	case len(a.PostalCode) > 16:
		return plaid.InvalidField("address.postal_code must be at most 16 characters")
	case len(a.Country) != 2 || strings.ToUpper(a.Country) != a.Country || strings.ContainsFunc(a.Country, func(r rune) bool { return r < 'A' || r > 'Z' }):
		return plaid.InvalidField("address.country must be an ISO 3166-1 alpha-2 country code such as GB")
	}
	return nil
}

// paymentRecipientGetRequest is /payment_initiation/recipient/get's body.
type paymentRecipientGetRequest struct {
	credentials
	RecipientID string `json:"recipient_id"`
}

type paymentRecipientGetResponse struct {
	RecipientID string                `json:"recipient_id"`
	Name        string                `json:"name"`
	Address     *store.PaymentAddress `json:"address"`
	IBAN        *string               `json:"iban"`
	BACS        *store.BACS           `json:"bacs"`
	RequestID   string                `json:"request_id"`
}

func (s *Server) paymentRecipientGet(ctx context.Context, c *call, req *paymentRecipientGetRequest) (paymentRecipientGetResponse, *plaid.Error) {
	if e := plaid.Required("recipient_id", req.RecipientID); e != nil {
		return paymentRecipientGetResponse{}, e
	}
	r, err := s.store.PaymentRecipient(ctx, c.client.ClientID, req.RecipientID)
	if errors.Is(err, store.ErrNotFound) {
		return paymentRecipientGetResponse{}, errUnknownRecipient()
	}
	if err != nil {
		return paymentRecipientGetResponse{}, service.StoreError(err)
	}
	return paymentRecipientGetResponse{RecipientID: r.ID, Name: r.Name, Address: r.Address, IBAN: optString(r.IBAN), BACS: r.BACS,
		RequestID: c.requestID}, nil
}

func errUnknownRecipient() *plaid.Error {
	return plaid.InvalidField("recipient_id does not exist or is not a recipient of this client; expected format: recipient-id-<environment>-<identifier>")
}

func errUnknownPayment(field string) *plaid.Error {
	return plaid.InvalidField(field + " does not exist or is not a payment of this client; expected format: payment-id-<environment>-<identifier>")
}

// paymentAmount is a payment's amount as the API writes it.
type paymentAmount struct {
	Currency string   `json:"currency"`
	Value    *float64 `json:"value"`
}

// paymentCreateRequest is /payment_initiation/payment/create's body. A
// schedule (standing orders) and options are accepted and not emulated.
type paymentCreateRequest struct {
	credentials
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

func (s *Server) paymentCreate(ctx context.Context, c *call, req *paymentCreateRequest) (paymentCreateResponse, *plaid.Error) {
	if e := plaid.Required("recipient_id", req.RecipientID, "reference", req.Reference); e != nil {
		return paymentCreateResponse{}, e
	}
	if req.Amount == nil {
		return paymentCreateResponse{}, plaid.MissingFields("amount")
	}
	if req.Amount.Value == nil {
		return paymentCreateResponse{}, plaid.MissingFields("amount.value")
	}
	if e := plaid.Required("amount.currency", req.Amount.Currency); e != nil {
		return paymentCreateResponse{}, e
	}
	if e := checkReference(req.Reference); e != nil {
		return paymentCreateResponse{}, e
	}
	if !slices.Contains(paymentCurrencies, req.Amount.Currency) {
		return paymentCreateResponse{}, plaid.InvalidField("amount.currency must be GBP or EUR")
	}
	minor, e := minorUnits(*req.Amount.Value)
	if e != nil {
		return paymentCreateResponse{}, e
	}
	p := store.Payment{ID: plaid.NewToken(plaid.PaymentID), ClientID: c.client.ClientID, RecipientID: req.RecipientID,
		Reference: req.Reference, Currency: req.Amount.Currency, Amount: minor, Status: store.PaymentInputNeeded,
		CreatedAt: c.now, LastStatusUpdate: c.now}
	err := s.store.CreatePayment(ctx, p)
	if errors.Is(err, store.ErrNotFound) {
		return paymentCreateResponse{}, errUnknownRecipient()
	}
	if err != nil {
		return paymentCreateResponse{}, service.StoreError(err)
	}
	return paymentCreateResponse{PaymentID: p.ID, Status: p.Status, RequestID: c.requestID}, nil
}

// checkReference returns INVALID_FIELD unless ref is at most 18 letters,
// digits and spaces: not every bank takes other characters.
func checkReference(ref string) *plaid.Error {
	if len(ref) > maxReference {
		return plaid.InvalidField(fmt.Sprintf("reference must be at most %d characters", maxReference))
	}
	if strings.ContainsFunc(ref, func(r rune) bool {
		return r != ' ' && (r < '0' || r > '9') && (r < 'A' || r > 'Z') && (r < 'a' || r > 'z')
	}) {
		return plaid.InvalidField("reference must contain letters, digits and spaces only: not every bank accepts other characters")
	}
	return nil
}

// minorUnits is value in pence or cents, or INVALID_FIELD when it is less
// than 1 (Plaid's minimum) or has more than two decimals.
func minorUnits(value float64) (int64, *plaid.Error) {
	if math.IsNaN(value) || value < 1 {
		return 0, plaid.InvalidField("amount.value must be at least 1")
	}
	if value > 1e12 {
		return 0, plaid.InvalidField("amount.value is too large")
	}
	minor := math.Round(value * 100)
	if math.Abs(value*100-minor) > 1e-6 {
		return 0, plaid.InvalidField("amount.value must have at most two decimals, e.g. 1.23")
	}
	return int64(minor), nil
}

// paymentIDRequest is the body of the endpoints that take a payment_id.
type paymentIDRequest struct {
	credentials
	PaymentID string `json:"payment_id"`
}

type paymentTokenCreateResponse struct {
	PaymentToken               string `json:"payment_token"`
	PaymentTokenExpirationTime string `json:"payment_token_expiration_time"`
	RequestID                  string `json:"request_id"`
}

// paymentTokenCreate makes a payment token, which a legacy
// Plaid.create({paymentToken}) uses once within 15 minutes.
func (s *Server) paymentTokenCreate(ctx context.Context, c *call, req *paymentIDRequest) (paymentTokenCreateResponse, *plaid.Error) {
	if e := plaid.Required("payment_id", req.PaymentID); e != nil {
		return paymentTokenCreateResponse{}, e
	}
	t := store.PaymentToken{Token: plaid.NewToken(plaid.PaymentToken), ClientID: c.client.ClientID, PaymentID: req.PaymentID,
		CreatedAt: c.now, ExpiresAt: c.now.Add(plaid.PaymentTokenLifetime)}
	err := s.store.CreatePaymentToken(ctx, t)
	if errors.Is(err, store.ErrNotFound) {
		return paymentTokenCreateResponse{}, errUnknownPayment("payment_id")
	}
	if err != nil {
		return paymentTokenCreateResponse{}, service.StoreError(err)
	}
	return paymentTokenCreateResponse{PaymentToken: t.Token, PaymentTokenExpirationTime: plaid.Time(t.ExpiresAt), RequestID: c.requestID}, nil
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
	BACS                       *store.BACS       `json:"bacs"`
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

func amountOf(p store.Payment) paymentAmountJSON {
	return paymentAmountJSON{Currency: p.Currency, Value: float64(p.Amount) / 100}
}

func paymentOut(p store.Payment) paymentJSON {
	out := paymentJSON{PaymentID: p.ID, Reference: p.Reference, Amount: amountOf(p), Status: p.Status, RecipientID: p.RecipientID,
		LastStatusUpdate: plaid.Time(p.LastStatusUpdate), RefundIDs: []string{}}
	if p.Token != nil {
		out.PaymentToken, out.PaymentTokenExpirationTime = optString(p.Token.Token), plaid.OptTime(p.Token.ExpiresAt)
	}
	return out
}

type paymentGetResponse struct {
	paymentJSON
	RequestID string `json:"request_id"`
}

func (s *Server) paymentGet(ctx context.Context, c *call, req *paymentIDRequest) (paymentGetResponse, *plaid.Error) {
	if e := plaid.Required("payment_id", req.PaymentID); e != nil {
		return paymentGetResponse{}, e
	}
	p, err := s.store.Payment(ctx, c.client.ClientID, req.PaymentID)
	if errors.Is(err, store.ErrNotFound) {
		return paymentGetResponse{}, errUnknownPayment("payment_id")
	}
	if err != nil {
		return paymentGetResponse{}, service.StoreError(err)
	}
	return paymentGetResponse{paymentJSON: paymentOut(p), RequestID: c.requestID}, nil
}

// paymentListRequest is /payment_initiation/payment/list's body: at most
// count payments (10 by default) created at or before cursor, newest
// first. consent_id is accepted; consents are not emulated.
type paymentListRequest struct {
	credentials
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

func (s *Server) paymentList(ctx context.Context, c *call, req *paymentListRequest) (paymentListResponse, *plaid.Error) {
	count := defaultPaymentCount
	if req.Count != nil {
		count = *req.Count
	}
	if count < 1 || count > maxPaymentCount {
		return paymentListResponse{}, plaid.InvalidField(fmt.Sprintf("count must be between 1 and %d", maxPaymentCount))
	}
	var before time.Time
	if req.Cursor != nil && *req.Cursor != "" {
		t, err := time.Parse(time.RFC3339Nano, *req.Cursor)
		if err != nil {
			return paymentListResponse{}, plaid.InvalidField("cursor must be a time in RFC 3339 format, such as 2019-12-06T22:35:49Z")
		}
		before = t
	}
	list, err := s.store.Payments(ctx, c.client.ClientID, before, count+1)
	if err != nil {
		return paymentListResponse{}, service.StoreError(err)
	}
	resp := paymentListResponse{Payments: []paymentJSON{}, RequestID: c.requestID}
	if len(list) > count {
		next := list[count].CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00")
		resp.NextCursor, list = &next, list[:count]
	}
	for _, p := range list {
		resp.Payments = append(resp.Payments, paymentOut(p))
	}
	return resp, nil
}

// checkPaymentInitiation checks /link/token/create's payment_initiation:
// a payment_id makes a Payment Initiation link token, whose products must
// be exactly payment_initiation and whose payment must be the client's
// and still wait for the payer; products with payment_initiation need a
// payment_id.
func (s *Server) checkPaymentInitiation(ctx context.Context, c *call, req *linkTokenCreateRequest) *plaid.Error {
	paymentID := ""
	if req.PaymentInitiation != nil {
		paymentID = req.PaymentInitiation.PaymentID
	}
	if paymentID == "" {
		if slices.Contains(planOf(*req).All(), "payment_initiation") {
			return plaid.MissingFields("payment_initiation.payment_id")
		}
		return nil
	}
	if !slices.Equal(req.Products, []string{"payment_initiation"}) {
		return plaid.InvalidField(`payment_initiation.payment_id needs products to be exactly ["payment_initiation"]`)
	}
	p, err := s.store.Payment(ctx, c.client.ClientID, paymentID)
	if errors.Is(err, store.ErrNotFound) {
		return errUnknownPayment("payment_initiation.payment_id")
	}
	if err != nil {
		return service.StoreError(err)
	}
	if p.Status != store.PaymentInputNeeded {
		return errPaymentNotWaiting(p)
	}
	return nil
}

// errPaymentNotWaiting is a payment that the payer cannot authorise (any
// more): it is past PAYMENT_STATUS_INPUT_NEEDED.
func errPaymentNotWaiting(p store.Payment) *plaid.Error {
	return plaid.InvalidField(fmt.Sprintf("payment %s is %s, not %s: it was authorised already; create a new payment",
		p.ID, p.Status, store.PaymentInputNeeded))
}
