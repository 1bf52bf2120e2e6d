package control

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sessionlog"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// TestTimeline orders a session's callbacks, requests and webhooks.
func TestTimeline(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	ev := func(seq int, name string) store.Callback {
		return store.Callback{Seq: seq, Name: store.OnEvent, EventName: name, Timestamp: "2026-01-01T12:00:00Z", Payload: json.RawMessage(`{}`)}
	}
	end := func(seq int, name string) store.Callback {
		return store.Callback{Seq: seq, Name: name, Payload: json.RawMessage(`{"public_token":"p","metadata":{}}`)}
	}
	req := func(path string, ms, callbacks int) sessionlog.Request {
		return sessionlog.Request{Path: path, Status: 200, ReceivedAt: at(ms), Callbacks: callbacks}
	}
	hook := func(code string, ms int) store.Webhook {
		return store.Webhook{ID: code, Type: "ITEM", Code: code, CreatedAt: at(ms), Status: store.WebhookDelivered,
			Attempts: []store.Attempt{{N: 1, StatusCode: 503}, {N: 2, StatusCode: 200}}}
	}
	const (
		open    = protocol.PathSessionOpen
		create  = protocol.PathItemCreate
		connect = protocol.PathItemConnect
		record  = protocol.PathSessionRecord
	)
	for _, tc := range []struct {
		name  string
		cbs   []store.Callback
		reqs  []sessionlog.Request
		hooks []store.Webhook
		want  []string
	}{
		{"events in the requests they led up to",
			[]store.Callback{ev(1, "OPEN"), ev(2, "SUBMIT_CREDENTIALS"), ev(3, "TRANSITION_VIEW")},
			[]sessionlog.Request{req(open, 0, 0), req(create, 100, 2), req(connect, 200, 3)}, nil,
			[]string{"request " + open, "event OPEN", "event SUBMIT_CREDENTIALS", "request " + create, "event TRANSITION_VIEW", "request " + connect}},
		{"a request that carried nothing",
			[]store.Callback{ev(1, "OPEN")},
			[]sessionlog.Request{req(open, 0, 0), req(create, 100, 1), req(protocol.PathOAuthStatus, 200, 1)}, nil,
			[]string{"request " + open, "event OPEN", "request " + create, "request " + protocol.PathOAuthStatus}},
		{"a record soon after a request keeps its own events",
			[]store.Callback{ev(1, "OPEN"), ev(2, "TRANSITION_VIEW")},
			[]sessionlog.Request{req(create, 100, 1), req(record, 110, 2)}, nil,
			[]string{"event OPEN", "request " + create, "event TRANSITION_VIEW", "request " + record}},
		{"the end in a record of its own",
			[]store.Callback{ev(1, "TRANSITION_VIEW"), ev(2, "TRANSITION_VIEW"), end(3, store.OnSuccess), ev(4, "HANDOFF")},
			[]sessionlog.Request{req(create, 0, 1), req(record, 5000, 4)}, nil,
			[]string{"event TRANSITION_VIEW", "request " + create, "event TRANSITION_VIEW", "callback onSuccess", "event HANDOFF", "request " + record}},
		{"webhooks after the request they followed",
			[]store.Callback{ev(1, "OPEN"), end(2, store.OnSuccess)},
			[]sessionlog.Request{req(open, 0, 0), req(protocol.PathItemConnect, 100, 0), req(record, 3000, 2)},
			[]store.Webhook{hook("LATE", 9000), hook("INITIAL_UPDATE", 150)},
			[]string{"request " + open, "request " + protocol.PathItemConnect, "webhook ITEM INITIAL_UPDATE", "event OPEN", "callback onSuccess",
				"request " + record, "webhook ITEM LATE"}},
		{"callbacks no request carried",
			[]store.Callback{ev(1, "OPEN"), end(2, store.OnExit)}, nil, []store.Webhook{hook("ERROR", 0)},
			[]string{"event OPEN", "callback onExit", "webhook ITEM ERROR"}},
		{"nothing", nil, nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, e := range timeline(tc.cbs, tc.reqs, tc.hooks) {
				got = append(got, e.Kind+" "+e.Name)
				if e.Kind == kindWebhook && len(e.Webhook.Attempts) != 2 {
					t.Errorf("webhook %s has %d attempts, want 2", e.Name, len(e.Webhook.Attempts))
				}
				if e.Kind == kindCallback && (e.Callback == nil || len(e.Callback.Args) != 2) {
					t.Errorf("callback %s = %+v, want its two arguments", e.Name, e.Callback)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("timeline = %q\nwant       %q", got, tc.want)
			}
		})
	}
}
