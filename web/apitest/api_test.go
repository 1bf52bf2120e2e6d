package apitest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/web"
)

var client = web.Client{ClientID: "apitest", Secret: "apitest-secret", PublicKey: "apitest-key", RedirectURIs: []string{"https://app.example/oauth"}}

// emulator is a linkharness server and a plaid-go client pointed at it.
type emulator struct {
	url   string
	plaid *plaid.PlaidApiService
	// kit calls the test-control API as the client; hooks is the
	// client's webhook receiver, which verifies every webhook.
	kit   *testkit.Client
	hooks *testkit.Receiver
}

// newEmulator starts a server in the process, or, when the tests target
// an external one (see external_test.go), resets the client's data there.
func newEmulator(t *testing.T) *emulator {
	t.Helper()
	url := externalURL
	if url == "" {
		s := web.New(web.Options{Clients: []web.Client{client}, Webhooks: web.WebhookOptions{Backoff: 20 * time.Millisecond}})
		srv := httptest.NewServer(s)
		t.Cleanup(func() { srv.Close(); s.Close() })
		url = srv.URL
	}
	cfg := plaid.NewConfiguration()
	cfg.UseEnvironment(plaid.Environment(url))
	cfg.AddDefaultHeader("PLAID-CLIENT-ID", client.ClientID)
	cfg.AddDefaultHeader("PLAID-SECRET", client.Secret)
	kit := testkit.New(url, client.ClientID, client.Secret)
	e := &emulator{url: url, plaid: plaid.NewAPIClient(cfg).PlaidApi, kit: kit, hooks: testkit.NewReceiver(t, kit)}
	if externalURL != "" {
		// A fresh start, as an in-process server gives: no Items of
		// earlier tests, no clock they advanced.
		e.kit.Must(t, "/linkharness/reset", nil)
	}
	return e
}

// settle waits until no webhook is pending: the receiver may have a
// webhook before the emulator has recorded its delivery.
func (e *emulator) settle(t *testing.T) {
	t.Helper()
	testkit.Eventually(t, testkit.Timeout, "no webhook to be pending", func() bool {
		for _, h := range e.kit.Must(t, "/linkharness/webhooks/list", nil)["webhooks"].([]any) {
			if h.(map[string]any)["status"] == "pending" {
				return false
			}
		}
		return true
	})
}

// post sends body to path with the client's credentials (none when
// anonymous) and returns the status and the decoded answer.
func (e *emulator) post(t *testing.T, path string, body any, anonymous bool) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, e.url+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if !anonymous {
		req.Header.Set("PLAID-CLIENT-ID", client.ClientID)
		req.Header.Set("PLAID-SECRET", client.Secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: not JSON: %s", path, raw)
	}
	return resp.StatusCode, out
}

// plaidErr is the Plaid error of a failed plaid-go call, whose body it
// validates against the spec's PlaidError with kin-openapi.
func plaidErr(t *testing.T, err error) plaid.PlaidError {
	t.Helper()
	if err == nil {
		t.Fatal("the call succeeded")
	}
	pe, perr := plaid.ToPlaidError(err)
	if perr != nil {
		t.Fatalf("not a Plaid error: %v (%v)", err, perr)
	}
	sc, serr := plaidErrorSchema()
	if serr != nil {
		t.Fatal(serr)
	}
	var body any
	if oe, ok := err.(plaid.GenericOpenAPIError); !ok || json.Unmarshal(oe.Body(), &body) != nil {
		t.Errorf("%s: the error's body is not JSON", pe.ErrorCode)
	} else if verr := sc.VisitJSON(body, openapi3.VisitAsResponse()); verr != nil {
		t.Errorf("%s: the error does not validate against PlaidError: %v\n%s", pe.ErrorCode, verr, oe.Body())
	}
	return pe
}

func checkRequestID(t *testing.T, what, id string) {
	t.Helper()
	if len(id) != 15 {
		t.Errorf("%s: request_id %q, want 15 characters", what, id)
	}
}

// near reports whether t is within a minute of want.
func near(t, want time.Time) bool { return t.Sub(want).Abs() < time.Minute }

// TestEveryEndpoint drives every endpoint with plaid-go in the order an
// integration uses them and checks each field the client decodes.
func TestEveryEndpoint(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	start := time.Now()

	// /user/create
	user, _, err := e.plaid.UserCreate(ctx).UserCreateRequest(*plaid.NewUserCreateRequest("user-1")).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(user.UserToken, "user-sandbox-") || !strings.HasPrefix(user.UserId, "usr_") {
		t.Errorf("user %+v", user)
	}
	checkRequestID(t, "/user/create", user.RequestId)

	// /link/token/create
	ltReq := plaid.NewLinkTokenCreateRequest("API Test", "en", []plaid.CountryCode{plaid.COUNTRYCODE_US}, *plaid.NewLinkTokenCreateRequestUser("user-1"))
	ltReq.SetProducts([]plaid.Products{plaid.PRODUCTS_TRANSACTIONS, plaid.PRODUCTS_AUTH})
	ltReq.SetWebhook(e.hooks.URL + "/plaid")
	ltReq.SetRedirectUri("https://app.example/oauth")
	ltReq.SetAccountFilters(plaid.LinkTokenAccountFilters{Depository: plaid.NewDepositoryFilter([]plaid.DepositoryAccountSubtype{plaid.DEPOSITORYACCOUNTSUBTYPE_CHECKING})})
	lt, _, err := e.plaid.LinkTokenCreate(ctx).LinkTokenCreateRequest(*ltReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(lt.LinkToken, "link-sandbox-") || !near(lt.Expiration, start.Add(4*time.Hour)) || lt.HostedLinkUrl != nil {
		t.Errorf("link token %+v", lt)
	}
	checkRequestID(t, "/link/token/create", lt.RequestId)

	// A session, completed without a browser through the control API.
	done := e.kit.Must(t, "/linkharness/session/complete", map[string]any{"link_token": lt.LinkToken, "accounts": []string{"Plaid Checking"}})
	publicToken := done["public_token"].(string)

	// /link/token/get
	got, _, err := e.plaid.LinkTokenGet(ctx).LinkTokenGetRequest(*plaid.NewLinkTokenGetRequest(lt.LinkToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	md := got.Metadata
	if got.LinkToken != lt.LinkToken || !near(*got.CreatedAt.Get(), start) || !got.Expiration.Get().Equal(lt.Expiration) {
		t.Errorf("link token get %+v", got)
	}
	if !slices.Equal(md.InitialProducts, []plaid.Products{plaid.PRODUCTS_TRANSACTIONS, plaid.PRODUCTS_AUTH}) ||
		md.GetWebhook() != e.hooks.URL+"/plaid" || !slices.Equal(md.CountryCodes, []plaid.CountryCode{plaid.COUNTRYCODE_US}) ||
		md.GetLanguage() != "en" || md.GetRedirectUri() != "https://app.example/oauth" || md.GetClientName() != "API Test" ||
		md.AccountFilters == nil || !slices.Equal(md.AccountFilters.Depository.AccountSubtypes, []plaid.DepositoryAccountSubtype{"checking"}) {
		t.Errorf("metadata %+v", md)
	}
	sessions := got.GetLinkSessions()
	if len(sessions) != 1 {
		t.Fatalf("link_sessions %+v", sessions)
	}
	ls := sessions[0]
	success := ls.OnSuccess.Get()
	if ls.LinkSessionId != done["link_session_id"] || ls.StartedAt == nil || ls.FinishedAt.Get() == nil || success == nil ||
		success.PublicToken != publicToken || ls.OnExit.Get() != nil {
		t.Fatalf("session %+v", ls)
	}
	smd := success.Metadata.Get()
	if inst := smd.Institution.Get(); inst == nil || inst.GetInstitutionId() != "ins_109508" || inst.GetName() != "First Platypus Bank" ||
		len(smd.GetAccounts()) != 1 || smd.GetAccounts()[0].GetName() != "Plaid Checking" || smd.GetLinkSessionId() != ls.LinkSessionId {
		t.Errorf("on_success metadata %+v", smd)
	}
	results, _ := ls.AdditionalProperties["results"].(map[string]any)
	if adds, _ := results["item_add_results"].([]any); len(adds) != 1 || adds[0].(map[string]any)["public_token"] != publicToken {
		t.Errorf("results %v", ls.AdditionalProperties["results"])
	}
	checkRequestID(t, "/link/token/get", got.RequestId)

	// /item/public_token/exchange
	ex, _, err := e.plaid.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(*plaid.NewItemPublicTokenExchangeRequest(publicToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ex.AccessToken, "access-sandbox-") || ex.ItemId == "" {
		t.Errorf("exchange %+v", ex)
	}
	checkRequestID(t, "/item/public_token/exchange", ex.RequestId)
	sync := e.hooks.Next(t)
	if sync["webhook_type"] != "TRANSACTIONS" || sync["webhook_code"] != "SYNC_UPDATES_AVAILABLE" || sync["item_id"] != ex.ItemId ||
		sync["initial_update_complete"] != true || sync["historical_update_complete"] != true || sync["environment"] != "sandbox" {
		t.Errorf("SYNC_UPDATES_AVAILABLE %v", sync)
	}

	// /item/get
	e.settle(t)
	item, _, err := e.plaid.ItemGet(ctx).ItemGetRequest(*plaid.NewItemGetRequest(ex.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	it := item.Item
	if it.ItemId != ex.ItemId || it.GetInstitutionId() != "ins_109508" || it.GetWebhook() != e.hooks.URL+"/plaid" || it.Error.Get() != nil ||
		!slices.Equal(it.BilledProducts, []plaid.Products{"transactions", "auth"}) || !slices.Equal(it.GetProducts(), it.BilledProducts) ||
		!slices.Equal(it.GetConsentedProducts(), it.BilledProducts) || !slices.Contains(it.AvailableProducts, plaid.PRODUCTS_IDENTITY) ||
		slices.Contains(it.AvailableProducts, plaid.PRODUCTS_AUTH) || it.ConsentExpirationTime.Get() != nil || it.UpdateType != "background" {
		t.Errorf("item %+v", it)
	}
	if st := item.Status.Get(); st == nil || st.Transactions.Get() == nil || st.Transactions.Get().LastSuccessfulUpdate.Get() == nil ||
		st.LastWebhook.Get() == nil || st.LastWebhook.Get().GetCodeSent() != "SYNC_UPDATES_AVAILABLE" {
		t.Errorf("item status %+v", item.Status.Get())
	}
	checkRequestID(t, "/item/get", item.RequestId)

	// /accounts/get
	accounts, _, err := e.plaid.AccountsGet(ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(ex.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts.Accounts) != 1 || accounts.Item.ItemId != ex.ItemId {
		t.Fatalf("accounts %+v", accounts)
	}
	a := accounts.Accounts[0]
	if a.AccountId != done["accounts"].([]any)[0].(map[string]any)["id"] || a.GetMask() != "0000" || a.Name != "Plaid Checking" ||
		a.GetOfficialName() != "Plaid Gold Standard 0% Interest Checking" || a.Type != plaid.ACCOUNTTYPE_DEPOSITORY ||
		a.GetSubtype() != plaid.ACCOUNTSUBTYPE_CHECKING || a.Balances.GetAvailable() != 100 || a.Balances.GetCurrent() != 110 ||
		a.Balances.Limit.Get() != nil || a.Balances.GetIsoCurrencyCode() != "USD" || a.Balances.UnofficialCurrencyCode.Get() != nil {
		t.Errorf("account %+v", a)
	}
	agReq := plaid.NewAccountsGetRequest(ex.AccessToken)
	agReq.SetOptions(plaid.AccountsGetRequestOptions{AccountIds: &[]string{"nope"}})
	_, _, err = e.plaid.AccountsGet(ctx).AccountsGetRequest(*agReq).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_ACCOUNT_ID" {
		t.Errorf("unknown account id: %+v", pe)
	}
	checkRequestID(t, "/accounts/get", accounts.RequestId)

	// /item/public_token/create, and its exchange keeps the access token.
	created, _, err := e.plaid.ItemCreatePublicToken(ctx).ItemPublicTokenCreateRequest(*plaid.NewItemPublicTokenCreateRequest(ex.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.PublicToken, "public-sandbox-") || created.Expiration == nil || !near(*created.Expiration, start.Add(30*time.Minute)) {
		t.Errorf("public token create %+v", created)
	}
	checkRequestID(t, "/item/public_token/create", created.RequestId)
	again, _, err := e.plaid.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(*plaid.NewItemPublicTokenExchangeRequest(created.PublicToken)).Execute()
	if err != nil || again.AccessToken != ex.AccessToken || again.ItemId != ex.ItemId {
		t.Errorf("exchanging a token of /item/public_token/create: %+v %v", again, err)
	}

	// /item/webhook/update
	whReq := plaid.NewItemWebhookUpdateRequest(ex.AccessToken)
	whReq.SetWebhook(e.hooks.URL + "/new")
	updated, _, err := e.plaid.ItemWebhookUpdate(ctx).ItemWebhookUpdateRequest(*whReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if updated.Item.GetWebhook() != e.hooks.URL+"/new" || updated.Item.ItemId != ex.ItemId {
		t.Errorf("webhook update %+v", updated.Item)
	}
	checkRequestID(t, "/item/webhook/update", updated.RequestId)
	if ack := e.hooks.Next(t); ack["webhook_type"] != "ITEM" || ack["webhook_code"] != "WEBHOOK_UPDATE_ACKNOWLEDGED" ||
		ack["new_webhook_url"] != e.hooks.URL+"/new" || ack["item_id"] != ex.ItemId {
		t.Errorf("WEBHOOK_UPDATE_ACKNOWLEDGED %v", ack)
	}

	// /institutions/get_by_id
	insReq := plaid.NewInstitutionsGetByIdRequest("ins_109508", []plaid.CountryCode{plaid.COUNTRYCODE_US})
	insReq.SetOptions(plaid.InstitutionsGetByIdRequestOptions{IncludeOptionalMetadata: plaid.PtrBool(true)})
	ins, _, err := e.plaid.InstitutionsGetById(ctx).InstitutionsGetByIdRequest(*insReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	in := ins.Institution
	if in.InstitutionId != "ins_109508" || in.Name != "First Platypus Bank" || !slices.Contains(in.Products, plaid.PRODUCTS_AUTH) ||
		!slices.Equal(in.CountryCodes, []plaid.CountryCode{"US"}) || in.Oauth || in.RoutingNumbers == nil || in.GetUrl() == "" {
		t.Errorf("institution %+v", in)
	}
	checkRequestID(t, "/institutions/get_by_id", ins.RequestId)
	_, _, err = e.plaid.InstitutionsGetById(ctx).InstitutionsGetByIdRequest(*plaid.NewInstitutionsGetByIdRequest("ins_43", []plaid.CountryCode{"US"})).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_INSTITUTION" || pe.ErrorType != plaid.PLAIDERRORTYPE_INVALID_INPUT {
		t.Errorf("a Canadian bank asked for in the US: %+v", pe)
	}

	// /institutions/search: every institution found has every word of the
	// query in its name, serves the country and has the products.
	searches := []struct {
		name     string
		query    string
		products []plaid.Products
		country  plaid.CountryCode
		want     []string // found, among others
		not      []string // not found
	}{
		{"by word", "platypus", nil, "US", []string{"ins_109508", "ins_127287"}, []string{"ins_109511", "ins_116834"}},
		{"by words", "first platypus", nil, "US", []string{"ins_109508"}, []string{"ins_127287"}},
		{"by product", "bank", []plaid.Products{plaid.PRODUCTS_INVESTMENTS}, "US", []string{"ins_109508", "ins_109511"}, []string{"ins_109512", "ins_43"}},
		{"in Canada", "tartan", nil, "CA", []string{"ins_43"}, []string{"ins_109511"}},
		{"nothing", "zzz", nil, "US", nil, nil},
	}
	for _, tt := range searches {
		t.Run("search "+tt.name, func(t *testing.T) {
			req := plaid.NewInstitutionsSearchRequest(tt.query, []plaid.CountryCode{tt.country})
			if tt.products != nil {
				req.SetProducts(tt.products)
			}
			res, _, err := e.plaid.InstitutionsSearch(ctx).InstitutionsSearchRequest(*req).Execute()
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, in := range res.Institutions {
				ids = append(ids, in.InstitutionId)
				for _, w := range strings.Fields(tt.query) {
					if !strings.Contains(strings.ToLower(in.Name), w) {
						t.Errorf("%s (%s) does not match %q", in.Name, in.InstitutionId, tt.query)
					}
				}
				if !slices.Contains(in.CountryCodes, tt.country) {
					t.Errorf("%s is not in %s", in.InstitutionId, tt.country)
				}
				for _, p := range tt.products {
					if !slices.Contains(in.Products, p) {
						t.Errorf("%s lacks %s", in.InstitutionId, p)
					}
				}
			}
			for _, id := range tt.want {
				if !slices.Contains(ids, id) {
					t.Errorf("found %v, without %s", ids, id)
				}
			}
			for _, id := range tt.not {
				if slices.Contains(ids, id) {
					t.Errorf("found %v, with %s", ids, id)
				}
			}
			if tt.want == nil && len(ids) > 0 {
				t.Errorf("found %v, want nothing", ids)
			}
			checkRequestID(t, "/institutions/search", res.RequestId)
		})
	}

	// /sandbox/public_token/create
	spReq := plaid.NewSandboxPublicTokenCreateRequest("ins_109511", []plaid.Products{plaid.PRODUCTS_TRANSACTIONS})
	spReq.SetOptions(plaid.SandboxPublicTokenCreateRequestOptions{Webhook: plaid.PtrString(e.hooks.URL + "/second")})
	sp, _, err := e.plaid.SandboxPublicTokenCreate(ctx).SandboxPublicTokenCreateRequest(*spReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sp.PublicToken, "public-sandbox-") {
		t.Errorf("sandbox public token %+v", sp)
	}
	checkRequestID(t, "/sandbox/public_token/create", sp.RequestId)
	e.hooks.Next(t) // its SYNC_UPDATES_AVAILABLE
	second, _, err := e.plaid.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(*plaid.NewItemPublicTokenExchangeRequest(sp.PublicToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if acc, _, err := e.plaid.AccountsGet(ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(second.AccessToken)).Execute(); err != nil || len(acc.Accounts) != 9 {
		t.Errorf("sandbox item accounts: %d %v", len(acc.Accounts), err)
	}

	// /sandbox/item/fire_webhook
	fireReq := plaid.NewSandboxItemFireWebhookRequest(second.AccessToken, "DEFAULT_UPDATE")
	fireReq.SetWebhookType(plaid.WEBHOOKTYPE_TRANSACTIONS)
	fired, _, err := e.plaid.SandboxItemFireWebhook(ctx).SandboxItemFireWebhookRequest(*fireReq).Execute()
	if err != nil || !fired.WebhookFired {
		t.Fatalf("fire webhook: %+v %v", fired, err)
	}
	checkRequestID(t, "/sandbox/item/fire_webhook", fired.RequestId)
	if hook := e.hooks.Next(t); hook["webhook_type"] != "TRANSACTIONS" || hook["webhook_code"] != "DEFAULT_UPDATE" || hook["item_id"] != second.ItemId {
		t.Errorf("DEFAULT_UPDATE %v", hook)
	}
	_, _, err = e.plaid.SandboxItemFireWebhook(ctx).SandboxItemFireWebhookRequest(*plaid.NewSandboxItemFireWebhookRequest(second.AccessToken, "PRODUCT_READY")).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "SANDBOX_PRODUCT_NOT_ENABLED" {
		t.Errorf("assets webhook of an Item without assets: %+v", pe)
	}

	// /sandbox/item/reset_login
	reset, _, err := e.plaid.SandboxItemResetLogin(ctx).SandboxItemResetLoginRequest(*plaid.NewSandboxItemResetLoginRequest(second.AccessToken)).Execute()
	if err != nil || !reset.ResetLogin {
		t.Fatalf("reset login: %+v %v", reset, err)
	}
	checkRequestID(t, "/sandbox/item/reset_login", reset.RequestId)
	hook := e.hooks.Next(t)
	if hookErr, _ := hook["error"].(map[string]any); hook["webhook_type"] != "ITEM" || hook["webhook_code"] != "ERROR" || hookErr["error_code"] != "ITEM_LOGIN_REQUIRED" {
		t.Errorf("ITEM ERROR %v", hook)
	}
	broken, _, err := e.plaid.ItemGet(ctx).ItemGetRequest(*plaid.NewItemGetRequest(second.AccessToken)).Execute()
	if err != nil || broken.Item.Error.Get() == nil || broken.Item.Error.Get().ErrorCode != "ITEM_LOGIN_REQUIRED" || broken.Item.Error.Get().ErrorType != plaid.PLAIDERRORTYPE_ITEM_ERROR {
		t.Errorf("item after reset_login: %+v %v", broken.Item.Error.Get(), err)
	}
	_, _, err = e.plaid.AccountsGet(ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(second.AccessToken)).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "ITEM_LOGIN_REQUIRED" || pe.ErrorType != plaid.PLAIDERRORTYPE_ITEM_ERROR {
		t.Errorf("/accounts/get after reset_login: %+v", pe)
	}

	// /webhook_verification_key/get, and every webhook so far verifies
	// with the key it returns.
	deliveries := e.hooks.Deliveries()
	if len(deliveries) != 5 {
		t.Errorf("%d webhooks, want 5", len(deliveries))
	}
	keys := map[string]plaid.JWKPublicKey{}
	for i, d := range deliveries {
		kid := jwtKeyID(t, d.JWT())
		if _, ok := keys[kid]; !ok {
			k, _, err := e.plaid.WebhookVerificationKeyGet(ctx).WebhookVerificationKeyGetRequest(*plaid.NewWebhookVerificationKeyGetRequest(kid)).Execute()
			if err != nil {
				t.Fatal(err)
			}
			checkRequestID(t, "/webhook_verification_key/get", k.RequestId)
			if k.Key.Alg != "ES256" || k.Key.Crv != "P-256" || k.Key.Kty != "EC" || k.Key.Use != "sig" || k.Key.Kid != kid ||
				k.Key.ExpiredAt.Get() != nil || time.Since(time.Unix(int64(k.Key.CreatedAt), 0)) > time.Hour {
				t.Errorf("key %+v", k.Key)
			}
			keys[kid] = k.Key
		}
		if err := verify(d.JWT(), d.Body, keys[kid]); err != "" {
			t.Errorf("webhook %d: %s", i, err)
		}
		if err := verify(d.JWT(), append(slices.Clone(d.Body), ' '), keys[kid]); err == "" {
			t.Errorf("webhook %d verifies with another body", i)
		}
	}

	// /item/remove
	removed, _, err := e.plaid.ItemRemove(ctx).ItemRemoveRequest(*plaid.NewItemRemoveRequest(second.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	checkRequestID(t, "/item/remove", removed.RequestId)
	_, _, err = e.plaid.ItemGet(ctx).ItemGetRequest(*plaid.NewItemGetRequest(second.AccessToken)).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_ACCESS_TOKEN" {
		t.Errorf("a removed Item: %+v", pe)
	}
}

// TestErrors checks the errors plaid-go turns into PlaidError.
func TestErrors(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	pt, _, err := e.plaid.SandboxPublicTokenCreate(ctx).SandboxPublicTokenCreateRequest(*plaid.NewSandboxPublicTokenCreateRequest("ins_109508", []plaid.Products{"auth"})).Execute()
	if err != nil {
		t.Fatal(err)
	}
	exchange := func(token string) error {
		_, _, err := e.plaid.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(*plaid.NewItemPublicTokenExchangeRequest(token)).Execute()
		return err
	}
	if err := exchange(pt.PublicToken); err != nil {
		t.Fatal(err)
	}
	wrongSecret := plaid.NewUserCreateRequest("u")
	wrongSecret.SetClientId(client.ClientID)
	wrongSecret.SetSecret("wrong") // the body wins over the headers
	expired, _, err := e.plaid.SandboxPublicTokenCreate(ctx).SandboxPublicTokenCreateRequest(*plaid.NewSandboxPublicTokenCreateRequest("ins_109508", []plaid.Products{"auth"})).Execute()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		call   func() error
		status int
		typ    plaid.PlaidErrorType
		code   string
	}{
		{"exchanged twice", func() error { return exchange(pt.PublicToken) }, 400, "INVALID_INPUT", "INVALID_PUBLIC_TOKEN"},
		{"unknown public token", func() error { return exchange("public-sandbox-00000000-0000-4000-8000-000000000000") }, 400, "INVALID_INPUT", "INVALID_PUBLIC_TOKEN"},
		{"expired public token", func() error {
			e.kit.Must(t, "/linkharness/clock/advance", map[string]any{"duration": "31m"})
			return exchange(expired.PublicToken)
		}, 400, "INVALID_INPUT", "INVALID_PUBLIC_TOKEN"},
		{"wrong secret", func() error {
			_, _, err := e.plaid.UserCreate(ctx).UserCreateRequest(*wrongSecret).Execute()
			return err
		}, 400, "INVALID_INPUT", "INVALID_API_KEYS"},
		{"missing field", func() error {
			_, _, err := e.plaid.LinkTokenCreate(ctx).LinkTokenCreateRequest(plaid.LinkTokenCreateRequest{Language: "en"}).Execute()
			return err
		}, 400, "INVALID_REQUEST", "MISSING_FIELDS"},
		{"unknown link token", func() error {
			_, _, err := e.plaid.LinkTokenGet(ctx).LinkTokenGetRequest(*plaid.NewLinkTokenGetRequest("link-sandbox-nope")).Execute()
			return err
		}, 400, "INVALID_INPUT", "INVALID_LINK_TOKEN"},
		{"unknown access token", func() error {
			_, _, err := e.plaid.AccountsGet(ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest("access-sandbox-nope")).Execute()
			return err
		}, 400, "INVALID_INPUT", "INVALID_ACCESS_TOKEN"},
		{"login error", func() error {
			req := plaid.NewSandboxPublicTokenCreateRequest("ins_109508", []plaid.Products{"auth"})
			req.SetOptions(plaid.SandboxPublicTokenCreateRequestOptions{OverridePassword: *plaid.NewNullableString(plaid.PtrString("error_INSTITUTION_DOWN"))})
			_, _, err := e.plaid.SandboxPublicTokenCreate(ctx).SandboxPublicTokenCreateRequest(*req).Execute()
			return err
		}, 500, "INSTITUTION_ERROR", "INSTITUTION_DOWN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			pe := plaidErr(t, err)
			if pe.ErrorType != tt.typ || pe.ErrorCode != tt.code || pe.ErrorMessage == "" || pe.RequestId == nil || len(*pe.RequestId) != 15 {
				t.Errorf("error %+v, want %s %s", pe, tt.typ, tt.code)
			}
			if oe, ok := err.(plaid.GenericOpenAPIError); ok && !strings.Contains(oe.Error(), http.StatusText(tt.status)) && !strings.HasPrefix(oe.Error(), itoa(tt.status)) {
				t.Errorf("HTTP status in %q, want %d", oe.Error(), tt.status)
			}
		})
	}
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// jwtKeyID returns the kid in a JWT's header.
func jwtKeyID(t *testing.T, jwt string) string {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[0])
	if err != nil {
		t.Fatalf("JWT header: %v", err)
	}
	var h struct{ Alg, Kid, Typ string }
	json.Unmarshal(raw, &h)
	if h.Alg != "ES256" || h.Kid == "" {
		t.Fatalf("JWT header %s", raw)
	}
	return h.Kid
}

// verify checks a Plaid-Verification JWT the way Plaid's docs tell a
// receiver to, written here apart from the emulator's own code: the ES256
// signature by the JWK, an iat at most 5 minutes old, and the body's
// SHA-256. It returns what is wrong, or "".
func verify(jwt string, body []byte, key plaid.JWKPublicKey) string {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return "not a JWT"
	}
	x, _ := base64.RawURLEncoding.DecodeString(key.X)
	y, _ := base64.RawURLEncoding.DecodeString(key.Y)
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	if len(sig) != 64 {
		return "signature is not 64 bytes"
	}
	pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return "bad signature"
	}
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims struct {
		Iat  int64  `json:"iat"`
		Hash string `json:"request_body_sha256"`
	}
	json.Unmarshal(raw, &claims)
	if time.Since(time.Unix(claims.Iat, 0)) > 5*time.Minute {
		return "issued too long ago"
	}
	sum := sha256.Sum256(body)
	if claims.Hash != hex.EncodeToString(sum[:]) {
		return "request_body_sha256 does not match the body"
	}
	return ""
}
