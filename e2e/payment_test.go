package e2e

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/scenario"
)

// TestPaymentExecuted follows a payment in Chromium from its token to
// PAYMENT_STATUS_EXECUTED: the backend makes the payment and its token,
// the page opens Link with paymentToken, the payer authorises it in the
// bank's window, and the backend then reads the payment executed and its
// receiver gets both status updates.
func TestPaymentExecuted(t *testing.T) {
	rcv := &receiver{}
	hooks := httptest.NewServer(rcv)
	defer hooks.Close()
	config, err := scenario.PaymentConfiguration(post, scenario.PaymentToken, testPublicKey)
	if err != nil {
		t.Fatal(err)
	}
	config["webhook"] = hooks.URL
	raw, _ := json.Marshal(config)
	tb := openPage(t, "blank.html")
	tb.eval(fmt.Sprintf(`window.h = Plaid.create(Object.assign(%s, callbacks('main'))); h.open();`, raw))
	tb.press("Flexible Platypus Open Banking")
	tb.press("Continue") // the payment
	tb.press("Continue") // on to the bank
	tb.oauth(scenario.OAuthAllow)
	tb.press("Continue")
	tb.waitCall("main", "onSuccess")

	var updates []map[string]any
	for deadline := time.Now().Add(5 * time.Second); len(updates) < 2 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		updates = updates[:0]
		for _, d := range rcv.deliveries() {
			var body map[string]any
			if json.Unmarshal(d.body, &body) == nil && body["webhook_code"] == "PAYMENT_STATUS_UPDATE" {
				updates = append(updates, body)
			}
		}
	}
	if len(updates) != 2 {
		t.Fatalf("%d PAYMENT_STATUS_UPDATE webhooks, want 2", len(updates))
	}
	var got struct {
		Status string `json:"status"`
	}
	api(t, "/payment_initiation/payment/get", map[string]any{"payment_id": updates[0]["payment_id"]}, &got)
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
