// Package control is linkharness's own control API for tests, under
// /linkharness/: reset a client, move its clock, read its sessions,
// webhooks, billing and Dashboard settings, and complete a Link session
// without a browser.
package control

import (
	"context"
	"encoding/json"
	"time"

	"github.com/linkharness/linkharness/internal/linkbackend"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/web/internal/httpapi"
	"github.com/linkharness/linkharness/web/internal/plaidapi"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sessionlog"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// Prefix is where the test-control API lives, apart from Plaid's
// paths. Its endpoints take POSTed JSON, authenticate with a client's
// credentials (in the body or the PLAID-CLIENT-ID / PLAID-SECRET headers),
// act on that client's data only and answer errors in Plaid's shape:
//
//	/linkharness/reset            {}                       -> {}
//	/linkharness/clock/get        {}                       -> {now, offset_seconds}
//	/linkharness/clock/advance    {seconds | duration}     -> {now, offset_seconds}
//	/linkharness/session/get      {link_session_id | link_token} -> {session}
//	/linkharness/session/complete {link_token?, institution_id?, username?,
//	                               password?, accounts?, products?, webhook?}
//	                              -> {link_session_id, public_token, institution, accounts}
//	/linkharness/webhooks/list    {item_id?, link_session_id?} -> {webhooks}
//	/linkharness/webhooks/resend  {webhook_id}             -> {}
//	/linkharness/billing/list     {item_id?}               -> {billing}
//	/linkharness/sessions/list    {}                       -> {sessions}
//	/linkharness/items/list       {}                       -> {items}
//	/linkharness/session/timeline {link_session_id | link_token} -> {session, timeline}
//	/linkharness/settings/get     {link_token?}            -> {settings}
//	/linkharness/settings/set     {link_token?, settings}  -> {settings}
//
// Every answer also carries a request_id.
const Prefix = "/linkharness/"

// Routes are the control API's endpoints.
func (s *API) Routes() []httpapi.Route {
	routes := []httpapi.Route{
		{Method: "POST", Path: Prefix + "reset", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlReset), Doc: "`{}`: forgets the client's tokens, Items, users, sessions, webhooks, clock offset and the settings the control API set"},
		{Method: "POST", Path: Prefix + "clock/get", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlClockGet), Doc: "`{}`: the client's emulated clock"},
		{Method: "POST", Path: Prefix + "clock/advance", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlClockAdvance), Doc: "`{\"seconds\": 1800}` or `{\"duration\": \"30m\"}`: moves the clock on, so link, public and payment tokens expire without waiting; only forward, and at most 100 years ahead (INVALID_FIELD beyond)"},
		{Method: "POST", Path: Prefix + "session/get", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlSessionGet), Doc: "`{\"link_session_id\"}` or `{\"link_token\"}`: a session as `/link/token/get` shows it, plus its callbacks and webhook deliveries"},
		{Method: "POST", Path: Prefix + "session/complete", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlSessionComplete), Doc: "`{\"link_token\", \"institution_id\", \"username\", \"password\", \"accounts\"}`, all optional: finishes a session without a browser and returns the public token a UI flow would have produced"},
		{Method: "POST", Path: Prefix + "webhooks/list", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlWebhooksList), Doc: "`{\"item_id\"}` or `{\"link_session_id\"}`: webhook deliveries with every attempt and its status"},
		{Method: "POST", Path: Prefix + "webhooks/resend", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlWebhookResend), Doc: "`{\"webhook_id\"}`: delivers a delivered or failed webhook again, now, on the same retry schedule; its attempts go on in the list"},
		{Method: "POST", Path: Prefix + "billing/list", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlBillingList), Doc: "`{\"item_id\"}`, optional: the billing ledger, each product billed, when, why, by which call, one-time or subscription (with when its billing ended), and each call billed per request"},
		{Method: "POST", Path: Prefix + "settings/get", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlSettingsGet), Doc: "`{\"link_token\"}`, optional: the client's Dashboard settings (`account_select`, `link_customizations`, `institution_health`, `webhook_retry`, `chaos_ordering`), or those the token's sessions run with"},
		{Method: "POST", Path: Prefix + "settings/set", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlSettingsSet), Doc: "`{\"settings\": {\"account_select\": {\"mode\": \"single\"}}}`, with `\"link_token\"` for that token's sessions only: changes the settings by a JSON merge patch (`null` removes one) and returns them; a bad value is INVALID_FIELD naming it, and reset brings back the server's"},
	}
	return append(routes, s.inspectorRoutes()...)
}

// controlRequest is the body of the control endpoints that take nothing
// but credentials.
type controlRequest struct {
	httpapi.Credentials
}

// controlReset forgets everything the client made: link tokens, sessions,
// Items, users, webhooks (pending ones are never delivered) and its clock.
func (s *API) controlReset(ctx context.Context, c *httpapi.Call, _ *controlRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := s.Svc.Reset(ctx, c.Tenant); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

// clockResponse is the client's emulator clock.
type clockResponse struct {
	Now           string  `json:"now"`
	OffsetSeconds float64 `json:"offset_seconds"`
	RequestID     string  `json:"request_id"`
}

func (s *API) controlClockGet(ctx context.Context, c *httpapi.Call, _ *controlRequest) (clockResponse, *plaid.Error) {
	off, e := s.Svc.ClockOffset(ctx, c.Tenant)
	if e != nil {
		return clockResponse{}, e
	}
	return clockResponse{Now: plaid.TimeNano(c.Tenant.Now), OffsetSeconds: off.Seconds(), RequestID: c.RequestID}, nil
}

// clockAdvanceRequest moves the clock forward by seconds or by a Go
// duration such as "30m" or "4h1s".
type clockAdvanceRequest struct {
	httpapi.Credentials
	Seconds  float64 `json:"seconds"`
	Duration string  `json:"duration"`
}

// controlClockAdvance moves the client's clock forward, so that its link,
// public and payment tokens expire without waiting.
func (s *API) controlClockAdvance(ctx context.Context, c *httpapi.Call, req *clockAdvanceRequest) (clockResponse, *plaid.Error) {
	// A number of seconds beyond the limit would overflow a Duration, so
	// it is refused before it is one.
	if req.Seconds > service.MaxClockOffset.Seconds() {
		return clockResponse{}, service.ClockLimit()
	}
	d := time.Duration(req.Seconds * float64(time.Second))
	if req.Duration != "" {
		parsed, err := time.ParseDuration(req.Duration)
		if err != nil {
			return clockResponse{}, plaid.InvalidField("duration must be a duration such as \"30m\" or \"4h\": " + err.Error())
		}
		d += parsed
	}
	off, e := s.Svc.AdvanceClock(ctx, c.Tenant, d)
	if e != nil {
		return clockResponse{}, e
	}
	if s.ClockAdvanced != nil {
		if err := s.ClockAdvanced(ctx, c.Tenant.ClientID, d); err != nil {
			return clockResponse{}, service.StoreError(err)
		}
	}
	return clockResponse{Now: plaid.TimeNano(c.Tenant.Now.Add(d)), OffsetSeconds: off.Seconds(), RequestID: c.RequestID}, nil
}

// controlSessionRequest names a session by its ID or by its link token
// (the token's latest session).
type controlSessionRequest struct {
	httpapi.Credentials
	LinkSessionID string `json:"link_session_id"`
	LinkToken     string `json:"link_token"`
}

type controlSessionResponse struct {
	Session   controlSession `json:"session"`
	RequestID string         `json:"request_id"`
}

// controlSession is everything recorded of a session: what
// /link/token/get shows, every callback with its arguments in order, and
// the webhooks of its Items with their delivery attempts.
type controlSession struct {
	plaidapi.LinkSessionReport
	LinkToken string            `json:"link_token"`
	Callbacks []controlCallback `json:"callbacks"`
	Webhooks  []controlWebhook  `json:"webhooks"`
}

// controlCallback is one call of a page callback: onEvent(event_name,
// metadata), onSuccess(public_token, metadata) or onExit(error, metadata).
type controlCallback struct {
	Name string            `json:"name"`
	Args []json.RawMessage `json:"args"`
}

func (s *API) controlSessionGet(ctx context.Context, c *httpapi.Call, req *controlSessionRequest) (controlSessionResponse, *plaid.Error) {
	sess, e := s.Svc.Session(ctx, c.Tenant, req.LinkSessionID, req.LinkToken)
	if e != nil {
		return controlSessionResponse{}, e
	}
	out := controlSession{LinkSessionReport: plaidapi.SessionReport(sess), LinkToken: sess.LinkToken, Callbacks: []controlCallback{}}
	for _, cb := range sess.Callbacks {
		out.Callbacks = append(out.Callbacks, callbackOut(cb))
	}
	hooks, e := s.Svc.Webhooks(ctx, c.Tenant, store.WebhookFilter{LinkSessionID: sess.ID})
	if e != nil {
		return controlSessionResponse{}, e
	}
	out.Webhooks = webhooksOut(hooks)
	return controlSessionResponse{Session: out, RequestID: c.RequestID}, nil
}

func callbackOut(cb store.Callback) controlCallback {
	out := controlCallback{Name: cb.Name}
	switch cb.Name {
	case store.OnEvent:
		name, _ := json.Marshal(cb.EventName)
		out.Args = []json.RawMessage{name, cb.Payload}
	case store.OnSuccess:
		var v service.SessionSuccess
		json.Unmarshal(cb.Payload, &v)
		tok, _ := json.Marshal(v.PublicToken)
		out.Args = []json.RawMessage{tok, httpapi.RawOrNull(v.Metadata)}
	case store.OnExit:
		var v struct {
			Error    json.RawMessage `json:"error"`
			Metadata json.RawMessage `json:"metadata"`
		}
		json.Unmarshal(cb.Payload, &v)
		out.Args = []json.RawMessage{httpapi.RawOrNull(v.Error), httpapi.RawOrNull(v.Metadata)}
	}
	return out
}

// controlWebhook is a webhook with its delivery attempts.
type controlWebhook struct {
	WebhookID     string           `json:"webhook_id"`
	ItemID        string           `json:"item_id"`
	LinkSessionID string           `json:"link_session_id"`
	URL           string           `json:"url"`
	WebhookType   string           `json:"webhook_type"`
	WebhookCode   string           `json:"webhook_code"`
	Body          json.RawMessage  `json:"body"`
	Status        string           `json:"status"`
	CreatedAt     string           `json:"created_at"`
	NextAttemptAt *string          `json:"next_attempt_at"`
	DeliveredAt   *string          `json:"delivered_at"`
	Attempts      []controlAttempt `json:"attempts"`
}

type controlAttempt struct {
	Attempt    int    `json:"attempt"`
	StartedAt  string `json:"started_at"`
	DurationMS int64  `json:"duration_ms"`
	StatusCode int    `json:"status_code"`
	Error      string `json:"error"`
}

func webhooksOut(hooks []store.Webhook) []controlWebhook {
	out := []controlWebhook{}
	for _, h := range hooks {
		w := controlWebhook{WebhookID: h.ID, ItemID: h.ItemID, LinkSessionID: h.LinkSessionID, URL: h.URL, WebhookType: h.Type,
			WebhookCode: h.Code, Body: h.Body, Status: h.Status, CreatedAt: plaid.TimeNano(h.CreatedAt),
			DeliveredAt: plaid.OptTimeNano(h.DeliveredAt), Attempts: []controlAttempt{}}
		if h.Status == store.WebhookPending {
			w.NextAttemptAt = plaid.OptTimeNano(h.NextAttemptAt)
		}
		for _, a := range h.Attempts {
			w.Attempts = append(w.Attempts, controlAttempt{Attempt: a.N, StartedAt: plaid.TimeNano(a.StartedAt),
				DurationMS: a.Duration.Milliseconds(), StatusCode: a.StatusCode, Error: a.Error})
		}
		out = append(out, w)
	}
	return out
}

// controlWebhooksRequest filters the client's webhooks.
type controlWebhooksRequest struct {
	httpapi.Credentials
	ItemID        string `json:"item_id"`
	LinkSessionID string `json:"link_session_id"`
}

type controlWebhooksResponse struct {
	Webhooks  []controlWebhook `json:"webhooks"`
	RequestID string           `json:"request_id"`
}

func (s *API) controlWebhooksList(ctx context.Context, c *httpapi.Call, req *controlWebhooksRequest) (controlWebhooksResponse, *plaid.Error) {
	hooks, e := s.Svc.Webhooks(ctx, c.Tenant, store.WebhookFilter{ItemID: req.ItemID, LinkSessionID: req.LinkSessionID})
	if e != nil {
		return controlWebhooksResponse{}, e
	}
	return controlWebhooksResponse{Webhooks: webhooksOut(hooks), RequestID: c.RequestID}, nil
}

type controlResendRequest struct {
	httpapi.Credentials
	WebhookID string `json:"webhook_id"`
}

func (s *API) controlWebhookResend(ctx context.Context, c *httpapi.Call, req *controlResendRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if req.WebhookID == "" {
		return httpapi.RequestIDResponse{}, plaid.MissingFields("webhook_id")
	}
	if e := s.Svc.ResendWebhook(ctx, c.Tenant, req.WebhookID); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

// controlCompleteRequest completes a Link session without a browser. With
// a link_token it runs with the token's products and webhook; without one
// it is a public-key session with the products and webhook given. The
// login defaults to user_good / pass_good at First Platypus Bank, and the
// accounts to every sandbox account that fits the products; accounts
// picks by name or mask instead.
type controlCompleteRequest struct {
	httpapi.Credentials
	LinkToken     string   `json:"link_token"`
	InstitutionID string   `json:"institution_id"`
	Username      string   `json:"username"`
	Password      string   `json:"password"`
	Accounts      []string `json:"accounts"`
	Products      []string `json:"products"`
	Webhook       string   `json:"webhook"`
}

type controlCompleteResponse struct {
	LinkSessionID string              `json:"link_session_id"`
	PublicToken   string              `json:"public_token"`
	Institution   service.Institution `json:"institution"`
	Accounts      []protocol.Account  `json:"accounts"`
	RequestID     string              `json:"request_id"`
}

// controlSessionComplete does what a successful Link flow does on the
// server: it starts a session, logs in, creates the Item with the chosen
// accounts, issues the public token and records onSuccess, so that
// /link/token/get and the webhooks look as after a UI flow (no onEvent
// calls are recorded: the engine makes those).
func (s *API) controlSessionComplete(ctx context.Context, c *httpapi.Call, req *controlCompleteRequest) (controlCompleteResponse, *plaid.Error) {
	if req.LinkToken == "" {
		if e := plaid.CheckAll("products", req.Products, product.Names(nil)); e != nil {
			return controlCompleteResponse{}, e
		}
		if e := httpapi.CheckURL("webhook", req.Webhook); e != nil {
			return controlCompleteResponse{}, e
		}
	}
	start := time.Now()
	done, e := s.Link.Complete(ctx, c.Tenant, linkbackend.Completion{LinkToken: req.LinkToken, InstitutionID: req.InstitutionID,
		Username: req.Username, Password: req.Password, Accounts: req.Accounts, Products: req.Products, Webhook: req.Webhook,
		Endpoint: Prefix + "session/complete"})
	if e != nil {
		return controlCompleteResponse{}, e
	}
	if s.Log != nil {
		// The session's one backend request, for its timeline; a record
		// that fails costs the inspector a row, not the caller its answer.
		s.Log.Record(ctx, sessionlog.Caller{LinkSessionID: done.LinkSessionID, LinkToken: req.LinkToken, ClientID: c.Tenant.ClientID},
			sessionlog.Request{Path: Prefix + "session/complete", Status: 200, RequestID: c.RequestID, ReceivedAt: start, Duration: time.Since(start)})
	}
	return controlCompleteResponse{LinkSessionID: done.LinkSessionID, PublicToken: done.PublicToken, Institution: done.Result.Institution,
		Accounts: done.Result.Accounts, RequestID: c.RequestID}, nil
}
