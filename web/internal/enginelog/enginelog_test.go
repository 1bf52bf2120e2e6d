package enginelog_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sessionlog"
	"github.com/linkharness/linkharness/internal/store/sqlite"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web/internal/enginelog"
)

// TestWrap passes each request to its handler whole and answers as the
// handler did, and records only those that name a session of their
// caller's, with the answer's status, error_code and request_id.
func TestWrap(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, s := range []store.Session{
		{ID: "tok-sess", ClientID: "c", LinkToken: "link-tok", StartedAt: now, Config: json.RawMessage(`{}`)},
		{ID: "key-sess", ClientID: "c", StartedAt: now, Config: json.RawMessage(`{}`)},
	} {
		if err := st.StartSession(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	log := sessionlog.New(st)
	rec := &enginelog.Recorder{Log: log, Now: func() time.Time { return now },
		ClientByPublicKey: func(key string) (string, bool) { return "c", key == "c-key" }}
	// The handler echoes the body it got, with the status the body asks.
	h := rec.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), "fail") {
			w.WriteHeader(400)
			w.Write([]byte(`{"error_code":"INVALID_CREDENTIALS","request_id":"req-bad"}`))
			return
		}
		w.Write([]byte(`{"request_id":"req-ok","echo":` + string(body) + `}`))
	}), false)
	for _, tc := range []struct {
		name, body string
		status     int
		recorded   string // the session recorded in, or ""
	}{
		{"link token", `{"link_token":"link-tok","link_session_id":"tok-sess"}`, 200, "tok-sess"},
		{"public key, failed", `{"public_key":"c-key","link_session_id":"key-sess","password":"fail"}`, 400, "key-sess"},
		{"unknown public key", `{"public_key":"other","link_session_id":"key-sess"}`, 200, ""},
		{"another token", `{"link_token":"other","link_session_id":"tok-sess"}`, 200, ""},
		{"no session", `{"link_token":"link-tok"}`, 200, ""},
		{"not JSON", `not json`, 200, ""},
	} {
		before := count(t, log)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("POST", "/link/item/create", strings.NewReader(tc.body)))
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, w.Code, tc.status)
		}
		if tc.status == 200 && !strings.Contains(w.Body.String(), tc.body) {
			t.Errorf("%s: the handler got %s, want the whole body", tc.name, w.Body)
		}
		after := count(t, log)
		if got := after - before; (tc.recorded != "") != (got == 1) || got > 1 {
			t.Errorf("%s: %d requests recorded, want %v", tc.name, got, tc.recorded != "")
		}
	}
	for _, tc := range []struct {
		session, requestID, code string
		status                   int
	}{{"tok-sess", "req-ok", "", 200}, {"key-sess", "req-bad", "INVALID_CREDENTIALS", 400}} {
		got, err := log.Requests(ctx, "c", tc.session)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Path != "/link/item/create" || got[0].Status != tc.status || got[0].ErrorCode != tc.code ||
			got[0].RequestID != tc.requestID || !got[0].ReceivedAt.Equal(now) {
			t.Errorf("%s: recorded %+v", tc.session, got)
		}
	}
	if (*enginelog.Recorder)(nil).Wrap(http.NotFoundHandler(), true) == nil {
		t.Error("a nil Recorder wraps nothing")
	}
}

// count is how many requests the two sessions recorded.
func count(t *testing.T, log *sessionlog.Log) int {
	t.Helper()
	n := 0
	for _, s := range []string{"tok-sess", "key-sess"} {
		got, err := log.Requests(context.Background(), "c", s)
		if err != nil {
			t.Fatal(err)
		}
		n += len(got)
	}
	return n
}

// TestCarry records the events a request carries before its handler
// runs, whatever the handler answers; a request Carry rejects is answered
// with the error and not handled; a body that is not JSON, or whose
// events are no list, and a route that carries nothing reach the handler
// with nothing carried.
func TestCarry(t *testing.T) {
	var carried []string // the names of the events carried so far
	rec := &enginelog.Recorder{Carry: func(_ context.Context, req protocol.SessionRecordRequest) *plaid.Error {
		for _, ev := range req.Events {
			if ev.EventName == "" {
				return plaid.MissingFields("events.event_name")
			}
		}
		for _, ev := range req.Events {
			carried = append(carried, req.LinkSessionID+":"+ev.EventName)
		}
		return nil
	}}
	var handled []string // what was carried when the handler ran
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		handled = append(handled, strings.Join(carried, ","))
		if strings.Contains(string(body), "fail") {
			w.WriteHeader(400)
		}
		w.Write(body)
	})
	for _, tc := range []struct {
		name, body string
		carries    bool
		status     int
		carried    string // what was carried once the handler ran, "-" when it did not
	}{
		{"events", `{"link_session_id":"s","events":[{"event_name":"OPEN"},{"event_name":"SUBMIT_CREDENTIALS"}]}`, true, 200, "s:OPEN,s:SUBMIT_CREDENTIALS"},
		{"a failed request's events", `{"link_session_id":"s","password":"fail","events":[{"event_name":"TRANSITION_VIEW"}]}`, true, 400, "s:TRANSITION_VIEW"},
		{"no events", `{"link_session_id":"s"}`, true, 200, ""},
		{"an event without a name", `{"link_session_id":"s","events":[{"event_name":"OPEN"},{"timestamp":"t"}]}`, true, 400, "-"},
		{"events that are no list", `{"link_session_id":"s","events":{"event_name":"OPEN"}}`, true, 200, ""},
		{"not JSON", `{"link_session_id":"s","events":[{"event_name":"OPEN"}]`, true, 200, ""},
		{"a route that carries nothing", `{"link_session_id":"s","events":[{"event_name":"OPEN"}]}`, false, 200, ""},
	} {
		carried, handled = nil, nil
		w := httptest.NewRecorder()
		rec.Wrap(handler, tc.carries).ServeHTTP(w, httptest.NewRequest("POST", "/link/item/create", strings.NewReader(tc.body)))
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, w.Code, tc.status)
		}
		got := "-"
		if len(handled) > 0 {
			got = handled[0]
		}
		if got != tc.carried || len(handled) > 1 {
			t.Errorf("%s: carried %q when handled (%d times), want %q", tc.name, got, len(handled), tc.carried)
		}
		if tc.carried == "-" && (len(carried) > 0 || !strings.Contains(w.Body.String(), `"error_code": "MISSING_FIELDS"`)) {
			t.Errorf("%s: carried %q, answered %s; want nothing carried and the error", tc.name, carried, w.Body)
		}
	}
}
