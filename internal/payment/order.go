package payment

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/plaid"
)

// MaxReference is the longest payment reference Plaid accepts.
const MaxReference = 18

// currencies are the currencies a payment may be in: pounds (Faster
// Payments) and euros (SEPA Credit Transfer).
var currencies = []string{"GBP", "EUR"}

// Currencies are the currencies a payment may be in: GBP (Faster Payments)
// and EUR (SEPA Credit Transfer).
func Currencies() []string { return slices.Clone(currencies) }

// Order is what /payment_initiation/payment/create asks for
// (https://plaid.com/docs/api/products/payment-initiation/#payment_initiationpaymentcreate).
// A schedule (standing orders) and options are accepted and not emulated.
type Order struct {
	// RecipientID is the recipient to pay, one of the client's.
	RecipientID string
	// Reference is what the recipient's statement shows (CheckReference).
	Reference string
	// Amount is nil when the request has none.
	Amount *Amount
}

// Amount is a payment's amount as a request gives it, in major units
// (pounds, euros).
type Amount struct {
	// Currency is an ISO 4217 code, one of Currencies.
	Currency string
	// Value is nil when the request has none.
	Value *float64
}

// CheckOrder returns the order's amount in minor units (pence, cents), or
// the error Plaid refuses the order with: a recipient_id, a reference and
// an amount with a value and a currency are required; the reference must
// pass CheckReference, the currency CheckCurrency and the value
// MinorUnits. That the recipient is the client's is the caller's to check.
func CheckOrder(o Order) (int64, *plaid.Error) {
	if e := missing("recipient_id", o.RecipientID, "reference", o.Reference); e != nil {
		return 0, e
	}
	if o.Amount == nil {
		return 0, plaid.MissingFields("amount")
	}
	if o.Amount.Value == nil {
		return 0, plaid.MissingFields("amount.value")
	}
	if e := missing("amount.currency", o.Amount.Currency); e != nil {
		return 0, e
	}
	if e := CheckReference(o.Reference); e != nil {
		return 0, e
	}
	if e := CheckCurrency(o.Amount.Currency); e != nil {
		return 0, e
	}
	return MinorUnits(*o.Amount.Value)
}

// CheckReference returns INVALID_FIELD unless ref is at most MaxReference
// letters, digits and spaces: not every bank takes other characters.
func CheckReference(ref string) *plaid.Error {
	if len(ref) > MaxReference {
		return plaid.InvalidField(fmt.Sprintf("reference must be at most %d characters", MaxReference))
	}
	if strings.ContainsFunc(ref, func(r rune) bool {
		return r != ' ' && (r < '0' || r > '9') && (r < 'A' || r > 'Z') && (r < 'a' || r > 'z')
	}) {
		return plaid.InvalidField("reference must contain letters, digits and spaces only: not every bank accepts other characters")
	}
	return nil
}

// CheckCurrency returns INVALID_FIELD unless currency is one of
// Currencies, in capitals.
func CheckCurrency(currency string) *plaid.Error {
	if !slices.Contains(currencies, currency) {
		return plaid.InvalidField("amount.currency must be GBP or EUR")
	}
	return nil
}

// MinorUnits is value in pence or cents, or INVALID_FIELD when it is less
// than 1 (Plaid's minimum), more than 10^12, or has more than two
// decimals.
func MinorUnits(value float64) (int64, *plaid.Error) {
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

// MajorUnits is an amount of minor units (pence, cents) in pounds or
// euros, as responses write it.
func MajorUnits(minor int64) float64 { return float64(minor) / 100 }
