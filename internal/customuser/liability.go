package customuser

// Fields of a liability that only one of its types may set.
var (
	creditOnly  = []string{"purchase_apr", "cash_apr", "balance_transfer_apr", "special_apr", "last_payment_amount"}
	studentOnly = []string{"origination_date", "principal", "nominal_apr", "interest_capitalization_grace_period_months",
		"repayment_model", "expected_payoff_date", "guarantor", "is_federal", "loan_name", "loan_status",
		"payment_reference_number", "pslf_status", "repayment_plan_description", "repayment_plan_type",
		"sequence_number", "servicer_address"}
)

// RepaymentPlanTypes are the repayment plans a student loan may have.
var RepaymentPlanTypes = []string{"extended graduated", "extended standard", "graduated", "income-contingent repayment",
	"income-based repayment", "income-sensitive repayment", "interest only", "other", "pay as you earn",
	"revised pay as you earn", "standard", "saving on a valuable education"}

// LoanStatusTypes are the statuses a student loan may be in.
var LoanStatusTypes = []string{"cancelled", "charged off", "claim", "consolidated", "deferment", "delinquent",
	"discharged", "extension", "forbearance", "in grace", "in military", "in school", "not fully disbursed", "other",
	"paid in full", "refunded", "repayment", "transferred", "pending idr"}

// liability reads an account's liability: credit on a credit account,
// student on a loan account (mortgages are not configurable, as at
// Plaid). Each type's own fields are refused on the other.
func (r *reader) liability(o obj, accountType string) *Liability {
	r.require(o, "type")
	l := &Liability{Type: r.oneOf(o, "type", []string{LiabilityCredit, LiabilityStudent})}
	switch {
	case l.Type == LiabilityCredit && accountType != "credit", l.Type == LiabilityStudent && accountType != "loan":
		r.fail(join(o.path, "type"), "%q is not a liability of a %s account", l.Type, accountType)
	}
	other, otherType := studentOnly, LiabilityStudent
	if l.Type == LiabilityStudent {
		other, otherType = creditOnly, LiabilityCredit
	}
	for _, k := range other {
		if o.set(k) && l.Type != "" {
			r.fail(join(o.path, k), "can only be set for a %s liability, not a %s one", otherType, l.Type)
		}
	}
	l.PurchaseAPR, l.CashAPR = r.num(o, "purchase_apr"), r.num(o, "cash_apr")
	l.BalanceTransferAPR, l.SpecialAPR = r.num(o, "balance_transfer_apr"), r.num(o, "special_apr")
	l.LastPaymentAmount, l.MinimumPaymentAmount = r.num(o, "last_payment_amount"), r.num(o, "minimum_payment_amount")
	l.IsOverdue = r.boolean(o, "is_overdue")
	l.OriginationDate, l.Principal, l.NominalAPR = r.date(o, "origination_date"), r.num(o, "principal"), r.num(o, "nominal_apr")
	r.integer(o, "interest_capitalization_grace_period_months", 0, 1200, 0)
	if m, ok := r.setObject(o, "repayment_model"); ok {
		// The model of interest and repayments is read, not run: the
		// sandbox's balances do not move.
		r.requireSet(m, "type")
		r.optOneOf(m, "type", []string{"standard"})
		r.integer(m, "non_repayment_months", 0, 1200, 0)
		r.integer(m, "repayment_months", 0, 1200, 0)
	}
	l.ExpectedPayoffDate, l.Guarantor = r.date(o, "expected_payoff_date"), r.str(o, "guarantor")
	l.IsFederal, l.LoanName = r.boolean(o, "is_federal"), r.str(o, "loan_name")
	if s, ok := r.setObject(o, "loan_status"); ok {
		l.LoanStatus = &LoanStatus{Type: r.optOneOf(s, "type", LoanStatusTypes), EndDate: r.date(s, "end_date")}
	}
	l.PaymentReferenceNumber = r.str(o, "payment_reference_number")
	if s, ok := r.setObject(o, "pslf_status"); ok {
		l.PSLFStatus = &PSLFStatus{EstimatedEligibilityDate: r.date(s, "estimated_eligibility_date"),
			PaymentsMade: r.optInt(s, "payments_made"), PaymentsRemaining: r.optInt(s, "payments_remaining")}
	}
	l.RepaymentPlanDescription = r.str(o, "repayment_plan_description")
	l.RepaymentPlanType = r.optOneOf(o, "repayment_plan_type", RepaymentPlanTypes)
	l.SequenceNumber = r.str(o, "sequence_number")
	if a, ok := r.setObject(o, "servicer_address"); ok {
		// Plaid's schema makes it an Address, {data, primary}; the
		// address alone is taken too.
		if d, ok := r.object(a, "data"); ok {
			a = d
		}
		addr := r.address(a)
		l.ServicerAddress = &addr
	}
	return l
}

// inflow reads an account's inflow model: income on any account, balance
// or interest payments on a credit or loan account.
func (r *reader) inflow(o obj, accountType string) *InflowModel {
	r.require(o, "type")
	m := &InflowModel{Type: r.oneOf(o, "type", []string{InflowNone, InflowIncome, InflowBalancePayment, InflowInterestOnly})}
	switch m.Type {
	case InflowIncome:
		r.requireSet(o, "income_amount", "payment_day_of_month", "transaction_name")
	case InflowBalancePayment, InflowInterestOnly:
		r.requireSet(o, "payment_day_of_month", "transaction_name", "statement_day_of_month")
		if accountType != "credit" && accountType != "loan" {
			r.fail(join(o.path, "type"), "%q is only for credit and loan accounts, not %s ones", m.Type, accountType)
		}
	}
	m.IncomeAmount = r.number(o, "income_amount")
	m.PaymentDay = r.dayOfMonth(o, "payment_day_of_month")
	m.TransactionName = r.text(o, "transaction_name")
	m.StatementDay = r.dayOfMonth(o, "statement_day_of_month")
	return m
}
