package plaidapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

type liabilitiesGetResponse struct {
	Accounts    []accountJSON   `json:"accounts"`
	Item        itemJSON        `json:"item"`
	Liabilities liabilitiesJSON `json:"liabilities"`
	RequestID   string          `json:"request_id"`
}

type liabilitiesJSON struct {
	Credit   []creditJSON   `json:"credit"`
	Mortgage []mortgageJSON `json:"mortgage"`
	Student  []studentJSON  `json:"student"`
}

// The liability objects list their fields in alphabetical order, as the
// API has always written them.

type creditJSON struct {
	AccountID              string    `json:"account_id"`
	APRs                   []aprJSON `json:"aprs"`
	IsOverdue              bool      `json:"is_overdue"`
	LastPaymentAmount      float64   `json:"last_payment_amount"`
	LastPaymentDate        string    `json:"last_payment_date"`
	LastStatementBalance   float64   `json:"last_statement_balance"`
	LastStatementIssueDate string    `json:"last_statement_issue_date"`
	MinimumPaymentAmount   float64   `json:"minimum_payment_amount"`
	NextPaymentDueDate     string    `json:"next_payment_due_date"`
}

type aprJSON struct {
	APRPercentage        float64 `json:"apr_percentage"`
	APRType              string  `json:"apr_type"`
	BalanceSubjectToAPR  float64 `json:"balance_subject_to_apr"`
	InterestChargeAmount float64 `json:"interest_charge_amount"`
}

type mortgageJSON struct {
	AccountID                  string           `json:"account_id"`
	AccountNumber              string           `json:"account_number"`
	CurrentLateFee             float64          `json:"current_late_fee"`
	EscrowBalance              float64          `json:"escrow_balance"`
	HasPMI                     bool             `json:"has_pmi"`
	HasPrepaymentPenalty       bool             `json:"has_prepayment_penalty"`
	InterestRate               interestRateJSON `json:"interest_rate"`
	LastPaymentAmount          float64          `json:"last_payment_amount"`
	LastPaymentDate            string           `json:"last_payment_date"`
	LoanTerm                   string           `json:"loan_term"`
	LoanTypeDescription        string           `json:"loan_type_description"`
	MaturityDate               string           `json:"maturity_date"`
	NextMonthlyPayment         float64          `json:"next_monthly_payment"`
	NextPaymentDueDate         string           `json:"next_payment_due_date"`
	OriginationDate            string           `json:"origination_date"`
	OriginationPrincipalAmount float64          `json:"origination_principal_amount"`
	PastDueAmount              float64          `json:"past_due_amount"`
	PropertyAddress            liabilityAddress `json:"property_address"`
	YTDInterestPaid            float64          `json:"ytd_interest_paid"`
	YTDPrincipalPaid           float64          `json:"ytd_principal_paid"`
}

type interestRateJSON struct {
	Percentage float64 `json:"percentage"`
	Type       string  `json:"type"`
}

// liabilityAddress is an address of a liability (a mortgaged property, a
// loan servicer).
type liabilityAddress struct {
	City       string `json:"city"`
	Country    string `json:"country"`
	PostalCode string `json:"postal_code"`
	Region     string `json:"region"`
	Street     string `json:"street"`
}

func liabilityAddressOut(a sandboxdata.Address) liabilityAddress {
	return liabilityAddress{City: a.City, Country: a.Country, PostalCode: a.PostalCode, Region: a.Region, Street: a.Street}
}

type studentJSON struct {
	AccountID                  string            `json:"account_id"`
	AccountNumber              string            `json:"account_number"`
	DisbursementDates          []string          `json:"disbursement_dates"`
	ExpectedPayoffDate         string            `json:"expected_payoff_date"`
	Guarantor                  string            `json:"guarantor"`
	InterestRatePercentage     float64           `json:"interest_rate_percentage"`
	IsOverdue                  bool              `json:"is_overdue"`
	LastPaymentAmount          float64           `json:"last_payment_amount"`
	LastPaymentDate            string            `json:"last_payment_date"`
	LastStatementIssueDate     string            `json:"last_statement_issue_date"`
	LoanName                   string            `json:"loan_name"`
	LoanStatus                 loanStatusJSON    `json:"loan_status"`
	MinimumPaymentAmount       float64           `json:"minimum_payment_amount"`
	NextPaymentDueDate         string            `json:"next_payment_due_date"`
	OriginationDate            string            `json:"origination_date"`
	OriginationPrincipalAmount float64           `json:"origination_principal_amount"`
	OutstandingInterestAmount  float64           `json:"outstanding_interest_amount"`
	PaymentReferenceNumber     string            `json:"payment_reference_number"`
	PSLFStatus                 pslfStatusJSON    `json:"pslf_status"`
	RepaymentPlan              repaymentPlanJSON `json:"repayment_plan"`
	SequenceNumber             string            `json:"sequence_number"`
	ServicerAddress            liabilityAddress  `json:"servicer_address"`
	YTDInterestPaid            float64           `json:"ytd_interest_paid"`
	YTDPrincipalPaid           float64           `json:"ytd_principal_paid"`
}

type loanStatusJSON struct {
	EndDate string `json:"end_date"`
	Type    string `json:"type"`
}

type pslfStatusJSON struct {
	EstimatedEligibilityDate string `json:"estimated_eligibility_date"`
	PaymentsMade             int    `json:"payments_made"`
	PaymentsRemaining        int    `json:"payments_remaining"`
}

type repaymentPlanJSON struct {
	Description string `json:"description"`
	Type        string `json:"type"`
}

func liabilitiesOut(l sandboxdata.Liabilities) liabilitiesJSON {
	out := liabilitiesJSON{Credit: []creditJSON{}, Mortgage: []mortgageJSON{}, Student: []studentJSON{}}
	for _, c := range l.Credit {
		aprs := []aprJSON{}
		for _, a := range c.APRs {
			aprs = append(aprs, aprJSON{APRPercentage: a.Percentage, APRType: a.Type, BalanceSubjectToAPR: a.BalanceSubjectToAPR, InterestChargeAmount: a.InterestChargeAmount})
		}
		out.Credit = append(out.Credit, creditJSON{AccountID: c.AccountID, APRs: aprs, IsOverdue: c.IsOverdue,
			LastPaymentAmount: c.LastPaymentAmount, LastPaymentDate: c.LastPaymentDate, LastStatementBalance: c.LastStatementBalance,
			LastStatementIssueDate: c.LastStatementIssueDate, MinimumPaymentAmount: c.MinimumPaymentAmount, NextPaymentDueDate: c.NextPaymentDueDate})
	}
	for _, m := range l.Mortgage {
		out.Mortgage = append(out.Mortgage, mortgageJSON{AccountID: m.AccountID, AccountNumber: m.AccountNumber, CurrentLateFee: m.CurrentLateFee,
			EscrowBalance: m.EscrowBalance, HasPMI: m.HasPMI, HasPrepaymentPenalty: m.HasPrepaymentPenalty,
			InterestRate:      interestRateJSON{Percentage: m.InterestRatePercentage, Type: m.InterestRateType},
			LastPaymentAmount: m.LastPaymentAmount, LastPaymentDate: m.LastPaymentDate, LoanTerm: m.LoanTerm, LoanTypeDescription: m.LoanTypeDescription,
			MaturityDate: m.MaturityDate, NextMonthlyPayment: m.NextMonthlyPayment, NextPaymentDueDate: m.NextPaymentDueDate,
			OriginationDate: m.OriginationDate, OriginationPrincipalAmount: m.OriginationPrincipalAmount, PastDueAmount: m.PastDueAmount,
			PropertyAddress: liabilityAddressOut(m.PropertyAddress), YTDInterestPaid: m.YTDInterestPaid, YTDPrincipalPaid: m.YTDPrincipalPaid})
	}
	for _, s := range l.Student {
		out.Student = append(out.Student, studentJSON{AccountID: s.AccountID, AccountNumber: s.AccountNumber,
			DisbursementDates: httpapi.NonNil(s.DisbursementDates), ExpectedPayoffDate: s.ExpectedPayoffDate, Guarantor: s.Guarantor,
			InterestRatePercentage: s.InterestRatePercentage, IsOverdue: s.IsOverdue, LastPaymentAmount: s.LastPaymentAmount,
			LastPaymentDate: s.LastPaymentDate, LastStatementIssueDate: s.LastStatementIssueDate, LoanName: s.LoanName,
			LoanStatus:           loanStatusJSON{EndDate: s.LoanStatusEndDate, Type: s.LoanStatusType},
			MinimumPaymentAmount: s.MinimumPaymentAmount, NextPaymentDueDate: s.NextPaymentDueDate, OriginationDate: s.OriginationDate,
			OriginationPrincipalAmount: s.OriginationPrincipalAmount, OutstandingInterestAmount: s.OutstandingInterestAmount,
			PaymentReferenceNumber: s.PaymentReferenceNumber,
			PSLFStatus: pslfStatusJSON{EstimatedEligibilityDate: s.PSLFEstimatedEligibilityDate, PaymentsMade: s.PSLFPaymentsMade,
				PaymentsRemaining: s.PSLFPaymentsRemaining},
			RepaymentPlan:  repaymentPlanJSON{Description: s.RepaymentPlanDescription, Type: s.RepaymentPlanType},
			SequenceNumber: s.SequenceNumber, ServicerAddress: liabilityAddressOut(s.ServicerAddress),
			YTDInterestPaid: s.YTDInterestPaid, YTDPrincipalPaid: s.YTDPrincipalPaid})
	}
	return out
}

// liabilitiesGet returns the credit card, mortgage and student loan
// details of the Item's accounts that have them.
func (s *API) liabilitiesGet(ctx context.Context, c *httpapi.Call, req *productRequest) (liabilitiesGetResponse, *plaid.Error) {
	d, e := s.Svc.Liabilities(ctx, c.Tenant, req.AccessToken, req.accountIDs())
	if e != nil {
		return liabilitiesGetResponse{}, e
	}
	return liabilitiesGetResponse{Accounts: accountsOut(d.Item, d.Accounts), Item: itemOut(d.Item), Liabilities: liabilitiesOut(d.Liabilities),
		RequestID: c.RequestID}, nil
}
