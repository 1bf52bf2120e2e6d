// Package enginelog is what the server does around each request the Link
// engine makes of the backend. Before the handler of an engine endpoint
// runs, the events the request's body carries (its events, the onEvent
// calls that led up to it) are recorded for the session, whatever comes
// of the request; then the handler answers as before, and the request's
// path, status, Plaid error_code, request_id, time and duration are kept
// in store/sessionlog for the session inspector's timeline, under the
// session its body names (by link token, or by public key and session
// ID). Only these are kept of the request, never the body: it may hold a
// password.
package enginelog

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/store/sessionlog"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// maxBody is how much of a request body is read to find the session it
// names; the whole body still reaches the handler.
const maxBody = 1 << 20

// Recorder records the events engine requests carry with Carry, and the
// requests themselves in Log.
type Recorder struct {
	// Carry records the events a request carries for its session before
	// the request is handled; an error rejects the request with it, and
	// then nothing may have been recorded. Nil records none.
	Carry func(ctx context.Context, carried protocol.SessionRecordRequest) *plaid.Error
	// Log keeps the requests; nil keeps none.
	Log *sessionlog.Log
	// ClientByPublicKey is the client ID of a public key.
	ClientByPublicKey func(key string) (string, bool)
	// Now is the server's clock (time.Now when nil): the one webhook
	// deliveries are timed by.
	Now func() time.Time
}

// names is what an engine request's body says of its session, and the
// events it carries.
type names struct {
	PublicKey     string                   `json:"public_key"`
	LinkToken     string                   `json:"link_token"`
	LinkSessionID string                   `json:"link_session_id"`
	Events        []protocol.RecordedEvent `json:"events"`
}

// answer is what is kept of an answer's body.
type answer struct {
	RequestID string `json:"request_id"`
	ErrorCode string `json:"error_code"`
}

// Wrap returns h, recording each of its requests that names a session of
// the caller's and, when carries, the events its body carries first. A
// body that is not JSON, or whose events are not a list of events,
// carries none: its handler rejects it. A nil Recorder returns h.
func (rec *Recorder) Wrap(h http.Handler, carries bool) http.Handler {
	carries = carries && rec != nil && rec.Carry != nil
	if rec == nil || rec.Log == nil && !carries {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now
		if rec.Now != nil {
			now = rec.Now
		}
		start := now()
		head, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil {
			h.ServeHTTP(w, r)
			return
		}
		r.Body = readCloser{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
		var n names
		valid := json.Unmarshal(head, &n) == nil
		tw := &tee{ResponseWriter: w}
		if carries && valid && len(n.Events) > 0 {
			if e := rec.Carry(r.Context(), protocol.SessionRecordRequest{PublicKey: n.PublicKey, LinkToken: n.LinkToken,
				LinkSessionID: n.LinkSessionID, Events: n.Events}); e != nil {
				httpapi.WriteError(tw, ids.NewRequestID(), e)
			}
		}
		if tw.status == 0 {
			h.ServeHTTP(tw, r)
		}
		c, ok := rec.caller(n)
		if !ok || rec.Log == nil {
			return
		}
		var a answer
		json.Unmarshal(tw.body.Bytes(), &a)
		status := tw.status
		if status == 0 {
			status = http.StatusOK
		}
		// The answer went out already; a record that fails costs the
		// inspector a row, not the engine its answer.
		rec.Log.Record(context.WithoutCancel(r.Context()), c, sessionlog.Request{Path: r.URL.Path, Status: status,
			ErrorCode: a.ErrorCode, RequestID: a.RequestID, ReceivedAt: start, Duration: now().Sub(start)})
	})
}

// caller is the session n names, if it names one.
func (rec *Recorder) caller(n names) (sessionlog.Caller, bool) {
	if n.LinkSessionID == "" {
		return sessionlog.Caller{}, false
	}
	if n.LinkToken != "" {
		return sessionlog.Caller{LinkSessionID: n.LinkSessionID, LinkToken: n.LinkToken}, true
	}
	if n.PublicKey == "" || rec.ClientByPublicKey == nil {
		return sessionlog.Caller{}, false
	}
	id, ok := rec.ClientByPublicKey(n.PublicKey)
	return sessionlog.Caller{LinkSessionID: n.LinkSessionID, ClientID: id}, ok
}

// readCloser reads the body read so far, then the rest, and closes the
// original.
type readCloser struct {
	io.Reader
	io.Closer
}

// tee passes an answer through, keeping its status and the start of its
// body.
type tee struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (t *tee) WriteHeader(code int) {
	if t.status == 0 {
		t.status = code
	}
	t.ResponseWriter.WriteHeader(code)
}

func (t *tee) Write(b []byte) (int, error) {
	if t.status == 0 {
		t.status = http.StatusOK
	}
	if room := 64<<10 - t.body.Len(); room > 0 {
		t.body.Write(b[:min(len(b), room)])
	}
	return t.ResponseWriter.Write(b)
}
