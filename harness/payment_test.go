package harness_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// newPayment makes a recipient and a payment of £12.34, and a payment
// token for it.
func newPayment(t *testing.T) (paymentID, token string) {
	t.Helper()
	var recipient struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := h.Post("/payment_initiation/recipient/create", credentials(map[string]any{"name": "Harness Shop Ltd",
		"iban": "GB33BUKB20201555555555"}), &recipient); err != nil {
		t.Fatal(err)
	}
	var payment struct {
		PaymentID string `json:"payment_id"`
	}
	if err := h.Post("/payment_initiation/payment/create", credentials(map[string]any{"recipient_id": recipient.RecipientID,
		"reference": "Harness 1", "amount": map[string]any{"currency": "GBP", "value": 12.34}}), &payment); err != nil {
		t.Fatal(err)
	}
	return payment.PaymentID, paymentToken(t, payment.PaymentID)
}

func paymentToken(t *testing.T, paymentID string) string {
	t.Helper()
	var created struct {
		PaymentToken string `json:"payment_token"`
	}
	if err := h.Post("/payment_initiation/payment/token/create", credentials(map[string]any{"payment_id": paymentID}), &created); err != nil {
		t.Fatal(err)
	}
	return created.PaymentToken
}

// paymentConfig is a legacy Payment Initiation configuration.
func paymentConfig(t *testing.T, token, webhook string) json.RawMessage {
	return withCallbacks(t, map[string]any{"clientName": "Harness Shop", "env": "sandbox", "key": publicKey,
		"product": []string{"payment_initiation"}, "countryCodes": []string{"GB"}, "paymentToken": token, "webhook": webhook})
}

// TestPaymentExecuted follows a payment from its token to
// PAYMENT_STATUS_EXECUTED: Link authorises it at the bank, /payment/get
// shows it executed, and a receiver gets PAYMENT_STATUS_UPDATE for each
// step with the old and new status.
func TestPaymentExecuted(t *testing.T) {
	rcv := receiver(t)

	paymentID, token := newPayment(t)
	s, err := h.CreateJSON(paymentConfig(t, token, rcv.URL))
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		s.Open,
		func() error { return s.Press("Flexible Platypus Open Banking") },
		func() error {
			if v := s.View(); v == nil || !slices.Contains(v.Text, "Pay £12.34 to Harness Shop Ltd.") || !slices.Contains(v.Text, "Reference: Harness 1") {
				t.Errorf("the payment pane shows %+v", v)
			}
			return s.Press("Continue")
		},
		func() error { return s.Press("Continue") },
		func() error { return s.Authorize(true) },
		func() error { return s.Press("Continue") },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if public := successToken(t, s.Calls()); !strings.HasPrefix(public, "public-sandbox-") {
		t.Fatalf("onSuccess public_token %q", public)
	}
	var got struct {
		Status string `json:"status"`
	}
	if err := h.Post("/payment_initiation/payment/get", credentials(map[string]any{"payment_id": paymentID}), &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != "PAYMENT_STATUS_EXECUTED" {
		t.Errorf("payment status %s, want PAYMENT_STATUS_EXECUTED", got.Status)
	}
	rcv.Wait(t, 2)
	hooks := testkit.Webhooks(rcv.Deliveries())
	steps2 := map[string]string{}
	for _, hk := range hooks {
		if hk["webhook_type"] != "PAYMENT_INITIATION" || hk["webhook_code"] != "PAYMENT_STATUS_UPDATE" || hk["payment_id"] != paymentID {
			t.Errorf("webhook %v", hk)
			continue
		}
		steps2[hk["old_payment_status"].(string)] = hk["new_payment_status"].(string)
	}
	if len(hooks) != 2 || steps2["PAYMENT_STATUS_INPUT_NEEDED"] != "PAYMENT_STATUS_INITIATED" || steps2["PAYMENT_STATUS_INITIATED"] != "PAYMENT_STATUS_EXECUTED" {
		t.Errorf("status updates %v, want INPUT_NEEDED -> INITIATED -> EXECUTED", steps2)
	}
}

// TestPaymentTokenOnce: a payment token opens Link once and only within 15
// minutes; otherwise Link ends in onExit with an error that says so.
func TestPaymentTokenOnce(t *testing.T) {
	paymentID, token := newPayment(t)
	open := func(token string) []harness.Call {
		t.Helper()
		s, err := h.CreateJSON(paymentConfig(t, token, ""))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Open(); err != nil {
			t.Fatal(err)
		}
		return s.Calls()
	}
	if v := open(token); len(v) < 2 || v[len(v)-1].Name != protocol.OnEvent {
		t.Fatalf("the first open ended: %v", v)
	}
	expired := paymentToken(t, paymentID)
	if err := h.Post("/linkharness/clock/advance", credentials(map[string]any{"seconds": 16 * 60}), nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, token, want string }{
		{"used", token, "used already"},
		{"expired", expired, "expired"},
	} {
		calls := open(tt.token)
		last := calls[len(calls)-1]
		var e protocol.PlaidError
		if last.Name != protocol.OnExit || json.Unmarshal(last.Args[0], &e) != nil || !strings.Contains(e.ErrorMessage, tt.want) {
			t.Errorf("%s payment token: %s %s, want onExit with an error saying %q", tt.name, last.Name, last.Args[0], tt.want)
		}
	}
}
