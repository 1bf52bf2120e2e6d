package sandboxdata

// ACATSNumbers are what a US brokerage transfer (ACATS) needs of an
// investment account: its number and the clearing firms (DTC numbers)
// that hold it, most relevant first
// (https://plaid.com/docs/api/products/investments-move/#investments-auth-get-response-numbers-acats).
type ACATSNumbers struct {
	AccountID  string
	Account    string
	DTCNumbers []string
}

// ATONNumbers are what a Canadian transfer (ATON) needs of an investment
// account: its number.
type ATONNumbers struct {
	AccountID string
	Account   string
}

// Retirement401kNumbers are the employer's plan and the account numbers
// of a 401k account.
type Retirement401kNumbers struct {
	AccountID string
	Plan      string
	Account   string
}

// InvestmentNumbers are the transfer numbers of an Item's investment
// accounts (/investments/auth/get).
type InvestmentNumbers struct {
	ACATS          []ACATSNumbers
	ATON           []ATONNumbers
	Retirement401k []Retirement401kNumbers
}

// dtcNumbers are the clearing firms of the sandbox's brokerage accounts,
// the emulator's own.
var dtcNumbers = []string{"0158", "0226"}

// InvestmentAuthNumbers are the numbers of the investment accounts among
// accounts, in their order, at an institution in country (ISO 3166-1
// alpha-2): ACATS numbers in the US, ATON numbers in Canada, and for a
// 401k also its plan. Like the sandbox's Auth numbers they are made from
// the mask: account 888877776666 for the account with mask 6666, plan
// 4016666 for a 401k with that mask. None of the lists is nil.
func InvestmentAuthNumbers(country string, accounts []ItemAccount) InvestmentNumbers {
	out := InvestmentNumbers{ACATS: []ACATSNumbers{}, ATON: []ATONNumbers{}, Retirement401k: []Retirement401kNumbers{}}
	for _, a := range accounts {
		if !a.IsInvestment() {
			continue
		}
		account := "88887777" + a.Mask
		if country == "CA" {
			out.ATON = append(out.ATON, ATONNumbers{AccountID: a.ID, Account: account})
		} else {
			out.ACATS = append(out.ACATS, ACATSNumbers{AccountID: a.ID, Account: account, DTCNumbers: append([]string(nil), dtcNumbers...)})
		}
		if a.Subtype == "401k" {
			out.Retirement401k = append(out.Retirement401k, Retirement401kNumbers{AccountID: a.ID, Plan: "401" + a.Mask, Account: account})
		}
	}
	return out
}
