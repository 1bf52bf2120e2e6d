package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// linkCaller is who an engine request is for.
type linkCaller struct {
	client Client
	// token is the link token in link-token mode, nil in public-key mode.
	token *store.LinkToken
	// now is the client's emulator clock.
	now time.Time
}

// tenant is who the engine request is for, as the service layer takes it.
func (lc linkCaller) tenant() service.Tenant {
	return service.Tenant{ClientID: lc.client.ClientID, Now: lc.now}
}

// linkCaller resolves an engine request's client by its link token or,
// for legacy integrations, its public key. An unknown link token, or an
// expired one unless expiredOK, is INVALID_LINK_TOKEN.
func (s *Server) linkCaller(ctx context.Context, publicKey, linkToken string, expiredOK bool) (linkCaller, *plaid.Error) {
	if linkToken == "" {
		c, ok := s.clientByPublicKey(publicKey)
		if !ok {
			return linkCaller{}, plaid.InvalidPublicKey()
		}
		now, err := s.clientNow(ctx, c.ClientID)
		if err != nil {
			return linkCaller{}, service.StoreError(err)
		}
		return linkCaller{client: c, now: now}, nil
	}
	t, err := s.store.LinkToken(ctx, linkToken)
	if errors.Is(err, store.ErrNotFound) {
		return linkCaller{}, plaid.InvalidLinkToken("")
	}
	if err != nil {
		return linkCaller{}, service.StoreError(err)
	}
	c, ok := s.clientByID(t.ClientID)
	if !ok {
		return linkCaller{}, plaid.InvalidLinkToken("provided link token belongs to no configured client")
	}
	now, err := s.clientNow(ctx, c.ClientID)
	if err != nil {
		return linkCaller{}, service.StoreError(err)
	}
	if !expiredOK && !now.Before(t.ExpiresAt) {
		return linkCaller{}, plaid.InvalidLinkToken("provided link token has expired. link tokens expire 4 hours after creation (30 minutes in update mode)")
	}
	return linkCaller{client: c, token: &t, now: now}, nil
}

func (s *Server) sessionOpen(ctx context.Context, requestID string, req protocol.SessionOpenRequest) (protocol.SessionOpenResponse, *plaid.Error) {
	lc, e := s.linkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.SessionOpenResponse{}, e
	}
	resp := protocol.SessionOpenResponse{RequestID: requestID}
	sess := store.Session{ID: req.LinkSessionID, ClientID: lc.client.ClientID, StartedAt: lc.now}
	var legacy *publicKeyConfig
	var named store.Item
	if lc.token != nil {
		cfg, e := s.sessionConfig(ctx, *lc.token)
		if e != nil {
			return protocol.SessionOpenResponse{}, e
		}
		resp.Config = cfg
		sess.LinkToken = lc.token.Token
	} else {
		if e := checkLegacyRedirect(lc.client, req.OAuthNonce, req.OAuthRedirectURI); e != nil {
			return protocol.SessionOpenResponse{}, e
		}
		legacy = &publicKeyConfig{Env: req.Env, ClientName: req.ClientName, Products: req.Products,
			CountryCodes: req.CountryCodes, Language: req.Language, Webhook: req.Webhook,
			OAuthNonce: req.OAuthNonce, OAuthRedirectURI: req.OAuthRedirectURI}
		// A public token names the Item to repair in update mode, or with
		// a payment token the payer's Item, whose institution Link opens at.
		named, e = s.publicTokenItem(ctx, lc, req.PublicToken)
		if e != nil {
			return protocol.SessionOpenResponse{}, e
		}
		if named.ID != "" && req.PaymentToken == "" {
			resp.Config = &protocol.SessionConfig{UpdateMode: true, InstitutionID: named.InstitutionID}
			legacy.UpdateItemID = named.ID
		}
	}
	resume, e := s.resumeOAuth(ctx, lc, req)
	if e != nil {
		return protocol.SessionOpenResponse{}, e
	}
	if resume != nil {
		// The session the login began in goes on; no new one starts, and
		// a payment token is not used again.
		if resp.Config == nil {
			resp.Config = &protocol.SessionConfig{}
		}
		resp.Config.Resume = resume
		if id := s.paymentOfSession(ctx, lc, resume.LinkSessionID); id != "" && resp.Config.Payment == nil {
			if resp.Config.Payment, e = s.linkTokenPayment(ctx, lc.client.ClientID, id); e != nil {
				return protocol.SessionOpenResponse{}, e
			}
		}
		return resp, nil
	}
	if legacy != nil && req.PaymentToken != "" {
		// Last, so that nothing else can fail once the token is used up.
		payment, e := s.openPayment(ctx, lc, req.PaymentToken)
		if e != nil {
			return protocol.SessionOpenResponse{}, e
		}
		payment.InstitutionID = named.InstitutionID
		resp.Config, legacy.PaymentID = &protocol.SessionConfig{Payment: payment}, payment.PaymentID
	}
	if legacy != nil {
		sess.Config, _ = json.Marshal(legacy)
	}
	if req.LinkSessionID != "" {
		if err := s.store.StartSession(ctx, sess); err != nil {
			return protocol.SessionOpenResponse{}, service.StoreError(err)
		}
	}
	return resp, nil
}

// publicKeyConfig is what a public-key session was opened with.
type publicKeyConfig struct {
	// UpdateItemID is the Item a legacy update-mode session repairs.
	UpdateItemID string `json:"update_item_id,omitempty"`
	// PaymentID is the payment a legacy Payment Initiation session
	// authorises.
	PaymentID    string   `json:"payment_id,omitempty"`
	Env          string   `json:"env,omitempty"`
	ClientName   string   `json:"client_name,omitempty"`
	Products     []string `json:"products,omitempty"`
	CountryCodes []string `json:"country_codes,omitempty"`
	Language     string   `json:"language,omitempty"`
	Webhook      string   `json:"webhook,omitempty"`
	// OAuthNonce and OAuthRedirectURI are the legacy OAuth redirect
	// options, checked when the session opened: an OAuth login of the
	// session takes them from here.
	OAuthNonce       string `json:"oauth_nonce,omitempty"`
	OAuthRedirectURI string `json:"oauth_redirect_uri,omitempty"`
}

// publicKeyConfigOf is what the client's public-key session was opened
// with (store.ErrNotFound when there is no such session).
func (s *Server) publicKeyConfigOf(ctx context.Context, clientID, sessionID string) (publicKeyConfig, error) {
	var cfg publicKeyConfig
	sess, err := s.store.Session(ctx, clientID, sessionID)
	if err != nil {
		return cfg, err
	}
	if len(sess.Config) > 0 {
		err = json.Unmarshal(sess.Config, &cfg)
	}
	return cfg, err
}

// sessionConfig is the configuration Link runs a link token's session
// with.
func (s *Server) sessionConfig(ctx context.Context, t store.LinkToken) (*protocol.SessionConfig, *plaid.Error) {
	var req linkTokenCreateRequest
	if err := json.Unmarshal(t.Config, &req); err != nil {
		return nil, plaid.Internal("stored link token configuration: " + err.Error())
	}
	cfg := &protocol.SessionConfig{
		ClientName:     req.ClientName,
		Products:       nonNil(req.Products),
		CountryCodes:   nonNil(req.CountryCodes),
		Language:       req.Language,
		Webhook:        req.Webhook,
		AccountFilters: req.AccountFilters,
		RedirectURI:    req.RedirectURI,
		MultiItem:      req.EnableMultiItemLink,
	}
	if t.ItemID != "" {
		it, err := s.store.Item(ctx, t.ClientID, t.ItemID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, plaid.InvalidLinkToken("the Item this update-mode link token was made for was removed")
		}
		if err != nil {
			return nil, service.StoreError(err)
		}
		cfg.UpdateMode, cfg.InstitutionID = true, it.InstitutionID
		if len(cfg.Products) == 0 {
			cfg.Products = nonNil(it.Products)
		}
	}
	if req.PaymentInitiation != nil && req.PaymentInitiation.PaymentID != "" {
		payment, e := s.linkTokenPayment(ctx, t.ClientID, req.PaymentInitiation.PaymentID)
		if e != nil {
			return nil, e
		}
		cfg.Payment = payment
	}
	return cfg, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) itemCreate(ctx context.Context, requestID string, req protocol.ItemCreateRequest) (protocol.ItemCreateResponse, *plaid.Error) {
	lc, e := s.linkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.ItemCreateResponse{}, e
	}
	in, ok := sandbox.InstitutionByID(req.InstitutionID)
	if !ok {
		return protocol.ItemCreateResponse{}, plaid.InvalidInstitution()
	}
	if e := service.InstitutionDown(in); e != nil {
		return protocol.ItemCreateResponse{}, e
	}
	if old, ok, e := s.updateItem(ctx, lc, req.LinkSessionID); e != nil || ok {
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		return s.repairItem(ctx, requestID, lc, old, in, req)
	}
	it := store.Item{
		ID:            plaid.NewOpaqueID(),
		ClientID:      lc.client.ClientID,
		InstitutionID: in.ID,
		Webhook:       req.Webhook,
		LinkSessionID: req.LinkSessionID,
		CreatedAt:     lc.now,
		Accounts:      sandboxAccounts(),
	}
	plan := linkconfig.Plan{Products: req.Products}
	if lc.token != nil {
		cfg, p, e := s.tokenPlan(ctx, *lc.token)
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		plan, it.Webhook, it.LinkToken = p, cfg.Webhook, lc.token.Token
	}
	if !in.Supports(plan.Products) {
		return protocol.ItemCreateResponse{}, plaid.ProductsNotSupported(fmt.Sprintf("%s does not support the products %v", in.Name, plan.Products))
	}
	var withheld []string
	if in.OAuth {
		// No credentials at an OAuth institution: the user logged in at
		// the bank, which approved the state, maybe for some products
		// only.
		st, e := s.oauthItemState(ctx, lc, req)
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		if withheld, e = oauthWithheld(st, plan, in, it.Accounts); e != nil {
			return protocol.ItemCreateResponse{}, e
		}
	} else {
		challenge, e := service.LogIn(in, req.Username, req.Password, req.MFA)
		if e != nil {
			return protocol.ItemCreateResponse{}, e
		}
		if challenge != nil {
			return protocol.ItemCreateResponse{RequestID: requestID, MFA: mfaChallenge(challenge)}, nil
		}
	}
	// The Item's products are decided when the user has chosen the
	// accounts (itemConnect); until then it holds the required ones.
	it.Products, it.ConsentedProducts = nonNil(plan.Products), linkconfig.Consented(plan, withheld)
	resp := protocol.ItemCreateResponse{RequestID: requestID, ItemID: it.ID, Accounts: []protocol.Account{}}
	for _, a := range it.Accounts {
		resp.Accounts = append(resp.Accounts, linkAccount(a))
	}
	if err := s.store.CreateItem(ctx, it); err != nil {
		return protocol.ItemCreateResponse{}, plaid.Internal("could not store the item: " + err.Error())
	}
	return resp, nil
}

// tokenPlan is a link token's configuration and product plan. An
// update-mode token without products plans the Item's own.
func (s *Server) tokenPlan(ctx context.Context, t store.LinkToken) (linkTokenCreateRequest, linkconfig.Plan, *plaid.Error) {
	var cfg linkTokenCreateRequest
	if err := json.Unmarshal(t.Config, &cfg); err != nil {
		return cfg, linkconfig.Plan{}, plaid.Internal("stored link token configuration: " + err.Error())
	}
	plan := planOf(cfg)
	if t.ItemID != "" && len(plan.Products) == 0 {
		it, err := s.store.Item(ctx, t.ClientID, t.ItemID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return cfg, plan, service.StoreError(err)
		}
		plan.Products = it.Products
	}
	return cfg, plan, nil
}

// sandboxAccounts are fresh accounts of a new sandbox Item.
func sandboxAccounts() []store.Account {
	var out []store.Account
	for _, a := range sandbox.Accounts {
		out = append(out, store.Account{ID: plaid.NewOpaqueID(), Name: a.Name, Mask: a.Mask, Type: a.Type, Subtype: a.Subtype})
	}
	return out
}

func (s *Server) itemConnect(ctx context.Context, requestID string, req protocol.ItemConnectRequest) (protocol.ItemConnectResponse, *plaid.Error) {
	lc, e := s.linkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.ItemConnectResponse{}, e
	}
	if old, ok, e := s.updateItem(ctx, lc, req.LinkSessionID); e != nil || ok {
		if e != nil {
			return protocol.ItemConnectResponse{}, e
		}
		return s.reissueToken(ctx, requestID, lc, old, req)
	}
	it, err := s.store.Item(ctx, lc.client.ClientID, req.ItemID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && it.LinkSessionID != req.LinkSessionID) {
		return protocol.ItemConnectResponse{}, plaid.InvalidField("item_id does not belong to this Link session")
	}
	if err != nil {
		return protocol.ItemConnectResponse{}, service.StoreError(err)
	}
	if len(req.AccountIDs) == 0 {
		return protocol.ItemConnectResponse{}, plaid.New("MISSING_FIELDS", "account_ids must name at least one account")
	}
	for _, id := range req.AccountIDs {
		if !slices.ContainsFunc(it.Accounts, func(a store.Account) bool { return a.ID == id }) {
			return protocol.ItemConnectResponse{}, plaid.InvalidField("account_ids names an account that is not on the item: " + id)
		}
	}
	plan, multiItem := linkconfig.Plan{Products: it.Products}, false
	if lc.token != nil {
		cfg, p, e := s.tokenPlan(ctx, *lc.token)
		if e != nil {
			return protocol.ItemConnectResponse{}, e
		}
		plan, multiItem = p, cfg.EnableMultiItemLink
	}
	pt := service.NewPublicToken(lc.tenant(), it.ID, req.LinkSessionID)
	conn := s.connection(it, plan, req.AccountIDs, pt, lc.now, "link", multiItem)
	err = s.svc.Commit(func() error { return s.store.ConnectItem(ctx, lc.client.ClientID, it.ID, conn) })
	if errors.Is(err, store.ErrConnected) {
		return protocol.ItemConnectResponse{}, plaid.InvalidField("the item's accounts were chosen already")
	}
	if err != nil {
		return protocol.ItemConnectResponse{}, plaid.Internal("could not store the item: " + err.Error())
	}
	return protocol.ItemConnectResponse{RequestID: requestID, PublicToken: pt.Token}, nil
}

// connection is what finishing the creation of it stores: the chosen
// accounts, the products resolved for them, what that bills (endpoint
// names the call that created the Item), the public token and the
// webhooks: TRANSACTIONS SYNC_UPDATES_AVAILABLE for an Item with
// transactions, and LINK ITEM_ADD_RESULT in a Multi-Item Link session.
func (s *Server) connection(it store.Item, plan linkconfig.Plan, accountIDs []string, pt store.PublicToken, now time.Time, endpoint string, multiItem bool) store.Connection {
	in, _ := sandbox.InstitutionByID(it.InstitutionID)
	var chosen []store.Account
	for _, a := range it.Accounts {
		if slices.Contains(accountIDs, a.ID) {
			chosen = append(chosen, a)
		}
	}
	resolved := service.Resolve(plan, in, chosen, it.ConsentedProducts)
	for i := range resolved.Billing {
		b := &resolved.Billing[i]
		b.ID, b.ClientID, b.ItemID, b.Endpoint, b.BilledAt = plaid.NewUUID(), it.ClientID, it.ID, endpoint, now
	}
	it.Products = resolved.Products
	outbox := s.itemAddedWebhooks(it)
	if multiItem && it.Webhook != "" {
		outbox = append(outbox, itemAddResultWebhook(it, pt.Token))
	}
	return store.Connection{AccountIDs: accountIDs, Products: resolved.Products, BilledProducts: resolved.Billed,
		PublicToken: pt, Billing: resolved.Billing, Outbox: outbox}
}

// sessionRecord keeps what the engine reports of a session for
// /link/token/get and the control API. A link token that expired while the
// session ran still records.
func (s *Server) sessionRecord(ctx context.Context, requestID string, req protocol.SessionRecordRequest) (protocol.SessionRecordResponse, *plaid.Error) {
	lc, e := s.linkCaller(ctx, req.PublicKey, req.LinkToken, true)
	if e != nil {
		return protocol.SessionRecordResponse{}, e
	}
	if req.LinkSessionID == "" {
		return protocol.SessionRecordResponse{}, plaid.MissingFields("link_session_id")
	}
	sess := store.Session{ID: req.LinkSessionID, ClientID: lc.client.ClientID, StartedAt: lc.now, Config: json.RawMessage("{}")}
	var cfg linkTokenCreateRequest
	if lc.token != nil {
		sess.LinkToken = lc.token.Token
		json.Unmarshal(lc.token.Config, &cfg)
	}
	var cbs []store.Callback
	for _, ev := range req.Events {
		if ev.EventName == "" {
			return protocol.SessionRecordResponse{}, plaid.MissingFields("events.event_name")
		}
		ts := ev.Timestamp
		if ts == "" {
			ts = lc.now.Format(time.RFC3339Nano)
		}
		cbs = append(cbs, store.Callback{Name: store.OnEvent, EventID: plaid.NewUUID(), EventName: ev.EventName, Timestamp: ts, Payload: rawOrNull(ev.EventMetadata)})
	}
	var finished time.Time
	var finish store.FinishHook
	if req.Success != nil {
		finish = multiItemHook(cfg, lc.client.ClientID, sess.ID, sess.LinkToken, sessionSuccess)
		payload, _ := json.Marshal(linkSessionSuccess{PublicToken: req.Success.PublicToken, Metadata: rawOrNull(req.Success.Metadata)})
		cbs = append(cbs, store.Callback{Name: store.OnSuccess, Payload: payload})
		finished = lc.now
	}
	if req.Exit != nil {
		if finish == nil {
			finish = multiItemHook(cfg, lc.client.ClientID, sess.ID, sess.LinkToken, sessionExited)
		}
		payload, _ := json.Marshal(linkSessionExit{Error: req.Exit.Error, Metadata: rawOrNull(req.Exit.Metadata)})
		cbs = append(cbs, store.Callback{Name: store.OnExit, Payload: payload})
		finished = lc.now
	}
	if err := s.svc.Commit(func() error { return s.store.RecordSession(ctx, sess, cbs, finished, finish) }); err != nil {
		return protocol.SessionRecordResponse{}, service.StoreError(err)
	}
	return protocol.SessionRecordResponse{RequestID: requestID}, nil
}

func rawOrNull(m json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return json.RawMessage("null")
	}
	return m
}

// linkSessionSuccess and linkSessionExit are onSuccess's and onExit's
// arguments as /link/token/get shows them.
type linkSessionSuccess struct {
	PublicToken string          `json:"public_token"`
	Metadata    json.RawMessage `json:"metadata"`
}

type linkSessionExit struct {
	Error    *protocol.PlaidError `json:"error"`
	Metadata json.RawMessage      `json:"metadata"`
}

func mfaChallenge(c *sandbox.Challenge) *protocol.MFAChallenge {
	out := &protocol.MFAChallenge{Type: c.Type, Round: c.Round, Devices: c.Devices}
	for _, q := range c.Questions {
		out.Questions = append(out.Questions, protocol.MFAQuestion{Options: q.Options})
	}
	return out
}

// linkAccount is an account as Link's metadata shows it.
func linkAccount(a store.Account) protocol.Account {
	mask := a.Mask
	return protocol.Account{ID: a.ID, Name: a.Name, Mask: &mask, Type: a.Type, Subtype: a.Subtype}
}
