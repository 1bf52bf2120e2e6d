package dataservice

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
)

// InvestmentsAuthEndpoint is the endpoint of Investments Move.
const InvestmentsAuthEndpoint = "/investments/auth/get"

// InvestmentsAuthAccount is an investment account with its owners.
type InvestmentsAuthAccount struct {
	Account store.Account
	Owners  []sandboxdata.Owner
}

// InvestmentsAuthData is what /investments/auth/get returns: the Item's
// investment accounts among those asked for, with their owners, the
// numbers that move them to another broker, their holdings and the
// securities those hold.
type InvestmentsAuthData struct {
	Item       store.Item
	Accounts   []InvestmentsAuthAccount
	Numbers    sandboxdata.InvestmentNumbers
	Holdings   []sandboxdata.Holding
	Securities []sandboxdata.Security
}

// InvestmentsAuth is /investments/auth/get (Investments Move, product
// investments_auth): the transfer numbers (ACATS in the US, ATON in
// Canada, and a 401k's plan), owners and holdings of the Item's
// investment accounts among accountIDs (all when empty). It uses the
// product as the other data endpoints do.
func (s *Service) InvestmentsAuth(ctx context.Context, t service.Tenant, accessToken string, accountIDs []string) (InvestmentsAuthData, *plaid.Error) {
	it, e := s.svc.UseProduct(ctx, t, accessToken, "investments_auth", InvestmentsAuthEndpoint)
	if e != nil {
		return InvestmentsAuthData{}, e
	}
	accounts, e := service.PickAccounts(it, accountIDs, sandboxdata.ItemAccount.IsInvestment)
	if e != nil {
		return InvestmentsAuthData{}, e
	}
	holdings, e := s.svc.ItemHoldings(ctx, it)
	if e != nil {
		return InvestmentsAuthData{}, e
	}
	var picked []sandboxdata.ItemAccount
	for _, a := range service.SandboxItem(it).Accounts {
		if onAccounts(accounts, a.ID) {
			picked = append(picked, a)
		}
	}
	out := InvestmentsAuthData{Item: it, Numbers: sandboxdata.InvestmentAuthNumbers(service.Country(it), picked)}
	for i, a := range accounts {
		out.Accounts = append(out.Accounts, InvestmentsAuthAccount{Account: a, Owners: sandboxdata.Owners(picked[i])})
	}
	var ids []string
	for _, h := range holdings {
		if onAccounts(accounts, h.AccountID) {
			out.Holdings = append(out.Holdings, h)
			ids = append(ids, h.SecurityID)
		}
	}
	out.Securities = sandboxdata.SecuritiesByID(ids)
	return out, nil
}
