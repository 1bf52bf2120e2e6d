package control

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sessionlog"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// The session inspector's routes (the page at /linkharness/ reads them):
// a client's sessions and Items, and one session's timeline.

// inspectorRoutes are the routes the session inspector reads.
func (s *API) inspectorRoutes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: Prefix + "sessions/list", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlSessionsList), Doc: "`{}`: the client's Link sessions, the newest first, each with its link token, start, end (onSuccess or onExit), events and Items added"},
		{Method: "POST", Path: Prefix + "items/list", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlItemsList), Doc: "`{}`: the client's Items, the newest first, each with its institution, products, session, webhook and error"},
		{Method: "POST", Path: Prefix + "session/timeline", Group: httpapi.GroupControl, Handler: httpapi.Plaid(s.Auth, s.controlSessionTimeline), Doc: "`{\"link_session_id\"}` or `{\"link_token\"}`: everything of a session in order: events with their metadata, onSuccess or onExit, the engine's backend requests, and the webhooks of its Items with every delivery attempt"},
	}
}

type controlSessionsResponse struct {
	Sessions  []inspectorSession `json:"sessions"`
	RequestID string             `json:"request_id"`
}

// inspectorSession is a session as the inspector lists it.
type inspectorSession struct {
	LinkSessionID string  `json:"link_session_id"`
	LinkToken     string  `json:"link_token"`
	StartedAt     string  `json:"started_at"`
	FinishedAt    *string `json:"finished_at"`
	// Status is "running", "success" (onSuccess) or "exit" (onExit).
	Status string `json:"status"`
	Events int    `json:"events"`
	Items  int    `json:"items"`
}

func sessionOut(s sessionlog.Session) inspectorSession {
	status := "running"
	switch {
	case s.End == store.OnSuccess:
		status = "success"
	case s.End == store.OnExit:
		status = "exit"
	case !s.FinishedAt.IsZero():
		status = "finished"
	}
	return inspectorSession{LinkSessionID: s.ID, LinkToken: s.LinkToken, StartedAt: plaid.TimeNano(s.StartedAt),
		FinishedAt: plaid.OptTimeNano(s.FinishedAt), Status: status, Events: s.Events, Items: s.Items}
}

func (s *API) controlSessionsList(ctx context.Context, c *httpapi.Call, _ *controlRequest) (controlSessionsResponse, *plaid.Error) {
	list, err := s.Log.Sessions(ctx, c.Tenant.ClientID)
	if err != nil {
		return controlSessionsResponse{}, service.StoreError(err)
	}
	out := controlSessionsResponse{Sessions: []inspectorSession{}, RequestID: c.RequestID}
	for _, sess := range list {
		out.Sessions = append(out.Sessions, sessionOut(sess))
	}
	return out, nil
}

type controlItemsResponse struct {
	Items     []inspectorItem `json:"items"`
	RequestID string          `json:"request_id"`
}

// inspectorItem is an Item as the inspector lists it.
type inspectorItem struct {
	ItemID        string          `json:"item_id"`
	InstitutionID string          `json:"institution_id"`
	LinkSessionID string          `json:"link_session_id"`
	Products      []string        `json:"products"`
	Webhook       string          `json:"webhook"`
	Connected     bool            `json:"connected"`
	Accounts      int             `json:"accounts"`
	Error         json.RawMessage `json:"error"`
	CreatedAt     string          `json:"created_at"`
}

func (s *API) controlItemsList(ctx context.Context, c *httpapi.Call, _ *controlRequest) (controlItemsResponse, *plaid.Error) {
	list, err := s.Log.Items(ctx, c.Tenant.ClientID)
	if err != nil {
		return controlItemsResponse{}, service.StoreError(err)
	}
	out := controlItemsResponse{Items: []inspectorItem{}, RequestID: c.RequestID}
	for _, it := range list {
		out.Items = append(out.Items, inspectorItem{ItemID: it.ID, InstitutionID: it.InstitutionID, LinkSessionID: it.LinkSessionID,
			Products: it.Products, Webhook: it.Webhook, Connected: it.Connected, Accounts: it.Accounts,
			Error: httpapi.RawOrNull(it.Error), CreatedAt: plaid.TimeNano(it.CreatedAt)})
	}
	return out, nil
}

type controlTimelineResponse struct {
	Session   inspectorSession `json:"session"`
	Timeline  []timelineEntry  `json:"timeline"`
	RequestID string           `json:"request_id"`
}

// Timeline entry kinds.
const (
	kindEvent    = "event"    // an onEvent call
	kindCallback = "callback" // onSuccess or onExit
	kindRequest  = "request"  // a request of the engine's to the backend
	kindWebhook  = "webhook"  // a webhook of the session's Items
)

// timelineEntry is one thing that happened in a session. Name is the
// event's name, the callback's, the request's path or the webhook's
// "TYPE CODE"; At is when (an event's own timestamp, the server's clock
// for the rest), null when not known.
type timelineEntry struct {
	Kind     string           `json:"kind"`
	Name     string           `json:"name"`
	At       *string          `json:"at"`
	Callback *controlCallback `json:"callback,omitempty"`
	Request  *timelineRequest `json:"request,omitempty"`
	Webhook  *controlWebhook  `json:"webhook,omitempty"`
}

// timelineRequest is a backend request of the session's.
type timelineRequest struct {
	Path       string `json:"path"`
	Status     int    `json:"status"`
	ErrorCode  string `json:"error_code"`
	RequestID  string `json:"request_id"`
	DurationMS int64  `json:"duration_ms"`
}

func (s *API) controlSessionTimeline(ctx context.Context, c *httpapi.Call, req *controlSessionRequest) (controlTimelineResponse, *plaid.Error) {
	sess, e := s.Svc.Session(ctx, c.Tenant, req.LinkSessionID, req.LinkToken)
	if e != nil {
		return controlTimelineResponse{}, e
	}
	requests, err := s.Log.Requests(ctx, c.Tenant.ClientID, sess.ID)
	if err != nil {
		return controlTimelineResponse{}, service.StoreError(err)
	}
	hooks, e := s.Svc.Webhooks(ctx, c.Tenant, store.WebhookFilter{LinkSessionID: sess.ID})
	if e != nil {
		return controlTimelineResponse{}, e
	}
	events, end := 0, ""
	for _, cb := range sess.Callbacks {
		if cb.Name == store.OnEvent {
			events++
		} else {
			end = cb.Name
		}
	}
	head := sessionOut(sessionlog.Session{ID: sess.ID, LinkToken: sess.LinkToken, StartedAt: sess.StartedAt, FinishedAt: sess.FinishedAt,
		End: end, Events: events, Items: len(sess.Results)})
	return controlTimelineResponse{Session: head, Timeline: timeline(sess.Callbacks, requests, hooks), RequestID: c.RequestID}, nil
}

// timeline puts a session's callbacks, requests and webhooks in one
// order. Requests are in the order they came; the callbacks a request
// carried come just before it, as they happened before it was sent: the
// events in the body of one of the engine's own requests, recorded before
// it was handled, and what a /link/session/record told (those up to the
// request's Callbacks, after the previous request's). A webhook comes
// after the last request received before it was made. Callbacks that no
// request carried (recorded before requests were) come after the last
// request, in their order.
func timeline(cbs []store.Callback, reqs []sessionlog.Request, hooks []store.Webhook) []timelineEntry {
	out := []timelineEntry{}
	next := 0 // the next callback to place
	placeCallbacks := func(through int, at time.Time) {
		for ; next < len(cbs) && (through < 0 || cbs[next].Seq <= through); next++ {
			out = append(out, callbackEntry(cbs[next], at))
		}
	}
	hooks = slices.Clone(hooks)
	slices.SortStableFunc(hooks, func(a, b store.Webhook) int { return a.CreatedAt.Compare(b.CreatedAt) })
	h := 0
	placeHooks := func(before time.Time, all bool) {
		for ; h < len(hooks) && (all || hooks[h].CreatedAt.Truncate(time.Millisecond).Before(before)); h++ {
			w := webhooksOut(hooks[h : h+1])[0]
			out = append(out, timelineEntry{Kind: kindWebhook, Name: w.WebhookType + " " + w.WebhookCode, At: &w.CreatedAt, Webhook: &w})
		}
	}
	for _, r := range reqs {
		placeHooks(r.ReceivedAt, false)
		placeCallbacks(r.Callbacks, r.ReceivedAt)
		at := plaid.TimeNano(r.ReceivedAt)
		out = append(out, timelineEntry{Kind: kindRequest, Name: r.Path, At: &at, Request: &timelineRequest{Path: r.Path,
			Status: r.Status, ErrorCode: r.ErrorCode, RequestID: r.RequestID, DurationMS: r.Duration.Milliseconds()}})
	}
	placeCallbacks(-1, time.Time{})
	placeHooks(time.Time{}, true)
	return out
}

// callbackEntry is a callback's entry: an event at its own timestamp, or
// onSuccess or onExit at when the request that carried it came (at, zero
// when unknown).
func callbackEntry(cb store.Callback, at time.Time) timelineEntry {
	out := callbackOut(cb)
	e := timelineEntry{Kind: kindCallback, Name: cb.Name, At: plaid.OptTimeNano(at), Callback: &out}
	if cb.Name == store.OnEvent {
		e.Kind, e.Name = kindEvent, cb.EventName
		if cb.Timestamp != "" {
			ts := cb.Timestamp
			e.At = &ts
		}
	}
	return e
}
