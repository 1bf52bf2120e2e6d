package sandboxdata

import (
	"fmt"

	"github.com/linkharness/linkharness/internal/plaid"
)

// Liabilities are the liability details of an Item's accounts
// (https://plaid.com/docs/api/products/liabilities/#liabilities-get-response-liabilities),
// each kind in the order of the Item's accounts.
type Liabilities struct {
	Credit   []CreditCard
	Mortgage []Mortgage
	Student  []StudentLoan
}

// CreditCard is the liability of a credit account; its fields are Plaid's
// of the same name, dates YYYY-MM-DD.
type CreditCard struct {
	AccountID              string
	APRs                   []APR
	IsOverdue              bool
	LastPaymentAmount      float64
	LastPaymentDate        string
	LastStatementBalance   float64
	LastStatementIssueDate string
	MinimumPaymentAmount   float64
	NextPaymentDueDate     string
}

// APR is one of a credit card's annual percentage rates.
type APR struct {
	Percentage float64
	// Type is "balance_transfer_apr", "cash_apr", "purchase_apr" or
	// "special".
	Type                 string
	BalanceSubjectToAPR  float64
	InterestChargeAmount float64
}

// Mortgage is the liability of a mortgage loan account; its fields are
// Plaid's of the same name (InterestRate* are interest_rate's), dates
// YYYY-MM-DD.
type Mortgage struct {
	AccountID                  string
	AccountNumber              string
	CurrentLateFee             float64
	EscrowBalance              float64
	HasPMI                     bool
	HasPrepaymentPenalty       bool
	InterestRatePercentage     float64
	InterestRateType           string
	LastPaymentAmount          float64
	LastPaymentDate            string
	LoanTerm                   string
	LoanTypeDescription        string
	MaturityDate               string
	NextMonthlyPayment         float64
	NextPaymentDueDate         string
	OriginationDate            string
	OriginationPrincipalAmount float64
	PastDueAmount              float64
	PropertyAddress            Address
	YTDInterestPaid            float64
	YTDPrincipalPaid           float64
}

// StudentLoan is the liability of a student loan account; its fields are
// Plaid's of the same name (LoanStatus*, PSLF* and RepaymentPlan* are
// those of loan_status, pslf_status and repayment_plan), dates YYYY-MM-DD.
type StudentLoan struct {
	AccountID                  string
	AccountNumber              string
	DisbursementDates          []string
	ExpectedPayoffDate         string
	Guarantor                  string
	InterestRatePercentage     float64
	IsOverdue                  bool
	LastPaymentAmount          float64
	LastPaymentDate            string
	LastStatementIssueDate     string
	LoanName                   string
	LoanStatusEndDate          string
	LoanStatusType             string
	MinimumPaymentAmount       float64
	NextPaymentDueDate         string
	OriginationDate            string
	OriginationPrincipalAmount float64
	OutstandingInterestAmount  float64
	PaymentReferenceNumber     string
	// PSLF* are the Public Service Loan Forgiveness status.
	PSLFEstimatedEligibilityDate string
	PSLFPaymentsMade             int
	PSLFPaymentsRemaining        int
	RepaymentPlanDescription     string
	RepaymentPlanType            string
	SequenceNumber               string
	ServicerAddress              Address
	YTDInterestPaid              float64
	YTDPrincipalPaid             float64
}

// ItemLiabilities are the liabilities of the Item's accounts that
// HasLiability: the figures of Plaid's sandbox, with dates relative to the
// Item's creation and loan account numbers drawn for the Item, and what a
// custom user's account configures in their place.
func ItemLiabilities(it Item) Liabilities {
	out := Liabilities{Credit: []CreditCard{}, Mortgage: []Mortgage{}, Student: []StudentLoan{}}
	at := func(months, days int) string { return plaid.Date(it.CreatedAt.AddDate(0, months, days)) }
	for _, a := range it.Accounts {
		r := a.random(it, "liabilities")
		switch {
		case a.Type == "credit":
			cc := CreditCard{
				AccountID: a.ID, LastPaymentAmount: 168.25, LastPaymentDate: at(0, -20),
				LastStatementIssueDate: at(0, -15), LastStatementBalance: 1708.77, MinimumPaymentAmount: 20,
				NextPaymentDueDate: at(0, 10),
				APRs: []APR{
					{Percentage: 15.24, Type: "balance_transfer_apr", BalanceSubjectToAPR: 1562.32, InterestChargeAmount: 130.22},
					{Percentage: 27.95, Type: "cash_apr", BalanceSubjectToAPR: 56.22, InterestChargeAmount: 14.81},
					{Percentage: 12.5, Type: "purchase_apr", BalanceSubjectToAPR: 157.01, InterestChargeAmount: 25.66},
				},
			}
			if l := a.customLiability(); l != nil {
				configureCredit(&cc, l, *AccountBalances(a, "").Current)
			}
			out.Credit = append(out.Credit, cc)
		case a.Type == "loan" && a.Subtype == "mortgage" && a.customLiability() == nil:
			out.Mortgage = append(out.Mortgage, Mortgage{
				AccountID: a.ID, AccountNumber: fmt.Sprintf("32904%05d", r.IntN(100000)), CurrentLateFee: 25,
				EscrowBalance: 3141.54, HasPMI: true, HasPrepaymentPenalty: true,
				InterestRatePercentage: 3.99, InterestRateType: "fixed", LastPaymentAmount: 3141.54,
				LastPaymentDate: at(0, -20), LoanTypeDescription: "conventional", LoanTerm: "30 year",
				MaturityDate: at(300, 0), NextMonthlyPayment: 3141.54, NextPaymentDueDate: at(0, 10),
				OriginationDate: at(-60, 0), OriginationPrincipalAmount: 425000, PastDueAmount: 2304,
				PropertyAddress: Address{Street: "2992 Cameron Road", City: "Malakoff", Region: "NY", PostalCode: "14236", Country: "US"},
				YTDInterestPaid: 12300.4, YTDPrincipalPaid: 12340.5,
			})
		case a.Type == "loan" && (a.Subtype == "student" || a.customLiability() != nil):
			sl := StudentLoan{
				AccountID: a.ID, AccountNumber: fmt.Sprintf("48572%05d", r.IntN(100000)),
				DisbursementDates: []string{at(-80, 0)}, ExpectedPayoffDate: at(100, 0), Guarantor: "DEPT OF ED",
				InterestRatePercentage: 5.25, LastPaymentAmount: 138.05, LastPaymentDate: at(0, -20),
				LastStatementIssueDate: at(0, -15), LoanName: "Consolidation", LoanStatusEndDate: at(100, 0), LoanStatusType: "repayment",
				MinimumPaymentAmount: 25, NextPaymentDueDate: at(0, 10), OriginationDate: at(-80, 0),
				OriginationPrincipalAmount: 25000, OutstandingInterestAmount: 6227.36, PaymentReferenceNumber: "4307799481",
				PSLFEstimatedEligibilityDate: at(40, 0), PSLFPaymentsMade: 34, PSLFPaymentsRemaining: 86,
				RepaymentPlanDescription: "Standard Repayment", RepaymentPlanType: "standard", SequenceNumber: "1",
				ServicerAddress: Address{Street: "123 Relaxation Road", City: "San Matias", Region: "CA", PostalCode: "99415", Country: "US"},
				YTDInterestPaid: 280.55, YTDPrincipalPaid: 271.65,
			}
			if l := a.customLiability(); l != nil {
				configureStudent(&sl, l)
			}
			out.Student = append(out.Student, sl)
		}
	}
	return out
}

// OnAccounts is l less the liabilities of accounts keep rejects.
func (l Liabilities) OnAccounts(keep func(accountID string) bool) Liabilities {
	out := Liabilities{Credit: []CreditCard{}, Mortgage: []Mortgage{}, Student: []StudentLoan{}}
	for _, c := range l.Credit {
		if keep(c.AccountID) {
			out.Credit = append(out.Credit, c)
		}
	}
	for _, m := range l.Mortgage {
		if keep(m.AccountID) {
			out.Mortgage = append(out.Mortgage, m)
		}
	}
	for _, s := range l.Student {
		if keep(s.AccountID) {
			out.Student = append(out.Student, s)
		}
	}
	return out
}
