package plaidapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// productRequest is the body of the product endpoints that take an access
// token and options.account_ids.
type productRequest struct {
	httpapi.Credentials
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

func accountsOut(it store.Item, accounts []store.Account) []accountJSON {
	out := []accountJSON{}
	currency := service.Currency(it)
	for _, a := range accounts {
		out = append(out, accountOut(a, currency))
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
	ACH           []achNumbers           `json:"ach"`
	EFT           []eftNumbers           `json:"eft"`
	International []internationalNumbers `json:"international"`
	BACS          []bacsNumbers          `json:"bacs"`
}

type eftNumbers struct {
	AccountID   string `json:"account_id"`
	Account     string `json:"account"`
	Institution string `json:"institution"`
	Branch      string `json:"branch"`
}

type internationalNumbers struct {
	AccountID string `json:"account_id"`
	IBAN      string `json:"iban"`
	BIC       string `json:"bic"`
}

type bacsNumbers struct {
	AccountID string `json:"account_id"`
	Account   string `json:"account"`
	SortCode  string `json:"sort_code"`
}

type achNumbers struct {
	AccountID   string  `json:"account_id"`
	Account     string  `json:"account"`
	Routing     string  `json:"routing"`
	WireRouting *string `json:"wire_routing"`
}

// authGet returns the ACH numbers of the Item's checking and savings
// accounts.
func (s *API) authGet(ctx context.Context, c *httpapi.Call, req *productRequest) (authGetResponse, *plaid.Error) {
	d, e := s.Svc.Auth(ctx, c.Tenant, req.AccessToken, req.accountIDs())
	if e != nil {
		return authGetResponse{}, e
	}
	return authGetResponse{Accounts: accountsOut(d.Item, d.Accounts), Item: itemOut(d.Item), RequestID: c.RequestID,
		Numbers: numbersOut(d.Numbers)}, nil
}

// numbersOut shows account numbers by scheme; the lists are never null.
func numbersOut(in sandboxdata.Numbers) authNumbers {
	out := authNumbers{ACH: []achNumbers{}, EFT: []eftNumbers{}, International: []internationalNumbers{}, BACS: []bacsNumbers{}}
	for _, n := range in.ACH {
		out.ACH = append(out.ACH, achNumbers{AccountID: n.AccountID, Account: n.Account, Routing: n.Routing, WireRouting: httpapi.OptString(n.WireRouting)})
	}
	for _, n := range in.EFT {
		out.EFT = append(out.EFT, eftNumbers{AccountID: n.AccountID, Account: n.Account, Institution: n.Institution, Branch: n.Branch})
	}
	for _, n := range in.BACS {
		out.BACS = append(out.BACS, bacsNumbers{AccountID: n.AccountID, Account: n.Account, SortCode: n.SortCode})
	}
	for _, n := range in.International {
		out.International = append(out.International, internationalNumbers{AccountID: n.AccountID, IBAN: n.IBAN, BIC: n.BIC})
	}
	return out
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
	Data    addressJSON `json:"data"`
	Primary bool        `json:"primary"`
}

// addressJSON is a postal address as the API shows it.
type addressJSON struct {
	City       *string `json:"city"`
	Country    *string `json:"country"`
	PostalCode *string `json:"postal_code"`
	Region     *string `json:"region"`
	Street     *string `json:"street"`
}

func addressOut(a sandboxdata.Address) addressJSON {
	return addressJSON{City: &a.City, Country: httpapi.OptString(a.Country), PostalCode: &a.PostalCode, Region: &a.Region, Street: &a.Street}
}

func contactsOut(cs []sandboxdata.Contact) []contact {
	out := []contact{}
	for _, c := range cs {
		out = append(out, contact{Data: c.Data, Primary: c.Primary, Type: c.Type})
	}
	return out
}

func ownerOut(o sandboxdata.Owner) owner {
	out := owner{Names: httpapi.NonNil(o.Names), PhoneNumbers: contactsOut(o.PhoneNumbers), Emails: contactsOut(o.Emails), Addresses: []ownerAddress{}}
	for _, a := range o.Addresses {
		out.Addresses = append(out.Addresses, ownerAddress{Data: addressOut(a.Address), Primary: a.Primary})
	}
	return out
}

// identityGet returns the owners of the Item's accounts.
func (s *API) identityGet(ctx context.Context, c *httpapi.Call, req *productRequest) (identityGetResponse, *plaid.Error) {
	d, e := s.Svc.Identity(ctx, c.Tenant, req.AccessToken, req.accountIDs())
	if e != nil {
		return identityGetResponse{}, e
	}
	resp := identityGetResponse{Accounts: []identityAccount{}, Item: itemOut(d.Item), RequestID: c.RequestID}
	for _, a := range d.Accounts {
		resp.Accounts = append(resp.Accounts, identityAccountOut(a.Account, a.Owners, service.Currency(d.Item)))
	}
	return resp, nil
}

// identityAccountOut is an account with its owners, its balances in
// currency.
func identityAccountOut(a store.Account, owners []sandboxdata.Owner, currency string) identityAccount {
	out := identityAccount{accountJSON: accountOut(a, currency), Owners: []owner{}}
	for _, o := range owners {
		out.Owners = append(out.Owners, ownerOut(o))
	}
	return out
}
