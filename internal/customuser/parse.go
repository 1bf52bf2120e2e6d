package customuser

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ForceErrors are the codes force_error may name: Plaid's list
// (UserCustomPassword.force_error in Plaid's OpenAPI spec), whose
// PLAID_ERROR linkharness raises as INTERNAL_SERVER_ERROR, and the
// codes of the error_<CODE> passwords (package sandbox).
var ForceErrors = []string{
	"INSTITUTION_NOT_RESPONDING", "INSTITUTION_NO_LONGER_SUPPORTED", "INVALID_CREDENTIALS", "INVALID_MFA",
	"ITEM_LOCKED", "ITEM_LOGIN_REQUIRED", "ITEM_NOT_SUPPORTED", "INVALID_LINK_TOKEN", "MFA_NOT_SUPPORTED",
	"NO_ACCOUNTS", "PLAID_ERROR", "USER_INPUT_TIMEOUT", "USER_SETUP_REQUIRED",
	"COUNTRY_NOT_SUPPORTED", "INSTITUTION_DOWN", "INSUFFICIENT_CREDENTIALS", "INTERNAL_SERVER_ERROR",
	"INVALID_SEND_METHOD",
}

// AccountTypes are the types an account may have (Plaid's
// OverrideAccountType).
var AccountTypes = []string{"investment", "credit", "depository", "loan", "payroll", "other"}

// Subtypes are the account subtypes Plaid knows (its AccountSubtype).
var Subtypes = []string{"401a", "401k", "403B", "457b", "529", "auto", "brokerage", "business", "cash isa",
	"cash management", "cd", "checking", "commercial", "construction", "consumer", "credit card", "crypto exchange",
	"ebt", "education savings account", "fhsa", "fixed annuity", "gic", "health reimbursement arrangement",
	"home equity", "hsa", "isa", "ira", "keogh", "lif", "life insurance", "limited purpose checking",
	"line of credit", "lira", "loan", "lrif", "lrsp", "money market", "mortgage", "mutual fund",
	"non-custodial wallet", "non-taxable brokerage account", "other", "other insurance", "other annuity",
	"overdraft", "paypal", "payroll", "pension", "prepaid", "prif", "profit sharing plan", "qshr", "rdsp", "resp",
	"retirement", "rlif", "roth", "roth 401k", "roth 403B", "roth 457b", "roth pension",
	"roth profit sharing plan", "roth thrift savings plan", "rrif", "rrsp", "sarsep", "savings", "sep ira",
	"simple ira", "sipp", "stock plan", "student", "thrift savings plan", "tfsa", "trust", "ugma", "utma",
	"variable annuity"}

// defaultSubtypes are the subtypes of accounts configured without one.
var defaultSubtypes = map[string]string{"investment": "brokerage", "credit": "credit card", "depository": "checking",
	"loan": "student", "payroll": "payroll", "other": "other"}

// Parse reads a custom user's password: a JSON object of Plaid's
// UserCustomPassword, at most MaxBytes long, with at most MaxAccounts
// accounts. Every field is optional; a configuration without accounts
// has one checking account. Fields Plaid's schema does not name are
// ignored, as Plaid's schemas allow them. What is wrong is a ConfigError
// naming the field.
func Parse(password string) (Config, *ConfigError) {
	if len(password) > MaxBytes {
		return Config{}, &ConfigError{Problem: fmt.Sprintf("is %d bytes long, more than the %d a custom user may have", len(password), MaxBytes)}
	}
	var doc any
	if err := json.Unmarshal([]byte(password), &doc); err != nil {
		return Config{}, &ConfigError{Problem: "is not JSON: " + err.Error()}
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return Config{}, &ConfigError{Problem: "must be a JSON object, not " + kind(doc)}
	}
	r := &reader{}
	root := obj{m: m}
	c := Config{Seed: r.str(root, "seed"), ForceError: r.optOneOf(root, "force_error", ForceErrors),
		Recaptcha: r.optOneOf(root, "recaptcha", []string{"good", "bad"})}
	switch v := m["version"].(type) {
	case nil:
	case string:
		c.Version = r.oneOf(root, "version", []string{"1", "2"})
	case float64:
		if v != 1 && v != 2 {
			r.fail("version", `must be "1" or "2"`)
		}
		c.Version = strconv.Itoa(int(v))
	default:
		r.fail("version", `must be "1" or "2", not %s`, kind(v))
	}
	if o, ok := r.setObject(root, "mfa"); ok {
		c.MFA = r.mfa(o)
	}
	accounts := r.objects(root, "override_accounts", false)
	if len(accounts) > MaxAccounts {
		r.fail("override_accounts", "has %d accounts, more than the %d a custom user may have", len(accounts), MaxAccounts)
	}
	for i, o := range accounts {
		c.Accounts = append(c.Accounts, r.account(o, i))
	}
	if len(c.Accounts) == 0 && r.err == nil {
		c.Accounts = []Account{r.account(obj{m: map[string]any{"type": "depository"}, path: "override_accounts[0]"}, 0)}
	}
	if r.err != nil {
		return Config{}, r.err
	}
	if c.Seed != "" {
		for i := range c.Accounts {
			c.Accounts[i].Seed = c.Seed + "/" + strconv.Itoa(i)
		}
	}
	shareNames(c.Accounts)
	return c, nil
}

// shareNames gives every account's owner the names of the first account
// that configures some: Plaid uses the same names for all the accounts of
// an Item.
func shareNames(accounts []Account) {
	var names []string
	for _, a := range accounts {
		if a.Identity != nil && a.Identity.Names != nil {
			names = a.Identity.Names
			break
		}
	}
	if names == nil {
		return
	}
	for i := range accounts {
		if accounts[i].Identity == nil {
			accounts[i].Identity = &Owner{}
		}
		accounts[i].Identity.Names = names
	}
}

func (r *reader) mfa(o obj) *MFA {
	r.require(o, "type")
	m := &MFA{Type: r.oneOf(o, "type", []string{"device", "questions", "selections"})}
	switch m.Type {
	case "questions":
		r.require(o, "question_rounds", "questions_per_round")
		m.QuestionRounds = r.integer(o, "question_rounds", 1, 9, 0)
		m.QuestionsPerRound = r.integer(o, "questions_per_round", 1, 9, 0)
	case "selections":
		m.SelectionRounds = r.integer(o, "selection_rounds", 1, 9, 1)
		m.QuestionsPerRound = r.integer(o, "questions_per_round", 1, 9, 2)
		m.SelectionsPerQuestion = r.integer(o, "selections_per_question", 2, 9, 2)
	}
	return m
}

// The patterns of account fields, as functions rather than regular
// expressions: package regexp and its Unicode tables are over 100 KB of
// the Cloudflare Worker's compressed size.
var (
	// maskPattern: empty, or 2 to 4 letters and digits.
	maskPattern = func(s string) bool { return s == "" || run(s, 2, 4, isAlnum) }
	// accountPattern: 4 to 34 letters and digits.
	accountPattern = func(s string) bool { return run(s, 4, 34, isAlnum) }
	// bicPattern: 6 capital letters, then 2 or 5 capitals and digits.
	bicPattern = func(s string) bool {
		return (len(s) == 8 || len(s) == 11) && run(s[:6], 6, 6, isUpper) && run(s[6:], 2, 5, isUpperDigit)
	}
	nineDigits  = digits(9)
	threeDigits = digits(3)
	fiveDigits  = digits(5)
	sixDigits   = digits(6)
)

// digits returns the pattern of exactly n ASCII digits.
func digits(n int) func(string) bool {
	return func(s string) bool { return run(s, n, n, isDigit) }
}

// run reports whether s has min to max bytes, each in class.
func run(s string, min, max int, class func(byte) bool) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !class(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isUpper(c byte) bool      { return 'A' <= c && c <= 'Z' }
func isUpperDigit(c byte) bool { return isUpper(c) || isDigit(c) }
func isAlnum(c byte) bool      { return isUpperDigit(c) || 'a' <= c && c <= 'z' }

// account reads the i-th account, with its defaults: subtype by type,
// name after the subtype, mask 0000, 1111, ... by place (or the last four
// of its account number).
func (r *reader) account(o obj, i int) Account {
	r.require(o, "type")
	a := Account{Type: r.oneOf(o, "type", AccountTypes), Subtype: r.oneOf(o, "subtype", Subtypes),
		StartingBalance: r.num(o, "starting_balance"), ForceAvailableBalance: r.num(o, "force_available_balance"),
		Currency: r.currency(o, "currency")}
	if a.Subtype == "" {
		a.Subtype = defaultSubtypes[a.Type]
	}
	if b := r.boolean(o, "has_null_available_balance"); b != nil {
		a.NullAvailableBalance = *b
	}
	if a.NullAvailableBalance && a.ForceAvailableBalance != nil {
		r.fail(join(o.path, "force_available_balance"), "cannot be set together with has_null_available_balance")
	}
	if n, ok := r.object(o, "numbers"); ok {
		a.Numbers = r.numbers(n)
	}
	if m, ok := r.object(o, "meta"); ok {
		a.Meta = Meta{Name: r.text(m, "name"), OfficialName: r.str(m, "official_name"), Limit: r.num(m, "limit"),
			Mask: r.matches(m, "mask", maskPattern, "empty or 2 to 4 letters and digits")}
	}
	if a.Meta.Name == "" && a.Subtype != "" {
		a.Meta.Name = "Plaid " + strings.ToUpper(a.Subtype[:1]) + a.Subtype[1:]
	}
	if a.Meta.Mask == "" && !o.hasPath("meta", "mask") {
		a.Meta.Mask = strings.Repeat(strconv.Itoa(i%10), 4)
		if n := a.Numbers.Account; len(n) >= 4 {
			a.Meta.Mask = n[len(n)-4:]
		}
	}
	if ts := r.objects(o, "transactions", false); ts != nil {
		a.Transactions = []Transaction{}
		for _, t := range ts {
			a.Transactions = append(a.Transactions, r.transaction(t))
		}
	}
	invest := a.Type == "investment"
	if hs := r.objects(o, "holdings", true); hs != nil {
		if !invest {
			r.fail(join(o.path, "holdings"), "are only for investment accounts, not %s ones", a.Type)
		}
		a.Holdings = []Holding{}
		for _, h := range hs {
			a.Holdings = append(a.Holdings, r.holding(h))
		}
	}
	if ts := r.objects(o, "investment_transactions", true); ts != nil {
		if !invest {
			r.fail(join(o.path, "investment_transactions"), "are only for investment accounts, not %s ones", a.Type)
		}
		a.InvestmentTransactions = []InvestmentTransaction{}
		for _, t := range ts {
			a.InvestmentTransactions = append(a.InvestmentTransactions, r.investmentTransaction(t))
		}
	}
	if id, ok := r.object(o, "identity"); ok {
		a.Identity = r.owner(id)
	}
	if l, ok := r.setObject(o, "liability"); ok {
		a.Liability = r.liability(l, a.Type)
	}
	if m, ok := r.setObject(o, "inflow_model"); ok {
		a.InflowModel = r.inflow(m, a.Type)
	}
	return a
}

// hasPath reports whether o gives the field at the keys' path, even as
// an empty string.
func (o obj) hasPath(keys ...string) bool {
	m := o.m
	for i, k := range keys {
		v, ok := m[k]
		if !ok || v == nil {
			return false
		}
		if i == len(keys)-1 {
			return true
		}
		if m, ok = v.(map[string]any); !ok {
			return false
		}
	}
	return false
}

func (r *reader) numbers(o obj) Numbers {
	n := Numbers{
		Account:        r.matches(o, "account", accountPattern, "4 to 34 letters and digits"),
		ACHRouting:     r.matches(o, "ach_routing", nineDigits, "a 9-digit ACH routing number"),
		ACHWireRouting: r.matches(o, "ach_wire_routing", nineDigits, "a 9-digit wire routing number"),
		EFTInstitution: r.matches(o, "eft_institution", threeDigits, "a 3-digit EFT institution number"),
		EFTBranch:      r.matches(o, "eft_branch", fiveDigits, "a 5-digit EFT branch number"),
		IBAN:           r.str(o, "international_iban"),
		BIC:            r.matches(o, "international_bic", bicPattern, "a BIC of 8 or 11 letters and digits"),
		BACSSortCode:   r.matches(o, "bacs_sort_code", sixDigits, "a 6-digit sort code"),
	}
	for _, f := range []struct {
		key, value string
	}{{"ach_routing", n.ACHRouting}, {"ach_wire_routing", n.ACHWireRouting}} {
		if f.value != "" && !routingChecksum(f.value) {
			r.fail(join(o.path, f.key), "is not a valid routing number: its check digit is wrong")
		}
	}
	if n.IBAN != "" && !validIBAN(n.IBAN) {
		r.fail(join(o.path, "international_iban"), "is not a valid IBAN: %q fails the mod-97 check", n.IBAN)
	}
	for _, pair := range [][2]string{{"eft_institution", "eft_branch"}, {"international_iban", "international_bic"}} {
		if o.has(pair[0]) != o.has(pair[1]) {
			given, missing := pair[0], pair[1]
			if o.has(missing) {
				given, missing = missing, given
			}
			r.fail(join(o.path, missing), "is missing: it must be given alongside %s", given)
		}
	}
	if n.ACHWireRouting != "" && n.ACHRouting == "" {
		r.fail(join(o.path, "ach_routing"), "is missing: it must be given alongside ach_wire_routing")
	}
	return n
}

// routingChecksum reports whether a 9-digit ABA routing number's check
// digit is right.
func routingChecksum(s string) bool {
	w := []int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i, c := range s {
		sum += int(c-'0') * w[i]
	}
	return sum%10 == 0
}

// validIBAN reports whether s is an IBAN whose check digits pass the
// mod-97 check.
func validIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	rearranged := s[4:] + s[:4]
	rem := 0
	for _, c := range rearranged {
		switch {
		case c >= '0' && c <= '9':
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return rem == 1
}

func (r *reader) transaction(o obj) Transaction {
	r.require(o, "date_transacted", "date_posted", "amount", "description")
	t := Transaction{DateTransacted: r.date(o, "date_transacted"), DatePosted: r.date(o, "date_posted"),
		Amount: r.number(o, "amount"), Description: r.text(o, "description"), Currency: r.currency(o, "currency")}
	if t.Currency == "" {
		t.Currency = r.currency(o, "iso_currency_code")
	}
	return t
}

func (r *reader) security(o obj) Security {
	r.require(o, "currency")
	s := Security{ISIN: r.str(o, "isin"), CUSIP: r.str(o, "cusip"), Name: r.str(o, "name"),
		TickerSymbol: r.str(o, "ticker_symbol"), Currency: r.currency(o, "currency")}
	if s.ISIN == "" && s.CUSIP == "" && s.TickerSymbol == "" {
		r.fail(join(o.path, "ticker_symbol"), "is missing: a security needs a ticker_symbol, a cusip or an isin")
	}
	return s
}

func (r *reader) holding(o obj) Holding {
	r.require(o, "institution_price", "quantity", "currency", "security")
	h := Holding{InstitutionPrice: r.number(o, "institution_price"), InstitutionPriceAsOf: r.date(o, "institution_price_as_of"),
		CostBasis: r.num(o, "cost_basis"), Quantity: r.number(o, "quantity"), Currency: r.currency(o, "currency")}
	if s, ok := r.object(o, "security"); ok {
		h.Security = r.security(s)
	}
	return h
}

// InvestmentTypes are the types of a configured investment transaction.
var InvestmentTypes = []string{"buy", "sell", "cash", "fee", "transfer"}

func (r *reader) investmentTransaction(o obj) InvestmentTransaction {
	r.require(o, "date", "name", "quantity", "price", "type", "currency")
	t := InvestmentTransaction{Date: r.date(o, "date"), Name: r.text(o, "name"), Quantity: r.number(o, "quantity"),
		Price: r.number(o, "price"), Fees: r.number(o, "fees"), Type: r.oneOf(o, "type", InvestmentTypes),
		Currency: r.currency(o, "currency")}
	switch {
	case t.Type == "buy" && t.Quantity < 0:
		r.fail(join(o.path, "quantity"), "must be positive for a buy")
	case t.Type == "sell" && t.Quantity > 0:
		r.fail(join(o.path, "quantity"), "must be negative for a sell")
	}
	if s, ok := r.object(o, "security"); ok {
		sec := r.security(s)
		t.Security = &sec
	}
	return t
}

func (r *reader) owner(o obj) *Owner {
	w := &Owner{Names: r.strings(o, "names")}
	for _, f := range []struct {
		key   string
		types []string
		to    *[]Contact
	}{
		{"phone_numbers", []string{"home", "work", "office", "mobile", "mobile1", "other"}, &w.PhoneNumbers},
		{"emails", []string{"primary", "secondary", "other"}, &w.Emails},
	} {
		for _, c := range r.objects(o, f.key, false) {
			r.require(c, "data", "primary", "type")
			p := r.boolean(c, "primary")
			*f.to = append(*f.to, Contact{Data: r.text(c, "data"), Primary: p != nil && *p, Type: r.oneOf(c, "type", f.types)})
		}
	}
	for _, a := range r.objects(o, "addresses", false) {
		r.require(a, "data")
		p := r.boolean(a, "primary")
		addr := Address{Primary: p != nil && *p}
		if d, ok := r.object(a, "data"); ok {
			addr.Data = r.address(d)
		}
		w.Addresses = append(w.Addresses, addr)
	}
	return w
}

func (r *reader) address(o obj) AddressData {
	r.require(o, "street")
	return AddressData{Street: r.text(o, "street"), City: r.str(o, "city"), Region: r.str(o, "region"),
		PostalCode: r.str(o, "postal_code"), Country: r.str(o, "country")}
}
