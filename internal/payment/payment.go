// Package payment is Plaid's Payment Initiation (UK and Europe) without
// HTTP or storage: what a recipient, a payment and a page of payments must
// look like for Plaid to accept them, the statuses a payment goes through,
// and the errors Plaid answers with when a request breaks a rule
// (https://plaid.com/docs/api/products/payment-initiation/).
//
// Its functions are pure: they take what a request gave and return the
// value normalised, or a *plaid.Error with the code and message the API
// answers with.
package payment

import (
	"fmt"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/plaid"
)

// Payment statuses the emulator uses, as Plaid names them
// (https://plaid.com/docs/api/products/payment-initiation/#payment_initiation-payment-get-response-status).
const (
	// StatusInputNeeded is a new payment's: it waits for the payer to
	// authorise it in Link.
	StatusInputNeeded = "PAYMENT_STATUS_INPUT_NEEDED"
	// StatusInitiated is a payment the payer authorised and the bank
	// accepted.
	StatusInitiated = "PAYMENT_STATUS_INITIATED"
	// StatusExecuted is a payment the bank carried out: the money left the
	// payer's account.
	StatusExecuted = "PAYMENT_STATUS_EXECUTED"
)

// Step is one move of a payment's status.
type Step struct {
	From, To string
}

// Execution is the emulator's lifecycle of a payment once the payer
// authorised it at the bank: from StatusInputNeeded to StatusInitiated to
// StatusExecuted, each step with its PAYMENT_STATUS_UPDATE webhook.
func Execution() []Step {
	return []Step{{From: StatusInputNeeded, To: StatusInitiated}, {From: StatusInitiated, To: StatusExecuted}}
}

// Authorisable reports whether a payment in status still waits for the
// payer, so that Link may open for it and execute it.
func Authorisable(status string) bool { return status == StatusInputNeeded }

// ErrNotWaiting is the error for payment id, in status, that the payer
// cannot authorise (any more): it is past StatusInputNeeded.
func ErrNotWaiting(id, status string) *plaid.Error {
	return plaid.InvalidField(fmt.Sprintf("payment %s is %s, not %s: it was authorised already; create a new payment",
		id, status, StatusInputNeeded))
}

// ErrUnknownRecipient is the error for a recipient_id that is not one of
// the client's recipients.
func ErrUnknownRecipient() *plaid.Error {
	return plaid.InvalidField("recipient_id does not exist or is not a recipient of this client; expected format: recipient-id-<plaid.Environment>-<identifier>")
}

// ErrUnknownPayment is the error for a payment ID, given in field, that is
// not one of the client's payments.
func ErrUnknownPayment(field string) *plaid.Error {
	return plaid.InvalidField(field + " does not exist or is not a payment of this client; expected format: payment-id-<plaid.Environment>-<identifier>")
}

// ErrUnknownToken is the error for a payment_token that is not one of the
// client's.
func ErrUnknownToken() *plaid.Error {
	return plaid.InvalidField("payment_token does not exist or is not a payment token of this client; expected format: payment-token-<plaid.Environment>-<identifier>")
}

// ErrTokenUsed is the error for a payment_token that opened Link already:
// a payment token works once.
func ErrTokenUsed() *plaid.Error {
	return plaid.InvalidField("payment_token was used already: a payment token works once; create another with /payment_initiation/payment/token/create")
}

// ErrTokenExpired is the error for a payment_token past its lifetime
// (plaid.PaymentTokenLifetime).
func ErrTokenExpired() *plaid.Error {
	return plaid.InvalidField("payment_token has expired: payment tokens expire 15 minutes after creation; create another with /payment_initiation/payment/token/create")
}

// CheckLinkProducts checks the products of a /link/token/create request
// against its payment_initiation.payment_id (paymentID, "" when none):
// a payment_id makes a Payment Initiation link token, whose products must
// be exactly payment_initiation; payment_initiation in any product array
// (all) needs a payment_id. Whether the payment is the client's and still
// waits for the payer is the caller's to check.
func CheckLinkProducts(paymentID string, products, all []string) *plaid.Error {
	if paymentID == "" {
		if slices.Contains(all, "payment_initiation") {
			return plaid.MissingFields("payment_initiation.payment_id")
		}
		return nil
	}
	if !slices.Equal(products, []string{"payment_initiation"}) {
		return plaid.InvalidField(`payment_initiation.payment_id needs products to be exactly ["payment_initiation"]`)
	}
	return nil
}

// missing is MISSING_FIELDS naming the fields whose values are empty, or
// nil. The fields come as name, value pairs; a value is a string (empty
// when blank) or a []string (empty when it has no element).
func missing(pairs ...any) *plaid.Error {
	var names []string
	for i := 0; i+1 < len(pairs); i += 2 {
		name := pairs[i].(string)
		switch v := pairs[i+1].(type) {
		case string:
			if strings.TrimSpace(v) == "" {
				names = append(names, name)
			}
		case []string:
			if len(v) == 0 {
				names = append(names, name)
			}
		}
	}
	if len(names) > 0 {
		return plaid.MissingFields(names...)
	}
	return nil
}
