package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/payments"
)

// TestPayments checks recipients (idempotent creation, tenancy), payments
// and their newest token, and the order of Payments.
func TestPayments(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now().Truncate(time.Millisecond)
			r := payments.Recipient{ID: "r1", ClientID: "c", Name: "Wonder Wallet", IBAN: "GB33BUKB20201555555555",
				Address: &payments.Address{Street: []string{"96 Guild Street"}, City: "London", PostalCode: "SE14 8JW", Country: "GB"}, CreatedAt: now}
			got, err := payments.New(s).EnsureRecipient(ctx, r)
			if err != nil || got.ID != "r1" {
				t.Fatalf("create recipient: %+v %v", got, err)
			}
			again := r
			again.ID = "r2"
			if got, err := payments.New(s).EnsureRecipient(ctx, again); err != nil || got.ID != "r1" {
				t.Fatalf("the same details again: %+v %v, want r1", got, err)
			}
			other := again
			other.IBAN, other.BACS = "", &payments.BACS{Account: "26207729", SortCode: "560029"}
			if got, err := payments.New(s).EnsureRecipient(ctx, other); err != nil || got.ID != "r2" || got.BACS == nil || got.BACS.SortCode != "560029" {
				t.Fatalf("other details: %+v %v, want r2", got, err)
			}
			if got, err := payments.New(s).Recipient(ctx, "c", "r1"); err != nil || got.Address == nil || got.Address.City != "London" || got.BACS != nil {
				t.Fatalf("recipient: %+v %v", got, err)
			}
			if _, err := payments.New(s).Recipient(ctx, "d", "r1"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("another client's recipient: %v", err)
			}
			if err := payments.New(s).Create(ctx, payments.Payment{ID: "p0", ClientID: "d", RecipientID: "r1", Status: payments.StatusInputNeeded}); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("payment to another client's recipient: %v", err)
			}
			for i, id := range []string{"p1", "p2", "p3"} {
				at := now.Add(time.Duration(i) * time.Second)
				if err := payments.New(s).Create(ctx, payments.Payment{ID: id, ClientID: "c", RecipientID: "r1", Reference: "ref", Currency: "GBP",
					Amount: 1234, Status: payments.StatusInputNeeded, CreatedAt: at, LastStatusUpdate: at}); err != nil {
					t.Fatal(err)
				}
			}
			for i, tok := range []string{"t1", "t2"} {
				if err := payments.New(s).CreateToken(ctx, payments.Token{Token: tok, ClientID: "c", PaymentID: "p1",
					CreatedAt: now.Add(time.Duration(i) * time.Second), ExpiresAt: now.Add(time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			if err := payments.New(s).CreateToken(ctx, payments.Token{Token: "t3", ClientID: "d", PaymentID: "p1"}); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("token for another client's payment: %v", err)
			}
			p, err := payments.New(s).Get(ctx, "c", "p1")
			if err != nil || p.Amount != 1234 || p.Token == nil || p.Token.Token != "t2" {
				t.Fatalf("payment: %+v %v, want newest token t2", p, err)
			}
			list, err := payments.New(s).List(ctx, "c", now.Add(time.Second), 10)
			if err != nil || len(list) != 2 || list[0].ID != "p2" || list[1].ID != "p1" {
				t.Fatalf("payments up to p2: %+v %v", list, err)
			}
			if list, err := payments.New(s).List(ctx, "c", time.Time{}, 1); err != nil || len(list) != 1 || list[0].ID != "p3" {
				t.Fatalf("newest payment: %+v %v", list, err)
			}
		})
	}
}

// TestPaymentTokenOnce checks that of many concurrent uses of one payment
// token exactly one succeeds, and that expiry and tenancy hold.
func TestPaymentTokenOnce(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			seedPayment(t, s, now)
			for _, tok := range []string{"t1", "t2"} {
				if err := payments.New(s).CreateToken(ctx, payments.Token{Token: tok, ClientID: "c", PaymentID: "p", CreatedAt: now,
					ExpiresAt: now.Add(15 * time.Minute)}); err != nil {
					t.Fatal(err)
				}
			}
			onlyOneWins(t, store.ErrUsed, func(int) error {
				_, err := payments.New(s).UseToken(ctx, "c", "t1", now)
				return err
			})
			tests := []struct {
				name, client, token string
				at                  time.Time
				want                error
			}{
				{"used", "c", "t1", now, store.ErrUsed},
				{"another client", "d", "t2", now, store.ErrNotFound},
				{"expired", "c", "t2", now.Add(15 * time.Minute), store.ErrExpired},
				{"unknown", "c", "t9", now, store.ErrNotFound},
			}
			for _, tt := range tests {
				if _, err := payments.New(s).UseToken(ctx, tt.client, tt.token, tt.at); !errors.Is(err, tt.want) {
					t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
				}
			}
			p, err := payments.New(s).UseToken(ctx, "c", "t2", now)
			if err != nil || p.ID != "p" || p.Token == nil || p.Token.UsedAt.IsZero() {
				t.Fatalf("second token: %+v %v", p, err)
			}
		})
	}
}

// TestAdvancePayment checks that of many concurrent advances of one
// payment exactly one wins, with its webhooks queued.
func TestAdvancePayment(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			seedPayment(t, s, now)
			later := now.Add(time.Minute)
			changes := []payments.StatusChange{
				{From: payments.StatusInputNeeded, To: payments.StatusInitiated, At: later},
				{From: payments.StatusInitiated, To: payments.StatusExecuted, At: later},
			}
			onlyOneWins(t, payments.ErrStatus, func(i int) error {
				hook := store.Webhook{ID: "w" + string(rune('A'+i)), ClientID: "c", URL: "http://x", Type: "PAYMENT_INITIATION",
					Code: "PAYMENT_STATUS_UPDATE", Body: []byte(`{}`), CreatedAt: now}
				_, err := payments.New(s).Advance(ctx, "c", "p", changes, hook)
				return err
			})
			p, err := payments.New(s).Get(ctx, "c", "p")
			if err != nil || p.Status != payments.StatusExecuted || !p.LastStatusUpdate.Equal(later.Truncate(time.Millisecond)) {
				t.Fatalf("payment after advance: %+v %v", p, err)
			}
			if hooks, err := s.Webhooks(ctx, "c", store.WebhookFilter{}); err != nil || len(hooks) != 1 {
				t.Fatalf("webhooks: %d %v, want the winner's only", len(hooks), err)
			}
			if _, err := payments.New(s).Advance(ctx, "d", "p", changes); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("another client's payment: %v", err)
			}
		})
	}
}

// TestResetForgetsPayments checks that Reset deletes the client's
// recipients, payments and tokens.
func TestResetForgetsPayments(t *testing.T) {
	s := stores(t)["memory"]
	ctx := context.Background()
	seedPayment(t, s, time.Now())
	if err := s.Reset(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := payments.New(s).Get(ctx, "c", "p"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("payment after reset: %v", err)
	}
	if _, err := payments.New(s).Recipient(ctx, "c", "r"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("recipient after reset: %v", err)
	}
}

// seedPayment stores client c's recipient r and its payment p, waiting
// for the payer.
func seedPayment(t *testing.T, s *store.DB, now time.Time) {
	t.Helper()
	ctx := context.Background()
	if _, err := payments.New(s).EnsureRecipient(ctx, payments.Recipient{ID: "r", ClientID: "c", Name: "Shop", IBAN: "GB33BUKB20201555555555", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := payments.New(s).Create(ctx, payments.Payment{ID: "p", ClientID: "c", RecipientID: "r", Reference: "ref", Currency: "GBP", Amount: 100,
		Status: payments.StatusInputNeeded, CreatedAt: now, LastStatusUpdate: now}); err != nil {
		t.Fatal(err)
	}
}
