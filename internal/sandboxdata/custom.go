package sandboxdata

import (
	"strconv"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/customuser"
	"github.com/linkharness/linkharness/internal/plaid"
)

// The data of custom users' accounts that their configuration gives
// (package customuser); what it does not give is drawn as for the
// sandbox's accounts.

// configuredTransactions are a custom account's configured transactions:
// posted on date_posted, authorized on date_transacted, pending when
// posted after the Item was created.
func configuredTransactions(it Item, a ItemAccount) []Transaction {
	created := plaid.Date(it.CreatedAt)
	var out []Transaction
	for i, t := range a.Custom.Transactions {
		currency := t.Currency
		if currency == "" {
			currency = currencyOf(it, a)
		}
		out = append(out, Transaction{ID: derivedID("custom transaction", it.ID, a.ID, strconv.Itoa(i)), AccountID: a.ID,
			Amount: t.Amount, Currency: currency, Date: t.DatePosted, AuthorizedDate: t.DateTransacted, Name: t.Description,
			PaymentChannel: "other", Pending: t.DatePosted > created, Type: "special"})
	}
	return out
}

// inflowTransactions are the transactions of a custom account's inflow
// model in the HistoryDays before the Item was created, one a month on
// its payment day (the last day of the month for "last"): the income
// (money in), the payment of the current balance, or the month's interest
// on it at the liability's purchase or nominal APR (money in as well,
// paying the liability down).
func inflowTransactions(it Item, a ItemAccount) []Transaction {
	m := a.Custom.InflowModel
	if m == nil || m.Type == customuser.InflowNone {
		return nil
	}
	var amount float64
	balance := *AccountBalances(a, currencyOf(it, a)).Current
	switch m.Type {
	case customuser.InflowIncome:
		amount = -m.IncomeAmount
	case customuser.InflowBalancePayment:
		amount = -balance
	case customuser.InflowInterestOnly:
		amount = -cents(balance * apr(a.Custom.Liability) / 100 / 12)
	}
	var out []Transaction
	from := it.CreatedAt.AddDate(0, 0, -HistoryDays)
	for months := 0; months <= HistoryDays/28; months++ {
		first := time.Date(it.CreatedAt.Year(), it.CreatedAt.Month()-time.Month(months), 1, 0, 0, 0, 0, time.UTC)
		day := first.AddDate(0, 1, -1) // the last of the month
		if m.PaymentDay != 0 {
			day = first.AddDate(0, 0, m.PaymentDay-1)
		}
		if day.After(it.CreatedAt) || day.Before(from) {
			continue
		}
		date := plaid.Date(day)
		out = append(out, Transaction{ID: derivedID("inflow transaction", it.ID, a.ID, date), AccountID: a.ID,
			Amount: amount, Currency: currencyOf(it, a), Date: date, AuthorizedDate: date, Name: m.TransactionName,
			PaymentChannel: "other", Type: "special"})
	}
	return out
}

// apr is a liability's interest rate in percent: its purchase APR, else
// its nominal APR, else 0.
func apr(l *customuser.Liability) float64 {
	switch {
	case l == nil:
		return 0
	case l.PurchaseAPR != nil:
		return *l.PurchaseAPR
	case l.NominalAPR != nil:
		return *l.NominalAPR
	}
	return 0
}

// configuredOwner is a configured owner, AccountHolder's where it gives
// nothing.
func configuredOwner(o customuser.Owner) Owner {
	out := AccountHolder
	if o.Names != nil {
		out.Names = o.Names
	}
	if o.PhoneNumbers != nil {
		out.PhoneNumbers = contacts(o.PhoneNumbers)
	}
	if o.Emails != nil {
		out.Emails = contacts(o.Emails)
	}
	if o.Addresses != nil {
		out.Addresses = nil
		for _, a := range o.Addresses {
			out.Addresses = append(out.Addresses, OwnerAddress{Address: address(a.Data), Primary: a.Primary})
		}
	}
	return out
}

func contacts(cs []customuser.Contact) []Contact {
	out := []Contact{}
	for _, c := range cs {
		out = append(out, Contact{Data: c.Data, Primary: c.Primary, Type: c.Type})
	}
	return out
}

func address(a customuser.AddressData) Address {
	return Address{Street: a.Street, City: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.Country}
}

// configuredNumbers adds a custom account's numbers to out: the schemes
// it configures (ACH with a routing number, EFT, international, BACS),
// its account number (else one made from its mask as for a sandbox
// account) in each. An account that configures no scheme has its
// institution's country's, as a sandbox account does, with its account
// number if it gives one.
func configuredNumbers(out *Numbers, country string, a ItemAccount) {
	n := a.Custom.Numbers
	if !n.HasSchemes() {
		var own Numbers
		ownNumbers(&own, country, a)
		if n.Account != "" {
			for i := range own.ACH {
				own.ACH[i].Account = n.Account
			}
			for i := range own.EFT {
				own.EFT[i].Account = n.Account
			}
			for i := range own.BACS {
				own.BACS[i].Account = n.Account
			}
		}
		out.ACH, out.EFT = append(out.ACH, own.ACH...), append(out.EFT, own.EFT...)
		out.BACS, out.International = append(out.BACS, own.BACS...), append(out.International, own.International...)
		return
	}
	account := n.Account
	if account == "" {
		account = "111122223333" + a.Mask
		if n.IBAN != "" {
			account = n.IBAN
		}
	}
	if n.ACHRouting != "" {
		out.ACH = append(out.ACH, ACHNumbers{AccountID: a.ID, Account: account, Routing: n.ACHRouting, WireRouting: n.ACHWireRouting})
	}
	if n.EFTInstitution != "" {
		out.EFT = append(out.EFT, EFTNumbers{AccountID: a.ID, Account: account, Institution: n.EFTInstitution, Branch: n.EFTBranch})
	}
	if n.IBAN != "" {
		out.International = append(out.International, InternationalNumbers{AccountID: a.ID, IBAN: n.IBAN, BIC: n.BIC})
	}
	if n.BACSSortCode != "" {
		out.BACS = append(out.BACS, BACSNumbers{AccountID: a.ID, Account: account, SortCode: n.BACSSortCode})
	}
}

// securityID is the ID of a configured security: the same for the same
// ticker, CUSIP or ISIN.
func securityID(s customuser.Security) string { return derivedID("custom security", s.Key()) }

// configuredHoldings are a custom account's configured holdings, valued
// at their institution price; the cost basis is the value when the
// configuration gives none.
func configuredHoldings(it Item, a ItemAccount) []Holding {
	var out []Holding
	for _, h := range a.Custom.Holdings {
		asOf := h.InstitutionPriceAsOf
		if asOf == "" {
			asOf = plaid.Date(it.CreatedAt)
		}
		value := cents(h.InstitutionPrice * h.Quantity)
		basis := value
		if h.CostBasis != nil {
			basis = *h.CostBasis
		}
		out = append(out, Holding{AccountID: a.ID, SecurityID: securityID(h.Security), InstitutionPrice: h.InstitutionPrice,
			InstitutionPriceAsOf: asOf, InstitutionValue: value, CostBasis: basis, Quantity: h.Quantity, Currency: h.Currency})
	}
	return out
}

// investmentSubtypes are the subtypes of configured investment
// transactions by type; a cash transaction is a deposit or a withdrawal.
var investmentSubtypes = map[string]string{"buy": "buy", "sell": "sell", "fee": "account fee", "transfer": "transfer"}

// configuredInvestmentTransactions are a custom account's configured
// investment transactions: each amounts to its quantity at its price plus
// its fees (money out positive, as Plaid's amounts are).
func configuredInvestmentTransactions(it Item, a ItemAccount) []InvestmentTransaction {
	var out []InvestmentTransaction
	for i, t := range a.Custom.InvestmentTransactions {
		amount := cents(t.Quantity*t.Price + t.Fees)
		subtype := investmentSubtypes[t.Type]
		if t.Type == "cash" {
			subtype = "deposit"
			if amount > 0 {
				subtype = "withdrawal"
			}
		}
		var security string
		if t.Security != nil {
			security = securityID(*t.Security)
		}
		out = append(out, InvestmentTransaction{ID: derivedID("custom investment transaction", it.ID, a.ID, strconv.Itoa(i)),
			AccountID: a.ID, SecurityID: security, Date: t.Date, Name: t.Name, Quantity: t.Quantity, Amount: amount,
			Price: t.Price, Fees: t.Fees, Type: t.Type, Subtype: subtype, Currency: t.Currency})
	}
	return out
}

// configuredSecurities are the securities the Item's custom user
// configured, each once: named by their name (else ticker), priced by the
// first holding (else transaction) of them, cash when their ticker is a
// currency's (CUR:USD), equity otherwise.
func configuredSecurities(it Item) []Security {
	var out []Security
	seen := map[string]bool{}
	add := func(s customuser.Security, price float64) {
		id := securityID(s)
		if seen[id] {
			return
		}
		seen[id] = true
		sec := Security{ID: id, Name: s.Name, Ticker: s.TickerSymbol, ISIN: s.ISIN, CUSIP: s.CUSIP, Type: "equity",
			ClosePrice: price, Currency: s.Currency}
		if sec.Name == "" {
			sec.Name = s.TickerSymbol
		}
		if strings.HasPrefix(s.TickerSymbol, "CUR:") {
			sec.Type, sec.IsCashEquivalent = "cash", true
		}
		out = append(out, sec)
	}
	for _, a := range it.Accounts {
		if a.Custom == nil {
			continue
		}
		for _, h := range a.Custom.Holdings {
			add(h.Security, h.InstitutionPrice)
		}
		for _, t := range a.Custom.InvestmentTransactions {
			if t.Security != nil {
				add(*t.Security, t.Price)
			}
		}
	}
	return out
}

// configureCredit puts a configured credit liability on a credit card:
// its APRs, when it gives some that are not 0 (Plaid's client libraries
// send 0 for those left out), each charged a month's interest on the
// account's current balance (the purchase APR) or on nothing (the
// others); its payment amounts and whether it is overdue.
func configureCredit(cc *CreditCard, l *customuser.Liability, balance float64) {
	var aprs []APR
	for _, r := range []struct {
		typ  string
		rate *float64
	}{{"balance_transfer_apr", l.BalanceTransferAPR}, {"cash_apr", l.CashAPR}, {"purchase_apr", l.PurchaseAPR}, {"special", l.SpecialAPR}} {
		if r.rate == nil || *r.rate == 0 {
			continue
		}
		a := APR{Percentage: *r.rate, Type: r.typ}
		if r.typ == "purchase_apr" {
			a.BalanceSubjectToAPR, a.InterestChargeAmount = balance, cents(balance**r.rate/100/12)
		}
		aprs = append(aprs, a)
	}
	if aprs != nil {
		cc.APRs = aprs
	}
	cc.LastStatementBalance = balance
	setNum(&cc.LastPaymentAmount, l.LastPaymentAmount)
	setNum(&cc.MinimumPaymentAmount, l.MinimumPaymentAmount)
	if l.IsOverdue != nil {
		cc.IsOverdue = *l.IsOverdue
	}
}

// configureStudent puts a configured student loan's terms on a student
// loan.
func configureStudent(sl *StudentLoan, l *customuser.Liability) {
	setNum(&sl.OriginationPrincipalAmount, l.Principal)
	setNum(&sl.InterestRatePercentage, l.NominalAPR)
	setNum(&sl.MinimumPaymentAmount, l.MinimumPaymentAmount)
	if l.IsOverdue != nil {
		sl.IsOverdue = *l.IsOverdue
	}
	for _, f := range []struct {
		to    *string
		value string
	}{{&sl.OriginationDate, l.OriginationDate}, {&sl.ExpectedPayoffDate, l.ExpectedPayoffDate}, {&sl.Guarantor, l.Guarantor},
		{&sl.LoanName, l.LoanName}, {&sl.PaymentReferenceNumber, l.PaymentReferenceNumber},
		{&sl.RepaymentPlanDescription, l.RepaymentPlanDescription}, {&sl.RepaymentPlanType, l.RepaymentPlanType},
		{&sl.SequenceNumber, l.SequenceNumber}} {
		if f.value != "" {
			*f.to = f.value
		}
	}
	if l.OriginationDate != "" {
		sl.DisbursementDates = []string{l.OriginationDate}
	}
	if s := l.LoanStatus; s != nil {
		if s.Type != "" {
			sl.LoanStatusType = s.Type
		}
		if s.EndDate != "" {
			sl.LoanStatusEndDate = s.EndDate
		}
	}
	if p := l.PSLFStatus; p != nil {
		if p.EstimatedEligibilityDate != "" {
			sl.PSLFEstimatedEligibilityDate = p.EstimatedEligibilityDate
		}
		if p.PaymentsMade != nil {
			sl.PSLFPaymentsMade = *p.PaymentsMade
		}
		if p.PaymentsRemaining != nil {
			sl.PSLFPaymentsRemaining = *p.PaymentsRemaining
		}
	}
	if a := l.ServicerAddress; a != nil {
		sl.ServicerAddress = address(*a)
	}
}

func setNum(to *float64, from *float64) {
	if from != nil {
		*to = *from
	}
}
