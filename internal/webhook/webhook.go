// Package webhook delivers the webhooks in the store's outbox the way Plaid
// sends them: a JSON POST signed with a Plaid-Verification JWT (ES256) over
// the body's SHA-256, retried with exponential backoff until the receiver
// answers 2xx, at most a bounded number of times.
//
// A [Worker] claims due webhooks from the store with a lease, so several
// servers sharing one database never deliver one webhook twice, and a
// restarted server resumes whatever was pending. It delivers in the
// background ([Start]) or only when asked ([New] and [Worker.DeliverDue]),
// where no goroutine may outlive a request, as on Cloudflare Workers.
package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/linkharness/linkharness/internal/store"
)

// Defaults of Options.
const (
	DefaultMaxAttempts = 8
	DefaultBackoff     = time.Second
	DefaultMaxBackoff  = 5 * time.Minute
	// DefaultTimeout bounds one delivery attempt.
	DefaultTimeout = 10 * time.Second
)

// lease is how long a claimed webhook stays reserved for its worker; it
// outlasts an attempt, and a crashed worker's claims lapse after it.
const lease = 30 * time.Second

// poll is how often an idle worker looks for webhooks that another server
// sharing the database queued.
const poll = 500 * time.Millisecond

// Outbox is what a Worker needs of the store: the webhooks due, a lease
// on them, the attempts made and the key that signs them. [store.DB] is
// one.
type Outbox interface {
	// ClaimDueWebhooks leases up to limit pending webhooks due at now for
	// lease, so that no other worker delivers them meanwhile.
	ClaimDueWebhooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.Webhook, error)
	// FinishAttempt records an attempt of a claimed webhook and its new
	// status; a pending webhook is retried at next.
	FinishAttempt(ctx context.Context, webhookID string, a store.Attempt, status string, next time.Time) error
	// ReleaseWebhook gives up a claim without an attempt.
	ReleaseWebhook(ctx context.Context, webhookID string) error
	// NextWebhookDue returns when the earliest pending webhook is due,
	// and false when none is pending.
	NextWebhookDue(ctx context.Context) (time.Time, bool, error)
	Keys
}

// Options configure a Worker.
type Options struct {
	// Store holds the outbox and the signing key.
	Store Outbox
	// Client sends the webhooks; nil means a client with DefaultTimeout.
	Client *http.Client
	// MaxAttempts bounds the tries of one webhook (DefaultMaxAttempts).
	MaxAttempts int
	// Backoff is the wait after the first failed try, doubled after each
	// further one (DefaultBackoff), up to MaxBackoff (DefaultMaxBackoff).
	Backoff    time.Duration
	MaxBackoff time.Duration
	// Now is the delivery clock, which is wall time: receivers check the
	// JWT's iat against theirs. nil means time.Now.
	Now func() time.Time
}

// Worker delivers due webhooks: in the background until Close when made by
// Start, when DeliverDue is called when made by New.
type Worker struct {
	o      Options
	wake   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
	keyMu  sync.Mutex
	signer *Signer
}

// Start starts a worker that delivers in the background.
func Start(o Options) *Worker {
	w := New(o)
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel, w.done = cancel, make(chan struct{})
	go w.run(ctx)
	return w
}

// New returns a worker that delivers only when DeliverDue is called.
func New(o Options) *Worker {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: DefaultTimeout}
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	done := make(chan struct{})
	close(done) // nothing runs until Start runs the loop
	return &Worker{o: o, wake: make(chan struct{}, 1), cancel: func() {}, done: done}
}

// Notify tells the worker that webhooks were queued.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Close stops the worker and waits for it. Webhooks it was delivering go
// back to the outbox untried.
func (w *Worker) Close() error {
	w.cancel()
	<-w.done
	return nil
}

// Signer returns the key that signs webhooks, creating and storing one the
// first time.
func (w *Worker) Signer(ctx context.Context) (*Signer, error) {
	w.keyMu.Lock()
	defer w.keyMu.Unlock()
	if w.signer != nil {
		return w.signer, nil
	}
	s, err := CurrentSigner(ctx, w.o.Store, w.o.Now())
	if err != nil {
		return nil, err
	}
	w.signer = s
	return s, nil
}

// batch is how many webhooks a worker claims and delivers at once.
const batch = 16

// DeliverDue delivers the webhooks due now, a batch at a time, until none
// is due, and returns how many it tried. A failed delivery is due again
// only after its backoff: a later call (a cron run) retries it.
func (w *Worker) DeliverDue(ctx context.Context) (int, error) {
	tried := 0
	for ctx.Err() == nil {
		due, err := w.o.Store.ClaimDueWebhooks(ctx, w.o.Now(), lease, batch)
		if err != nil || len(due) == 0 {
			return tried, err
		}
		w.deliverAll(ctx, due)
		tried += len(due)
	}
	return tried, ctx.Err()
}

// deliverAll makes one attempt of each claimed webhook, at once.
func (w *Worker) deliverAll(ctx context.Context, due []store.Webhook) {
	var wg sync.WaitGroup
	for _, h := range due {
		wg.Go(func() { w.deliver(ctx, h) })
	}
	wg.Wait()
}

func (w *Worker) run(ctx context.Context) {
	defer close(w.done)
	for ctx.Err() == nil {
		due, err := w.o.Store.ClaimDueWebhooks(ctx, w.o.Now(), lease, batch)
		if err == nil && len(due) > 0 {
			w.deliverAll(ctx, due)
			continue
		}
		wait := poll
		if next, ok, err := w.o.Store.NextWebhookDue(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(w.o.Now()), time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// deliver makes one attempt of a claimed webhook and records it.
func (w *Worker) deliver(ctx context.Context, h store.Webhook) {
	a := store.Attempt{N: h.AttemptCount + 1, StartedAt: w.o.Now()}
	a.StatusCode, a.Error = w.post(ctx, h)
	if ctx.Err() != nil {
		// Stopping: the attempt did not happen as far as anyone knows.
		w.o.Store.ReleaseWebhook(context.Background(), h.ID)
		return
	}
	a.Duration = w.o.Now().Sub(a.StartedAt)
	status, next := store.WebhookDelivered, time.Time{}
	switch {
	case a.StatusCode >= 200 && a.StatusCode < 300:
	case a.N >= w.o.MaxAttempts:
		status = store.WebhookFailed
	default:
		status, next = store.WebhookPending, w.o.Now().Add(w.backoff(a.N))
	}
	if next.IsZero() {
		next = a.StartedAt
	}
	w.o.Store.FinishAttempt(context.Background(), h.ID, a, status, next)
}

// backoff is the wait after the n-th failed attempt.
func (w *Worker) backoff(n int) time.Duration {
	d := w.o.Backoff
	for i := 1; i < n && d < w.o.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, w.o.MaxBackoff)
}

// post sends the webhook and returns the receiver's status, or 0 and why
// it did not answer.
func (w *Worker) post(ctx context.Context, h store.Webhook) (int, string) {
	signer, err := w.Signer(ctx)
	if err != nil {
		return 0, "signing key: " + err.Error()
	}
	jwt, err := signer.Sign(h.Body, w.o.Now())
	if err != nil {
		return 0, "signing: " + err.Error()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(h.Body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Plaid-Verification", jwt)
	req.Header.Set("User-Agent", "Plaid Verifier")
	resp, err := w.o.Client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return resp.StatusCode, fmt.Sprintf("receiver answered %s", resp.Status)
	}
	return resp.StatusCode, ""
}
