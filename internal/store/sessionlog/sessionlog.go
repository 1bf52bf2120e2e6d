// Package sessionlog keeps what the session inspector shows beyond a
// session's own record: the requests the Link engine made of the backend
// in each session, in the order they came (table link_requests), and the
// lists of a client's sessions and Items. It is an aggregate of package
// store kept apart, on the store's database and its schema.sql, so that
// package store stays within its size; every lookup carries the client's
// ID, and store.Reset forgets a client's requests with the rest.
package sessionlog

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
	"github.com/linkharness/linkharness/internal/store"
)

// Request is one request of the engine's (or of the control API's
// session/complete) in a session.
type Request struct {
	// Seq numbers the session's requests from 1, in the order they were
	// recorded.
	Seq  int
	Path string
	// Status is the HTTP status of the answer; ErrorCode its Plaid
	// error_code, empty on success.
	Status    int
	ErrorCode string
	RequestID string
	// ReceivedAt is when the server received it, on the server's clock
	// (the one webhook deliveries are timed by), and Duration how long
	// the answer took.
	ReceivedAt time.Time
	Duration   time.Duration
	// Callbacks is the seq of the session's last recorded callback once
	// the request was answered: the callbacks the request carried (the
	// events in its body, recorded before it was handled, or what a
	// /link/session/record told) are those after the previous request's
	// Callbacks.
	Callbacks int
}

// Caller names the session a request belongs to as the engine does: by
// its link token or, for a public-key session, by the client the public
// key is.
type Caller struct {
	LinkSessionID string
	// LinkToken is the session's link token; when empty, ClientID is the
	// public key's client.
	LinkToken string
	ClientID  string
}

// Log is the inspector's records in a store.
type Log struct {
	db *sqlbatch.DB
}

// New returns the log kept in st.
func New(st *store.DB) *Log { return &Log{db: st.Batches()} }

// Record keeps a request of the session c names, numbered after the
// session's last, in one statement; a request of no session of the
// caller's (a failed open, a forged session ID) is not kept: the session's
// client_id is then NULL, which the NOT NULL column refuses and OR IGNORE
// skips. The statement is an INSERT of VALUES, not of a SELECT: an INSERT
// whose SELECT reads the table it inserts into (here for the next seq)
// makes SQLite build a temporary table for every row.
func (l *Log) Record(ctx context.Context, c Caller, r Request) error {
	// session is the session's client_id, NULL when the caller has no
	// such session; client is the client_id its requests and callbacks
	// are kept under, known for a public-key caller.
	session, sessionArgs := `(SELECT s.client_id FROM link_sessions s WHERE s.link_session_id = ? AND s.link_token = ?)`, []any{c.LinkSessionID, c.LinkToken}
	client, clientArgs := session, sessionArgs
	if c.LinkToken == "" {
		session = `(SELECT s.client_id FROM link_sessions s WHERE s.client_id = ? AND s.link_session_id = ? AND s.link_token = '')`
		sessionArgs = []any{c.ClientID, c.LinkSessionID}
		client, clientArgs = `?`, []any{c.ClientID}
	}
	args := make([]any, 0, 16)
	args = append(append(args, sessionArgs...), c.LinkSessionID)
	args = append(append(args, clientArgs...), c.LinkSessionID)
	args = append(args, r.Path, r.Status, r.ErrorCode, r.RequestID, r.ReceivedAt.UnixMilli(), r.Duration.Milliseconds())
	args = append(append(args, clientArgs...), c.LinkSessionID)
	_, err := l.db.Exec(ctx, `INSERT OR IGNORE INTO link_requests (client_id, link_session_id, seq, path, status, error_code, request_id,
			received_at, duration_ms, callbacks)
		VALUES (`+session+`, ?,
			COALESCE((SELECT MAX(r.seq) FROM link_requests r WHERE r.client_id = `+client+` AND r.link_session_id = ?), 0) + 1,
			?, ?, ?, ?, ?, ?,
			COALESCE((SELECT MAX(cb.seq) FROM link_callbacks cb WHERE cb.client_id = `+client+` AND cb.link_session_id = ?), 0))`, args...)
	return err
}

// Requests are the requests of the client's session, in order.
func (l *Log) Requests(ctx context.Context, clientID, sessionID string) ([]Request, error) {
	rows, err := l.db.Query(ctx, `SELECT seq, path, status, error_code, request_id, received_at, duration_ms, callbacks
		FROM link_requests WHERE client_id = ? AND link_session_id = ? ORDER BY seq`, clientID, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Request{}
	for rows.Next() {
		var r Request
		var at, dur int64
		if err := rows.Scan(&r.Seq, &r.Path, &r.Status, &r.ErrorCode, &r.RequestID, &at, &dur, &r.Callbacks); err != nil {
			return nil, err
		}
		r.ReceivedAt, r.Duration = time.UnixMilli(at).UTC(), time.Duration(dur)*time.Millisecond
		out = append(out, r)
	}
	return out, rows.Err()
}

// Session is a session as the inspector lists it.
type Session struct {
	ID        string
	LinkToken string
	// StartedAt and FinishedAt are on the client's emulated clock;
	// FinishedAt is zero while the session runs.
	StartedAt, FinishedAt time.Time
	// End is "onSuccess" or "onExit" for a finished session (its last
	// such callback), empty otherwise.
	End string
	// Events counts its onEvent callbacks; Items the Items it added.
	Events, Items int
}

// Sessions are the client's sessions, the newest first.
func (l *Log) Sessions(ctx context.Context, clientID string) ([]Session, error) {
	rows, err := l.db.Query(ctx, `SELECT s.link_session_id, s.link_token, s.started_at, s.finished_at,
			COALESCE((SELECT cb.name FROM link_callbacks cb WHERE cb.client_id = s.client_id AND cb.link_session_id = s.link_session_id
				AND cb.name IN (?, ?) ORDER BY cb.seq DESC LIMIT 1), ''),
			(SELECT COUNT(*) FROM link_callbacks cb WHERE cb.client_id = s.client_id AND cb.link_session_id = s.link_session_id AND cb.name = ?),
			(SELECT COUNT(*) FROM items i WHERE i.client_id = s.client_id AND i.link_session_id = s.link_session_id)
		FROM link_sessions s WHERE s.client_id = ? ORDER BY s.started_at DESC, s.link_session_id`,
		store.OnSuccess, store.OnExit, store.OnEvent, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Session{}
	for rows.Next() {
		var s Session
		var started int64
		var finished sql.NullInt64
		if err := rows.Scan(&s.ID, &s.LinkToken, &started, &finished, &s.End, &s.Events, &s.Items); err != nil {
			return nil, err
		}
		s.StartedAt = time.UnixMilli(started).UTC()
		if finished.Valid && finished.Int64 != 0 {
			s.FinishedAt = time.UnixMilli(finished.Int64).UTC()
		} else {
			s.End = ""
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Item is an Item as the inspector lists it.
type Item struct {
	ID, InstitutionID, LinkSessionID, Webhook string
	Products                                  []string
	// Connected says the user chose its accounts; Error is its Plaid
	// error, nil when it has none.
	Connected bool
	Error     json.RawMessage
	CreatedAt time.Time
	Accounts  int
}

// Items are the client's Items, the newest first.
func (l *Log) Items(ctx context.Context, clientID string) ([]Item, error) {
	rows, err := l.db.Query(ctx, `SELECT i.item_id, i.institution_id, i.link_session_id, i.webhook, i.products, i.connected, i.error,
			i.created_at, (SELECT COUNT(*) FROM accounts a WHERE a.item_id = i.item_id)
		FROM items i WHERE i.client_id = ? ORDER BY i.created_at DESC, i.item_id`, clientID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Item{}
	for rows.Next() {
		var it Item
		var products string
		var connected int
		var errDoc sql.NullString
		var created int64
		if err := rows.Scan(&it.ID, &it.InstitutionID, &it.LinkSessionID, &it.Webhook, &products, &connected, &errDoc, &created, &it.Accounts); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(products), &it.Products); err != nil || it.Products == nil {
			it.Products = []string{}
		}
		it.Connected, it.CreatedAt = connected != 0, time.UnixMilli(created).UTC()
		if errDoc.Valid && errDoc.String != "" && errDoc.String != "null" {
			it.Error = json.RawMessage(errDoc.String)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
