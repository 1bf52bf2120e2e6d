// Package enginelog records each request the Link engine makes of the
// backend, per session, for the session inspector's timeline: a handler
// of an engine endpoint, wrapped, answers as before, then the request's
// path, status, Plaid error_code, request_id, time and duration are kept
// in store/sessionlog under the session its body names (by link token,
// or by public key and session ID). Only these are kept, never the body:
// it may hold a password.
package enginelog

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/linkharness/linkharness/internal/store/sessionlog"
)

// maxBody is how much of a request body is read to find the session it
// names; the whole body still reaches the handler.
const maxBody = 1 << 20

// Recorder records engine requests in Log.
type Recorder struct {
	Log *sessionlog.Log
	// ClientByPublicKey is the client ID of a public key.
	ClientByPublicKey func(key string) (string, bool)
	// Now is the server's clock (time.Now when nil): the one webhook
	// deliveries are timed by.
	Now func() time.Time
}

// names is what an engine request's body says of its session.
type names struct {
	PublicKey     string `json:"public_key"`
	LinkToken     string `json:"link_token"`
	LinkSessionID string `json:"link_session_id"`
}

// answer is what is kept of an answer's body.
type answer struct {
	RequestID string `json:"request_id"`
	ErrorCode string `json:"error_code"`
}

// Wrap returns h, recording each of its requests that names a session of
// the caller's. A nil Recorder returns h.
func (rec *Recorder) Wrap(h http.Handler) http.Handler {
	if rec == nil || rec.Log == nil {
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
		json.Unmarshal(head, &n)
		tw := &tee{ResponseWriter: w}
		h.ServeHTTP(tw, r)
		c, ok := rec.caller(n)
		if !ok {
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
