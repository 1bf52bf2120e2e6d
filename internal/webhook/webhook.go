// Package webhook delivers the webhooks in the store's outbox the way Plaid
// sends them: a JSON POST signed with a Plaid-Verification JWT (ES256) over
// the body's SHA-256, retried until the receiver answers 2xx on Plaid's
// schedule (https://plaid.com/docs/api/webhooks/#webhook-retries): after
// 30 seconds, then each wait four times the one before, for up to 24
// hours after the webhook was queued, and not when an attempt gets no
// answer within 10 seconds. Each attempt is recorded before it is made
// and again with its outcome, so that one a crash cut short stays listed
// (delivery is at least once, as Plaid's is).
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

// Defaults of Options: Plaid's retry schedule, which makes at most seven
// attempts (the eighth would come 45 hours after the first).
const (
	DefaultBackoff = 30 * time.Second
	DefaultFactor  = 4
	DefaultWindow  = 24 * time.Hour
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
	// StartAttempt records that an attempt of a claimed webhook is being
	// made, before it is.
	StartAttempt(ctx context.Context, webhookID string, a store.Attempt) error
	// FinishAttempt records an attempt of a claimed webhook with its
	// outcome and the webhook's new status; a pending webhook is retried
	// at next.
	FinishAttempt(ctx context.Context, webhookID string, a store.Attempt, status string, next time.Time) error
	// ReleaseWebhook gives up a claim without an attempt.
	ReleaseWebhook(ctx context.Context, webhookID string) error
	// NextWebhookDue returns when the earliest pending webhook is due,
	// and false when none is pending.
	NextWebhookDue(ctx context.Context) (time.Time, bool, error)
	Keys
}

// Doer sends one HTTP request, as (*http.Client).Do does: *http.Client
// is one. An interface, so that a host with its own fetch (Cloudflare
// Workers) links none of http.Client's transport and TLS.
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Options configure a Worker.
type Options struct {
	// Store holds the outbox and the signing key.
	Store Outbox
	// Client sends the webhooks; nil means an *http.Client with
	// DefaultTimeout (none under js/wasm, whose host passes its own).
	Client Doer
	// Backoff is the wait after the first failed try (DefaultBackoff),
	// multiplied by Factor after each further one (DefaultFactor), up to
	// MaxBackoff (0: no bound).
	Backoff    time.Duration
	Factor     int
	MaxBackoff time.Duration
	// Window is how long after a webhook was queued it is retried
	// (DefaultWindow): a retry that would come later is not made.
	Window time.Duration
	// MaxAttempts bounds the tries of one webhook besides the window (0:
	// no bound).
	MaxAttempts int
	// Schedule, when set, gives a client's own retry schedule (its
	// Dashboard settings): the first wait, the factor and the window,
	// which replace Backoff, Factor and Window for its webhooks when ok.
	Schedule func(ctx context.Context, clientID string) (backoff time.Duration, factor int, window time.Duration, ok bool)
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
	// For DeliverQueued: whether it has asked the store once, and when
	// the attempts this worker put off are due again.
	hintMu  sync.Mutex
	checked bool
	retries []time.Time
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
		o.Client = defaultClient()
	}
	if o.Backoff <= 0 {
		o.Backoff = DefaultBackoff
	}
	if o.Factor < 1 {
		o.Factor = DefaultFactor
	}
	if o.Window <= 0 {
		o.Window = DefaultWindow
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

// DeliverQueued is DeliverDue for a worker made by New that serves
// requests: it asks the store only when there may be something to
// deliver, that is on its first call, after Notify (a webhook was
// queued), or once an attempt this worker put off (a failure's retry, an
// interrupted attempt) is due; otherwise it returns 0 at once. What it
// cannot know of, such as another worker's retries on the same store,
// waits for a DeliverDue (the Cloudflare Worker's cron run): this saves
// a store query after every request that queued nothing.
func (w *Worker) DeliverQueued(ctx context.Context) (int, error) {
	now := w.o.Now()
	w.hintMu.Lock()
	due := !w.checked
	w.checked = true
	select {
	case <-w.wake:
		due = true
	default:
	}
	kept := w.retries[:0]
	for _, t := range w.retries {
		if now.Before(t) {
			kept = append(kept, t)
		} else {
			due = true
		}
	}
	w.retries = kept
	w.hintMu.Unlock()
	if !due {
		return 0, nil
	}
	return w.DeliverDue(ctx)
}

// putOff notes, for DeliverQueued, that a webhook is due again at t.
func (w *Worker) putOff(t time.Time) {
	w.hintMu.Lock()
	w.retries = append(w.retries, t)
	w.hintMu.Unlock()
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

// deliver makes one attempt of a claimed webhook, recorded before it is
// made and again with its outcome.
func (w *Worker) deliver(ctx context.Context, h store.Webhook) {
	a := store.Attempt{N: h.AttemptCount + 1, StartedAt: w.o.Now()}
	if err := w.o.Store.StartAttempt(ctx, h.ID, a); err != nil {
		// Not recorded, so not made.
		w.o.Store.ReleaseWebhook(context.Background(), h.ID)
		w.putOff(a.StartedAt)
		return
	}
	a.StatusCode, a.Error = w.post(ctx, h)
	a.Duration = w.o.Now().Sub(a.StartedAt)
	if ctx.Err() != nil {
		// Stopping: the receiver may have got it; it is tried again.
		a.StatusCode, a.Error = 0, store.AttemptInterrupted
		w.o.Store.FinishAttempt(context.Background(), h.ID, a, store.WebhookPending, a.StartedAt)
		w.putOff(a.StartedAt)
		return
	}
	status, next := store.WebhookDelivered, a.StartedAt
	if a.StatusCode < 200 || a.StatusCode >= 300 {
		status, next = w.retry(w.schedule(h.ClientID), h, a.N, w.o.Now())
		if status == store.WebhookPending {
			w.putOff(next)
		}
	}
	w.o.Store.FinishAttempt(context.Background(), h.ID, a, status, next)
}

// retry is what follows the n-th failed attempt of h at now: pending until
// the next try, or failed when the schedule has none left.
func (w *Worker) retry(o Options, h store.Webhook, n int, now time.Time) (status string, next time.Time) {
	next = now.Add(Backoff(o, n))
	if (o.MaxAttempts > 0 && n >= o.MaxAttempts) || next.Sub(h.CreatedAt) > o.Window {
		return store.WebhookFailed, now
	}
	return store.WebhookPending, next
}

// schedule is the worker's options with the client's own retry schedule,
// when it has one.
func (w *Worker) schedule(clientID string) Options {
	o := w.o
	if o.Schedule == nil {
		return o
	}
	if backoff, factor, window, ok := o.Schedule(context.Background(), clientID); ok {
		o.Backoff, o.Factor, o.Window, o.MaxBackoff = backoff, factor, window, 0
	}
	return o
}

// Backoff is the wait after the n-th failed attempt under o's schedule:
// o.Backoff times o.Factor to the n-1, up to o.MaxBackoff when set.
func Backoff(o Options, n int) time.Duration {
	d, f := o.Backoff, time.Duration(max(o.Factor, 1))
	for i := 1; i < n; i++ {
		if o.MaxBackoff > 0 && d >= o.MaxBackoff || d > (1<<62)/f {
			break
		}
		d *= f
	}
	if o.MaxBackoff > 0 {
		d = min(d, o.MaxBackoff)
	}
	return d
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
