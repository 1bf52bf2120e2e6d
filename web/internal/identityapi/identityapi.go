// Package identityapi is the HTTP side of Identity Match, which package
// dataservice serves: /identity/match.
package identityapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/identitymatch"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/web/internal/httpapi"
	"github.com/linkharness/linkharness/web/internal/plaidapi"
)

// API is the endpoint's handler.
type API struct{ httpapi.Deps }

// New returns the handler over d.
func New(d httpapi.Deps) *API { return &API{d} }

// Routes are the endpoints, in the route table's order.
func (s *API) Routes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: "/identity/match", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.identityMatch), Doc: "scores from 0 to 100 of how well the app's user (legal name, phone, email, address) matches each account's owners (Identity Match)"},
	}
}

// identityMatchRequest is the body of /identity/match.
type identityMatchRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	Options     *struct {
		AccountIDs []string `json:"account_ids"`
	} `json:"options"`
	User *struct {
		LegalName    *string `json:"legal_name"`
		PhoneNumber  *string `json:"phone_number"`
		EmailAddress *string `json:"email_address"`
		Address      *struct {
			Street     *string `json:"street"`
			City       *string `json:"city"`
			Region     *string `json:"region"`
			PostalCode *string `json:"postal_code"`
			Country    *string `json:"country"`
		} `json:"address"`
	} `json:"user"`
}

// user is what the request gives of the app's user.
func (r *identityMatchRequest) user() identitymatch.User {
	var u identitymatch.User
	if r.User == nil {
		return u
	}
	u.LegalName, u.PhoneNumber, u.EmailAddress = deref(r.User.LegalName), deref(r.User.PhoneNumber), deref(r.User.EmailAddress)
	if a := r.User.Address; a != nil {
		u.Address = &identitymatch.Address{Street: deref(a.Street), City: deref(a.City), Region: deref(a.Region),
			PostalCode: deref(a.PostalCode), Country: deref(a.Country)}
	}
	return u
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type identityMatchResponse struct {
	Accounts  []identityMatchAccount `json:"accounts"`
	Item      plaidapi.Item          `json:"item"`
	RequestID string                 `json:"request_id"`
}

// identityMatchAccount is an account with its scores, null for a field
// the request did not give or the account does not know.
type identityMatchAccount struct {
	plaidapi.Account
	LegalName    *nameScore    `json:"legal_name"`
	PhoneNumber  *score        `json:"phone_number"`
	EmailAddress *score        `json:"email_address"`
	Address      *addressScore `json:"address"`
}

type score struct {
	Score int `json:"score"`
}

type nameScore struct {
	Score                      int  `json:"score"`
	IsNicknameMatch            bool `json:"is_nickname_match"`
	IsFirstNameOrLastNameMatch bool `json:"is_first_name_or_last_name_match"`
	IsBusinessNameDetected     bool `json:"is_business_name_detected"`
}

type addressScore struct {
	Score             int  `json:"score"`
	IsPostalCodeMatch bool `json:"is_postal_code_match"`
}

func scoreOut(s *int) *score {
	if s == nil {
		return nil
	}
	return &score{Score: *s}
}

// identityMatch scores the request's user against the owners of the
// Item's accounts.
func (s *API) identityMatch(ctx context.Context, c *httpapi.Call, req *identityMatchRequest) (identityMatchResponse, *plaid.Error) {
	var accountIDs []string
	if req.Options != nil {
		accountIDs = req.Options.AccountIDs
	}
	d, e := s.Data.IdentityMatch(ctx, c.Tenant, req.AccessToken, accountIDs, req.user())
	if e != nil {
		return identityMatchResponse{}, e
	}
	resp := identityMatchResponse{Accounts: []identityMatchAccount{}, Item: plaidapi.ItemOut(d.Item), RequestID: c.RequestID}
	for _, a := range d.Accounts {
		out := identityMatchAccount{Account: plaidapi.AccountOut(a.Account, service.Currency(d.Item)),
			PhoneNumber: scoreOut(a.Scores.PhoneNumber), EmailAddress: scoreOut(a.Scores.EmailAddress)}
		if n := a.Scores.LegalName; n != nil {
			out.LegalName = &nameScore{Score: n.Score, IsNicknameMatch: n.Nickname, IsFirstNameOrLastNameMatch: n.FirstOrLastName, IsBusinessNameDetected: n.Business}
		}
		if ad := a.Scores.Address; ad != nil {
			out.Address = &addressScore{Score: ad.Score, IsPostalCodeMatch: ad.PostalCode}
		}
		resp.Accounts = append(resp.Accounts, out)
	}
	return resp, nil
}
