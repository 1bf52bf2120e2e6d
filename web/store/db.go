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
const schemaVersion = 3

// migrations bring a store made by an older schema.sql up to date: the
// statements of version v run on a store at version v-1. A fresh store
// gets the latest tables from schema.sql and runs none.
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
}

// DB is the Store over a database/sql database that runs schema.sql:
// SQLite locally, Cloudflare D1 at the edge.
type DB struct {
	db *sql.DB
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

// dbtx is a transaction that runs its statements prepared.
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

// exec runs a prepared statement on its own.
func (s *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := s.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
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

// ExecContext, QueryContext and QueryRowContext are sql.Tx's, prepared.
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

func (t *dbtx) QueryRowContext(ctx context.Context, query string, args ...any) row {
	if st := t.stmt(ctx, query); st != nil {
		return row{r: st.QueryRowContext(ctx, args...)}
	}
	return row{r: t.tx.QueryRowContext(ctx, query, args...)}
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

// Open creates the schema in db, if it is not there yet, and returns the
// store over it. The store owns db: Close closes it, then runs onClose if
// it is not nil.
func Open(ctx context.Context, db *sql.DB, onClose func()) (*DB, error) {
	for _, stmt := range statements(schema) {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("store: schema: %w", err)
		}
	}
	s := &DB{db: db, onClose: onClose}
	err := s.tx(ctx, func(tx *dbtx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_version`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, schemaVersion)
			return err
		}
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&version); err != nil {
			return err
		}
		for v := version + 1; v <= schemaVersion; v++ {
			for _, stmt := range migrations[v] {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("migration to version %d: %w", v, err)
				}
			}
		}
		if version < schemaVersion {
			_, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, schemaVersion)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: schema version: %w", err)
	}
	return s, nil
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

// tx runs f in a write transaction, and again when the database was busy.
func (s *DB) tx(ctx context.Context, f func(tx *dbtx) error) error {
	return s.retry(ctx, nil, f)
}

// read runs f in a read-only transaction: a consistent view that does not
// hold up writers.
func (s *DB) read(ctx context.Context, f func(tx *dbtx) error) error {
	return s.retry(ctx, &sql.TxOptions{ReadOnly: true}, f)
}

func (s *DB) retry(ctx context.Context, opts *sql.TxOptions, f func(tx *dbtx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.tx1(ctx, opts, f)
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

func (s *DB) tx1(ctx context.Context, opts *sql.TxOptions, f func(tx *dbtx) error) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	if err := f(&dbtx{tx: tx, s: s}); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
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

// AdvanceClock implements Store.
func (s *DB) AdvanceClock(ctx context.Context, clientID string, d time.Duration) (time.Duration, error) {
	var off int64
	err := s.tx(ctx, func(tx *dbtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO clocks (client_id, offset_ms) VALUES (?, ?)
			ON CONFLICT (client_id) DO UPDATE SET offset_ms = offset_ms + excluded.offset_ms`, clientID, d.Milliseconds()); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT offset_ms FROM clocks WHERE client_id = ?`, clientID).Scan(&off)
	})
	return time.Duration(off) * time.Millisecond, err
}

// Reset implements Store.
func (s *DB) Reset(ctx context.Context, clientID string) error {
	return s.tx(ctx, func(tx *dbtx) error {
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
			if _, err := tx.ExecContext(ctx, q, clientID); err != nil {
				return err
			}
		}
		return nil
	})
}

// CreateUser implements Store.
func (s *DB) CreateUser(ctx context.Context, u User) (User, error) {
	err := s.tx(ctx, func(tx *dbtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (user_id, client_id, client_user_id, user_token, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id, client_user_id) DO NOTHING`,
			u.ID, u.ClientID, u.ClientUserID, u.Token, ms(u.CreatedAt)); err != nil {
			return err
		}
		var created int64
		err := tx.QueryRowContext(ctx, `SELECT user_id, user_token, created_at FROM users WHERE client_id = ? AND client_user_id = ?`,
			u.ClientID, u.ClientUserID).Scan(&u.ID, &u.Token, &created)
		u.CreatedAt = fromMS(created)
		return err
	})
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
	return s.tx(ctx, func(tx *dbtx) error { return startSession(ctx, tx, sess) })
}

func startSession(ctx context.Context, tx *dbtx, sess Session) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO link_sessions (client_id, link_session_id, link_token, started_at, finished_at, config)
		VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT (client_id, link_session_id) DO NOTHING`,
		sess.ClientID, sess.ID, sess.LinkToken, ms(sess.StartedAt), jsonText(sess.Config))
	return err
}

// Session implements Store.
func (s *DB) Session(ctx context.Context, clientID, id string) (Session, error) {
	var out Session
	err := s.read(ctx, func(tx *dbtx) error {
		list, err := sessions(ctx, tx, `WHERE client_id = ? AND link_session_id = ?`, clientID, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return ErrNotFound
		}
		out = list[0]
		return nil
	})
	return out, err
}

// Sessions implements Store.
func (s *DB) Sessions(ctx context.Context, clientID, linkToken string) ([]Session, error) {
	var out []Session
	err := s.read(ctx, func(tx *dbtx) error {
		var err error
		out, err = sessions(ctx, tx, `WHERE client_id = ? AND link_token = ? ORDER BY started_at, link_session_id`, clientID, linkToken)
		return err
	})
	return out, err
}

// sessions reads sessions with their callbacks and results.
func sessions(ctx context.Context, tx *dbtx, where string, args ...any) ([]Session, error) {
	rows, err := tx.QueryContext(ctx, `SELECT client_id, link_session_id, link_token, started_at, finished_at, config FROM link_sessions `+where, args...)
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
		if out[i].Callbacks, err = callbacks(ctx, tx, out[i].ClientID, out[i].ID); err != nil {
			return nil, err
		}
		if out[i].Results, err = itemAddResults(ctx, tx, out[i].ClientID, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func callbacks(ctx context.Context, tx *dbtx, clientID, sessionID string) ([]Callback, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, name, event_id, event_name, timestamp, payload FROM link_callbacks
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

func itemAddResults(ctx context.Context, tx *dbtx, clientID, sessionID string) ([]ItemAddResult, error) {
	rows, err := tx.QueryContext(ctx, `SELECT public_token, item_id FROM public_tokens
		WHERE client_id = ? AND link_session_id = ? ORDER BY created_at, public_token`, clientID, sessionID)
	if err != nil {
		return nil, err
	}
	var out []ItemAddResult
	var itemIDs []string
	for rows.Next() {
		var r ItemAddResult
		var itemID string
		if err := rows.Scan(&r.PublicToken, &itemID); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, r)
		itemIDs = append(itemIDs, itemID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, id := range itemIDs {
		it, err := item(ctx, tx, `item_id = ?`, clientID, id)
		if errors.Is(err, ErrNotFound) {
			// Removed since: the result keeps its token only.
			out[i].Item = Item{ID: id, ClientID: clientID}
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i].Item = it
	}
	return out, nil
}

// RecordSession implements Store.
func (s *DB) RecordSession(ctx context.Context, sess Session, cbs []Callback, finishedAt time.Time, finish FinishHook) error {
	clientID, id := sess.ClientID, sess.ID
	return s.tx(ctx, func(tx *dbtx) error {
		if err := startSession(ctx, tx, sess); err != nil {
			return err
		}
		var seq int
		err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM link_callbacks WHERE client_id = ? AND link_session_id = ?`,
			clientID, id).Scan(&seq)
		if err != nil {
			return err
		}
		for _, c := range cbs {
			seq++
			if _, err := tx.ExecContext(ctx, `INSERT INTO link_callbacks (client_id, link_session_id, seq, name, event_id, event_name, timestamp, payload)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, clientID, id, seq, c.Name, c.EventID, c.EventName, c.Timestamp, jsonText(c.Payload)); err != nil {
				return err
			}
		}
		if finishedAt.IsZero() {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE link_sessions SET finished_at = ? WHERE client_id = ? AND link_session_id = ? AND finished_at IS NULL`,
			ms(finishedAt), clientID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 || finish == nil {
			return nil
		}
		results, err := itemAddResults(ctx, tx, clientID, id)
		if err != nil {
			return err
		}
		tokens := []string{}
		for _, r := range results {
			tokens = append(tokens, r.PublicToken)
		}
		return enqueue(ctx, tx, finish(tokens))
	})
}

// CreateItem implements Store.
func (s *DB) CreateItem(ctx context.Context, it Item, outbox ...Webhook) error {
	return s.tx(ctx, func(tx *dbtx) error {
		var access sql.NullString
		if it.AccessToken != "" {
			access = sql.NullString{String: it.AccessToken, Valid: true}
		}
		var plaidErr sql.NullString
		if len(it.Error) > 0 {
			plaidErr = sql.NullString{String: string(it.Error), Valid: true}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO items (item_id, client_id, access_token, institution_id, products,
			billed_products, consented_products, webhook, link_session_id, link_token, connected, error, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			it.ID, it.ClientID, access, it.InstitutionID, jsonList(it.Products), jsonList(it.BilledProducts),
			jsonList(it.ConsentedProducts), it.Webhook, it.LinkSessionID, it.LinkToken,
			boolInt(it.Connected), plaidErr, ms(it.CreatedAt)); err != nil {
			return err
		}
		for i, a := range it.Accounts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (account_id, item_id, position, name, mask, type, subtype)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, a.ID, it.ID, i, a.Name, a.Mask, a.Type, a.Subtype); err != nil {
				return err
			}
		}
		return enqueue(ctx, tx, outbox)
	})
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
	var it Item
	err := s.read(ctx, func(tx *dbtx) (err error) {
		it, err = item(ctx, tx, `item_id = ?`, clientID, itemID)
		return err
	})
	return it, err
}

// ItemByAccessToken implements Store.
func (s *DB) ItemByAccessToken(ctx context.Context, clientID, accessToken string) (Item, error) {
	var it Item
	err := s.read(ctx, func(tx *dbtx) (err error) {
		it, err = item(ctx, tx, `access_token = ?`, clientID, accessToken)
		return err
	})
	return it, err
}

// item reads the client's Item matching cond and its accounts.
func item(ctx context.Context, tx *dbtx, cond, clientID string, arg any) (Item, error) {
	it := Item{ClientID: clientID}
	var access, plaidErr sql.NullString
	var products, billed, consented string
	var connected int
	var created int64
	err := tx.QueryRowContext(ctx, `SELECT item_id, access_token, institution_id, products, billed_products, consented_products,
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
	rows, err := tx.QueryContext(ctx, `SELECT account_id, name, mask, type, subtype FROM accounts WHERE item_id = ? ORDER BY position`, it.ID)
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

// ConnectItem implements Store.
func (s *DB) ConnectItem(ctx context.Context, clientID, itemID string, c Connection) error {
	return s.tx(ctx, func(tx *dbtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE items SET connected = 1, products = ?, billed_products = ?
			WHERE client_id = ? AND item_id = ? AND connected = 0`, jsonList(c.Products), jsonList(c.BilledProducts), clientID, itemID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM items WHERE client_id = ? AND item_id = ?`, clientID, itemID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return err
			}
			return ErrConnected
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM accounts WHERE item_id = ? AND account_id NOT IN (SELECT value FROM json_each(?))`,
			itemID, jsonList(c.AccountIDs)); err != nil {
			return err
		}
		if err := insertPublicToken(ctx, tx, c.PublicToken); err != nil {
			return err
		}
		if err := insertBilling(ctx, tx, c.Billing); err != nil {
			return err
		}
		return enqueue(ctx, tx, c.Outbox)
	})
}

func insertPublicToken(ctx context.Context, tx *dbtx, pt PublicToken) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO public_tokens (public_token, client_id, item_id, link_session_id, created_at, expires_at, exchanged_at)
		VALUES (?, ?, ?, ?, ?, ?, NULL)`, pt.Token, pt.ClientID, pt.ItemID, pt.LinkSessionID, ms(pt.CreatedAt), ms(pt.ExpiresAt))
	return err
}

// CreatePublicToken implements Store.
func (s *DB) CreatePublicToken(ctx context.Context, pt PublicToken) error {
	return s.tx(ctx, func(tx *dbtx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM items WHERE client_id = ? AND item_id = ?`, pt.ClientID, pt.ItemID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return insertPublicToken(ctx, tx, pt)
	})
}

// PublicToken implements Store.
func (s *DB) PublicToken(ctx context.Context, clientID, token string, now time.Time) (PublicToken, error) {
	pt := PublicToken{Token: token, ClientID: clientID}
	err := s.read(ctx, func(tx *dbtx) error {
		var created, expires int64
		err := tx.QueryRowContext(ctx, `SELECT item_id, link_session_id, created_at, expires_at FROM public_tokens
			WHERE client_id = ? AND public_token = ?`, clientID, token).Scan(&pt.ItemID, &pt.LinkSessionID, &created, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		pt.CreatedAt, pt.ExpiresAt = fromMS(created), fromMS(expires)
		if !now.Before(pt.ExpiresAt) {
			return ErrExpired
		}
		return nil
	})
	return pt, err
}

// ExchangePublicToken implements Store.
func (s *DB) ExchangePublicToken(ctx context.Context, clientID, token string, now time.Time, accessToken string) (Item, error) {
	var it Item
	err := s.tx(ctx, func(tx *dbtx) error {
		var itemID string
		var expires int64
		var exchanged sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT item_id, expires_at, exchanged_at FROM public_tokens WHERE client_id = ? AND public_token = ?`,
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
		if _, err := tx.ExecContext(ctx, `UPDATE public_tokens SET exchanged_at = ? WHERE public_token = ?`, ms(now), token); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE items SET access_token = ? WHERE client_id = ? AND item_id = ? AND access_token IS NULL`,
			accessToken, clientID, itemID); err != nil {
			return err
		}
		it, err = item(ctx, tx, `item_id = ?`, clientID, itemID)
		return err
	})
	return it, err
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
	var it Item
	err := s.tx(ctx, func(tx *dbtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE items SET `+set+` WHERE client_id = ? AND item_id = ?`, arg, clientID, itemID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if err := enqueue(ctx, tx, outbox); err != nil {
			return err
		}
		it, err = item(ctx, tx, `item_id = ?`, clientID, itemID)
		return err
	})
	return it, err
}

// RemoveItem implements Store.
func (s *DB) RemoveItem(ctx context.Context, clientID, itemID string) error {
	return s.tx(ctx, func(tx *dbtx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM items WHERE client_id = ? AND item_id = ?`, clientID, itemID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM accounts WHERE item_id = ?`, itemID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM public_tokens WHERE client_id = ? AND item_id = ? AND link_session_id = ''`, clientID, itemID)
		return err
	})
}

// EnqueueWebhooks implements Store.
func (s *DB) EnqueueWebhooks(ctx context.Context, outbox ...Webhook) error {
	return s.tx(ctx, func(tx *dbtx) error { return enqueue(ctx, tx, outbox) })
}

func enqueue(ctx context.Context, tx *dbtx, outbox []Webhook) error {
	for _, w := range outbox {
		next := w.NextAttemptAt
		if next.IsZero() {
			next = w.CreatedAt
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhooks (webhook_id, client_id, item_id, link_session_id, url, webhook_type,
			webhook_code, body, created_at, status, attempts, next_attempt_at, lease_until, delivered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, NULL)`,
			w.ID, w.ClientID, w.ItemID, w.LinkSessionID, w.URL, w.Type, w.Code, jsonText(w.Body), ms(w.CreatedAt),
			WebhookPending, ms(next)); err != nil {
			return err
		}
	}
	return nil
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

func queryWebhooks(ctx context.Context, tx *dbtx, query string, args ...any) ([]Webhook, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
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

// ClaimDueWebhooks implements Store.
func (s *DB) ClaimDueWebhooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Webhook, error) {
	var out []Webhook
	err := s.tx(ctx, func(tx *dbtx) error {
		due, err := queryWebhooks(ctx, tx, `SELECT `+webhookColumns+` FROM webhooks
			WHERE status = ? AND next_attempt_at <= ? AND lease_until <= ? ORDER BY next_attempt_at, created_at LIMIT ?`,
			WebhookPending, ms(now), ms(now), limit)
		if err != nil {
			return err
		}
		out = out[:0]
		for _, w := range due {
			res, err := tx.ExecContext(ctx, `UPDATE webhooks SET lease_until = ? WHERE webhook_id = ? AND lease_until <= ?`,
				ms(now.Add(lease)), w.ID, ms(now))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				out = append(out, w)
			}
		}
		return nil
	})
	return out, err
}

// FinishAttempt implements Store.
func (s *DB) FinishAttempt(ctx context.Context, webhookID string, a Attempt, status string, next time.Time) error {
	return s.tx(ctx, func(tx *dbtx) error {
		// A webhook reset away while it was being delivered keeps no
		// attempts.
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_attempts (webhook_id, attempt, started_at, duration_ms, status_code, error)
			SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE webhook_id = ?)`,
			webhookID, a.N, ms(a.StartedAt), a.Duration.Milliseconds(), a.StatusCode, a.Error, webhookID); err != nil {
			return err
		}
		var delivered sql.NullInt64
		if status == WebhookDelivered {
			delivered = nullMS(a.StartedAt.Add(a.Duration))
		}
		_, err := tx.ExecContext(ctx, `UPDATE webhooks SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = 0, delivered_at = ?
			WHERE webhook_id = ?`, status, a.N, ms(next), delivered, webhookID)
		return err
	})
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
	var out []Webhook
	err := s.read(ctx, func(tx *dbtx) error {
		var err error
		out, err = queryWebhooks(ctx, tx, `SELECT `+webhookColumns+` FROM webhooks WHERE client_id = ?
			AND (? = '' OR item_id = ?) AND (? = '' OR link_session_id = ?) ORDER BY created_at, rowid`,
			clientID, f.ItemID, f.ItemID, f.LinkSessionID, f.LinkSessionID)
		if err != nil {
			return err
		}
		for i := range out {
			rows, err := tx.QueryContext(ctx, `SELECT attempt, started_at, duration_ms, status_code, error FROM webhook_attempts
				WHERE webhook_id = ? ORDER BY attempt`, out[i].ID)
			if err != nil {
				return err
			}
			for rows.Next() {
				var a Attempt
				var started, dur int64
				if err := rows.Scan(&a.N, &started, &dur, &a.StatusCode, &a.Error); err != nil {
					rows.Close()
					return err
				}
				a.StartedAt, a.Duration = fromMS(started), time.Duration(dur)*time.Millisecond
				out[i].Attempts = append(out[i].Attempts, a)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// CreateOAuthState implements Store.
func (s *DB) CreateOAuthState(ctx context.Context, st OAuthState) error {
	return s.tx(ctx, func(tx *dbtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO oauth_states (oauth_state_id, client_id, link_session_id, institution_id,
			client_name, status, used, created_at, expires_at, products, granted_products, redirect_uri, nonce, link_token, resumed, payment_id)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?, ?, ?, 0, ?)`,
			st.ID, st.ClientID, st.LinkSessionID, st.InstitutionID, st.ClientName, st.Status, ms(st.CreatedAt), ms(st.ExpiresAt),
			jsonList(st.Products), st.RedirectURI, st.Nonce, st.LinkToken, st.PaymentID)
		return err
	})
}

// OAuthState implements Store.
func (s *DB) OAuthState(ctx context.Context, id string) (OAuthState, error) {
	var st OAuthState
	err := s.read(ctx, func(tx *dbtx) (err error) {
		st, err = oauthState(ctx, tx, id)
		return err
	})
	return st, err
}

func oauthState(ctx context.Context, tx *dbtx, id string) (OAuthState, error) {
	st := OAuthState{ID: id}
	var created, expires int64
	var products string
	var granted sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT client_id, link_session_id, institution_id, client_name, status, used, created_at, expires_at,
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

// DecideOAuthState implements Store.
func (s *DB) DecideOAuthState(ctx context.Context, id, status string, granted []string) error {
	var grantedText sql.NullString
	if granted != nil {
		grantedText = sql.NullString{String: jsonList(granted), Valid: true}
	}
	return s.tx(ctx, func(tx *dbtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE oauth_states SET status = ?, granted_products = ? WHERE oauth_state_id = ? AND status = 'pending'`,
			status, grantedText, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := oauthState(ctx, tx, id); err != nil {
				return err
			}
			return ErrUsed
		}
		return nil
	})
}

// UseOAuthState implements Store.
func (s *DB) UseOAuthState(ctx context.Context, clientID, id string) (OAuthState, error) {
	var st OAuthState
	err := s.tx(ctx, func(tx *dbtx) error {
		var err error
		st, err = oauthState(ctx, tx, id)
		switch {
		case err != nil:
			return err
		case st.ClientID != clientID || st.Status != "approved":
			return ErrNotFound
		case st.Used:
			return ErrUsed
		}
		_, err = tx.ExecContext(ctx, `UPDATE oauth_states SET used = 1 WHERE oauth_state_id = ?`, id)
		return err
	})
	return st, err
}

// ResumeOAuthState implements Store.
func (s *DB) ResumeOAuthState(ctx context.Context, clientID, id string) (OAuthState, error) {
	var st OAuthState
	err := s.tx(ctx, func(tx *dbtx) error {
		var err error
		st, err = oauthState(ctx, tx, id)
		switch {
		case err != nil:
			return err
		case st.ClientID != clientID || st.RedirectURI == "":
			return ErrNotFound
		case st.Resumed:
			return ErrUsed
		}
		_, err = tx.ExecContext(ctx, `UPDATE oauth_states SET resumed = 1 WHERE oauth_state_id = ?`, id)
		return err
	})
	return st, err
}

// Client implements Store.
func (s *DB) Client(ctx context.Context, candidate Client) (Client, error) {
	c := Client{ID: candidate.ID}
	err := s.tx(ctx, func(tx *dbtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO clients (client_id, secret, public_key, created_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING`,
			candidate.ID, candidate.Secret, candidate.PublicKey, ms(time.Now())); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT secret, public_key FROM clients WHERE client_id = ?`, candidate.ID).Scan(&c.Secret, &c.PublicKey)
	})
	return c, err
}

// SigningKey implements Store.
func (s *DB) SigningKey(ctx context.Context, candidate SigningKey) (SigningKey, error) {
	var k SigningKey
	err := s.tx(ctx, func(tx *dbtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (kid, created_at, private_key)
			SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM signing_keys)`,
			candidate.ID, ms(candidate.CreatedAt), base64.StdEncoding.EncodeToString(candidate.PrivateKey)); err != nil {
			return err
		}
		var err error
		k, err = signingKey(ctx, tx, `ORDER BY created_at DESC, kid LIMIT 1`)
		return err
	})
	return k, err
}

// SigningKeyByID implements Store.
func (s *DB) SigningKeyByID(ctx context.Context, id string) (SigningKey, error) {
	var k SigningKey
	err := s.read(ctx, func(tx *dbtx) (err error) {
		k, err = signingKey(ctx, tx, `WHERE kid = ?`, id)
		return err
	})
	return k, err
}

func signingKey(ctx context.Context, tx *dbtx, rest string, args ...any) (SigningKey, error) {
	var k SigningKey
	var created int64
	var der string
	err := tx.QueryRowContext(ctx, `SELECT kid, created_at, private_key FROM signing_keys `+rest, args...).Scan(&k.ID, &created, &der)
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
