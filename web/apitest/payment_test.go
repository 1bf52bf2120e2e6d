package apitest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/plaid/plaid-go/v20/plaid"
)

// TestPaymentInitiation drives Payment Initiation with plaid-go: a
// recipient, a payment to it, a payment token, the payment as
// /payment_initiation/payment/get and /list show it, and a link token for
// it.
func TestPaymentInitiation(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	start := time.Now()

	// /payment_initiation/recipient/create and /get
	rcReq := plaid.NewPaymentInitiationRecipientCreateRequest("Wonder Wallet")
	rcReq.SetIban("GB33BUKB20201555555555")
	rcReq.SetAddress(*plaid.NewPaymentInitiationAddress([]string{"96 Guild Street", "9th Floor"}, "London", "SE14 8JW", "GB"))
	rc, _, err := e.plaid.PaymentInitiationRecipientCreate(ctx).PaymentInitiationRecipientCreateRequest(*rcReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rc.RecipientId, "recipient-id-sandbox-") {
		t.Errorf("recipient %+v", rc)
	}
	checkRequestID(t, "/payment_initiation/recipient/create", rc.RequestId)
	rg, _, err := e.plaid.PaymentInitiationRecipientGet(ctx).PaymentInitiationRecipientGetRequest(*plaid.NewPaymentInitiationRecipientGetRequest(rc.RecipientId)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	addr := rg.Address.Get()
	if rg.RecipientId != rc.RecipientId || rg.Name != "Wonder Wallet" || rg.GetIban() != "GB33BUKB20201555555555" || rg.Bacs.Get() != nil ||
		addr == nil || addr.City != "London" || addr.PostalCode != "SE14 8JW" || addr.Country != "GB" || len(addr.Street) != 2 {
		t.Errorf("recipient get %+v (address %+v)", rg, addr)
	}
	checkRequestID(t, "/payment_initiation/recipient/get", rg.RequestId)

	bacsReq := plaid.NewPaymentInitiationRecipientCreateRequest("Corner Shop")
	bacs := plaid.NewRecipientBACSNullable()
	bacs.SetAccount("26207729")
	bacs.SetSortCode("560029")
	bacsReq.SetBacs(*bacs)
	bc, _, err := e.plaid.PaymentInitiationRecipientCreate(ctx).PaymentInitiationRecipientCreateRequest(*bacsReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	bg, _, err := e.plaid.PaymentInitiationRecipientGet(ctx).PaymentInitiationRecipientGetRequest(*plaid.NewPaymentInitiationRecipientGetRequest(bc.RecipientId)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if b := bg.Bacs.Get(); b == nil || b.GetAccount() != "26207729" || b.GetSortCode() != "560029" || bg.Iban.Get() != nil || bg.Address.Get() != nil {
		t.Errorf("BACS recipient get %+v", bg)
	}

	// /payment_initiation/payment/create
	pcReq := plaid.NewPaymentInitiationPaymentCreateRequest(rc.RecipientId, "Order 42", *plaid.NewPaymentAmount(plaid.PAYMENTAMOUNTCURRENCY_GBP, 12.34))
	pc, _, err := e.plaid.PaymentInitiationPaymentCreate(ctx).PaymentInitiationPaymentCreateRequest(*pcReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(pc.PaymentId, "payment-id-sandbox-") || pc.Status != plaid.PAYMENTINITIATIONPAYMENTCREATESTATUS_PAYMENT_STATUS_INPUT_NEEDED {
		t.Errorf("payment %+v", pc)
	}
	checkRequestID(t, "/payment_initiation/payment/create", pc.RequestId)

	// /payment_initiation/payment/token/create
	tok, _, err := e.plaid.CreatePaymentToken(ctx).PaymentInitiationPaymentTokenCreateRequest(*plaid.NewPaymentInitiationPaymentTokenCreateRequest(pc.PaymentId)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok.PaymentToken, "payment-token-sandbox-") || !near(tok.PaymentTokenExpirationTime, start.Add(15*time.Minute)) {
		t.Errorf("payment token %+v", tok)
	}
	checkRequestID(t, "/payment_initiation/payment/token/create", tok.RequestId)

	// /payment_initiation/payment/get
	pg, _, err := e.plaid.PaymentInitiationPaymentGet(ctx).PaymentInitiationPaymentGetRequest(*plaid.NewPaymentInitiationPaymentGetRequest(pc.PaymentId)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if pg.PaymentId != pc.PaymentId || pg.RecipientId != rc.RecipientId || pg.Reference != "Order 42" ||
		pg.Amount.Currency != plaid.PAYMENTAMOUNTCURRENCY_GBP || pg.Amount.Value != 12.34 ||
		pg.Status != plaid.PAYMENTINITIATIONPAYMENTSTATUS_INPUT_NEEDED || !near(pg.LastStatusUpdate, start) ||
		pg.Schedule.Get() != nil || pg.RefundDetails.Get() != nil || pg.Bacs.Get() != nil || pg.Iban.Get() != nil || pg.AdjustedReference.Get() != nil {
		t.Errorf("payment get %+v", pg)
	}
	if pg.AdditionalProperties["payment_token"] != tok.PaymentToken {
		t.Errorf("payment get: payment_token %v, want %s", pg.AdditionalProperties["payment_token"], tok.PaymentToken)
	}
	checkRequestID(t, "/payment_initiation/payment/get", pg.RequestId)

	// /payment_initiation/payment/list, a page of one then the rest.
	second, _, err := e.plaid.PaymentInitiationPaymentCreate(ctx).PaymentInitiationPaymentCreateRequest(
		*plaid.NewPaymentInitiationPaymentCreateRequest(bc.RecipientId, "Order 43", *plaid.NewPaymentAmount(plaid.PAYMENTAMOUNTCURRENCY_EUR, 5))).Execute()
	if err != nil {
		t.Fatal(err)
	}
	plReq := plaid.NewPaymentInitiationPaymentListRequest()
	plReq.SetCount(1)
	pl, _, err := e.plaid.PaymentInitiationPaymentList(ctx).PaymentInitiationPaymentListRequest(*plReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	// Both payments may be in the same millisecond: the cursor is
	// inclusive, so the next page may repeat the first.
	if len(pl.Payments) != 1 || pl.NextCursor.Get() == nil {
		t.Fatalf("payment list %+v", pl)
	}
	plReq.SetCursor(*pl.NextCursor.Get())
	plReq.SetCount(10)
	rest, _, err := e.plaid.PaymentInitiationPaymentList(ctx).PaymentInitiationPaymentListRequest(*plReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{pl.Payments[0].PaymentId: true}
	for _, p := range rest.Payments {
		seen[p.PaymentId] = true
	}
	if !seen[pc.PaymentId] || !seen[second.PaymentId] || rest.NextCursor.Get() != nil {
		t.Errorf("payment list pages %+v then %+v", pl, rest)
	}

	// /link/token/create for the payment.
	ltReq := plaid.NewLinkTokenCreateRequest("API Test", "en", []plaid.CountryCode{plaid.COUNTRYCODE_GB}, *plaid.NewLinkTokenCreateRequestUser("user-1"))
	ltReq.SetProducts([]plaid.Products{plaid.PRODUCTS_PAYMENT_INITIATION})
	pi := plaid.NewLinkTokenCreateRequestPaymentInitiation()
	pi.SetPaymentId(pc.PaymentId)
	ltReq.SetPaymentInitiation(*pi)
	if lt, _, err := e.plaid.LinkTokenCreate(ctx).LinkTokenCreateRequest(*ltReq).Execute(); err != nil || !strings.HasPrefix(lt.LinkToken, "link-sandbox-") {
		t.Errorf("payment link token %+v %v", lt, err)
	}

	// An unknown payment is a Plaid error.
	_, _, err = e.plaid.PaymentInitiationPaymentGet(ctx).PaymentInitiationPaymentGetRequest(*plaid.NewPaymentInitiationPaymentGetRequest("payment-id-sandbox-nope")).Execute()
	if pe := plaidErr(t, err); pe.ErrorType != plaid.PLAIDERRORTYPE_INVALID_REQUEST || pe.ErrorCode != "INVALID_FIELD" {
		t.Errorf("unknown payment: %+v", pe)
	}
}
