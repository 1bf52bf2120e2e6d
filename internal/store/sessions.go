package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// Callback names, as Plaid.create's configuration names them.
const (
	OnEvent   = "onEvent"
	OnExit    = "onExit"
	OnSuccess = "onSuccess"
)

// Session is a Link session, from the moment the engine opened it.
type Session struct {
	ID       string
	ClientID string
	// LinkToken is empty for a public-key session.
	LinkToken string
	StartedAt time.Time
	// FinishedAt is zero while the session runs.
	FinishedAt time.Time
	// Config is a public-key session's Plaid.create configuration.
	Config json.RawMessage
	// Callbacks are what the session recorded, in order (filled by
	// Session and Sessions).
	Callbacks []Callback
	// Results are the Items the session added, in order (filled by Session
	// and Sessions).
	Results []ItemAddResult
}

// Callback is one recorded call of a page callback.
type Callback struct {
	Seq int
	// Name is OnEvent, OnExit or OnSuccess.
	Name string
	// EventID, EventName and Timestamp are set for OnEvent.
	EventID   string
	EventName string
	Timestamp string
	// Payload is the event metadata (OnEvent), {error, metadata} (OnExit)
	// or {public_token, metadata} (OnSuccess).
	Payload json.RawMessage
}

// ItemAddResult is an Item a Link session added, with the public token it
// issued for it.
type ItemAddResult struct {
	PublicToken string
	Item        Item
}

// FinishHook makes the webhooks that the end of a Link session causes,
// given the public tokens of the Items the session added (oldest first,
// never nil). RecordSession calls it when it is about to mark the session
// finished, and queues what it returns in the same batch, only if that
// batch is the one that marks it finished; of concurrent records that
// would finish one session, the losers' webhooks are dropped. It must
// only make the webhooks, without other effects.
type FinishHook func(publicTokens []string) []Webhook

// StartSession records the start of a Link session; starting one already
// started does nothing.
func (s *DB) StartSession(ctx context.Context, sess Session) error {
	st := startSession(sess)
	_, err := s.db.Exec(ctx, st.Query, st.Args...)
	return err
}

// startSession is the statement that starts a session unless it was.
func startSession(sess Session) sqlbatch.Stmt {
	return sqlbatch.Stmt{Query: `INSERT INTO link_sessions (client_id, link_session_id, link_token, started_at, finished_at, config)
		VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (client_id, link_session_id) DO NOTHING`,
		Args: []any{sess.ClientID, sess.ID, sess.LinkToken, ms(sess.StartedAt), jsonText(sess.Config)}}
}

// Session returns the client's session with its callbacks and results.
func (s *DB) Session(ctx context.Context, clientID, id string) (Session, error) {
	list, err := s.sessions(ctx, `WHERE client_id = ? AND link_session_id = ?`, clientID, id)
	if err != nil {
		return Session{}, err
	}
	if len(list) == 0 {
		return Session{}, ErrNotFound
	}
	return list[0], nil
}

// SessionConfig returns the configuration the client's session was
// started with (Session's Config) in one read, without its callbacks and
// results; ErrNotFound when the session never started.
func (s *DB) SessionConfig(ctx context.Context, clientID, id string) (json.RawMessage, error) {
	var config string
	err := s.db.QueryRow(ctx, `SELECT config FROM link_sessions WHERE client_id = ? AND link_session_id = ?`, clientID, id).Scan(&config)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return json.RawMessage(config), nil
}

// Sessions returns the sessions of a link token, oldest first, with their
// callbacks and results.
func (s *DB) Sessions(ctx context.Context, clientID, linkToken string) ([]Session, error) {
	return s.sessions(ctx, `WHERE client_id = ? AND link_token = ? ORDER BY started_at, link_session_id`, clientID, linkToken)
}

// sessions reads sessions with their callbacks and results.
func (s *DB) sessions(ctx context.Context, where string, args ...any) ([]Session, error) {
	rows, err := s.db.Query(ctx, `SELECT client_id, link_session_id, link_token, started_at, finished_at, config FROM link_sessions `+where, args...)
	if err != nil {
		return nil, err
	}
	var out []Session
	for rows.Next() {
		var sess Session
		var started int64
		var finished sql.NullInt64
		var config string
		if err := rows.Scan(&sess.ClientID, &sess.ID, &sess.LinkToken, &started, &finished, &config); err != nil {
			rows.Close()
			return nil, err
		}
		sess.StartedAt, sess.FinishedAt, sess.Config = fromMS(started), fromNullMS(finished), json.RawMessage(config)
		out = append(out, sess)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Callbacks, err = s.callbacks(ctx, out[i].ClientID, out[i].ID); err != nil {
			return nil, err
		}
		if out[i].Results, err = s.itemAddResults(ctx, out[i].ClientID, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *DB) callbacks(ctx context.Context, clientID, sessionID string) ([]Callback, error) {
	rows, err := s.db.Query(ctx, `SELECT seq, name, event_id, event_name, timestamp, payload FROM link_callbacks
		WHERE client_id = ? AND link_session_id = ? ORDER BY seq`, clientID, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Callback
	for rows.Next() {
		var c Callback
		var payload string
		if err := rows.Scan(&c.Seq, &c.Name, &c.EventID, &c.EventName, &c.Timestamp, &payload); err != nil {
			return nil, err
		}
		c.Payload = json.RawMessage(payload)
		out = append(out, c)
	}
	return out, rows.Err()
}

// sessionTokens returns the public tokens a session issued, oldest first.
func (s *DB) sessionTokens(ctx context.Context, clientID, sessionID string) (tokens, itemIDs []string, err error) {
	rows, err := s.db.Query(ctx, `SELECT public_token, item_id FROM public_tokens
		WHERE client_id = ? AND link_session_id = ? ORDER BY created_at, public_token`, clientID, sessionID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var token, itemID string
		if err := rows.Scan(&token, &itemID); err != nil {
			return nil, nil, err
		}
		tokens, itemIDs = append(tokens, token), append(itemIDs, itemID)
	}
	return tokens, itemIDs, rows.Err()
}

func (s *DB) itemAddResults(ctx context.Context, clientID, sessionID string) ([]ItemAddResult, error) {
	tokens, itemIDs, err := s.sessionTokens(ctx, clientID, sessionID)
	if err != nil {
		return nil, err
	}
	var out []ItemAddResult
	for i, id := range itemIDs {
		r := ItemAddResult{PublicToken: tokens[i]}
		r.Item, err = s.item(ctx, `item_id = ?`, clientID, id)
		if errors.Is(err, ErrNotFound) {
			// Removed since: the result keeps its token only.
			r.Item, err = Item{ID: id, ClientID: clientID}, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// RecordSession appends callbacks to a session, starting it as StartSession
// does if it never was, and, unless finishedAt is zero, marks it finished
// (the first time only) and queues the webhooks finish (if not nil) makes
// for that, all at once. Each callback's seq is one more than the session's
// highest, computed by its INSERT, so concurrent records neither lose nor
// repeat one. A finish that queues webhooks is guarded: it runs only if the
// session is still unfinished and has issued no public token since they were
// read for finish; otherwise the batch runs again as things are now.
func (s *DB) RecordSession(ctx context.Context, sess Session, cbs []Callback, finishedAt time.Time, finish FinishHook) error {
	for range 5 {
		stmts := append([]sqlbatch.Stmt{startSession(sess)}, appendCallbacks(sess, cbs)...)
		if !finishedAt.IsZero() {
			fin, err := s.finishSession(ctx, sess, finishedAt, finish)
			if err != nil {
				return err
			}
			stmts = append(stmts, fin...)
		}
		if _, err := s.db.Batch(ctx, stmts...); !errors.Is(err, sqlbatch.ErrGuard) {
			return err
		}
	}
	return errors.New("store: the session kept changing")
}

// appendCallbacks are the statements that append cbs to the session, as
// few as the limit on bound parameters allows: each INSERT numbers its
// rows after the session's highest seq, in the order of its VALUES.
func appendCallbacks(sess Session, cbs []Callback) []sqlbatch.Stmt {
	const head, perCallback = 4, 6
	var out []sqlbatch.Stmt
	for start := 0; start < len(cbs); start += (maxParams - head) / perCallback {
		chunk := cbs[start:min(len(cbs), start+(maxParams-head)/perCallback)]
		args := make([]any, 0, head+perCallback*len(chunk))
		args = append(args, sess.ClientID, sess.ID, sess.ClientID, sess.ID)
		for i, c := range chunk {
			args = append(args, i+1, c.Name, c.EventID, c.EventName, c.Timestamp, jsonText(c.Payload))
		}
		out = append(out, sqlbatch.Stmt{Query: `INSERT INTO link_callbacks (client_id, link_session_id, seq, name, event_id, event_name, timestamp, payload)
			SELECT ?, ?, (SELECT COALESCE(MAX(seq), 0) FROM link_callbacks WHERE client_id = ? AND link_session_id = ?) + v.column1,
				v.column2, v.column3, v.column4, v.column5, v.column6
			FROM (VALUES ` + valueRows(len(chunk), perCallback) + `) AS v`, Args: args})
	}
	return out
}

// finishSession returns the statements that mark a session finished and,
// if that is news and finish is not nil, queue finish's webhooks.
func (s *DB) finishSession(ctx context.Context, sess Session, finishedAt time.Time, finish FinishHook) ([]sqlbatch.Stmt, error) {
	mark := sqlbatch.Stmt{Query: `UPDATE link_sessions SET finished_at = ? WHERE client_id = ? AND link_session_id = ? AND finished_at IS NULL`,
		Args: []any{ms(finishedAt), sess.ClientID, sess.ID}}
	if finish == nil {
		return []sqlbatch.Stmt{mark}, nil
	}
	var finished sql.NullInt64
	err := s.db.QueryRow(ctx, `SELECT finished_at FROM link_sessions WHERE client_id = ? AND link_session_id = ?`,
		sess.ClientID, sess.ID).Scan(&finished)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if finished.Valid {
		return nil, nil
	}
	tokens, _, err := s.sessionTokens(ctx, sess.ClientID, sess.ID)
	if err != nil {
		return nil, err
	}
	if tokens == nil {
		tokens = []string{}
	}
	stmts := []sqlbatch.Stmt{sqlbatch.Guard(`SELECT 1 FROM link_sessions WHERE client_id = ? AND link_session_id = ? AND finished_at IS NULL
		AND (SELECT COUNT(*) FROM public_tokens WHERE client_id = ? AND link_session_id = ?) = ?`,
		sess.ClientID, sess.ID, sess.ClientID, sess.ID, len(tokens)), mark}
	return append(stmts, enqueue(finish(tokens))...), nil
}
