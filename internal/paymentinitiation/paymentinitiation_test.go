package paymentinitiation_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/payment"
	"github.com/linkharness/linkharness/internal/paymentinitiation"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/payments"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

func newService(t *testing.T) (*paymentinitiation.Service, *store.DB) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return paymentinitiation.New(st), st
}

// wantErr checks that e has the code and a message containing msg.
func wantErr(t *testing.T, what string, e *plaid.Error, code, msg string) {
	t.Helper()
	if e == nil || e.ErrorCode != code || !strings.Contains(e.ErrorMessage, msg) {
		t.Errorf("%s: %v, want %s mentioning %q", what, e, code, msg)
	}
}

// TestPaymentStatusNames checks that the store keeps the statuses under
// the names the domain gives them.
func TestPaymentStatusNames(t *testing.T) {
	for kept, named := range map[string]string{payments.StatusInputNeeded: payment.StatusInputNeeded,
		payments.StatusInitiated: payment.StatusInitiated, payments.StatusExecuted: payment.StatusExecuted} {
		if kept != named {
			t.Errorf("store status %s, domain status %s", kept, named)
		}
	}
}

// TestPayments walks recipient -> payment -> token -> list -> use through
// the service, with its errors and tenancy.
func TestPayments(t *testing.T) {
	ctx := context.Background()
	svc, st := newService(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	alice, bob := service.Tenant{ClientID: "alice", Now: now}, service.Tenant{ClientID: "bob", Now: now}

	r, e := svc.CreatePaymentRecipient(ctx, alice, payment.Recipient{Name: "Wonder Wallet", IBAN: "gb33 bukb 2020 1555 5555 55",
		Address: &payment.Address{Street: []string{"96 Guild Street"}, City: "London", PostalCode: "SE14 8JW", Country: "GB"}})
	if e != nil || !strings.HasPrefix(r.ID, "recipient-id-sandbox-") || r.IBAN != "GB33BUKB20201555555555" || r.Address == nil {
		t.Fatalf("create recipient: %+v %v", r, e)
	}
	again, e := svc.CreatePaymentRecipient(ctx, alice, payment.Recipient{Name: "Wonder Wallet", IBAN: "GB33BUKB20201555555555",
		Address: &payment.Address{Street: []string{"96 Guild Street"}, City: "London", PostalCode: "SE14 8JW", Country: "GB"}})
	if e != nil || again.ID != r.ID {
		t.Errorf("the same recipient again: %+v %v, want %s", again, e, r.ID)
	}
	if _, e := svc.CreatePaymentRecipient(ctx, alice, payment.Recipient{Name: "A"}); e == nil {
		t.Error("a recipient without account details was stored")
	}
	if got, e := svc.PaymentRecipient(ctx, alice, r.ID); e != nil || got.Name != "Wonder Wallet" {
		t.Errorf("get recipient: %+v %v", got, e)
	}
	_, e = svc.PaymentRecipient(ctx, bob, r.ID)
	wantErr(t, "another client's recipient", e, "INVALID_FIELD", "recipient_id does not exist")
	_, e = svc.PaymentRecipient(ctx, alice, " ")
	wantErr(t, "no recipient_id", e, "MISSING_FIELDS", "recipient_id")

	value := 12.34
	order := payment.Order{RecipientID: r.ID, Reference: "Order 42", Amount: &payment.Amount{Currency: "GBP", Value: &value}}
	_, e = svc.CreatePayment(ctx, bob, order)
	wantErr(t, "payment to another client's recipient", e, "INVALID_FIELD", "recipient_id does not exist")
	var ids []string
	for i := range 3 {
		p, e := svc.CreatePayment(ctx, service.Tenant{ClientID: "alice", Now: now.Add(time.Duration(i) * time.Second)}, order)
		if e != nil || p.Amount != 1234 || p.Status != payment.StatusInputNeeded {
			t.Fatalf("create payment: %+v %v", p, e)
		}
		ids = append(ids, p.ID)
	}

	tok, e := svc.CreatePaymentToken(ctx, alice, ids[0])
	if e != nil || !tok.ExpiresAt.Equal(now.Add(plaid.PaymentTokenLifetime)) {
		t.Fatalf("create token: %+v %v", tok, e)
	}
	_, e = svc.CreatePaymentToken(ctx, bob, ids[0])
	wantErr(t, "token for another client's payment", e, "INVALID_FIELD", "payment_id does not exist")
	if p, e := svc.Payment(ctx, alice, "payment_id", ids[0]); e != nil || p.Token == nil || p.Token.Token != tok.Token {
		t.Errorf("get payment: %+v %v", p, e)
	}
	_, e = svc.Payment(ctx, bob, "payment_id", ids[0])
	wantErr(t, "another client's payment", e, "INVALID_FIELD", "payment_id does not exist")

	page, e := svc.ListPayments(ctx, alice, new(2), "")
	if e != nil || len(page.Payments) != 2 || page.Payments[0].ID != ids[2] || page.NextCursor != payment.Cursor(now) {
		t.Fatalf("first page: %+v %v", page, e)
	}
	page, e = svc.ListPayments(ctx, alice, nil, page.NextCursor)
	if e != nil || len(page.Payments) != 1 || page.Payments[0].ID != ids[0] || page.NextCursor != "" {
		t.Errorf("last page: %+v %v", page, e)
	}
	_, e = svc.ListPayments(ctx, alice, new(0), "")
	wantErr(t, "count 0", e, "INVALID_FIELD", "count")

	pi := linkconfig.Plan{Products: []string{"payment_initiation"}}
	if e := svc.CheckPaymentInitiation(ctx, alice, pi, ids[0]); e != nil {
		t.Errorf("link token for a waiting payment: %v", e)
	}
	wantErr(t, "link token for another client's payment", svc.CheckPaymentInitiation(ctx, bob, pi, ids[0]),
		"INVALID_FIELD", "payment_initiation.payment_id does not exist")
	wantErr(t, "link token for a blank payment_id", svc.CheckPaymentInitiation(ctx, alice, pi, " "),
		"INVALID_FIELD", "payment_initiation.payment_id does not exist")
	wantErr(t, "payment_initiation without payment_id", svc.CheckPaymentInitiation(ctx, alice, pi, ""),
		"MISSING_FIELDS", "payment_initiation.payment_id")

	if p, e := svc.UsePaymentToken(ctx, alice, tok.Token); e != nil || p.ID != ids[0] {
		t.Fatalf("use token: %+v %v", p, e)
	}
	_, e = svc.UsePaymentToken(ctx, alice, tok.Token)
	wantErr(t, "token used twice", e, "INVALID_FIELD", "used already")
	late, _ := svc.CreatePaymentToken(ctx, alice, ids[1])
	_, e = svc.UsePaymentToken(ctx, service.Tenant{ClientID: "alice", Now: now.Add(plaid.PaymentTokenLifetime)}, late.Token)
	wantErr(t, "expired token", e, "INVALID_FIELD", "expired")
	_, e = svc.UsePaymentToken(ctx, bob, late.Token)
	wantErr(t, "another client's token", e, "INVALID_FIELD", "payment_token does not exist")

	p, err := payments.New(st).Advance(ctx, "alice", ids[0], paymentinitiation.PaymentExecution(now))
	if err != nil || p.Status != payment.StatusExecuted {
		t.Fatalf("execute: %+v %v", p, err)
	}
	wantErr(t, "link token for an executed payment", svc.CheckPaymentInitiation(ctx, alice, pi, ids[0]),
		"INVALID_FIELD", "is PAYMENT_STATUS_EXECUTED, not PAYMENT_STATUS_INPUT_NEEDED")
}
