package plaidapi

import (
	"context"
	"fmt"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// itemLifeRoutes are the Item endpoints that rotate its token, end it,
// and list what was done with it.
func (s *API) itemLifeRoutes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: "/item/access_token/invalidate", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.itemAccessTokenInvalidate), Doc: "rotates the Item's access token: answers the `new_access_token`, and the old one fails with INVALID_ACCESS_TOKEN from then on"},
		{Method: "POST", Path: "/item/products/terminate", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.itemProductsTerminate), Doc: "ends the Item (`reason_code` required): its access token stops working and its products' billing ends, as the billing ledger shows"},
		{Method: "POST", Path: "/item/activity/list", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.itemActivityList), Doc: "the Item's consent activity: always empty, the sandbox has no Plaid Portal (`count` 1 to 50)"},
		{Method: "POST", Path: "/item/application/list", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.itemApplicationList), Doc: "the applications connected to the Item (or, without `access_token`, to the user): always empty, the sandbox has no Plaid Portal"},
	}
}

type itemAccessTokenInvalidateResponse struct {
	NewAccessToken string `json:"new_access_token"`
	RequestID      string `json:"request_id"`
}

// itemAccessTokenInvalidate gives the Item a new access token.
func (s *API) itemAccessTokenInvalidate(ctx context.Context, c *httpapi.Call, req *accessTokenRequest) (itemAccessTokenInvalidateResponse, *plaid.Error) {
	it, e := s.Svc.InvalidateAccessToken(ctx, c.Tenant, req.AccessToken)
	if e != nil {
		return itemAccessTokenInvalidateResponse{}, e
	}
	return itemAccessTokenInvalidateResponse{NewAccessToken: it.AccessToken, RequestID: c.RequestID}, nil
}

// itemProductsTerminateRequest is /item/products/terminate's body.
type itemProductsTerminateRequest struct {
	httpapi.Credentials
	AccessToken string  `json:"access_token"`
	ReasonCode  string  `json:"reason_code"`
	ReasonNote  *string `json:"reason_note"`
}

// itemProductsTerminate ends the Item and its billing.
func (s *API) itemProductsTerminate(ctx context.Context, c *httpapi.Call, req *itemProductsTerminateRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	note := ""
	if req.ReasonNote != nil {
		note = *req.ReasonNote
	}
	if e := s.Svc.TerminateItem(ctx, c.Tenant, req.AccessToken, req.ReasonCode, note); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

// maxActivityCount is the largest count /item/activity/list takes.
const maxActivityCount = 50

// itemActivityListRequest is /item/activity/list's body.
type itemActivityListRequest struct {
	httpapi.Credentials
	AccessToken string  `json:"access_token"`
	Cursor      *string `json:"cursor"`
	Count       *int    `json:"count"`
}

type itemActivityListResponse struct {
	RequestID           string `json:"request_id"`
	Activities          []any  `json:"activities"`
	LastDataAccessTimes []any  `json:"last_data_access_times"`
}

// itemActivityList lists the Item's consent activity, of which the
// sandbox has none. It takes no cursor, as it never answers one.
func (s *API) itemActivityList(ctx context.Context, c *httpapi.Call, req *itemActivityListRequest) (itemActivityListResponse, *plaid.Error) {
	if req.Count != nil && (*req.Count < 1 || *req.Count > maxActivityCount) {
		return itemActivityListResponse{}, plaid.InvalidField(fmt.Sprintf("count must be between 1 and %d", maxActivityCount))
	}
	if _, e := s.Svc.ItemByAccessToken(ctx, c.Tenant, req.AccessToken); e != nil {
		return itemActivityListResponse{}, e
	}
	if req.Cursor != nil && *req.Cursor != "" {
		return itemActivityListResponse{}, plaid.InvalidField("cursor is not a cursor of this Item's /item/activity/list")
	}
	return itemActivityListResponse{RequestID: c.RequestID, Activities: []any{}, LastDataAccessTimes: []any{}}, nil
}

// itemApplicationListRequest is /item/application/list's body: the
// access token is optional.
type itemApplicationListRequest struct {
	httpapi.Credentials
	AccessToken *string `json:"access_token"`
}

type itemApplicationListResponse struct {
	RequestID    string `json:"request_id"`
	Applications []any  `json:"applications"`
}

// itemApplicationList lists the applications connected to the Item, of
// which the sandbox has no record; an access token, when given, must be
// one of the client's.
func (s *API) itemApplicationList(ctx context.Context, c *httpapi.Call, req *itemApplicationListRequest) (itemApplicationListResponse, *plaid.Error) {
	if req.AccessToken != nil && *req.AccessToken != "" {
		if _, e := s.Svc.ItemByAccessToken(ctx, c.Tenant, *req.AccessToken); e != nil {
			return itemApplicationListResponse{}, e
		}
	}
	return itemApplicationListResponse{RequestID: c.RequestID, Applications: []any{}}, nil
}
