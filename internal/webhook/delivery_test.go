package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
	"github.com/linkharness/linkharness/internal/webhook"
)

// clock is a settable delivery clock.
type clock struct{ now atomic.Int64 }

func (c *clock) Now() time.Time      { return time.Unix(0, c.now.Load()) }
func (c *clock) Set(t time.Time)     { c.now.Store(t.UnixNano()) }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }
func newClock(t time.Time) *clock    { c := &clock{}; c.Set(t); return c }

// receiver answers every delivery with status and counts them.
func receiver(t *testing.T, status int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// queued opens a store holding one webhook to url, queued at at.
func queued(t *testing.T, url string, at time.Time) *store.DB {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.EnqueueWebhooks(context.Background(), store.Webhook{ID: "wh", ClientID: "c", URL: url, Type: "ITEM", Code: "ERROR",
		Body: []byte(`{"webhook_type":"ITEM"}`), CreatedAt: at}); err != nil {
		t.Fatal(err)
	}
	return st
}

// attempts lists the webhook's attempts as the control API shows them.
func attempts(t *testing.T, st *store.DB) (store.Webhook, []store.Attempt) {
	t.Helper()
	hooks, err := st.Webhooks(context.Background(), "c", store.WebhookFilter{})
	if err != nil || len(hooks) != 1 {
		t.Fatalf("webhooks %v %v", hooks, err)
	}
	return hooks[0], hooks[0].Attempts
}

// TestPlaidSchedule fails every delivery and follows the worker's clock
// from one retry to the next: Plaid's schedule tries after 30 s, then
// each wait four times the last, for 24 hours, so seven attempts.
func TestPlaidSchedule(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv, got := receiver(t, http.StatusInternalServerError)
	st := queued(t, srv.URL, start)
	c := newClock(start)
	w := webhook.New(webhook.Options{Store: st, Now: c.Now})
	want := []time.Duration{0, 30 * time.Second, 150 * time.Second, 630 * time.Second, 2550 * time.Second, 10230 * time.Second, 40950 * time.Second}
	var at []time.Duration
	for range 20 {
		if n, err := w.DeliverDue(context.Background()); err != nil {
			t.Fatal(err)
		} else if n > 0 {
			at = append(at, c.Now().Sub(start))
		}
		next, ok, err := st.NextWebhookDue(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		c.Set(next)
	}
	if len(at) != len(want) {
		t.Fatalf("attempts at %v, want %v", at, want)
	}
	for i := range want {
		if at[i] != want[i] {
			t.Errorf("attempt %d at %v, want %v", i+1, at[i], want[i])
		}
	}
	h, as := attempts(t, st)
	if h.Status != store.WebhookFailed || len(as) != 7 || got.Load() != 7 {
		t.Errorf("status %s with %d attempts listed, %d received; want failed, 7, 7", h.Status, len(as), got.Load())
	}
	for i, b := range []struct {
		n    int
		want time.Duration
	}{{1, 30 * time.Second}, {2, 2 * time.Minute}, {6, 512 * time.Minute}} {
		if d := webhook.Backoff(webhook.Options{Backoff: 30 * time.Second, Factor: 4}, b.n); d != b.want {
			t.Errorf("case %d: Backoff after attempt %d = %v, want %v", i, b.n, d, b.want)
		}
	}
}

// crashingOutbox loses the outcome of the first attempt, as a server
// killed between the receiver's answer and its record does.
type crashingOutbox struct {
	*store.DB
	lost atomic.Bool
}

func (o *crashingOutbox) FinishAttempt(ctx context.Context, id string, a store.Attempt, status string, next time.Time) error {
	if o.lost.CompareAndSwap(false, true) {
		return nil
	}
	return o.DB.FinishAttempt(ctx, id, a, status, next)
}

// TestCrashKeepsAttempt delivers a webhook that the receiver accepts, but
// the worker dies before it records the answer: the attempt is listed
// all the same, as interrupted once another worker takes the webhook up
// after the lease, and the second delivery is listed beside it.
func TestCrashKeepsAttempt(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv, got := receiver(t, http.StatusOK)
	st := queued(t, srv.URL, start)
	c := newClock(start)
	crashed := webhook.New(webhook.Options{Store: &crashingOutbox{DB: st}, Now: c.Now})
	if _, err := crashed.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, as := attempts(t, st); got.Load() != 1 || len(as) != 1 || as[0].Error != store.AttemptInFlight {
		t.Fatalf("after the crash: %d received, attempts %+v; want 1 and one in flight", got.Load(), as)
	}
	c.Add(time.Minute) // the crashed worker's lease lapses
	restarted := webhook.New(webhook.Options{Store: st, Now: c.Now})
	if _, err := restarted.DeliverDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	h, as := attempts(t, st)
	if got.Load() != 2 || h.Status != store.WebhookDelivered || len(as) != 2 {
		t.Fatalf("after the restart: %d received, status %s, attempts %+v; want 2, delivered, 2", got.Load(), h.Status, as)
	}
	if as[0].N != 1 || as[0].StatusCode != 0 || as[0].Error != store.AttemptInterrupted || as[1].N != 2 || as[1].StatusCode != 200 || as[1].Error != "" {
		t.Errorf("attempts %+v, want 1 interrupted and 2 answered 200", as)
	}
}

// countingOutbox counts the store's claims of due webhooks.
type countingOutbox struct {
	*store.DB
	claims atomic.Int32
}

func (o *countingOutbox) ClaimDueWebhooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.Webhook, error) {
	o.claims.Add(1)
	return o.DB.ClaimDueWebhooks(ctx, now, lease, limit)
}

// TestDeliverQueued asks the store on the first call, after Notify and
// when a retry the worker put off is due, and not otherwise.
func TestDeliverQueued(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	srv, got := receiver(t, http.StatusInternalServerError)
	st := &countingOutbox{DB: queued(t, srv.URL, start)}
	c := newClock(start)
	w := webhook.New(webhook.Options{Store: st, Now: c.Now, Backoff: time.Minute})
	step := func(what string, wantTried, wantClaims int) {
		t.Helper()
		before := st.claims.Load()
		n, err := w.DeliverQueued(context.Background())
		if err != nil || n != wantTried || int(st.claims.Load()-before) < wantClaims || wantClaims == 0 && st.claims.Load() != before {
			t.Errorf("%s: tried %d (%v), %d claims; want %d tried, %d claims", what, n, err, st.claims.Load()-before, wantTried, wantClaims)
		}
	}
	step("first call", 1, 1) // the queued webhook, which fails: due again in a minute
	step("nothing new", 0, 0)
	c.Add(30 * time.Second)
	step("retry not due yet", 0, 0)
	w.Notify()
	step("after Notify", 0, 1) // asks, though nothing is due
	c.Add(30 * time.Second)
	step("retry due", 1, 1)
	if got.Load() != 2 {
		t.Errorf("receiver got %d deliveries, want 2", got.Load())
	}
}
