package sandboxdata

// ACHNumbers are the US account and routing numbers of an account
// (https://plaid.com/docs/api/products/auth/#auth-get-response-numbers-ach).
type ACHNumbers struct {
	AccountID   string
	Account     string
	Routing     string
	WireRouting string
}

// AuthNumbers are the ACH numbers of the accounts that HasAuthNumbers, in
// their order, as Plaid's sandbox gives them: account 1111222233330000 for
// the account with mask 0000, routing 011401533, wire routing 021000021.
func AuthNumbers(accounts []ItemAccount) []ACHNumbers {
	out := []ACHNumbers{}
	for _, a := range accounts {
		if a.HasAuthNumbers() {
			out = append(out, ACHNumbers{AccountID: a.ID, Account: "111122223333" + a.Mask, Routing: "011401533", WireRouting: "021000021"})
		}
	}
	return out
}
