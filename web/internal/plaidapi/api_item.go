package plaidapi

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/web/internal/httpapi"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// Routes are the Plaid API endpoints the emulator implements.
func (s *API) Routes() []httpapi.Route {
	routes := []httpapi.Route{
		{Method: "POST", Path: "/user/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.userCreate), Doc: "makes a user for Multi-Item Link (`user_token`, `user_id`); the same `client_user_id` gives the same user"},
		{Method: "POST", Path: "/link/token/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.linkTokenCreate), Doc: "makes a link token for a `user` or a `user_id` of `/user/create`: products, countries, language, webhook, account filters, update mode (`access_token`), `redirect_uri`, Multi-Item Link, Payment Initiation"},
		{Method: "POST", Path: "/link/token/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.linkTokenGet), Doc: "a link token's configuration and its sessions, with events, exit and `results.item_add_results`"},
		{Method: "POST", Path: "/item/public_token/exchange", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.publicTokenExchange), Doc: "exchanges a public token, once, for the Item's access token"},
		{Method: "POST", Path: "/item/public_token/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.publicTokenCreate), Doc: "a public token for an existing Item (legacy update mode)"},
		{Method: "POST", Path: "/item/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(httpapi.NoClock(s.Auth), s.itemGet), Doc: "the Item: institution, products (billed, available, consented), webhook, error, consent expiry"},
		{Method: "POST", Path: "/item/remove", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.itemRemove), Doc: "removes the Item; its access token stops working"},
		{Method: "POST", Path: "/item/webhook/update", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.itemWebhookUpdate), Doc: "changes the Item's webhook and sends ITEM WEBHOOK_UPDATE_ACKNOWLEDGED to the new one"},
		{Method: "POST", Path: "/accounts/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.accountsGet), Doc: "the Item's accounts with balances"},
		{Method: "POST", Path: "/auth/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.authGet), Doc: "account numbers in the schemes of the bank's country (Auth): ACH in the US, EFT in Canada, BACS and IBAN in the UK, IBAN in the euro countries; balances in the country's currency"},
		{Method: "POST", Path: "/identity/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.identityGet), Doc: "account owners' names, emails, phones and addresses (Identity)"},
		{Method: "POST", Path: "/transactions/sync", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.transactionsSync), Doc: "transactions by cursor (Transactions)"},
		{Method: "POST", Path: "/transactions/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.transactionsGet), Doc: "transactions by date range (Transactions)"},
		{Method: "POST", Path: "/liabilities/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.liabilitiesGet), Doc: "credit card, student loan and mortgage details (Liabilities)"},
		{Method: "POST", Path: "/investments/holdings/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.investmentsHoldingsGet), Doc: "holdings and securities (Investments)"},
		{Method: "POST", Path: "/investments/transactions/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.investmentsTransactionsGet), Doc: "investment transactions (Investments)"},
		{Method: "POST", Path: "/sandbox/public_token/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.sandboxPublicTokenCreate), Doc: "makes an Item without Link and returns its public token"},
		{Method: "POST", Path: "/sandbox/item/reset_login", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.sandboxItemResetLogin), Doc: "puts the Item in ITEM_LOGIN_REQUIRED (and sends ITEM ERROR; PENDING_EXPIRATION at European OAuth banks)"},
		{Method: "POST", Path: "/sandbox/item/fire_webhook", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.sandboxItemFireWebhook), Doc: "sends the webhook asked for (`webhook_code`, optional `webhook_type`)"},
		{Method: "POST", Path: "/webhook_verification_key/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.webhookVerificationKeyGet), Doc: "the JWK that verifies the Plaid-Verification JWT of a webhook"},
	}
	routes = append(routes, s.balanceRoutes()...)
	routes = append(routes, s.itemLifeRoutes()...)
	routes = append(routes, s.paymentRoutes()...)
	return routes
}

// accessTokenRequest is the body of the endpoints that take only an
// access token.
type accessTokenRequest = httpapi.AccessTokenRequest

// publicTokenExchangeRequest is /item/public_token/exchange's body.
type publicTokenExchangeRequest struct {
	httpapi.Credentials
	PublicToken string `json:"public_token"`
}

type publicTokenExchangeResponse struct {
	AccessToken string `json:"access_token"`
	ItemID      string `json:"item_id"`
	RequestID   string `json:"request_id"`
}

func (s *API) publicTokenExchange(ctx context.Context, c *httpapi.Call, req *publicTokenExchangeRequest) (publicTokenExchangeResponse, *plaid.Error) {
	itemID, accessToken, e := s.Svc.ExchangePublicToken(ctx, c.Tenant, req.PublicToken)
	if e != nil {
		return publicTokenExchangeResponse{}, e
	}
	return publicTokenExchangeResponse{AccessToken: accessToken, ItemID: itemID, RequestID: c.RequestID}, nil
}

type publicTokenCreateResponse struct {
	PublicToken string `json:"public_token"`
	Expiration  string `json:"expiration"`
	RequestID   string `json:"request_id"`
}

func (s *API) publicTokenCreate(ctx context.Context, c *httpapi.Call, req *accessTokenRequest) (publicTokenCreateResponse, *plaid.Error) {
	pt, e := s.Svc.CreatePublicToken(ctx, c.Tenant, req.AccessToken)
	if e != nil {
		return publicTokenCreateResponse{}, e
	}
	return publicTokenCreateResponse{PublicToken: pt.Token, Expiration: plaid.Time(pt.ExpiresAt), RequestID: c.RequestID}, nil
}

// itemJSON is an Item as the API shows it.
type itemJSON struct {
	ItemID                string          `json:"item_id"`
	InstitutionID         *string         `json:"institution_id"`
	Webhook               *string         `json:"webhook"`
	Error                 json.RawMessage `json:"error"`
	AvailableProducts     []string        `json:"available_products"`
	BilledProducts        []string        `json:"billed_products"`
	Products              []string        `json:"products"`
	ConsentedProducts     []string        `json:"consented_products"`
	ConsentExpirationTime *string         `json:"consent_expiration_time"`
	UpdateType            string          `json:"update_type"`
}

// itemOut is an Item as the API shows it: products added, those billed
// (a subset: optional Auth, Identity and Signal and per-request products
// are added unbilled), those consented, and as available the products of
// the institution not billed yet (mutually exclusive with billed, as
// Plaid's docs say).
func itemOut(it store.Item) itemJSON {
	out := itemJSON{
		ItemID: it.ID, InstitutionID: httpapi.OptString(it.InstitutionID), Webhook: httpapi.OptString(it.Webhook), Error: httpapi.RawOrNull(it.Error),
		AvailableProducts: []string{}, BilledProducts: httpapi.NonNil(slices.Clone(it.BilledProducts)), Products: httpapi.NonNil(slices.Clone(it.Products)),
		ConsentedProducts: httpapi.NonNil(slices.Clone(it.ConsentedProducts)), UpdateType: "background",
	}
	if at, ok := service.ConsentExpiration(it); ok {
		out.ConsentExpirationTime = httpapi.OptString(plaid.Time(at))
	}
	if in, ok := institutionByID(it.InstitutionID); ok {
		for _, p := range in.Products {
			if !slices.Contains(it.BilledProducts, p) {
				out.AvailableProducts = append(out.AvailableProducts, p)
			}
		}
	}
	return out
}

type itemGetResponse struct {
	Item      itemJSON    `json:"item"`
	Status    *itemStatus `json:"status"`
	RequestID string      `json:"request_id"`
}

type itemStatus struct {
	Investments  *json.RawMessage    `json:"investments"`
	Transactions *transactionsStatus `json:"transactions"`
	LastWebhook  *lastWebhook        `json:"last_webhook"`
}

type transactionsStatus struct {
	LastSuccessfulUpdate *string `json:"last_successful_update"`
	LastFailedUpdate     *string `json:"last_failed_update"`
}

type lastWebhook struct {
	SentAt   *string `json:"sent_at"`
	CodeSent *string `json:"code_sent"`
}

func (s *API) itemGet(ctx context.Context, c *httpapi.Call, req *accessTokenRequest) (itemGetResponse, *plaid.Error) {
	it, h, ok, e := s.Svc.ItemStatus(ctx, c.Tenant, req.AccessToken)
	if e != nil {
		return itemGetResponse{}, e
	}
	status := &itemStatus{}
	if slices.Contains(it.Products, "transactions") {
		status.Transactions = &transactionsStatus{LastSuccessfulUpdate: plaid.OptTime(it.CreatedAt)}
	}
	if ok {
		status.LastWebhook = &lastWebhook{SentAt: plaid.OptTime(h.DeliveredAt), CodeSent: httpapi.OptString(h.Code)}
	}
	return itemGetResponse{Item: itemOut(it), Status: status, RequestID: c.RequestID}, nil
}

func (s *API) itemRemove(ctx context.Context, c *httpapi.Call, req *accessTokenRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := s.Svc.RemoveItem(ctx, c.Tenant, req.AccessToken); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

// itemWebhookUpdateRequest is /item/webhook/update's body.
type itemWebhookUpdateRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	Webhook     string `json:"webhook"`
}

type itemResponse struct {
	Item      itemJSON `json:"item"`
	RequestID string   `json:"request_id"`
}

// itemWebhookUpdate changes the Item's webhook and, in the same
// transaction, queues ITEM WEBHOOK_UPDATE_ACKNOWLEDGED to the new URL.
func (s *API) itemWebhookUpdate(ctx context.Context, c *httpapi.Call, req *itemWebhookUpdateRequest) (itemResponse, *plaid.Error) {
	if _, e := s.Svc.ItemByAccessToken(ctx, c.Tenant, req.AccessToken); e != nil {
		return itemResponse{}, e
	}
	if e := httpapi.CheckURL("webhook", req.Webhook); e != nil {
		return itemResponse{}, e
	}
	it, e := s.Svc.SetItemWebhook(ctx, c.Tenant, req.AccessToken, req.Webhook)
	if e != nil {
		return itemResponse{}, e
	}
	return itemResponse{Item: itemOut(it), RequestID: c.RequestID}, nil
}

// accountsGetRequest is /accounts/get's body.
type accountsGetRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	Options     *struct {
		AccountIDs []string `json:"account_ids"`
	} `json:"options"`
}

type accountsGetResponse struct {
	Accounts  []accountJSON `json:"accounts"`
	Item      itemJSON      `json:"item"`
	RequestID string        `json:"request_id"`
}

// accountJSON is an account as the API shows it.
type accountJSON struct {
	AccountID    string   `json:"account_id"`
	Balances     balances `json:"balances"`
	Mask         *string  `json:"mask"`
	Name         string   `json:"name"`
	OfficialName *string  `json:"official_name"`
	Type         string   `json:"type"`
	Subtype      *string  `json:"subtype"`
}

type balances struct {
	Available              *float64 `json:"available"`
	Current                *float64 `json:"current"`
	Limit                  *float64 `json:"limit"`
	IsoCurrencyCode        *string  `json:"iso_currency_code"`
	UnofficialCurrencyCode *string  `json:"unofficial_currency_code"`
}

// accountOut is an account as the API shows it, its balances in currency
// (the Item's) unless a custom user configured another.
func accountOut(a store.Account, currency string) accountJSON {
	b := service.AccountBalances(a, currency)
	return accountJSON{
		AccountID: a.ID, Mask: httpapi.OptString(a.Mask), Name: a.Name, OfficialName: httpapi.OptString(b.OfficialName), Type: a.Type, Subtype: httpapi.OptString(a.Subtype),
		Balances: balances{Available: b.Available, Current: b.Current, Limit: b.Limit, IsoCurrencyCode: &b.Currency},
	}
}

func (s *API) accountsGet(ctx context.Context, c *httpapi.Call, req *accountsGetRequest) (accountsGetResponse, *plaid.Error) {
	it, e := s.Svc.ItemByAccessToken(ctx, c.Tenant, req.AccessToken)
	if e != nil {
		return accountsGetResponse{}, e
	}
	if e := plaid.ItemError(it.Error); e != nil {
		return accountsGetResponse{}, e
	}
	resp := accountsGetResponse{Accounts: []accountJSON{}, Item: itemOut(it), RequestID: c.RequestID}
	var want []string
	if req.Options != nil {
		want = req.Options.AccountIDs
	}
	for _, id := range want {
		if !slices.ContainsFunc(it.Accounts, func(a store.Account) bool { return a.ID == id }) {
			return accountsGetResponse{}, plaid.InvalidAccountID(id)
		}
	}
	for _, a := range it.Accounts {
		if len(want) == 0 || slices.Contains(want, a.ID) {
			resp.Accounts = append(resp.Accounts, accountOut(a, service.Currency(it)))
		}
	}
	return resp, nil
}

// institutionByID returns a sandbox institution.
func institutionByID(id string) (sandbox.Institution, bool) { return sandbox.InstitutionByID(id) }
