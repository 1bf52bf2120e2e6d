package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// Webhook delivery states.
const (
	WebhookPending   = "pending"
	WebhookDelivered = "delivered"
	WebhookFailed    = "failed"
)

// Webhook is a webhook in the outbox, with its delivery attempts.
type Webhook struct {
	ID            string
	ClientID      string
	ItemID        string
	LinkSessionID string
	URL           string
	Type          string
	Code          string
	Body          json.RawMessage
	CreatedAt     time.Time
	// Status is WebhookPending, WebhookDelivered or WebhookFailed.
	Status        string
	AttemptCount  int
	NextAttemptAt time.Time
	DeliveredAt   time.Time
	// Attempts are filled by Webhooks.
	Attempts []Attempt
}

// Attempt is one delivery attempt of a webhook. An attempt is recorded
// before it is made (StartAttempt) and again with its outcome
// (FinishAttempt), so one that a crash cut short stays listed.
type Attempt struct {
	N         int
	StartedAt time.Time
	Duration  time.Duration
	// StatusCode is the receiver's HTTP status, 0 when it never answered
	// (or the answer was not recorded: Error says which).
	StatusCode int
	Error      string
}

// Errors of attempts without an outcome: one being made, and one whose
// worker stopped before recording the receiver's answer (the receiver
// may have got it).
const (
	AttemptInFlight    = "in flight"
	AttemptInterrupted = "interrupted: the emulator stopped before it recorded the receiver's answer, which it may have got"
)

// WebhookFilter narrows Webhooks; empty fields match everything.
type WebhookFilter struct {
	ItemID        string
	LinkSessionID string
}

// EnqueueWebhooks queues webhooks for delivery.
func (s *DB) EnqueueWebhooks(ctx context.Context, outbox ...Webhook) error {
	_, err := s.db.Batch(ctx, enqueue(outbox)...)
	return err
}

// enqueue returns the statements that queue outbox.
func enqueue(outbox []Webhook) []sqlbatch.Stmt {
	var out []sqlbatch.Stmt
	for _, w := range outbox {
		next := w.NextAttemptAt
		if next.IsZero() {
			next = w.CreatedAt
		}
		out = append(out, sqlbatch.Stmt{Query: `INSERT INTO webhooks (webhook_id, client_id, item_id, link_session_id, url, webhook_type,
			webhook_code, body, created_at, status, attempts, next_attempt_at, lease_until, delivered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, NULL)`,
			Args: []any{w.ID, w.ClientID, w.ItemID, w.LinkSessionID, w.URL, w.Type, w.Code, jsonText(w.Body), ms(w.CreatedAt),
				WebhookPending, ms(next)}})
	}
	return out
}

const webhookColumns = `webhook_id, client_id, item_id, link_session_id, url, webhook_type, webhook_code, body, created_at,
	status, attempts, next_attempt_at, delivered_at`

func scanWebhook(rows *sqlbatch.Rows) (Webhook, error) {
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
	rows, err := s.db.Query(ctx, query, args...)
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

// ClaimDueWebhooks leases up to limit pending webhooks due at now for lease,
// so that no other worker delivers them meanwhile. Each claim is a
// conditional UPDATE, so of workers claiming at once only one gets each
// webhook.
func (s *DB) ClaimDueWebhooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Webhook, error) {
	due, err := s.queryWebhooks(ctx, `SELECT `+webhookColumns+` FROM webhooks
		WHERE status = ? AND next_attempt_at <= ? AND lease_until <= ? ORDER BY next_attempt_at, created_at LIMIT ?`,
		WebhookPending, ms(now), ms(now), limit)
	if err != nil || len(due) == 0 {
		return nil, err
	}
	var claims []sqlbatch.Stmt
	for _, w := range due {
		// An attempt still in flight under a lapsed lease was cut short.
		claims = append(claims, sqlbatch.Stmt{Query: `UPDATE webhook_attempts SET error = ? WHERE webhook_id = ? AND error = ?
			AND EXISTS (SELECT 1 FROM webhooks WHERE webhook_id = ? AND status = ? AND lease_until <= ?)`,
			Args: []any{AttemptInterrupted, w.ID, AttemptInFlight, w.ID, WebhookPending, ms(now)}},
			sqlbatch.Stmt{Query: `UPDATE webhooks SET lease_until = ? WHERE webhook_id = ? AND status = ? AND lease_until <= ?`,
				Args: []any{ms(now.Add(lease)), w.ID, WebhookPending, ms(now)}})
	}
	res, err := s.db.Batch(ctx, claims...)
	if err != nil {
		return nil, err
	}
	var out []Webhook
	for i, w := range due {
		if res[2*i+1].RowsAffected == 1 {
			out = append(out, w)
		}
	}
	return out, nil
}

// StartAttempt records that an attempt of a claimed webhook is being made
// (AttemptInFlight), before it is: the attempt counts and stays listed
// even if the worker stops before FinishAttempt.
func (s *DB) StartAttempt(ctx context.Context, webhookID string, a Attempt) error {
	a.Error = AttemptInFlight
	_, err := s.db.Batch(ctx, recordAttempt(webhookID, a),
		sqlbatch.Stmt{Query: `UPDATE webhooks SET attempts = ? WHERE webhook_id = ?`, Args: []any{a.N, webhookID}})
	return err
}

// recordAttempt writes attempt a of the webhook, over what StartAttempt
// wrote of it. A webhook reset away while it was being delivered keeps
// no attempts.
func recordAttempt(webhookID string, a Attempt) sqlbatch.Stmt {
	return sqlbatch.Stmt{Query: `INSERT INTO webhook_attempts (webhook_id, attempt, started_at, duration_ms, status_code, error)
		SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE webhook_id = ?)
		ON CONFLICT (webhook_id, attempt) DO UPDATE SET duration_ms = excluded.duration_ms, status_code = excluded.status_code,
		error = excluded.error`,
		Args: []any{webhookID, a.N, ms(a.StartedAt), a.Duration.Milliseconds(), a.StatusCode, a.Error, webhookID}}
}

// FinishAttempt records an attempt of a claimed webhook with its outcome
// and the webhook's new status; a pending webhook is retried at next.
func (s *DB) FinishAttempt(ctx context.Context, webhookID string, a Attempt, status string, next time.Time) error {
	var delivered sql.NullInt64
	if status == WebhookDelivered {
		delivered = nullMS(a.StartedAt.Add(a.Duration))
	}
	_, err := s.db.Batch(ctx, recordAttempt(webhookID, a),
		sqlbatch.Stmt{Query: `UPDATE webhooks SET status = ?, attempts = ?, next_attempt_at = ?, lease_until = 0, delivered_at = ?
			WHERE webhook_id = ?`, Args: []any{status, a.N, ms(next), delivered, webhookID}})
	return err
}

// ResendWebhook queues the client's delivered or failed webhook again, due
// at now, with its attempts so far; ErrNotFound when the client has no
// such webhook, ErrUsed when it is still pending.
func (s *DB) ResendWebhook(ctx context.Context, clientID, webhookID string, now time.Time) error {
	n, err := s.db.Changed(ctx, `UPDATE webhooks SET status = ?, next_attempt_at = ?, lease_until = 0, delivered_at = NULL
		WHERE client_id = ? AND webhook_id = ? AND status <> ?`, WebhookPending, ms(now), clientID, webhookID, WebhookPending)
	if err != nil || n == 1 {
		return err
	}
	var one int
	if err := s.db.QueryRow(ctx, `SELECT 1 FROM webhooks WHERE client_id = ? AND webhook_id = ?`, clientID, webhookID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	} else if err != nil {
		return err
	}
	return ErrUsed
}

// ReleaseWebhook gives up a claim without an attempt.
func (s *DB) ReleaseWebhook(ctx context.Context, webhookID string) error {
	_, err := s.db.Exec(ctx, `UPDATE webhooks SET lease_until = 0 WHERE webhook_id = ?`, webhookID)
	return err
}

// NextWebhookDue returns when the earliest pending webhook is due, and false
// when none is pending.
func (s *DB) NextWebhookDue(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	err := s.db.QueryRow(ctx, `SELECT MIN(MAX(next_attempt_at, lease_until)) FROM webhooks WHERE status = ?`, WebhookPending).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return fromMS(next.Int64), true, nil
}

// Webhooks returns the client's webhooks matching f, oldest first, with
// their attempts.
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
	rows, err := s.db.Query(ctx, `SELECT attempt, started_at, duration_ms, status_code, error FROM webhook_attempts
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
