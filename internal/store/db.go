package store

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

//go:embed schema.sql
var schema string

// schemaVersion is the version of schema.sql. A later schema that changes
// a table adds statements keyed on this number to migrations.
const schemaVersion = 4

// migrations bring a store made by an older schema.sql up to date: the
// statements of version v run on a store at version v-1, after schema.sql
// (whose statements are all idempotent) made the tables that version v-1
// lacked. A fresh store gets the latest tables from schema.sql and runs
// none.
var migrations = map[int][]string{
	2: {
		`ALTER TABLE items ADD COLUMN billed_products TEXT NOT NULL DEFAULT '[]'`,
		`ALTER TABLE items ADD COLUMN consented_products TEXT NOT NULL DEFAULT '[]'`,
		// Items made before billing was emulated were billed and consented
		// for what they had.
		`UPDATE items SET billed_products = products, consented_products = products`,
		`ALTER TABLE oauth_states ADD COLUMN products TEXT NOT NULL DEFAULT '[]'`,
		`ALTER TABLE oauth_states ADD COLUMN granted_products TEXT`,
	},
	3: {
		`ALTER TABLE oauth_states ADD COLUMN redirect_uri TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE oauth_states ADD COLUMN nonce TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE oauth_states ADD COLUMN link_token TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE oauth_states ADD COLUMN resumed INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE oauth_states ADD COLUMN payment_id TEXT NOT NULL DEFAULT ''`,
	},
	// Version 4 added the guards table, which schema.sql makes.
}

// DB is the Store over a database/sql database that runs schema.sql:
// SQLite locally, Cloudflare D1 at the edge.
//
// It never needs an interactive transaction, which D1 does not have: a
// read runs on its own, and a change of more than one record, or one that
// must hold only in some state, is one atomic batch of statements whose
// conditions are in SQL (conditional UPDATEs, INSERT ... SELECT ... WHERE
// EXISTS, guards). When a batch fails on a guard, one read says which
// error of Store's it was.
type DB struct {
	db *sql.DB
	// batcher says the driver's connections are Batchers (D1); otherwise
	// a batch runs in a database/sql transaction (SQLite).
	batcher bool
	// onClose runs after the database is closed.
	onClose func()
	// stmts caches prepared statements by their SQL: preparing is a good
	// part of a small statement's cost.
	stmts sync.Map
	// background counts the statements being prepared in the background;
	// closed stops new ones, so that Close can wait for them.
	background sync.WaitGroup
	closeMu    sync.Mutex
	closed     bool
}

// prepareLater prepares query for next time in the background, unless the
// store is closing.
func (s *DB) prepareLater(query string) {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return
	}
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		s.prepared(context.Background(), query)
	}()
}

// dbtx is a transaction that runs its statements prepared: a batch's, on
// a database without batches.
type dbtx struct {
	tx *sql.Tx
	s  *DB
}

// prepared returns the query prepared, from the cache.
func (s *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if v, ok := s.stmts.Load(query); ok {
		return v.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if v, ok := s.stmts.LoadOrStore(query, st); ok {
		st.Close()
		return v.(*sql.Stmt), nil
	}
	return st, nil
}

// exec runs a prepared statement on its own, again when the database was
// busy.
func (s *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	var res sql.Result
	err = s.retry(ctx, func() error {
		res, err = st.ExecContext(ctx, args...)
		return err
	})
	return res, err
}

// changed runs a prepared statement on its own and returns how many rows
// it changed.
func (s *DB) changed(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// query runs a prepared query on its own.
func (s *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow runs a prepared single-row query on its own.
func (s *DB) queryRow(ctx context.Context, query string, args ...any) row {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return row{err: err}
	}
	return row{r: st.QueryRowContext(ctx, args...)}
}

// stmt returns the transaction's handle of the query, prepared, when the
// cache has it, or nil. A query not cached yet runs unprepared this once
// and is prepared for next time in the background: preparing it here would
// take a second connection while this one may hold the write lock, and
// with the pool full of writers waiting for that lock nothing would move.
func (t *dbtx) stmt(ctx context.Context, query string) *sql.Stmt {
	v, ok := t.s.stmts.Load(query)
	if !ok {
		t.s.prepareLater(query)
		return nil
	}
	return t.tx.StmtContext(ctx, v.(*sql.Stmt))
}

// ExecContext and QueryContext are sql.Tx's, prepared.
func (t *dbtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *dbtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// row is a QueryRow result that may carry a prepare error.
type row struct {
	r   *sql.Row
	err error
}

// Scan is sql.Row's.
func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.r.Scan(dest...)
}

var _ Store = (*DB)(nil)

// Open returns the store over db, first bringing the schema up to date
// when db has none yet or an older one (a store at the current version
// costs one SELECT). The store owns db: Close closes it, then runs
// onClose if it is not nil.
func Open(ctx context.Context, db *sql.DB, onClose func()) (*DB, error) {
	s := &DB{db: db, onClose: onClose}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	err = conn.Raw(func(dc any) error {
		_, s.batcher = dc.(Batcher)
		return nil
	})
	conn.Close()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := s.migrate(ctx); err != nil {
		return nil, fmt.Errorf("store: schema: %w", err)
	}
	return s, nil
}

// migrate brings the schema up to schemaVersion, in one batch. Of two
// stores opening one database at once, the second finds the upgrade done.
func (s *DB) migrate(ctx context.Context) error {
	for range 3 {
		version, err := s.version(ctx)
		if err != nil || version >= schemaVersion {
			return err
		}
		if _, err := s.batch(ctx, upgrade(version)...); !errors.Is(err, errGuard) {
			return err
		}
	}
	return errors.New("the schema version kept changing")
}

// version is the schema version of the database, 0 when it has none.
func (s *DB) version(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		return 0, nil
	}
	return int(v.Int64), err
}

// upgrade is the batch that brings a database at version (0: none) to
// schemaVersion: schema.sql, the migrations after version, and the new
// version, unless another store changed the version meanwhile.
func upgrade(version int) []Stmt {
	var out []Stmt
	for _, q := range statements(schema) {
		out = append(out, Stmt{Query: q})
	}
	out = append(out, guard(`SELECT 1 WHERE COALESCE((SELECT MAX(version) FROM schema_version), 0) = ?`, version))
	if version > 0 {
		for v := version + 1; v <= schemaVersion; v++ {
			for _, q := range migrations[v] {
				out = append(out, Stmt{Query: q})
			}
		}
	}
	return append(out,
		Stmt{Query: `DELETE FROM schema_version`},
		Stmt{Query: `INSERT INTO schema_version (version) VALUES (?)`, Args: []any{schemaVersion}})
}

// statements splits an SQL script into statements, without comments.
func statements(script string) []string {
	var lines []string
	for _, line := range strings.Split(script, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			lines = append(lines, line)
		}
	}
	var out []string
	for _, stmt := range strings.Split(strings.Join(lines, "\n"), ";") {
		if stmt = strings.TrimSpace(stmt); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

// Close implements Store. It waits for the statements being prepared in
// the background, which would otherwise open connections after it.
func (s *DB) Close() error {
	s.closeMu.Lock()
	s.closed = true
	s.closeMu.Unlock()
	s.background.Wait()
	s.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	err := s.db.Close()
	if s.onClose != nil {
		s.onClose()
	}
	return err
}

// retry runs f, and again when the database was busy.
func (s *DB) retry(ctx context.Context, f func() error) error {
	for attempt := 0; ; attempt++ {
		err := f()
		if err == nil || !isBusy(err) || attempt == 20 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 5 * time.Millisecond):
		}
	}
}

// guarded runs stmts as one batch. When a guard fails, classify reads why
// and returns the error to report; nil means that the state moved on
// since and the batch may run again.
func (s *DB) guarded(ctx context.Context, classify func() error, stmts ...Stmt) ([]BatchResult, error) {
	for range 5 {
		out, err := s.batch(ctx, stmts...)
		if !errors.Is(err, errGuard) {
			return out, err
		}
		if err := classify(); err != nil {
			return nil, err
		}
	}
	return nil, errors.New("store: the state kept changing")
}

// isBusy reports whether err says the database was locked by another
// connection (the busy timeout ran out): worth another try.
func isBusy(err error) bool {
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "sqlite_busy") || strings.Contains(msg, "database is busy")
}

// ms and fromMS convert times to and from the schema's milliseconds.
func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func fromNullMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMS(v.Int64)
}

func nullMS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: true}
}

func jsonText(v json.RawMessage) string {
	if len(v) == 0 {
		return "null"
	}
	return string(v)
}

// ClockOffset implements Store.
func (s *DB) ClockOffset(ctx context.Context, clientID string) (time.Duration, error) {
	var off int64
	err := s.queryRow(ctx, `SELECT offset_ms FROM clocks WHERE client_id = ?`, clientID).Scan(&off)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return time.Duration(off) * time.Millisecond, err
}

// AdvanceClock implements Store. The offset it returns is read in the
// same batch, so it is this advance's even when others run at once.
func (s *DB) AdvanceClock(ctx context.Context, clientID string, d time.Duration) (time.Duration, error) {
	res, err := s.batch(ctx,
		Stmt{`INSERT INTO clocks (client_id, offset_ms) VALUES (?, ?)
			ON CONFLICT (client_id) DO UPDATE SET offset_ms = offset_ms + excluded.offset_ms`, []any{clientID, d.Milliseconds()}},
		Stmt{`SELECT offset_ms FROM clocks WHERE client_id = ?`, []any{clientID}})
	if err != nil {
		return 0, err
	}
	var off int64
	err = scanRow(res[1], &off)
	return time.Duration(off) * time.Millisecond, err
}

// Reset implements Store.
func (s *DB) Reset(ctx context.Context, clientID string) error {
	var stmts []Stmt
	for _, q := range []string{
		`DELETE FROM accounts WHERE item_id IN (SELECT item_id FROM items WHERE client_id = ?)`,
		`DELETE FROM webhook_attempts WHERE webhook_id IN (SELECT webhook_id FROM webhooks WHERE client_id = ?)`,
		`DELETE FROM webhooks WHERE client_id = ?`,
		`DELETE FROM items WHERE client_id = ?`,
		`DELETE FROM public_tokens WHERE client_id = ?`,
		`DELETE FROM link_callbacks WHERE client_id = ?`,
		`DELETE FROM link_sessions WHERE client_id = ?`,
		`DELETE FROM link_tokens WHERE client_id = ?`,
		`DELETE FROM users WHERE client_id = ?`,
		`DELETE FROM clocks WHERE client_id = ?`,
		`DELETE FROM oauth_states WHERE client_id = ?`,
		`DELETE FROM billing_events WHERE client_id = ?`,
		`DELETE FROM payment_tokens WHERE client_id = ?`,
		`DELETE FROM payments WHERE client_id = ?`,
		`DELETE FROM payment_recipients WHERE client_id = ?`,
	} {
		stmts = append(stmts, Stmt{q, []any{clientID}})
	}
	_, err := s.batch(ctx, stmts...)
	return err
}

// CreateUser implements Store. The INSERT that does nothing on a conflict
// decides which of concurrent creations stores its user.
func (s *DB) CreateUser(ctx context.Context, u User) (User, error) {
	if _, err := s.exec(ctx, `INSERT INTO users (user_id, client_id, client_user_id, user_token, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id, client_user_id) DO NOTHING`,
		u.ID, u.ClientID, u.ClientUserID, u.Token, ms(u.CreatedAt)); err != nil {
		return User{}, err
	}
	var created int64
	err := s.queryRow(ctx, `SELECT user_id, user_token, created_at FROM users WHERE client_id = ? AND client_user_id = ?`,
		u.ClientID, u.ClientUserID).Scan(&u.ID, &u.Token, &created)
	u.CreatedAt = fromMS(created)
	return u, err
}

// UserByToken implements Store.
func (s *DB) UserByToken(ctx context.Context, clientID, token string) (User, error) {
	u := User{ClientID: clientID, Token: token}
	var created int64
	err := s.queryRow(ctx, `SELECT user_id, client_user_id, created_at FROM users WHERE client_id = ? AND user_token = ?`,
		clientID, token).Scan(&u.ID, &u.ClientUserID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	u.CreatedAt = fromMS(created)
	return u, err
}

// CreateLinkToken implements Store.
func (s *DB) CreateLinkToken(ctx context.Context, t LinkToken) error {
	_, err := s.exec(ctx, `INSERT INTO link_tokens (link_token, client_id, created_at, expires_at, item_id, config)
		VALUES (?, ?, ?, ?, ?, ?)`, t.Token, t.ClientID, ms(t.CreatedAt), ms(t.ExpiresAt), t.ItemID, jsonText(t.Config))
	return err
}

// LinkToken implements Store.
func (s *DB) LinkToken(ctx context.Context, token string) (LinkToken, error) {
	t := LinkToken{Token: token}
	var created, expires int64
	var config string
	err := s.queryRow(ctx, `SELECT client_id, created_at, expires_at, item_id, config FROM link_tokens WHERE link_token = ?`,
		token).Scan(&t.ClientID, &created, &expires, &t.ItemID, &config)
	if errors.Is(err, sql.ErrNoRows) {
		return LinkToken{}, ErrNotFound
	}
	t.CreatedAt, t.ExpiresAt, t.Config = fromMS(created), fromMS(expires), json.RawMessage(config)
	return t, err
}

// StartSession implements Store.
func (s *DB) StartSession(ctx context.Context, sess Session) error {
	st := startSession(sess)
	_, err := s.exec(ctx, st.Query, st.Args...)
	return err
}

// startSession is the statement that starts a session unless it was.
func startSession(sess Session) Stmt {
	return Stmt{`INSERT INTO link_sessions (client_id, link_session_id, link_token, started_at, finished_at, config)
		VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (client_id, link_session_id) DO NOTHING`,
		[]any{sess.ClientID, sess.ID, sess.LinkToken, ms(sess.StartedAt), jsonText(sess.Config)}}
}

// Session implements Store.
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

// Sessions implements Store.
func (s *DB) Sessions(ctx context.Context, clientID, linkToken string) ([]Session, error) {
	return s.sessions(ctx, `WHERE client_id = ? AND link_token = ? ORDER BY started_at, link_session_id`, clientID, linkToken)
}

// sessions reads sessions with their callbacks and results.
func (s *DB) sessions(ctx context.Context, where string, args ...any) ([]Session, error) {
	rows, err := s.query(ctx, `SELECT client_id, link_session_id, link_token, started_at, finished_at, config FROM link_sessions `+where, args...)
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
	rows, err := s.query(ctx, `SELECT seq, name, event_id, event_name, timestamp, payload FROM link_callbacks
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
	rows, err := s.query(ctx, `SELECT public_token, item_id FROM public_tokens
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

// RecordSession implements Store. Each callback's seq is one more than
// the session's highest, computed by its INSERT, so concurrent records
// neither lose nor repeat one. A finish that queues webhooks is guarded:
// it runs only if the session is still unfinished and has issued no
// public token since they were read for finish; otherwise the batch runs
// again as things are now.
func (s *DB) RecordSession(ctx context.Context, sess Session, cbs []Callback, finishedAt time.Time, finish FinishHook) error {
	for range 5 {
		stmts := []Stmt{startSession(sess)}
		for _, c := range cbs {
			stmts = append(stmts, Stmt{`INSERT INTO link_callbacks (client_id, link_session_id, seq, name, event_id, event_name, timestamp, payload)
				SELECT ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ? FROM link_callbacks WHERE client_id = ? AND link_session_id = ?`,
				[]any{sess.ClientID, sess.ID, c.Name, c.EventID, c.EventName, c.Timestamp, jsonText(c.Payload), sess.ClientID, sess.ID}})
		}
		if !finishedAt.IsZero() {
			fin, err := s.finishSession(ctx, sess, finishedAt, finish)
			if err != nil {
				return err
			}
			stmts = append(stmts, fin...)
		}
		if _, err := s.batch(ctx, stmts...); !errors.Is(err, errGuard) {
			return err
		}
	}
	return errors.New("store: the session kept changing")
}

// finishSession returns the statements that mark a session finished and,
// if that is news and finish is not nil, queue finish's webhooks.
func (s *DB) finishSession(ctx context.Context, sess Session, finishedAt time.Time, finish FinishHook) ([]Stmt, error) {
	mark := Stmt{`UPDATE link_sessions SET finished_at = ? WHERE client_id = ? AND link_session_id = ? AND finished_at IS NULL`,
		[]any{ms(finishedAt), sess.ClientID, sess.ID}}
	if finish == nil {
		return []Stmt{mark}, nil
	}
	var finished sql.NullInt64
	err := s.queryRow(ctx, `SELECT finished_at FROM link_sessions WHERE client_id = ? AND link_session_id = ?`,
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
	stmts := []Stmt{guard(`SELECT 1 FROM link_sessions WHERE client_id = ? AND link_session_id = ? AND finished_at IS NULL
		AND (SELECT COUNT(*) FROM public_tokens WHERE client_id = ? AND link_session_id = ?) = ?`,
		sess.ClientID, sess.ID, sess.ClientID, sess.ID, len(tokens)), mark}
	return append(stmts, enqueue(finish(tokens))...), nil
}

// CreateItem implements Store.
func (s *DB) CreateItem(ctx context.Context, it Item, outbox ...Webhook) error {
	var access sql.NullString
	if it.AccessToken != "" {
		access = sql.NullString{String: it.AccessToken, Valid: true}
	}
	var plaidErr sql.NullString
	if len(it.Error) > 0 {
		plaidErr = sql.NullString{String: string(it.Error), Valid: true}
	}
	stmts := []Stmt{{`INSERT INTO items (item_id, client_id, access_token, institution_id, products,
		billed_products, consented_products, webhook, link_session_id, link_token, connected, error, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		[]any{it.ID, it.ClientID, access, it.InstitutionID, jsonList(it.Products), jsonList(it.BilledProducts),
			jsonList(it.ConsentedProducts), it.Webhook, it.LinkSessionID, it.LinkToken,
			boolInt(it.Connected), plaidErr, ms(it.CreatedAt)}}}
	for i, a := range it.Accounts {
		stmts = append(stmts, Stmt{`INSERT INTO accounts (account_id, item_id, position, name, mask, type, subtype)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, []any{a.ID, it.ID, i, a.Name, a.Mask, a.Type, a.Subtype}})
	}
	_, err := s.batch(ctx, append(stmts, enqueue(outbox)...)...)
	return err
}

// jsonList is a list as the schema's JSON array text.
func jsonList(v []string) string {
	if v == nil {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Item implements Store.
func (s *DB) Item(ctx context.Context, clientID, itemID string) (Item, error) {
	return s.item(ctx, `item_id = ?`, clientID, itemID)
}

// ItemByAccessToken implements Store.
func (s *DB) ItemByAccessToken(ctx context.Context, clientID, accessToken string) (Item, error) {
	return s.item(ctx, `access_token = ?`, clientID, accessToken)
}

// item reads the client's Item matching cond and its accounts.
func (s *DB) item(ctx context.Context, cond, clientID string, arg any) (Item, error) {
	it := Item{ClientID: clientID}
	var access, plaidErr sql.NullString
	var products, billed, consented string
	var connected int
	var created int64
	err := s.queryRow(ctx, `SELECT item_id, access_token, institution_id, products, billed_products, consented_products,
		webhook, link_session_id, link_token, connected, error, created_at FROM items WHERE client_id = ? AND `+cond, clientID, arg).Scan(
		&it.ID, &access, &it.InstitutionID, &products, &billed, &consented, &it.Webhook, &it.LinkSessionID, &it.LinkToken,
		&connected, &plaidErr, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, ErrNotFound
	}
	if err != nil {
		return Item{}, err
	}
	it.AccessToken, it.Connected, it.CreatedAt = access.String, connected != 0, fromMS(created)
	if plaidErr.Valid {
		it.Error = json.RawMessage(plaidErr.String)
	}
	for _, col := range []struct {
		text string
		to   *[]string
	}{{products, &it.Products}, {billed, &it.BilledProducts}, {consented, &it.ConsentedProducts}} {
		if err := json.Unmarshal([]byte(col.text), col.to); err != nil {
			return Item{}, fmt.Errorf("store: item %s products: %w", it.ID, err)
		}
	}
	rows, err := s.query(ctx, `SELECT account_id, name, mask, type, subtype FROM accounts WHERE item_id = ? ORDER BY position`, it.ID)
	if err != nil {
		return Item{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var a Account
		if err := rows.Scan(&a.ID, &a.Name, &a.Mask, &a.Type, &a.Subtype); err != nil {
			return Item{}, err
		}
		it.Accounts = append(it.Accounts, a)
	}
	return it, rows.Err()
}

// itemExists is the guard that the client has the Item.
func itemExists(clientID, itemID string) Stmt {
	return guard(`SELECT 1 FROM items WHERE client_id = ? AND item_id = ?`, clientID, itemID)
}

// noItem is the error of a batch whose itemExists guard failed: ErrNotFound,
// or nil (try again) when the Item is there now.
func (s *DB) noItem(ctx context.Context, clientID, itemID string) error {
	var one int
	err := s.queryRow(ctx, `SELECT 1 FROM items WHERE client_id = ? AND item_id = ?`, clientID, itemID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// ConnectItem implements Store. Its guard lets only the first of
// concurrent connections through.
func (s *DB) ConnectItem(ctx context.Context, clientID, itemID string, c Connection) error {
	stmts := []Stmt{
		guard(`SELECT 1 FROM items WHERE client_id = ? AND item_id = ? AND connected = 0`, clientID, itemID),
		{`UPDATE items SET connected = 1, products = ?, billed_products = ? WHERE client_id = ? AND item_id = ?`,
			[]any{jsonList(c.Products), jsonList(c.BilledProducts), clientID, itemID}},
		{`DELETE FROM accounts WHERE item_id = ? AND account_id NOT IN (SELECT value FROM json_each(?))`,
			[]any{itemID, jsonList(c.AccountIDs)}},
		insertPublicToken(c.PublicToken),
	}
	stmts = append(stmts, insertBilling(c.Billing)...)
	_, err := s.guarded(ctx, func() error {
		if err := s.noItem(ctx, clientID, itemID); err != nil {
			return err
		}
		return ErrConnected
	}, append(stmts, enqueue(c.Outbox)...)...)
	return err
}

func insertPublicToken(pt PublicToken) Stmt {
	return Stmt{`INSERT INTO public_tokens (public_token, client_id, item_id, link_session_id, created_at, expires_at, exchanged_at)
		VALUES (?, ?, ?, ?, ?, ?, NULL)`, []any{pt.Token, pt.ClientID, pt.ItemID, pt.LinkSessionID, ms(pt.CreatedAt), ms(pt.ExpiresAt)}}
}

// CreatePublicToken implements Store.
func (s *DB) CreatePublicToken(ctx context.Context, pt PublicToken) error {
	n, err := s.changed(ctx, `INSERT INTO public_tokens (public_token, client_id, item_id, link_session_id, created_at, expires_at, exchanged_at)
		SELECT ?, ?, ?, ?, ?, ?, NULL WHERE EXISTS (SELECT 1 FROM items WHERE client_id = ? AND item_id = ?)`,
		pt.Token, pt.ClientID, pt.ItemID, pt.LinkSessionID, ms(pt.CreatedAt), ms(pt.ExpiresAt), pt.ClientID, pt.ItemID)
	if err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

// PublicToken implements Store.
func (s *DB) PublicToken(ctx context.Context, clientID, token string, now time.Time) (PublicToken, error) {
	pt := PublicToken{Token: token, ClientID: clientID}
	var created, expires int64
	err := s.queryRow(ctx, `SELECT item_id, link_session_id, created_at, expires_at FROM public_tokens
		WHERE client_id = ? AND public_token = ?`, clientID, token).Scan(&pt.ItemID, &pt.LinkSessionID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return PublicToken{}, ErrNotFound
	}
	if err != nil {
		return PublicToken{}, err
	}
	pt.CreatedAt, pt.ExpiresAt = fromMS(created), fromMS(expires)
	if !now.Before(pt.ExpiresAt) {
		return pt, ErrExpired
	}
	return pt, nil
}

// ExchangePublicToken implements Store. Its guard lets only the first of
// concurrent exchanges through, and only before the token expires and
// while its Item is there.
func (s *DB) ExchangePublicToken(ctx context.Context, clientID, token string, now time.Time, accessToken string) (Item, error) {
	res, err := s.guarded(ctx, func() error { return s.exchangeError(ctx, clientID, token, now) },
		guard(`SELECT 1 FROM public_tokens p JOIN items i ON i.client_id = p.client_id AND i.item_id = p.item_id
			WHERE p.client_id = ? AND p.public_token = ? AND p.exchanged_at IS NULL AND p.expires_at > ?`, clientID, token, ms(now)),
		Stmt{`UPDATE public_tokens SET exchanged_at = ? WHERE client_id = ? AND public_token = ?`, []any{ms(now), clientID, token}},
		Stmt{`UPDATE items SET access_token = ? WHERE client_id = ? AND access_token IS NULL
			AND item_id = (SELECT item_id FROM public_tokens WHERE client_id = ? AND public_token = ?)`, []any{accessToken, clientID, clientID, token}},
		Stmt{`SELECT item_id FROM public_tokens WHERE client_id = ? AND public_token = ?`, []any{clientID, token}})
	if err != nil {
		return Item{}, err
	}
	var itemID string
	if err := scanRow(res[3], &itemID); err != nil {
		return Item{}, err
	}
	return s.item(ctx, `item_id = ?`, clientID, itemID)
}

// exchangeError says why a public token could not be exchanged now:
// ErrNotFound, ErrUsed or ErrExpired, or nil when it could be now.
func (s *DB) exchangeError(ctx context.Context, clientID, token string, now time.Time) error {
	var itemID string
	var expires int64
	var exchanged sql.NullInt64
	err := s.queryRow(ctx, `SELECT item_id, expires_at, exchanged_at FROM public_tokens WHERE client_id = ? AND public_token = ?`,
		clientID, token).Scan(&itemID, &expires, &exchanged)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ErrNotFound
	case err != nil:
		return err
	case exchanged.Valid:
		return ErrUsed
	case !now.Before(fromMS(expires)):
		return ErrExpired
	}
	return s.noItem(ctx, clientID, itemID)
}

// SetItemWebhook implements Store.
func (s *DB) SetItemWebhook(ctx context.Context, clientID, itemID, url string, outbox ...Webhook) (Item, error) {
	return s.updateItem(ctx, clientID, itemID, `webhook = ?`, url, outbox)
}

// SetItemError implements Store.
func (s *DB) SetItemError(ctx context.Context, clientID, itemID string, plaidError json.RawMessage, outbox ...Webhook) (Item, error) {
	var v sql.NullString
	if len(plaidError) > 0 {
		v = sql.NullString{String: string(plaidError), Valid: true}
	}
	return s.updateItem(ctx, clientID, itemID, `error = ?`, v, outbox)
}

func (s *DB) updateItem(ctx context.Context, clientID, itemID, set string, arg any, outbox []Webhook) (Item, error) {
	stmts := []Stmt{
		itemExists(clientID, itemID),
		{`UPDATE items SET ` + set + ` WHERE client_id = ? AND item_id = ?`, []any{arg, clientID, itemID}},
	}
	if _, err := s.guarded(ctx, func() error { return s.noItem(ctx, clientID, itemID) }, append(stmts, enqueue(outbox)...)...); err != nil {
		return Item{}, err
	}
	return s.item(ctx, `item_id = ?`, clientID, itemID)
}

// RemoveItem implements Store.
func (s *DB) RemoveItem(ctx context.Context, clientID, itemID string) error {
	_, err := s.guarded(ctx, func() error { return s.noItem(ctx, clientID, itemID) },
		itemExists(clientID, itemID),
		Stmt{`DELETE FROM items WHERE client_id = ? AND item_id = ?`, []any{clientID, itemID}},
		Stmt{`DELETE FROM accounts WHERE item_id = ?`, []any{itemID}},
		Stmt{`DELETE FROM public_tokens WHERE client_id = ? AND item_id = ? AND link_session_id = ''`, []any{clientID, itemID}})
	return err
}

// EnqueueWebhooks implements Store.
func (s *DB) EnqueueWebhooks(ctx context.Context, outbox ...Webhook) error {
	_, err := s.batch(ctx, enqueue(outbox)...)
	return err
}

// enqueue returns the statements that queue outbox.
func enqueue(outbox []Webhook) []Stmt {
	var out []Stmt
	for _, w := range outbox {
		next := w.NextAttemptAt
		if next.IsZero() {
			next = w.CreatedAt
		}
		out = append(out, Stmt{`INSERT INTO webhooks (webhook_id, client_id, item_id, link_session_id, url, webhook_type,
			webhook_code, body, created_at, status, attempts, next_attempt_at, lease_until, delivered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, NULL)`,
			[]any{w.ID, w.ClientID, w.ItemID, w.LinkSessionID, w.URL, w.Type, w.Code, jsonText(w.Body), ms(w.CreatedAt),
				WebhookPending, ms(next)}})
	}
	return out
}

const webhookColumns = `webhook_id, client_id, item_id, link_session_id, url, webhook_type, webhook_code, body, created_at,
	status, attempts, next_attempt_at, delivered_at`

func scanWebhook(rows *sql.Rows) (Webhook, error) {
	var w Webhook
	var body string
	var created, next int64
	var delivered sql.NullInt64
	err := rows.Scan(&w.ID, &w.ClientID, &w.ItemID, &w.LinkSessionID, &w.URL, &w.Type, &w.Code, &body, &created,
		&w.Status, &w.AttemptCount, &next, &delivered)
	w.Body, w.CreatedAt, w.NextAttemptAt, w.DeliveredAt = json.RawMessage(body), fromMS(created), fromMS(next), fromNullMS(delivered)
	return w, err
}

func (s *DB) queryWebhooks(ctx context.Context, query string, args ...any) ([]Webhook, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Webhook
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// ClaimDueWebhooks implements Store. Each claim is a conditional UPDATE,
// so of workers claiming at once only one gets each webhook.
func (s *DB) ClaimDueWebhooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Webhook, error) {
	due, err := s.queryWebhooks(ctx, `SELECT `+webhookColumns+` FROM webhooks
		WHERE status = ? AND next_attempt_at <= ? AND lease_until <= ? ORDER BY next_attempt_at, created_at LIMIT ?`,
		WebhookPending, ms(now), ms(now), limit)
	if err != nil || len(due) == 0 {
		return nil, err
	}
	var claims []Stmt
	for _, w := range due {
		claims = append(claims, Stmt{`UPDATE webhooks SET lease_until = ? WHERE webhook_id = ? AND status = ? AND lease_until <= ?`,
			[]any{ms(now.Add(lease)), w.ID, WebhookPending, ms(now)}})
	}
	res, err := s.batch(ctx, claims...)
	if err != nil {
		return nil, err
	}
	var out []Webhook
	for i, w := range due {
		if res[i].RowsAffected == 1 {
			out = append(out, w)
		}
	}
	return out, nil
}

// FinishAttempt implements Store.
func (s *DB) FinishAttempt(ctx context.Context, webhookID string, a Attempt, status string, next time.Time) error {
	var delivered sql.NullInt64
	if status == WebhookDelivered {
		delivered = nullMS(a.StartedAt.Add(a.Duration))
	}
	_, err := s.batch(ctx,
		// A webhook reset away while it was being delivered keeps no
		// attempts.
		Stmt{`INSERT INTO webhook_attempts (webhook_id, attempt, started_at, duration_ms, status_code, error)
			SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE webhook_id = ?)`,
			[]any{webhookID, a.N, ms(a.StartedAt), a.Duration.Milliseconds(), a.StatusCode, a.Error, webhookID}},
		Stmt{`UPDATE webhooks SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = 0, delivered_at = ?
			WHERE webhook_id = ?`, []any{status, a.N, ms(next), delivered, webhookID}})
	return err
}

// ReleaseWebhook implements Store.
func (s *DB) ReleaseWebhook(ctx context.Context, webhookID string) error {
	_, err := s.exec(ctx, `UPDATE webhooks SET lease_until = 0 WHERE webhook_id = ?`, webhookID)
	return err
}

// NextWebhookDue implements Store.
func (s *DB) NextWebhookDue(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	err := s.queryRow(ctx, `SELECT MIN(MAX(next_attempt_at, lease_until)) FROM webhooks WHERE status = ?`, WebhookPending).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return fromMS(next.Int64), true, nil
}

// Webhooks implements Store.
func (s *DB) Webhooks(ctx context.Context, clientID string, f WebhookFilter) ([]Webhook, error) {
	out, err := s.queryWebhooks(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE client_id = ?
		AND (? = '' OR item_id = ?) AND (? = '' OR link_session_id = ?) ORDER BY created_at, rowid`,
		clientID, f.ItemID, f.ItemID, f.LinkSessionID, f.LinkSessionID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Attempts, err = s.attempts(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// attempts reads a webhook's delivery attempts, in order.
func (s *DB) attempts(ctx context.Context, webhookID string) ([]Attempt, error) {
	rows, err := s.query(ctx, `SELECT attempt, started_at, duration_ms, status_code, error FROM webhook_attempts
		WHERE webhook_id = ? ORDER BY attempt`, webhookID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attempt
	for rows.Next() {
		var a Attempt
		var started, dur int64
		if err := rows.Scan(&a.N, &started, &dur, &a.StatusCode, &a.Error); err != nil {
			return nil, err
		}
		a.StartedAt, a.Duration = fromMS(started), time.Duration(dur)*time.Millisecond
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateOAuthState implements Store.
func (s *DB) CreateOAuthState(ctx context.Context, st OAuthState) error {
	_, err := s.exec(ctx, `INSERT INTO oauth_states (oauth_state_id, client_id, link_session_id, institution_id,
		client_name, status, used, created_at, expires_at, products, granted_products, redirect_uri, nonce, link_token, resumed, payment_id)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?, ?, ?, 0, ?)`,
		st.ID, st.ClientID, st.LinkSessionID, st.InstitutionID, st.ClientName, st.Status, ms(st.CreatedAt), ms(st.ExpiresAt),
		jsonList(st.Products), st.RedirectURI, st.Nonce, st.LinkToken, st.PaymentID)
	return err
}

// OAuthState implements Store.
func (s *DB) OAuthState(ctx context.Context, id string) (OAuthState, error) {
	st := OAuthState{ID: id}
	var created, expires int64
	var products string
	var granted sql.NullString
	err := s.queryRow(ctx, `SELECT client_id, link_session_id, institution_id, client_name, status, used, created_at, expires_at,
		products, granted_products, redirect_uri, nonce, link_token, resumed, payment_id FROM oauth_states WHERE oauth_state_id = ?`, id).Scan(
		&st.ClientID, &st.LinkSessionID, &st.InstitutionID, &st.ClientName, &st.Status, &st.Used, &created, &expires, &products, &granted,
		&st.RedirectURI, &st.Nonce, &st.LinkToken, &st.Resumed, &st.PaymentID)
	if errors.Is(err, sql.ErrNoRows) {
		return OAuthState{}, ErrNotFound
	}
	if err != nil {
		return OAuthState{}, err
	}
	st.CreatedAt, st.ExpiresAt = fromMS(created), fromMS(expires)
	if err := json.Unmarshal([]byte(products), &st.Products); err != nil {
		return OAuthState{}, err
	}
	if granted.Valid {
		st.GrantedProducts = []string{}
		if err := json.Unmarshal([]byte(granted.String), &st.GrantedProducts); err != nil {
			return OAuthState{}, err
		}
	}
	return st, nil
}

// DecideOAuthState implements Store. The conditional UPDATE decides a
// login once.
func (s *DB) DecideOAuthState(ctx context.Context, id, status string, granted []string) error {
	var grantedText sql.NullString
	if granted != nil {
		grantedText = sql.NullString{String: jsonList(granted), Valid: true}
	}
	n, err := s.changed(ctx, `UPDATE oauth_states SET status = ?, granted_products = ? WHERE oauth_state_id = ? AND status = 'pending'`,
		status, grantedText, id)
	if err != nil || n == 1 {
		return err
	}
	if _, err := s.OAuthState(ctx, id); err != nil {
		return err
	}
	return ErrUsed
}

// UseOAuthState implements Store. The conditional UPDATE lets only the
// first of concurrent uses through.
func (s *DB) UseOAuthState(ctx context.Context, clientID, id string) (OAuthState, error) {
	for range 5 {
		n, err := s.changed(ctx, `UPDATE oauth_states SET used = 1
			WHERE oauth_state_id = ? AND client_id = ? AND status = 'approved' AND used = 0`, id, clientID)
		if err != nil {
			return OAuthState{}, err
		}
		st, err := s.OAuthState(ctx, id)
		switch {
		case err != nil:
			return OAuthState{}, err
		case n == 1:
			return st, nil
		case st.ClientID != clientID || st.Status != "approved":
			return OAuthState{}, ErrNotFound
		case st.Used:
			return OAuthState{}, ErrUsed
		}
		// Approved between the UPDATE and the read: try again.
	}
	return OAuthState{}, errors.New("store: the OAuth state kept changing")
}

// ResumeOAuthState implements Store. The conditional UPDATE lets only the
// first of concurrent resumptions through.
func (s *DB) ResumeOAuthState(ctx context.Context, clientID, id string) (OAuthState, error) {
	n, err := s.changed(ctx, `UPDATE oauth_states SET resumed = 1
		WHERE oauth_state_id = ? AND client_id = ? AND redirect_uri <> '' AND resumed = 0`, id, clientID)
	if err != nil {
		return OAuthState{}, err
	}
	st, err := s.OAuthState(ctx, id)
	switch {
	case err != nil:
		return OAuthState{}, err
	case n == 1:
		return st, nil
	case st.ClientID != clientID || st.RedirectURI == "":
		return OAuthState{}, ErrNotFound
	}
	return OAuthState{}, ErrUsed
}

// Client implements Store.
func (s *DB) Client(ctx context.Context, candidate Client) (Client, error) {
	if _, err := s.exec(ctx, `INSERT INTO clients (client_id, secret, public_key, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING`,
		candidate.ID, candidate.Secret, candidate.PublicKey, ms(time.Now())); err != nil {
		return Client{}, err
	}
	c := Client{ID: candidate.ID}
	err := s.queryRow(ctx, `SELECT secret, public_key FROM clients WHERE client_id = ?`, candidate.ID).Scan(&c.Secret, &c.PublicKey)
	return c, err
}

// SigningKey implements Store.
func (s *DB) SigningKey(ctx context.Context, candidate SigningKey) (SigningKey, error) {
	if _, err := s.exec(ctx, `INSERT INTO signing_keys (kid, created_at, private_key)
		SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM signing_keys)`,
		candidate.ID, ms(candidate.CreatedAt), base64.StdEncoding.EncodeToString(candidate.PrivateKey)); err != nil {
		return SigningKey{}, err
	}
	return s.signingKey(ctx, `ORDER BY created_at DESC, kid LIMIT 1`)
}

// SigningKeyByID implements Store.
func (s *DB) SigningKeyByID(ctx context.Context, id string) (SigningKey, error) {
	return s.signingKey(ctx, `WHERE kid = ?`, id)
}

func (s *DB) signingKey(ctx context.Context, rest string, args ...any) (SigningKey, error) {
	var k SigningKey
	var created int64
	var der string
	err := s.queryRow(ctx, `SELECT kid, created_at, private_key FROM signing_keys `+rest, args...).Scan(&k.ID, &created, &der)
	if errors.Is(err, sql.ErrNoRows) {
		return SigningKey{}, ErrNotFound
	}
	if err != nil {
		return SigningKey{}, err
	}
	k.CreatedAt = fromMS(created)
	k.PrivateKey, err = base64.StdEncoding.DecodeString(der)
	return k, err
}
