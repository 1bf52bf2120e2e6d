package web

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
)

// plaidRoutes mounts the Plaid API endpoints.
func (s *Server) plaidRoutes() {
	s.mux.Handle("POST /user/create", plaidAPI(s, s.userCreate))
	s.mux.Handle("POST /link/token/create", plaidAPI(s, s.linkTokenCreate))
	s.mux.Handle("POST /link/token/get", plaidAPI(s, s.linkTokenGet))
	s.mux.Handle("POST /item/public_token/exchange", plaidAPI(s, s.publicTokenExchange))
	s.mux.Handle("POST /item/public_token/create", plaidAPI(s, s.publicTokenCreate))
	s.mux.Handle("POST /item/get", plaidAPI(s, s.itemGet))
	s.mux.Handle("POST /item/remove", plaidAPI(s, s.itemRemove))
	s.mux.Handle("POST /item/webhook/update", plaidAPI(s, s.itemWebhookUpdate))
	s.mux.Handle("POST /accounts/get", plaidAPI(s, s.accountsGet))
	s.mux.Handle("POST /auth/get", plaidAPI(s, s.authGet))
	s.mux.Handle("POST /identity/get", plaidAPI(s, s.identityGet))
	s.mux.Handle("POST /transactions/sync", plaidAPI(s, s.transactionsSync))
	s.mux.Handle("POST /transactions/get", plaidAPI(s, s.transactionsGet))
	s.mux.Handle("POST /liabilities/get", plaidAPI(s, s.liabilitiesGet))
	s.mux.Handle("POST /investments/holdings/get", plaidAPI(s, s.investmentsHoldingsGet))
	s.mux.Handle("POST /investments/transactions/get", plaidAPI(s, s.investmentsTransactionsGet))
	s.mux.Handle("POST /institutions/get_by_id", plaidAPI(s, s.institutionsGetByID))
	s.mux.Handle("POST /institutions/search", plaidAPI(s, s.institutionsSearch))
	s.mux.Handle("POST /sandbox/public_token/create", plaidAPI(s, s.sandboxPublicTokenCreate))
	s.mux.Handle("POST /sandbox/item/reset_login", plaidAPI(s, s.sandboxItemResetLogin))
	s.mux.Handle("POST /sandbox/item/fire_webhook", plaidAPI(s, s.sandboxItemFireWebhook))
	s.mux.Handle("POST /webhook_verification_key/get", plaidAPI(s, s.webhookVerificationKeyGet))
	s.paymentRoutes()
}

// accessTokenRequest is the body of the endpoints that take only an
// access token.
type accessTokenRequest struct {
	credentials
	AccessToken string `json:"access_token"`
}

// publicTokenExchangeRequest is /item/public_token/exchange's body.
type publicTokenExchangeRequest struct {
	credentials
	PublicToken string `json:"public_token"`
}

type publicTokenExchangeResponse struct {
	AccessToken string `json:"access_token"`
	ItemID      string `json:"item_id"`
	RequestID   string `json:"request_id"`
}

func (s *Server) publicTokenExchange(ctx context.Context, c *call, req *publicTokenExchangeRequest) (publicTokenExchangeResponse, *plaid.Error) {
	it, e := s.svc.ExchangePublicToken(ctx, c.tenant(), req.PublicToken)
	if e != nil {
		return publicTokenExchangeResponse{}, e
	}
	return publicTokenExchangeResponse{AccessToken: it.AccessToken, ItemID: it.ID, RequestID: c.requestID}, nil
}

type publicTokenCreateResponse struct {
	PublicToken string `json:"public_token"`
	Expiration  string `json:"expiration"`
	RequestID   string `json:"request_id"`
}

func (s *Server) publicTokenCreate(ctx context.Context, c *call, req *accessTokenRequest) (publicTokenCreateResponse, *plaid.Error) {
	pt, e := s.svc.CreatePublicToken(ctx, c.tenant(), req.AccessToken)
	if e != nil {
		return publicTokenCreateResponse{}, e
	}
	return publicTokenCreateResponse{PublicToken: pt.Token, Expiration: plaid.Time(pt.ExpiresAt), RequestID: c.requestID}, nil
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
		ItemID: it.ID, InstitutionID: optString(it.InstitutionID), Webhook: optString(it.Webhook), Error: rawOrNull(it.Error),
		AvailableProducts: []string{}, BilledProducts: nonNil(slices.Clone(it.BilledProducts)), Products: nonNil(slices.Clone(it.Products)),
		ConsentedProducts: nonNil(slices.Clone(it.ConsentedProducts)), UpdateType: "background",
	}
	if at, ok := service.ConsentExpiration(it); ok {
		out.ConsentExpirationTime = optString(at.UTC().Format(time.RFC3339))
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

func (s *Server) itemGet(ctx context.Context, c *call, req *accessTokenRequest) (itemGetResponse, *plaid.Error) {
	it, e := s.svc.ItemByAccessToken(ctx, c.tenant(), req.AccessToken)
	if e != nil {
		return itemGetResponse{}, e
	}
	status := &itemStatus{}
	if slices.Contains(it.Products, "transactions") {
		status.Transactions = &transactionsStatus{LastSuccessfulUpdate: plaid.OptTime(it.CreatedAt)}
	}
	h, ok, e := s.svc.LastWebhook(ctx, c.tenant(), it)
	if e != nil {
		return itemGetResponse{}, e
	}
	if ok {
		status.LastWebhook = &lastWebhook{SentAt: plaid.OptTime(h.DeliveredAt), CodeSent: optString(h.Code)}
	}
	return itemGetResponse{Item: itemOut(it), Status: status, RequestID: c.requestID}, nil
}

type requestIDResponse struct {
	RequestID string `json:"request_id"`
}

func (s *Server) itemRemove(ctx context.Context, c *call, req *accessTokenRequest) (requestIDResponse, *plaid.Error) {
	if e := s.svc.RemoveItem(ctx, c.tenant(), req.AccessToken); e != nil {
		return requestIDResponse{}, e
	}
	return requestIDResponse{RequestID: c.requestID}, nil
}

// itemWebhookUpdateRequest is /item/webhook/update's body.
type itemWebhookUpdateRequest struct {
	credentials
	AccessToken string `json:"access_token"`
	Webhook     string `json:"webhook"`
}

type itemResponse struct {
	Item      itemJSON `json:"item"`
	RequestID string   `json:"request_id"`
}

// itemWebhookUpdate changes the Item's webhook and, in the same
// transaction, queues ITEM WEBHOOK_UPDATE_ACKNOWLEDGED to the new URL.
func (s *Server) itemWebhookUpdate(ctx context.Context, c *call, req *itemWebhookUpdateRequest) (itemResponse, *plaid.Error) {
	if _, e := s.svc.ItemByAccessToken(ctx, c.tenant(), req.AccessToken); e != nil {
		return itemResponse{}, e
	}
	if e := checkURL("webhook", req.Webhook); e != nil {
		return itemResponse{}, e
	}
	it, e := s.svc.SetItemWebhook(ctx, c.tenant(), req.AccessToken, req.Webhook)
	if e != nil {
		return itemResponse{}, e
	}
	return itemResponse{Item: itemOut(it), RequestID: c.requestID}, nil
}

// accountsGetRequest is /accounts/get's body.
type accountsGetRequest struct {
	credentials
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

// sandboxDetails are what Plaid's sandbox shows of each default account
// beyond sandbox.Accounts, by mask: official name and balances.
var sandboxDetails = map[string]struct {
	official                  string
	available, current, limit *float64
}{
	"0000": {"Plaid Gold Standard 0% Interest Checking", num(100), num(110), nil},
	"1111": {"Plaid Silver Standard 0.1% Interest Saving", num(200), num(210), nil},
	"2222": {"Plaid Bronze Standard 0.2% Interest CD", nil, num(1000), nil},
	"3333": {"Plaid Diamond 12.5% APR Interest Credit Card", nil, num(410), num(2000)},
	"4444": {"Plaid Platinum Standard 1.85% Interest Money Market", num(43200), num(43200), nil},
	"5555": {"", nil, num(320.76), nil},
	"6666": {"", nil, num(23631.9805), nil},
	"7777": {"", nil, num(65262), nil},
	"8888": {"", nil, num(56302.06), nil},
}

func num(f float64) *float64 { return &f }

func accountOut(a store.Account) accountJSON {
	usd := "USD"
	d := sandboxDetails[a.Mask]
	return accountJSON{
		AccountID: a.ID, Mask: optString(a.Mask), Name: a.Name, OfficialName: optString(d.official), Type: a.Type, Subtype: optString(a.Subtype),
		Balances: balances{Available: d.available, Current: d.current, Limit: d.limit, IsoCurrencyCode: &usd},
	}
}

func (s *Server) accountsGet(ctx context.Context, c *call, req *accountsGetRequest) (accountsGetResponse, *plaid.Error) {
	it, e := s.svc.ItemByAccessToken(ctx, c.tenant(), req.AccessToken)
	if e != nil {
		return accountsGetResponse{}, e
	}
	if e := plaid.ItemError(it.Error); e != nil {
		return accountsGetResponse{}, e
	}
	resp := accountsGetResponse{Accounts: []accountJSON{}, Item: itemOut(it), RequestID: c.requestID}
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
			resp.Accounts = append(resp.Accounts, accountOut(a))
		}
	}
	return resp, nil
}

// institutionByID returns a sandbox institution.
func institutionByID(id string) (sandbox.Institution, bool) { return sandbox.InstitutionByID(id) }
