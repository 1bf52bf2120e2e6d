package web

import (
	"context"
	"fmt"

	"github.com/linkharness/linkharness/internal/plaid"
)

type liabilitiesGetResponse struct {
	Accounts    []accountJSON `json:"accounts"`
	Item        itemJSON      `json:"item"`
	Liabilities liabilities   `json:"liabilities"`
	RequestID   string        `json:"request_id"`
}

type liabilities struct {
	Credit   []map[string]any `json:"credit"`
	Mortgage []map[string]any `json:"mortgage"`
	Student  []map[string]any `json:"student"`
}

// liabilitiesGet returns the Item's credit card, mortgage and student
// loan details, with the figures of Plaid's sandbox and dates relative to
// the Item's creation.
func (s *Server) liabilitiesGet(ctx context.Context, c *call, req *productRequest) (liabilitiesGetResponse, *plaid.Error) {
	it, e := s.svc.UseProduct(ctx, c.tenant(), req.AccessToken, "liabilities", "/liabilities/get")
	if e != nil {
		return liabilitiesGetResponse{}, e
	}
	accounts, e := pickAccounts(it, req.accountIDs(), nil)
	if e != nil {
		return liabilitiesGetResponse{}, e
	}
	resp := liabilitiesGetResponse{Accounts: []accountJSON{}, Item: itemOut(it), RequestID: c.requestID,
		Liabilities: liabilities{Credit: []map[string]any{}, Mortgage: []map[string]any{}, Student: []map[string]any{}}}
	at := func(months, days int) string { return day(it.CreatedAt.AddDate(0, months, days)) }
	for _, a := range accounts {
		r := seeded("liabilities", it.ID, a.ID)
		switch {
		case a.Type == "credit":
			resp.Liabilities.Credit = append(resp.Liabilities.Credit, map[string]any{
				"account_id": a.ID, "is_overdue": false, "last_payment_amount": 168.25, "last_payment_date": at(0, -20),
				"last_statement_issue_date": at(0, -15), "last_statement_balance": 1708.77, "minimum_payment_amount": 20,
				"next_payment_due_date": at(0, 10),
				"aprs": []map[string]any{
					{"apr_percentage": 15.24, "apr_type": "balance_transfer_apr", "balance_subject_to_apr": 1562.32, "interest_charge_amount": 130.22},
					{"apr_percentage": 27.95, "apr_type": "cash_apr", "balance_subject_to_apr": 56.22, "interest_charge_amount": 14.81},
					{"apr_percentage": 12.5, "apr_type": "purchase_apr", "balance_subject_to_apr": 157.01, "interest_charge_amount": 25.66},
				},
			})
		case a.Type == "loan" && a.Subtype == "mortgage":
			resp.Liabilities.Mortgage = append(resp.Liabilities.Mortgage, map[string]any{
				"account_id": a.ID, "account_number": fmt.Sprintf("32904%05d", r.IntN(100000)), "current_late_fee": 25,
				"escrow_balance": 3141.54, "has_pmi": true, "has_prepayment_penalty": true,
				"interest_rate": map[string]any{"percentage": 3.99, "type": "fixed"}, "last_payment_amount": 3141.54,
				"last_payment_date": at(0, -20), "loan_type_description": "conventional", "loan_term": "30 year",
				"maturity_date": at(300, 0), "next_monthly_payment": 3141.54, "next_payment_due_date": at(0, 10),
				"origination_date": at(-60, 0), "origination_principal_amount": 425000, "past_due_amount": 2304,
				"property_address":  map[string]any{"city": "Malakoff", "country": "US", "postal_code": "14236", "region": "NY", "street": "2992 Cameron Road"},
				"ytd_interest_paid": 12300.4, "ytd_principal_paid": 12340.5,
			})
		case a.Type == "loan" && a.Subtype == "student":
			resp.Liabilities.Student = append(resp.Liabilities.Student, map[string]any{
				"account_id": a.ID, "account_number": fmt.Sprintf("48572%05d", r.IntN(100000)),
				"disbursement_dates": []string{at(-80, 0)}, "expected_payoff_date": at(100, 0), "guarantor": "DEPT OF ED",
				"interest_rate_percentage": 5.25, "is_overdue": false, "last_payment_amount": 138.05, "last_payment_date": at(0, -20),
				"last_statement_issue_date": at(0, -15), "loan_name": "Consolidation", "loan_status": map[string]any{"end_date": at(100, 0), "type": "repayment"},
				"minimum_payment_amount": 25, "next_payment_due_date": at(0, 10), "origination_date": at(-80, 0),
				"origination_principal_amount": 25000, "outstanding_interest_amount": 6227.36, "payment_reference_number": "4307799481",
				"pslf_status":    map[string]any{"estimated_eligibility_date": at(40, 0), "payments_made": 34, "payments_remaining": 86},
				"repayment_plan": map[string]any{"description": "Standard Repayment", "type": "standard"}, "sequence_number": "1",
				"servicer_address":  map[string]any{"city": "San Matias", "country": "US", "postal_code": "99415", "region": "CA", "street": "123 Relaxation Road"},
				"ytd_interest_paid": 280.55, "ytd_principal_paid": 271.65,
			})
		default:
			continue
		}
		resp.Accounts = append(resp.Accounts, accountOut(a))
	}
	return resp, nil
}
