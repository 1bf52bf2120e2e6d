package web

import (
	"context"
	"slices"

	"github.com/linkharness/linkharness/internal/plaid"

	"github.com/linkharness/linkharness/internal/store"
)

// productRequest is the body of the product endpoints that take an access
// token and options.account_ids.
type productRequest struct {
	credentials
	AccessToken string `json:"access_token"`
	Options     *struct {
		AccountIDs []string `json:"account_ids"`
	} `json:"options"`
}

// accountIDs are the accounts the request narrows to; nil means all.
func (r *productRequest) accountIDs() []string {
	if r.Options == nil {
		return nil
	}
	return r.Options.AccountIDs
}

// pickAccounts are the Item's accounts that want names (all when empty)
// and keep accepts, or INVALID_ACCOUNT_ID for an ID not on the Item.
func pickAccounts(it store.Item, want []string, keep func(store.Account) bool) ([]store.Account, *plaid.Error) {
	for _, id := range want {
		if !slices.ContainsFunc(it.Accounts, func(a store.Account) bool { return a.ID == id }) {
			return nil, plaid.InvalidAccountID(id)
		}
	}
	var out []store.Account
	for _, a := range it.Accounts {
		if (len(want) == 0 || slices.Contains(want, a.ID)) && (keep == nil || keep(a)) {
			out = append(out, a)
		}
	}
	return out, nil
}

func accountsOut(accounts []store.Account) []accountJSON {
	out := []accountJSON{}
	for _, a := range accounts {
		out = append(out, accountOut(a))
	}
	return out
}

type authGetResponse struct {
	Accounts  []accountJSON `json:"accounts"`
	Numbers   authNumbers   `json:"numbers"`
	Item      itemJSON      `json:"item"`
	RequestID string        `json:"request_id"`
}

type authNumbers struct {
	ACH           []achNumbers `json:"ach"`
	EFT           []any        `json:"eft"`
	International []any        `json:"international"`
	BACS          []any        `json:"bacs"`
}

type achNumbers struct {
	AccountID   string  `json:"account_id"`
	Account     string  `json:"account"`
	Routing     string  `json:"routing"`
	WireRouting *string `json:"wire_routing"`
}

func authAccount(a store.Account) bool {
	return a.Type == "depository" && (a.Subtype == "checking" || a.Subtype == "savings")
}

// authGet returns the ACH numbers of the Item's checking and savings
// accounts, as Plaid's sandbox does (account 1111222233330000 for the
// account with mask 0000, routing 011401533).
func (s *Server) authGet(ctx context.Context, c *call, req *productRequest) (authGetResponse, *plaid.Error) {
	it, e := s.svc.UseProduct(ctx, c.tenant(), req.AccessToken, "auth", "/auth/get")
	if e != nil {
		return authGetResponse{}, e
	}
	accounts, e := pickAccounts(it, req.accountIDs(), authAccount)
	if e != nil {
		return authGetResponse{}, e
	}
	wire := "021000021"
	resp := authGetResponse{Accounts: accountsOut(accounts), Item: itemOut(it), RequestID: c.requestID,
		Numbers: authNumbers{ACH: []achNumbers{}, EFT: []any{}, International: []any{}, BACS: []any{}}}
	for _, a := range accounts {
		resp.Numbers.ACH = append(resp.Numbers.ACH, achNumbers{AccountID: a.ID, Account: "111122223333" + a.Mask, Routing: "011401533", WireRouting: &wire})
	}
	return resp, nil
}

type identityGetResponse struct {
	Accounts  []identityAccount `json:"accounts"`
	Item      itemJSON          `json:"item"`
	RequestID string            `json:"request_id"`
}

type identityAccount struct {
	accountJSON
	Owners []owner `json:"owners"`
}

type owner struct {
	Names        []string       `json:"names"`
	PhoneNumbers []contact      `json:"phone_numbers"`
	Emails       []contact      `json:"emails"`
	Addresses    []ownerAddress `json:"addresses"`
}

type contact struct {
	Data    string `json:"data"`
	Primary bool   `json:"primary"`
	Type    string `json:"type"`
}

type ownerAddress struct {
	Data    map[string]*string `json:"data"`
	Primary bool               `json:"primary"`
}

func address(street, city, region, postal string) map[string]*string {
	return map[string]*string{"street": &street, "city": &city, "region": &region, "postal_code": &postal, "country": optString("US")}
}

// sandboxOwner is the account holder of every sandbox account, as
// Plaid's sandbox shows them.
var sandboxOwner = owner{
	Names: []string{"Alberta Bobbeth Charleson"},
	PhoneNumbers: []contact{{"+1 111-555-3333", false, "home"}, {"+1 111-555-4444", false, "work"},
		{"+1 111-555-5555", true, "mobile"}},
	Emails: []contact{{"accountholder0@example.com", true, "primary"}, {"accountholder1@example.com", false, "secondary"}},
	Addresses: []ownerAddress{{address("2992 Cameron Road", "Malakoff", "NY", "14236"), true},
		{address("2493 Leisure Lane", "San Matias", "CA", "93405-2255"), false}},
}

// identityGet returns the owners of the Item's accounts.
func (s *Server) identityGet(ctx context.Context, c *call, req *productRequest) (identityGetResponse, *plaid.Error) {
	it, e := s.svc.UseProduct(ctx, c.tenant(), req.AccessToken, "identity", "/identity/get")
	if e != nil {
		return identityGetResponse{}, e
	}
	accounts, e := pickAccounts(it, req.accountIDs(), nil)
	if e != nil {
		return identityGetResponse{}, e
	}
	resp := identityGetResponse{Accounts: []identityAccount{}, Item: itemOut(it), RequestID: c.requestID}
	for _, a := range accounts {
		resp.Accounts = append(resp.Accounts, identityAccount{accountJSON: accountOut(a), Owners: []owner{sandboxOwner}})
	}
	return resp, nil
}
