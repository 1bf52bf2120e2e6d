package referenceapi

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
)

// institutionStatus is an institution's status, by kind of request: null
// for a product the institution does not have.
type institutionStatus struct {
	ItemLogins          *productStatus `json:"item_logins"`
	TransactionsUpdates *productStatus `json:"transactions_updates"`
	Auth                *productStatus `json:"auth"`
	Identity            *productStatus `json:"identity"`
	InvestmentsUpdates  *productStatus `json:"investments_updates"`
	LiabilitiesUpdates  *productStatus `json:"liabilities_updates"`
	Liabilities         *productStatus `json:"liabilities"`
	Investments         *productStatus `json:"investments"`
	HealthIncidents     []any          `json:"health_incidents"`
}

type productStatus struct {
	Status           string          `json:"status"`
	LastStatusChange string          `json:"last_status_change"`
	Breakdown        statusBreakdown `json:"breakdown"`
}

type statusBreakdown struct {
	Success          float64 `json:"success"`
	ErrorPlaid       float64 `json:"error_plaid"`
	ErrorInstitution float64 `json:"error_institution"`
	// RefreshInterval is set for the updates of subscription products.
	RefreshInterval string `json:"refresh_interval,omitempty"`
}

// refreshIntervals say how a subscription product's data is refreshed
// at an institution of each health.
var refreshIntervals = map[string]string{sandbox.HealthHealthy: "NORMAL", sandbox.HealthDegraded: "DELAYED", sandbox.HealthDown: "STOPPED"}

// statusOut is the institution's status (sandbox's Institution.Status)
// for each kind of request it serves; the status last changed at the
// start of the tenant's day (linkharness's choice: the sandbox's health
// never changes).
func statusOut(in sandbox.Institution, now time.Time) institutionStatus {
	health, b := in.Status()
	since := plaid.Time(now.UTC().Truncate(24 * time.Hour))
	of := func(product string, updates bool) *productStatus {
		if product != "" && !slices.Contains(in.Products, product) {
			return nil
		}
		st := &productStatus{Status: health, LastStatusChange: since,
			Breakdown: statusBreakdown{Success: b.Success, ErrorPlaid: b.ErrorPlaid, ErrorInstitution: b.ErrorInstitution}}
		if updates {
			st.Breakdown.RefreshInterval = refreshIntervals[health]
		}
		return st
	}
	return institutionStatus{
		ItemLogins: of("", false), TransactionsUpdates: of("transactions", true), Auth: of("auth", false), Identity: of("identity", false),
		InvestmentsUpdates: of("investments", true), LiabilitiesUpdates: of("liabilities", true), Liabilities: of("liabilities", false),
		Investments: of("investments", false), HealthIncidents: []any{},
	}
}

type authMetadata struct {
	SupportedMethods authSupportedMethods `json:"supported_methods"`
}

type authSupportedMethods struct {
	InstantAuth            bool `json:"instant_auth"`
	InstantMatch           bool `json:"instant_match"`
	AutomatedMicroDeposits bool `json:"automated_micro_deposits"`
	InstantMicroDeposits   bool `json:"instant_micro_deposits"`
}

// authMetadataOut is the institution's Auth methods, nil where it has no
// Auth.
func authMetadataOut(in sandbox.Institution) *authMetadata {
	m, ok := in.AuthMethods()
	if !ok {
		return nil
	}
	return &authMetadata{SupportedMethods: authSupportedMethods{InstantAuth: m.InstantAuth, InstantMatch: m.InstantMatch,
		AutomatedMicroDeposits: m.AutomatedMicroDeposits, InstantMicroDeposits: m.InstantMicroDeposits}}
}

type paymentInitiationMetadata struct {
	SupportsInternationalPayments bool              `json:"supports_international_payments"`
	SupportsSepaInstant           bool              `json:"supports_sepa_instant"`
	MaximumPaymentAmount          map[string]string `json:"maximum_payment_amount"`
	SupportsRefundDetails         bool              `json:"supports_refund_details"`
	// StandingOrderMetadata is null: standing orders are not emulated.
	StandingOrderMetadata   *struct{} `json:"standing_order_metadata"`
	SupportsPaymentConsents bool      `json:"supports_payment_consents"`
}

// paymentMetadataOut is the institution's Payment Initiation support, nil
// where it has none.
func paymentMetadataOut(in sandbox.Institution) *paymentInitiationMetadata {
	m, ok := in.PaymentMetadata()
	if !ok {
		return nil
	}
	out := &paymentInitiationMetadata{SupportsInternationalPayments: m.International, SupportsSepaInstant: m.SEPAInstant,
		MaximumPaymentAmount: map[string]string{}}
	for _, c := range m.Currencies {
		out.MaximumPaymentAmount[c] = sandbox.PaymentMaximum
	}
	return out
}

// jsonOf is v as JSON.
func jsonOf(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// jsonOrNull is v as JSON, or null for a nil v.
func jsonOrNull[T any](v *T) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	return jsonOf(v)
}
