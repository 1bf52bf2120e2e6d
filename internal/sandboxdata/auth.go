package sandboxdata

import "github.com/linkharness/linkharness/internal/payment"

// ACHNumbers are the US account and routing numbers of an account
// (https://plaid.com/docs/api/products/auth/#auth-get-response-numbers-ach).
type ACHNumbers struct {
	AccountID   string
	Account     string
	Routing     string
	WireRouting string
}

// EFTNumbers are the Canadian account, institution and branch numbers of
// an account.
type EFTNumbers struct {
	AccountID   string
	Account     string
	Institution string
	Branch      string
}

// BACSNumbers are the UK account number and sort code of an account.
type BACSNumbers struct {
	AccountID string
	Account   string
	SortCode  string
}

// InternationalNumbers are the IBAN and BIC of an account.
type InternationalNumbers struct {
	AccountID string
	IBAN      string
	BIC       string
}

// Numbers are the numbers of an Item's accounts in the schemes of its
// institution's country: ACH in the US, EFT in Canada, BACS and an IBAN in
// the UK, an IBAN elsewhere in Europe.
type Numbers struct {
	ACH           []ACHNumbers
	EFT           []EFTNumbers
	BACS          []BACSNumbers
	International []InternationalNumbers
}

// sortCode and bic are the sandbox's UK bank, as Plaid's examples give it.
const (
	sortCode = "601613"
	bic      = "NWBKGB21"
)

// AuthNumbers are the numbers of the accounts that HasAuthNumbers, in
// their order, for an institution in country (ISO 3166-1 alpha-2). In the
// US they are Plaid's sandbox's: account 1111222233330000 for the account
// with mask 0000, routing 011401533, wire routing 021000021. Elsewhere
// they are made the same way from the mask, and every IBAN passes the
// mod-97 check. A custom user's account has the numbers it configures
// (see configuredNumbers).
func AuthNumbers(country string, accounts []ItemAccount) Numbers {
	out := Numbers{ACH: []ACHNumbers{}, EFT: []EFTNumbers{}, BACS: []BACSNumbers{}, International: []InternationalNumbers{}}
	for _, a := range accounts {
		switch {
		case !a.HasAuthNumbers():
		case a.Custom != nil:
			configuredNumbers(&out, country, a)
		default:
			ownNumbers(&out, country, a)
		}
	}
	return out
}

// ownNumbers adds a sandbox account's numbers to out, in the scheme of
// the institution's country.
func ownNumbers(out *Numbers, country string, a ItemAccount) {
	switch {
	case country == "CA":
		out.EFT = append(out.EFT, EFTNumbers{AccountID: a.ID, Account: "11112222" + a.Mask, Institution: "021", Branch: "01140"})
	case country == "GB":
		account := "3192" + a.Mask
		out.BACS = append(out.BACS, BACSNumbers{AccountID: a.ID, Account: account, SortCode: sortCode})
		out.International = append(out.International, InternationalNumbers{AccountID: a.ID, IBAN: payment.IBAN("GB", "NWBK"+sortCode+account), BIC: bic})
	case Currency(country) == "EUR":
		out.International = append(out.International, InternationalNumbers{AccountID: a.ID, IBAN: payment.IBAN(country, "PLAD0000000000"+a.Mask), BIC: "PLADXXXX"})
	default:
		out.ACH = append(out.ACH, ACHNumbers{AccountID: a.ID, Account: "111122223333" + a.Mask, Routing: "011401533", WireRouting: "021000021"})
	}
}

// euro are the sandbox's countries that pay in euros.
var euro = []string{"IE", "FR", "ES", "NL", "DE", "IT", "EE", "LT", "LV", "PT", "BE", "AT", "FI"}

// Currency is the ISO 4217 currency of the sandbox's accounts in country.
func Currency(country string) string {
	switch country {
	case "GB":
		return "GBP"
	case "CA":
		return "CAD"
	}
	for _, c := range euro {
		if c == country {
			return "EUR"
		}
	}
	return "USD"
}
