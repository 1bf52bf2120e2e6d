package sandboxdata

// Balances are an account's official name and balances as /accounts/get
// shows them
// (https://plaid.com/docs/api/accounts/#accounts-get-response-accounts-balances);
// a nil balance is null.
type Balances struct {
	OfficialName              string
	Available, Current, Limit *float64
	// Currency is the ISO 4217 code of the balances.
	Currency string
}

// sandboxBalances are what Plaid's sandbox shows of each of its accounts
// (Accounts) beyond their names, by mask: official name and balances.
var sandboxBalances = map[string]Balances{
	"0000": {"Plaid Gold Standard 0% Interest Checking", num(100), num(110), nil, ""},
	"1111": {"Plaid Silver Standard 0.1% Interest Saving", num(200), num(210), nil, ""},
	"2222": {"Plaid Bronze Standard 0.2% Interest CD", nil, num(1000), nil, ""},
	"3333": {"Plaid Diamond 12.5% APR Interest Credit Card", nil, num(410), num(2000), ""},
	"4444": {"Plaid Platinum Standard 1.85% Interest Money Market", num(43200), num(43200), nil, ""},
	"5555": {"", nil, num(320.76), nil, ""},
	"6666": {"", nil, num(23631.9805), nil, ""},
	"7777": {"", nil, num(65262), nil, ""},
	"8888": {"", nil, num(56302.06), nil, ""},
}

func num(f float64) *float64 { return &f }

// AccountBalances are the account's balances in currency, the Item's. A
// sandbox account has Plaid's sandbox figures. A custom user's account
// has what it configured: its starting_balance as its current balance
// (one drawn from 100 to 10,000 when it gives none, the same for the same
// seed), its forced available balance, or null with
// has_null_available_balance, or else the current balance on a
// depository account, the limit less the current balance on a credit
// account with a limit, and null otherwise; its own currency if it gives
// one.
func AccountBalances(a ItemAccount, currency string) Balances {
	c := a.Custom
	if c == nil {
		b := sandboxBalances[a.Mask]
		b.Currency = currency
		return b
	}
	b := Balances{OfficialName: c.Meta.OfficialName, Limit: c.Meta.Limit, Current: c.StartingBalance, Currency: currency}
	if c.Currency != "" {
		b.Currency = c.Currency
	}
	if b.Current == nil {
		b.Current = num(cents(100 + a.random(Item{}, "balance").Float64()*9900))
	}
	switch {
	case c.NullAvailableBalance:
	case c.ForceAvailableBalance != nil:
		b.Available = c.ForceAvailableBalance
	case a.Type == "depository":
		b.Available = b.Current
	case a.Type == "credit" && b.Limit != nil:
		b.Available = num(cents(*b.Limit - *b.Current))
	}
	return b
}

// currencyOf is the currency of the account's data: its configured one,
// else the Item's.
func currencyOf(it Item, a ItemAccount) string {
	if a.Custom != nil && a.Custom.Currency != "" {
		return a.Custom.Currency
	}
	if it.Currency == "" {
		return "USD"
	}
	return it.Currency
}
