package sandbox

import "slices"

// What the Institutions endpoints (/institutions/get, /institutions/get_by_id,
// /institutions/search) show of an institution beyond what Link needs:
// the products they list, its status, its Auth methods and its Payment
// Initiation configuration (https://plaid.com/docs/api/institutions/).

// APIProducts are the products the Institutions endpoints list for the
// institution: its Products and balance, which needs no initialization
// and which every sandbox institution serves.
func (in Institution) APIProducts() []string {
	return append(slices.Clone(in.Products), "balance")
}

// HealthHealthy is the status of an institution without trouble.
const HealthHealthy = "HEALTHY"

// Breakdown is how the requests of one kind fare at an institution, as
// shares of 1.
type Breakdown struct {
	Success, ErrorPlaid, ErrorInstitution float64
}

// Status is the institution's health (HealthHealthy, HealthDegraded or
// HealthDown) and how its requests fare: all succeed at a healthy one,
// half fail at the bank at a degraded one, all at a down one. Every kind
// of request (logins, each product's) fares alike.
func (in Institution) Status() (string, Breakdown) {
	switch in.Health {
	case HealthDown:
		return HealthDown, Breakdown{ErrorInstitution: 1}
	case HealthDegraded:
		return HealthDegraded, Breakdown{Success: 0.5, ErrorInstitution: 0.5}
	}
	return HealthHealthy, Breakdown{Success: 1}
}

// AuthMethods are the ways an institution verifies account numbers for
// Auth (https://plaid.com/docs/auth/coverage/).
type AuthMethods struct {
	InstantAuth, InstantMatch, AutomatedMicroDeposits, InstantMicroDeposits bool
}

// AuthMethods are the institution's Auth methods, and false where it has
// no Auth at all: Instant Auth unless NoInstantAuth, which has Instant
// Match instead, and in the US automated micro-deposits. The sandbox has
// no instant micro-deposits.
func (in Institution) AuthMethods() (AuthMethods, bool) {
	if !slices.Contains(in.Products, "auth") {
		return AuthMethods{}, false
	}
	return AuthMethods{InstantAuth: !in.NoInstantAuth, InstantMatch: in.NoInstantAuth,
		AutomatedMicroDeposits: slices.Contains(in.Countries, "US")}, true
}

// PaymentMaximum is the largest payment, in major units of each currency,
// that the sandbox's Payment Initiation institutions name in their
// metadata; the emulator enforces none.
const PaymentMaximum = "1000000"

// euroCountries are the euro area countries the sandbox's institutions
// serve.
var euroCountries = []string{"IE", "FR", "ES", "NL", "DE", "IT", "PT", "BE", "AT", "FI", "LU"}

// PaymentMetadata is what an institution supports of Payment Initiation.
type PaymentMetadata struct {
	// Currencies are those it pays in: GBP in the UK, EUR in the euro
	// area.
	Currencies []string
	// International says it pays from one of its countries to another.
	International bool
	// SEPAInstant says it pays euros by SEPA Instant Credit Transfer.
	SEPAInstant bool
}

// PaymentMetadata is the institution's Payment Initiation support, and
// false where it has none. Refunds, standing orders and payment consents
// are not emulated, so no institution supports them.
func (in Institution) PaymentMetadata() (PaymentMetadata, bool) {
	if !slices.Contains(in.Products, "payment_initiation") {
		return PaymentMetadata{}, false
	}
	var m PaymentMetadata
	if slices.Contains(in.Countries, "GB") {
		m.Currencies = append(m.Currencies, "GBP")
	}
	if slices.ContainsFunc(in.Countries, func(c string) bool { return slices.Contains(euroCountries, c) }) {
		m.Currencies = append(m.Currencies, "EUR")
		m.SEPAInstant = true
	}
	m.International = len(in.Countries) > 1
	return m, true
}
