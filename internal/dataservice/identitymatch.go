package dataservice

import (
	"context"
	"slices"

	"github.com/linkharness/linkharness/internal/identitymatch"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
)

// IdentityMatchAccount is an account with its match scores.
type IdentityMatchAccount struct {
	Account store.Account
	Scores  identitymatch.Scores
}

// IdentityMatchData is what /identity/match returns.
type IdentityMatchData struct {
	Item     store.Item
	Accounts []IdentityMatchAccount
}

// IdentityMatch is /identity/match: how well u matches the owners of the
// Item's accounts among accountIDs (all when empty). It reads the owners
// /identity/get shows, and uses the Item's identity_match product when
// the Item has it, its identity product otherwise, with their rules.
func (s *Service) IdentityMatch(ctx context.Context, t service.Tenant, accessToken string, accountIDs []string, u identitymatch.User) (IdentityMatchData, *plaid.Error) {
	it, e := s.svc.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return IdentityMatchData{}, e
	}
	name := "identity"
	if slices.Contains(it.Products, "identity_match") {
		name = "identity_match"
	}
	if it, e = s.svc.UseProduct(ctx, t, accessToken, name, "/identity/match"); e != nil {
		return IdentityMatchData{}, e
	}
	accounts, e := service.PickAccounts(it, accountIDs, nil)
	if e != nil {
		return IdentityMatchData{}, e
	}
	out := IdentityMatchData{Item: it}
	for _, a := range accounts {
		var owners []identitymatch.Owner
		for _, o := range sandboxdata.Owners(service.SandboxAccount(a)) {
			owners = append(owners, matchOwner(o))
		}
		out.Accounts = append(out.Accounts, IdentityMatchAccount{Account: a, Scores: identitymatch.Match(u, owners)})
	}
	return out, nil
}

// matchOwner is what an owner has on file, as identitymatch reads it.
func matchOwner(o sandboxdata.Owner) identitymatch.Owner {
	out := identitymatch.Owner{Names: o.Names}
	for _, p := range o.PhoneNumbers {
		out.PhoneNumbers = append(out.PhoneNumbers, p.Data)
	}
	for _, e := range o.Emails {
		out.Emails = append(out.Emails, e.Data)
	}
	for _, a := range o.Addresses {
		out.Addresses = append(out.Addresses, identitymatch.Address(a.Address))
	}
	return out
}
