package sessionlog_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sessionlog"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// TestLog records requests of a link-token and a public-key session,
// refuses requests that name no session of their caller, lists sessions
// and Items per client, and forgets them on the client's reset.
func TestLog(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, sess := range []store.Session{
		{ID: "tok-sess", ClientID: "c", LinkToken: "link-tok", StartedAt: now, Config: json.RawMessage(`{}`)},
		{ID: "key-sess", ClientID: "c", StartedAt: now.Add(time.Minute), Config: json.RawMessage(`{}`)},
		{ID: "other", ClientID: "d", StartedAt: now, Config: json.RawMessage(`{}`)},
	} {
		if err := s.StartSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	// Two events, then onSuccess, finish the link-token session.
	tokSess := store.Session{ID: "tok-sess", ClientID: "c", LinkToken: "link-tok", StartedAt: now, Config: json.RawMessage(`{}`)}
	if err := s.RecordSession(ctx, tokSess, []store.Callback{
		{Name: store.OnEvent, EventID: "e1", EventName: "OPEN", Payload: json.RawMessage(`{}`)},
		{Name: store.OnEvent, EventID: "e2", EventName: "HANDOFF", Payload: json.RawMessage(`{}`)},
		{Name: store.OnSuccess, Payload: json.RawMessage(`{}`)},
	}, now.Add(2*time.Second), nil); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", InstitutionID: "ins_109508", Products: []string{"auth"},
		LinkSessionID: "tok-sess", Accounts: []store.Account{{ID: "a"}, {ID: "b"}}, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	log := sessionlog.New(s)
	for _, tc := range []struct {
		name   string
		caller sessionlog.Caller
		path   string
	}{
		{"link token", sessionlog.Caller{LinkSessionID: "tok-sess", LinkToken: "link-tok"}, "/link/session/open"},
		{"link token again", sessionlog.Caller{LinkSessionID: "tok-sess", LinkToken: "link-tok"}, "/link/session/record"},
		{"public key", sessionlog.Caller{LinkSessionID: "key-sess", ClientID: "c"}, "/link/item/create"},
		{"wrong token", sessionlog.Caller{LinkSessionID: "tok-sess", LinkToken: "other-tok"}, "/link/forged"},
		{"other client's session", sessionlog.Caller{LinkSessionID: "other", ClientID: "c"}, "/link/forged"},
		{"token session by key", sessionlog.Caller{LinkSessionID: "tok-sess", ClientID: "c"}, "/link/forged"},
		{"unknown session", sessionlog.Caller{LinkSessionID: "nope", ClientID: "c"}, "/link/forged"},
	} {
		if err := log.Record(ctx, tc.caller, sessionlog.Request{Path: tc.path, Status: 200, RequestID: tc.name, ReceivedAt: now, Duration: 3 * time.Millisecond}); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	for _, tc := range []struct {
		client, session string
		paths           []string
		callbacks       []int
	}{
		{"c", "tok-sess", []string{"/link/session/open", "/link/session/record"}, []int{3, 3}},
		{"c", "key-sess", []string{"/link/item/create"}, []int{0}},
		{"d", "other", nil, nil},
		{"d", "tok-sess", nil, nil},
	} {
		got, err := log.Requests(ctx, tc.client, tc.session)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tc.paths) {
			t.Errorf("%s/%s: %d requests %+v, want %q", tc.client, tc.session, len(got), got, tc.paths)
			continue
		}
		for i, r := range got {
			if r.Seq != i+1 || r.Path != tc.paths[i] || r.Callbacks != tc.callbacks[i] || r.Duration != 3*time.Millisecond || !r.ReceivedAt.Equal(now) {
				t.Errorf("%s/%s request %d = %+v, want %s after callback %d", tc.client, tc.session, i, r, tc.paths[i], tc.callbacks[i])
			}
		}
	}
	sessions, err := log.Sessions(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if len(sessions) != 2 || sessions[0].ID != "key-sess" || sessions[0].End != "" || !sessions[0].FinishedAt.IsZero() ||
		sessions[1].ID != "tok-sess" || sessions[1].End != store.OnSuccess || sessions[1].Events != 2 || sessions[1].Items != 1 {
		t.Errorf("sessions of c = %+v", sessions)
	}
	items, err := log.Items(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].ID != "item" || items[0].Accounts != 2 || items[0].LinkSessionID != "tok-sess" || len(items[0].Products) != 1 {
		t.Errorf("items of c = %+v", items)
	}
	if items, _ := log.Items(ctx, "d"); len(items) != 0 {
		t.Errorf("items of d = %+v, want none", items)
	}
	if err := s.Reset(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	if got, _ := log.Requests(ctx, "c", "tok-sess"); len(got) != 0 {
		t.Errorf("after reset: %+v", got)
	}
	if got, _ := log.Sessions(ctx, "c"); len(got) != 0 {
		t.Errorf("sessions after reset: %+v", got)
	}
}
