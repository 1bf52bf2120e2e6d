package linkbackend

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// Caller is who an engine request is for: the tenant its public key or link
// token belongs to, and in link-token mode the token. Only opening a
// session looks at which of the two it is; later calls read the session's
// resolved configuration.
type Caller struct {
	service.Tenant
	client service.Client
	// token is the link token in link-token mode, nil in public-key mode.
	token *store.LinkToken
}

// LinkCaller resolves an engine request's caller by its link token or, for
// legacy integrations, its public key. An unknown link token, or an
// expired one unless expiredOK, is INVALID_LINK_TOKEN.
func (s *Backend) LinkCaller(ctx context.Context, publicKey, linkToken string, expiredOK bool) (Caller, *plaid.Error) {
	if linkToken == "" {
		c, ok := s.clientByPublicKey(publicKey)
		if !ok {
			return Caller{}, plaid.InvalidPublicKey()
		}
		t, err := s.Tenant(ctx, c.ID)
		if err != nil {
			return Caller{}, service.StoreError(err)
		}
		return Caller{Tenant: t, client: c}, nil
	}
	tok, err := s.store.LinkToken(ctx, linkToken)
	if errors.Is(err, store.ErrNotFound) {
		return Caller{}, plaid.InvalidLinkToken("")
	}
	if err != nil {
		return Caller{}, service.StoreError(err)
	}
	c, ok := s.clientByID(tok.ClientID)
	if !ok {
		return Caller{}, plaid.InvalidLinkToken("provided link token belongs to no configured client")
	}
	t, err := s.Tenant(ctx, c.ID)
	if err != nil {
		return Caller{}, service.StoreError(err)
	}
	if !expiredOK && tok.Expired(t.Now) {
		return Caller{}, plaid.InvalidLinkToken("provided link token has expired. link tokens expire 4 hours after creation (30 minutes in update mode)")
	}
	return Caller{Tenant: t, client: c, token: &tok}, nil
}

// linkToken is the caller's link token, "" in public-key mode.
func (c Caller) linkToken() string {
	if c.token == nil {
		return ""
	}
	return c.token.Token
}

// tokenConfig is the configuration of the caller's link token, with the
// Item an update-mode token repairs.
func (s *Backend) tokenConfig(c Caller) (linkconfig.Config, *plaid.Error) {
	cfg, err := linkconfig.Decode(c.token.Config)
	if err != nil {
		return cfg, plaid.Internal("stored link token configuration: " + err.Error())
	}
	cfg.LinkToken, cfg.UpdateItemID = c.token.Token, c.token.ItemID
	return cfg, nil
}

// SessionConfig is the configuration the caller's session sessionID runs
// with, as OpenSession resolved and stored it. A session that was never
// opened (a test that calls the engine's endpoints itself) runs with its
// link token's configuration, or in public-key mode with unopened, what
// the request itself says.
func (s *Backend) SessionConfig(ctx context.Context, c Caller, sessionID string, unopened linkconfig.Config) (linkconfig.Config, *plaid.Error) {
	if sessionID != "" {
		config, err := s.store.SessionConfig(ctx, c.ClientID, sessionID)
		switch {
		case err == nil:
			cfg, err := linkconfig.Decode(config)
			if err != nil {
				return cfg, plaid.Internal("stored session configuration: " + err.Error())
			}
			// What an earlier version stored is a legacy session's
			// options, or nothing ({}) for a session that ran with a link
			// token or recorded before it opened.
			if cfg.V > 0 || c.token == nil && !cfg.IsZero() {
				return cfg, nil
			}
		case !errors.Is(err, store.ErrNotFound):
			return linkconfig.Config{}, service.StoreError(err)
		}
	}
	if c.token != nil {
		return s.tokenConfig(c)
	}
	return unopened, nil
}

// updateItem returns the Item an update-mode configuration repairs.
func (s *Backend) updateItem(ctx context.Context, c Caller, cfg linkconfig.Config) (store.Item, *plaid.Error) {
	it, err := s.store.Item(ctx, c.ClientID, cfg.UpdateItemID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Item{}, plaid.InvalidField("the Item this session is for was removed")
	}
	if err != nil {
		return store.Item{}, service.StoreError(err)
	}
	return it, nil
}

// plan is the product plan a configuration gives the Items of its
// session: an update-mode configuration without products plans the
// repaired Item's own.
func (s *Backend) plan(ctx context.Context, c Caller, cfg linkconfig.Config) (linkconfig.Plan, *plaid.Error) {
	plan := cfg.Plan()
	if cfg.UpdateMode() && len(plan.Products) == 0 {
		it, err := s.store.Item(ctx, c.ClientID, cfg.UpdateItemID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return plan, service.StoreError(err)
		}
		plan.Products = it.Products
	}
	return plan, nil
}

// OpenSession opens a Link session: it resolves the one configuration the
// session runs with (a link token's, or a legacy Plaid.create's options
// with the Item a public token names for update mode and the payment a
// payment token names), stores it with the session, and answers with what
// the engine needs of it. A re-initialised Link that comes back from an
// OAuth bank resumes the session the login began in instead.
func (s *Backend) OpenSession(ctx context.Context, requestID string, req protocol.SessionOpenRequest) (protocol.SessionOpenResponse, *plaid.Error) {
	c, e := s.LinkCaller(ctx, req.PublicKey, req.LinkToken, false)
	if e != nil {
		return protocol.SessionOpenResponse{}, e
	}
	resp := protocol.SessionOpenResponse{RequestID: requestID}
	var cfg linkconfig.Config
	var named store.Item
	if c.token != nil {
		if cfg, e = s.tokenConfig(c); e != nil {
			return protocol.SessionOpenResponse{}, e
		}
		if resp.Config, e = s.engineConfig(ctx, c, cfg); e != nil {
			return protocol.SessionOpenResponse{}, e
		}
	} else {
		if e := checkLegacyRedirect(c.client, req.OAuthNonce, req.OAuthRedirectURI); e != nil {
			return protocol.SessionOpenResponse{}, e
		}
		cfg = linkconfig.Config{Env: req.Env, ClientName: req.ClientName, Products: req.Products,
			CountryCodes: req.CountryCodes, Language: req.Language, Webhook: req.Webhook,
			OAuthNonce: req.OAuthNonce, RedirectURI: req.OAuthRedirectURI, LinkCustomizationName: req.LinkCustomizationName}
		// A public token names the Item to repair in update mode, or with
		// a payment token the payer's Item, whose institution Link opens at.
		if named, e = s.publicTokenItem(ctx, c, req.PublicToken); e != nil {
			return protocol.SessionOpenResponse{}, e
		}
		if named.ID != "" && req.PaymentToken == "" {
			resp.Config = &protocol.SessionConfig{UpdateMode: true, InstitutionID: named.InstitutionID}
			cfg.UpdateItemID = named.ID
		}
	}
	// The client's Dashboard settings, with the Link customization the
	// session names.
	if resp.Settings, e = s.settings.Session(ctx, c.ClientID, c.linkToken(), cfg.LinkCustomizationName, cfg.CountryCodes, cfg.Language); e != nil {
		return protocol.SessionOpenResponse{}, e
	}
	resume, e := s.resumeOAuth(ctx, c, req)
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
		if resp.Config.Payment == nil {
			began, e := s.SessionConfig(ctx, c, resume.LinkSessionID, linkconfig.Config{})
			if e != nil {
				return protocol.SessionOpenResponse{}, e
			}
			if began.PaymentID != "" {
				if resp.Config.Payment, e = s.SessionPayment(ctx, c.ClientID, began.PaymentID); e != nil {
					return protocol.SessionOpenResponse{}, e
				}
			}
		}
		return resp, nil
	}
	if c.token == nil && req.PaymentToken != "" {
		// Last, so that nothing else can fail once the token is used up.
		payment, e := s.openPayment(ctx, c, req.PaymentToken)
		if e != nil {
			return protocol.SessionOpenResponse{}, e
		}
		payment.InstitutionID = named.InstitutionID
		resp.Config, cfg.PaymentID = &protocol.SessionConfig{Payment: payment}, payment.PaymentID
	}
	if req.LinkSessionID != "" {
		sess := store.Session{ID: req.LinkSessionID, ClientID: c.ClientID, LinkToken: c.linkToken(), StartedAt: c.Now, Config: cfg.Encode()}
		if err := s.store.StartSession(ctx, sess); err != nil {
			return protocol.SessionOpenResponse{}, service.StoreError(err)
		}
	}
	return resp, nil
}

// engineConfig is a link token's configuration as the engine runs it.
func (s *Backend) engineConfig(ctx context.Context, c Caller, cfg linkconfig.Config) (*protocol.SessionConfig, *plaid.Error) {
	out := &protocol.SessionConfig{
		ClientName:     cfg.ClientName,
		Products:       nonNil(cfg.Products),
		CountryCodes:   nonNil(cfg.CountryCodes),
		Language:       cfg.Language,
		Webhook:        cfg.Webhook,
		AccountFilters: cfg.AccountFilters,
		RedirectURI:    cfg.RedirectURI,
		MultiItem:      cfg.MultiItem,
	}
	if cfg.UpdateMode() {
		it, err := s.store.Item(ctx, c.ClientID, cfg.UpdateItemID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, plaid.InvalidLinkToken("the Item this update-mode link token was made for was removed")
		}
		if err != nil {
			return nil, service.StoreError(err)
		}
		out.UpdateMode, out.InstitutionID = true, it.InstitutionID
		if len(out.Products) == 0 {
			out.Products = nonNil(it.Products)
		}
	}
	if cfg.PaymentID != "" {
		payment, e := s.SessionPayment(ctx, c.ClientID, cfg.PaymentID)
		if e != nil {
			return nil, e
		}
		out.Payment = payment
	}
	return out, nil
}

// publicTokenItem returns the Item whose public token a legacy session
// opened with (the Item to repair, or a payment's payer), or the zero Item
// when it opened without one.
func (s *Backend) publicTokenItem(ctx context.Context, c Caller, publicToken string) (store.Item, *plaid.Error) {
	if publicToken == "" {
		return store.Item{}, nil
	}
	pt, err := s.store.PublicToken(ctx, c.ClientID, publicToken, c.Now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Item{}, plaid.InvalidPublicToken("")
	case errors.Is(err, store.ErrExpired):
		return store.Item{}, plaid.InvalidPublicToken("provided public token is expired. public tokens expire 30 minutes after creation")
	case err != nil:
		return store.Item{}, service.StoreError(err)
	}
	return s.updateItem(ctx, c, linkconfig.Config{UpdateItemID: pt.ItemID})
}

// SESSION_FINISHED statuses.
const (
	sessionSuccess = "SUCCESS"
	sessionExited  = "EXITED"
)

// RecordSession keeps what the engine reports of a session for
// /link/token/get and the control API. A link token that expired while the
// session ran still records. The end of a Multi-Item Link session queues
// LINK SESSION_FINISHED.
func (s *Backend) RecordSession(ctx context.Context, requestID string, req protocol.SessionRecordRequest) (protocol.SessionRecordResponse, *plaid.Error) {
	c, e := s.LinkCaller(ctx, req.PublicKey, req.LinkToken, true)
	if e != nil {
		return protocol.SessionRecordResponse{}, e
	}
	if req.LinkSessionID == "" {
		return protocol.SessionRecordResponse{}, plaid.MissingFields("link_session_id")
	}
	if e := checkEvents(req.Events); e != nil {
		return protocol.SessionRecordResponse{}, e
	}
	sess := recordedSession(c, req.LinkSessionID)
	cbs := eventCallbacks(c, req.Events)
	var finished time.Time
	var finish store.FinishHook
	var cfg linkconfig.Config
	if req.Success != nil || req.Exit != nil {
		// Only an end needs the session's configuration: for the
		// webhooks of a Multi-Item session's finish.
		if cfg, e = s.SessionConfig(ctx, c, req.LinkSessionID, linkconfig.Config{}); e != nil {
			return protocol.SessionRecordResponse{}, e
		}
	}
	if req.Success != nil {
		finish = service.MultiItemHook(cfg, c.ClientID, sess.ID, sess.LinkToken, sessionSuccess)
		payload, _ := json.Marshal(service.SessionSuccess{PublicToken: req.Success.PublicToken, Metadata: rawOrNull(req.Success.Metadata)})
		cbs = append(cbs, store.Callback{Name: store.OnSuccess, Payload: payload})
		finished = c.Now
	}
	if req.Exit != nil {
		if finish == nil {
			finish = service.MultiItemHook(cfg, c.ClientID, sess.ID, sess.LinkToken, sessionExited)
		}
		payload, _ := json.Marshal(service.SessionExit{Error: req.Exit.Error, Metadata: rawOrNull(req.Exit.Metadata)})
		cbs = append(cbs, store.Callback{Name: store.OnExit, Payload: payload})
		finished = c.Now
	}
	record := func() error { return s.store.RecordSession(ctx, sess, cbs, finished, finish) }
	// A record without finish webhooks queues none: no worker to wake.
	var err error
	if finish != nil {
		err = s.Commit(record)
	} else {
		err = record()
	}
	if err != nil {
		return protocol.SessionRecordResponse{}, service.StoreError(err)
	}
	return protocol.SessionRecordResponse{RequestID: requestID}, nil
}

// RecordCarried records the events one of the engine's requests carries
// (the onEvent calls that led up to it) before the request is handled,
// whatever comes of it, as RecordSession records a record's. A request
// whose events are malformed, or that names no session, is rejected with
// nothing recorded; one whose public key or link token is no client's
// records nothing either, and its handler says why.
func (s *Backend) RecordCarried(ctx context.Context, req protocol.SessionRecordRequest) *plaid.Error {
	if req.LinkSessionID == "" {
		return plaid.MissingFields("link_session_id")
	}
	if e := checkEvents(req.Events); e != nil {
		return e
	}
	c, e := s.LinkCaller(ctx, req.PublicKey, req.LinkToken, true)
	if e != nil {
		return nil
	}
	if err := s.store.RecordSession(ctx, recordedSession(c, req.LinkSessionID), eventCallbacks(c, req.Events), time.Time{}, nil); err != nil {
		return service.StoreError(err)
	}
	return nil
}

// checkEvents rejects recorded events without a name.
func checkEvents(events []protocol.RecordedEvent) *plaid.Error {
	for _, ev := range events {
		if ev.EventName == "" {
			return plaid.MissingFields("events.event_name")
		}
	}
	return nil
}

// recordedSession is the caller's session a record names, as recording
// starts it if it never was.
func recordedSession(c Caller, id string) store.Session {
	return store.Session{ID: id, ClientID: c.ClientID, LinkToken: c.linkToken(), StartedAt: c.Now, Config: json.RawMessage("{}")}
}

// eventCallbacks are the onEvent callbacks of recorded events; an event
// without a timestamp has the caller's now.
func eventCallbacks(c Caller, events []protocol.RecordedEvent) []store.Callback {
	cbs := make([]store.Callback, 0, len(events)+1)
	for _, ev := range events {
		ts := ev.Timestamp
		if ts == "" {
			ts = plaid.TimeNano(c.Now)
		}
		cbs = append(cbs, store.Callback{Name: store.OnEvent, EventID: ids.NewUUID(), EventName: ev.EventName, Timestamp: ts, Payload: rawOrNull(ev.EventMetadata)})
	}
	return cbs
}

func rawOrNull(m json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return json.RawMessage("null")
	}
	return m
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
