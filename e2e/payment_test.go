package e2e

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/linkharness/linkharness/internal/scenario"
	"github.com/linkharness/linkharness/internal/testkit"
)

// TestPaymentExecuted follows a payment in Chromium from its token to
// PAYMENT_STATUS_EXECUTED: the backend makes the payment and its token,
// the page opens Link with paymentToken, the payer authorises it in the
// bank's window, and the backend then reads the payment executed and its
// receiver gets both status updates.
func TestPaymentExecuted(t *testing.T) {
	rcv := receiver(t)
	config, err := scenario.PaymentConfiguration(kit.Backend, scenario.PaymentToken, testPublicKey)
	if err != nil {
		t.Fatal(err)
	}
	config["webhook"] = rcv.URL
	raw, _ := json.Marshal(config)
	tb := openPage(t, "blank.html")
	tb.eval(fmt.Sprintf(`window.h = Plaid.create(Object.assign(%s, callbacks('main'))); h.open();`, raw))
	tb.press("Flexible Platypus Open Banking")
	tb.press("Continue") // the payment
	tb.press("Continue") // on to the bank
	tb.oauth(scenario.OAuthAllow)
	tb.press("Continue")
	tb.waitCall("main", "onSuccess")

	rcv.WaitFor(t, 2, "", "PAYMENT_STATUS_UPDATE")
	updates := testkit.Webhooks(rcv.Received("", "PAYMENT_STATUS_UPDATE"))
	if len(updates) != 2 {
		t.Fatalf("%d PAYMENT_STATUS_UPDATE webhooks, want 2", len(updates))
	}
	var got struct {
		Status string `json:"status"`
	}
	kit.MustDecode(t, "/payment_initiation/payment/get", map[string]any{"payment_id": updates[0]["payment_id"]}, &got)
	if got.Status != "PAYMENT_STATUS_EXECUTED" {
		t.Errorf("payment status %s, want PAYMENT_STATUS_EXECUTED", got.Status)
	}
	news := map[any]bool{}
	for _, u := range updates {
		news[u["new_payment_status"]] = true
	}
	if !news["PAYMENT_STATUS_INITIATED"] || !news["PAYMENT_STATUS_EXECUTED"] {
		t.Errorf("status updates %v, want INITIATED and EXECUTED", updates)
	}
}
