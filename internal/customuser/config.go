// Package customuser is Plaid's custom sandbox user, user_custom, whose
// password is a JSON configuration of the Item to make
// (https://plaid.com/docs/sandbox/user-custom/): its accounts with their
// balances, numbers, transactions, owners, liabilities, holdings and
// investment transactions, the MFA its login asks for and the error it
// forces. Parse reads and checks a configuration into a Config, the
// normalized value the server stores with the Item; Login is the login
// with it, through the same MFA and errors as package sandbox's
// credentials. It does no I/O, and the Link engine does not link it.
package customuser

// Username is the username of a custom sandbox user.
const Username = "user_custom"

// Plaid's limits of a custom user (https://plaid.com/docs/sandbox/user-custom/):
// "more than ten accounts" and "larger than approximately 55kb" are not
// supported, and a Link attempt with them fails. linkharness reads 55kb
// as 55 KiB.
const (
	MaxAccounts = 10
	MaxBytes    = 55 << 10
)

// Config is a custom user's configuration as Parse normalizes it: Plaid's
// UserCustomPassword with its defaults resolved, every account at least
// typed, named and masked. Its JSON has Plaid's field names (and
// linkharness_seed, an account's seed), and is what the store keeps.
type Config struct {
	// Version is "1" or "2" ("" for the default, 2); linkharness reads
	// both alike.
	Version string `json:"version,omitempty"`
	// Seed draws the data the configuration does not give, the same for
	// every Item with the same seed.
	Seed string `json:"seed,omitempty"`
	// Accounts are the Item's accounts, in order: at least one, at most
	// MaxAccounts.
	Accounts []Account `json:"override_accounts,omitempty"`
	// MFA is the multi-factor authentication the login asks for; nil for
	// none.
	MFA *MFA `json:"mfa,omitempty"`
	// Recaptcha is "good", "bad" or "".
	Recaptcha string `json:"recaptcha,omitempty"`
	// ForceError is the error code the Item's creation fails with, or "".
	ForceError string `json:"force_error,omitempty"`
}

// MFA is the mfa field: device (the code 1234), questions (answered
// answer_<i>_<j>, counted from 0) or selections (the first option right).
type MFA struct {
	Type                  string `json:"type"`
	QuestionRounds        int    `json:"question_rounds,omitempty"`
	QuestionsPerRound     int    `json:"questions_per_round,omitempty"`
	SelectionRounds       int    `json:"selection_rounds,omitempty"`
	SelectionsPerQuestion int    `json:"selections_per_question,omitempty"`
}

// Account is one of override_accounts.
type Account struct {
	Type    string `json:"type"`
	Subtype string `json:"subtype"`
	// StartingBalance is the current balance; nil draws one.
	StartingBalance *float64 `json:"starting_balance,omitempty"`
	// ForceAvailableBalance is the available balance, whatever the
	// current one; NullAvailableBalance makes it null.
	ForceAvailableBalance *float64 `json:"force_available_balance,omitempty"`
	NullAvailableBalance  bool     `json:"has_null_available_balance,omitempty"`
	// Currency is an ISO 4217 code; "" is the institution's currency.
	Currency string  `json:"currency,omitempty"`
	Meta     Meta    `json:"meta"`
	Numbers  Numbers `json:"numbers"`
	// Transactions are the account's transactions; nil (the field
	// absent) draws them as for a sandbox account of the type, an empty
	// list gives none.
	Transactions []Transaction `json:"transactions"`
	// Holdings and InvestmentTransactions are those of an investment
	// account; nil draws them as for a sandbox investment account.
	Holdings               []Holding               `json:"holdings"`
	InvestmentTransactions []InvestmentTransaction `json:"investment_transactions"`
	// Identity is the account's owner; nil is the sandbox's account
	// holder. Its fields left out are the sandbox account holder's.
	Identity *Owner `json:"identity,omitempty"`
	// Liability is the liability of a credit or student loan account; nil
	// is the sandbox's.
	Liability   *Liability   `json:"liability,omitempty"`
	InflowModel *InflowModel `json:"inflow_model,omitempty"`
	// Seed is the configuration's seed and the account's place in it, ""
	// when the configuration has no seed: what the data it does not give
	// is drawn from.
	Seed string `json:"linkharness_seed,omitempty"`
}

// Meta is an account's name, official name, mask and credit limit.
type Meta struct {
	Name         string   `json:"name"`
	OfficialName string   `json:"official_name,omitempty"`
	Limit        *float64 `json:"limit,omitempty"`
	Mask         string   `json:"mask"`
}

// Numbers are an account's numbers. The schemes an account has are those
// whose numbers it gives: ACH with ACHRouting, EFT with EFTInstitution and
// EFTBranch, international with IBAN and BIC, BACS with BACSSortCode; an
// account that gives none has the scheme of its institution's country.
type Numbers struct {
	Account        string `json:"account,omitempty"`
	ACHRouting     string `json:"ach_routing,omitempty"`
	ACHWireRouting string `json:"ach_wire_routing,omitempty"`
	EFTInstitution string `json:"eft_institution,omitempty"`
	EFTBranch      string `json:"eft_branch,omitempty"`
	IBAN           string `json:"international_iban,omitempty"`
	BIC            string `json:"international_bic,omitempty"`
	BACSSortCode   string `json:"bacs_sort_code,omitempty"`
}

// HasSchemes reports whether the numbers give a scheme of their own.
func (n Numbers) HasSchemes() bool {
	return n.ACHRouting != "" || n.EFTInstitution != "" || n.IBAN != "" || n.BACSSortCode != ""
}

// Transaction is a configured transaction: a positive amount is money out
// of the account. DatePosted is its date, DateTransacted its authorized
// date (YYYY-MM-DD).
type Transaction struct {
	DateTransacted string  `json:"date_transacted"`
	DatePosted     string  `json:"date_posted"`
	Amount         float64 `json:"amount"`
	Description    string  `json:"description"`
	// Currency is an ISO 4217 code; "" is the account's.
	Currency string `json:"currency,omitempty"`
}

// Security is the security of a holding or investment transaction; it has
// a ticker symbol, a CUSIP or an ISIN, and a currency.
type Security struct {
	ISIN         string `json:"isin,omitempty"`
	CUSIP        string `json:"cusip,omitempty"`
	Name         string `json:"name,omitempty"`
	TickerSymbol string `json:"ticker_symbol,omitempty"`
	Currency     string `json:"currency"`
}

// Key is what identifies the security: its ticker, else its CUSIP, else
// its ISIN.
func (s Security) Key() string {
	switch {
	case s.TickerSymbol != "":
		return "ticker:" + s.TickerSymbol
	case s.CUSIP != "":
		return "cusip:" + s.CUSIP
	}
	return "isin:" + s.ISIN
}

// Holding is a configured holding.
type Holding struct {
	InstitutionPrice float64 `json:"institution_price"`
	// InstitutionPriceAsOf is YYYY-MM-DD, "" for the Item's creation.
	InstitutionPriceAsOf string   `json:"institution_price_as_of,omitempty"`
	CostBasis            *float64 `json:"cost_basis,omitempty"`
	Quantity             float64  `json:"quantity"`
	Currency             string   `json:"currency"`
	Security             Security `json:"security"`
}

// InvestmentTransaction is a configured investment transaction. Type is
// buy, sell, cash, fee or transfer.
type InvestmentTransaction struct {
	Date     string    `json:"date"`
	Name     string    `json:"name"`
	Quantity float64   `json:"quantity"`
	Price    float64   `json:"price"`
	Fees     float64   `json:"fees,omitempty"`
	Type     string    `json:"type"`
	Currency string    `json:"currency"`
	Security *Security `json:"security,omitempty"`
}

// Owner is an account's owner as configured; a nil list is the sandbox
// account holder's.
type Owner struct {
	Names        []string  `json:"names,omitempty"`
	PhoneNumbers []Contact `json:"phone_numbers,omitempty"`
	Emails       []Contact `json:"emails,omitempty"`
	Addresses    []Address `json:"addresses,omitempty"`
}

// Contact is a phone number or email address.
type Contact struct {
	Data    string `json:"data"`
	Primary bool   `json:"primary"`
	Type    string `json:"type"`
}

// Address is an owner's address.
type Address struct {
	Data    AddressData `json:"data"`
	Primary bool        `json:"primary"`
}

// AddressData is a postal address; Country is ISO 3166-1 alpha-2.
type AddressData struct {
	Street     string `json:"street"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

// Liability is a configured liability: Type "credit" (the APRs, payment
// amounts) or "student" (the loan's terms). A field left out is the
// sandbox's.
type Liability struct {
	Type                     string       `json:"type"`
	PurchaseAPR              *float64     `json:"purchase_apr,omitempty"`
	CashAPR                  *float64     `json:"cash_apr,omitempty"`
	BalanceTransferAPR       *float64     `json:"balance_transfer_apr,omitempty"`
	SpecialAPR               *float64     `json:"special_apr,omitempty"`
	LastPaymentAmount        *float64     `json:"last_payment_amount,omitempty"`
	MinimumPaymentAmount     *float64     `json:"minimum_payment_amount,omitempty"`
	IsOverdue                *bool        `json:"is_overdue,omitempty"`
	OriginationDate          string       `json:"origination_date,omitempty"`
	Principal                *float64     `json:"principal,omitempty"`
	NominalAPR               *float64     `json:"nominal_apr,omitempty"`
	ExpectedPayoffDate       string       `json:"expected_payoff_date,omitempty"`
	Guarantor                string       `json:"guarantor,omitempty"`
	IsFederal                *bool        `json:"is_federal,omitempty"`
	LoanName                 string       `json:"loan_name,omitempty"`
	LoanStatus               *LoanStatus  `json:"loan_status,omitempty"`
	PaymentReferenceNumber   string       `json:"payment_reference_number,omitempty"`
	PSLFStatus               *PSLFStatus  `json:"pslf_status,omitempty"`
	RepaymentPlanDescription string       `json:"repayment_plan_description,omitempty"`
	RepaymentPlanType        string       `json:"repayment_plan_type,omitempty"`
	SequenceNumber           string       `json:"sequence_number,omitempty"`
	ServicerAddress          *AddressData `json:"servicer_address,omitempty"`
}

// LoanStatus is a student loan's status: its type (Plaid's
// StudentLoanStatus enum) and until when (YYYY-MM-DD).
type LoanStatus struct {
	Type    string `json:"type,omitempty"`
	EndDate string `json:"end_date,omitempty"`
}

// PSLFStatus is a student loan's Public Service Loan Forgiveness status.
type PSLFStatus struct {
	EstimatedEligibilityDate string `json:"estimated_eligibility_date,omitempty"`
	PaymentsMade             *int   `json:"payments_made,omitempty"`
	PaymentsRemaining        *int   `json:"payments_remaining,omitempty"`
}

// InflowModel is an account's regular income or loan payments. PaymentDay
// and StatementDay are days of the month, 1 to 28, or 0 for the last.
type InflowModel struct {
	Type            string  `json:"type"`
	IncomeAmount    float64 `json:"income_amount,omitempty"`
	PaymentDay      int     `json:"payment_day_of_month,omitempty"`
	TransactionName string  `json:"transaction_name,omitempty"`
	StatementDay    int     `json:"statement_day_of_month,omitempty"`
}

// Inflow model types.
const (
	InflowNone           = "none"
	InflowIncome         = "monthly-income"
	InflowBalancePayment = "monthly-balance-payment"
	InflowInterestOnly   = "monthly-interest-only-payment"
)

// Liability types.
const (
	LiabilityCredit  = "credit"
	LiabilityStudent = "student"
)
