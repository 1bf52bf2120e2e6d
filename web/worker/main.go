//go:build js && wasm

// Command worker is linkharness on Cloudflare Workers: the same web/
// handler as `linkharness serve`, its state in D1 (binding DB) through
// store.DB, the SDK assets served as Workers static assets.
//
// Workers runs a fresh Go instance for every request and every cron run
// (syumai/workers' worker.mjs instantiates the module each time), so
// main runs once per event: it opens the store, serves the one event and
// returns. Nothing survives in Go globals.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall/js"
	"time"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/cron"
	"github.com/syumai/workers/cloudflare/fetch"

	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/store"
)

const (
	// d1Binding is the D1 binding's name in wrangler.jsonc.
	d1Binding = "DB"
	// requestDrain bounds how long a request's waitUntil delivers the
	// webhooks it queued; what is left is the cron's.
	requestDrain = 20 * time.Second
	// cronDrain bounds one cron run.
	cronDrain = 50 * time.Second
)

func main() {
	ctx := context.Background()
	srv, st, tr, err := open(ctx)
	if err != nil {
		// Say why on every request rather than failing the isolate.
		msg := "linkharness worker: " + err.Error()
		workers.ServeNonBlock(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, msg, http.StatusInternalServerError)
		}))
		cron.ScheduleTaskNonBlock(func(context.Context) error { return fmt.Errorf("%s", msg) })
		workers.Ready()
		<-workers.Done()
		return
	}
	defer srv.Close()

	var drains sync.WaitGroup
	cronDone := make(chan struct{})
	cron.ScheduleTaskNonBlock(func(ctx context.Context) error {
		defer close(cronDone)
		drain(ctx, st, tr, cronDrain)
		return nil
	})
	workers.ServeNonBlock(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(w, r)
		// The handler may have queued webhooks and woken the webhook
		// worker: keep the instance alive while it delivers them.
		drains.Add(1)
		cloudflare.WaitUntil(func() {
			defer drains.Done()
			drain(context.Background(), st, tr, requestDrain)
		})
	}))
	workers.Ready()
	select {
	case <-workers.Done():
		drains.Wait()
	case <-cronDone:
	}
	// Let the promise of the task that just finished resolve before the
	// Go program exits.
	time.Sleep(10 * time.Millisecond)
}

// open opens the D1 store and the server over it.
func open(ctx context.Context) (*web.Server, store.Store, *countingTransport, error) {
	clients, err := parseClients(cloudflare.Getenv("LINKHARNESS_CLIENTS"))
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := openD1(d1Binding)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("D1 binding %s: %w", d1Binding, err)
	}
	st, err := store.Open(ctx, sql.OpenDB(c), nil)
	if err != nil {
		return nil, nil, nil, err
	}
	// Webhooks go out through the Workers fetch API (net/http's own js
	// transport sets RequestInit.credentials, which workerd rejects), with
	// the real globalThis as fetch's receiver: fetch.NewClient's default,
	// js.Global(), is worker.mjs's Proxy of globalThis there, and workerd
	// answers fetch called on it with "Illegal invocation: function called
	// with incorrect `this` reference".
	global := fetch.WithBinding(js.Global().Get("globalThis"))
	tr := &countingTransport{next: fetch.NewClient(global).HTTPClient(fetch.RedirectModeFollow).Transport}
	srv, err := web.NewServer(web.Options{
		Clients:  clients,
		Store:    st,
		Webhooks: web.WebhookOptions{Client: &http.Client{Transport: tr, Timeout: 10 * time.Second}},
	})
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	return srv, st, tr, nil
}

// drain waits, at most budget, until the webhook worker that web.NewServer
// started is idle: no delivery in flight and no webhook due now. A failed
// delivery is due again only after its backoff, so it is left to the next
// cron run.
//
// STOPGAP: web/webhook has no "deliver what is due, then return" call
// yet; this watches the store and the transport from outside instead.
func drain(ctx context.Context, st store.Store, tr *countingTransport, budget time.Duration) {
	deadline := time.Now().Add(budget)
	quiet := 0
	for time.Now().Before(deadline) && ctx.Err() == nil {
		busy := tr.inFlight.Load() > 0
		if !busy {
			next, ok, err := st.NextWebhookDue(ctx)
			busy = err == nil && ok && !next.After(time.Now())
		}
		if busy {
			quiet = 0
		} else if quiet++; quiet >= 3 {
			// Three quiet looks in a row: the attempt that just ended
			// had time to be recorded (FinishAttempt).
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// countingTransport counts the webhook posts in flight, until their
// response body is closed.
type countingTransport struct {
	next     http.RoundTripper
	inFlight atomic.Int64
}

func (t *countingTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	t.inFlight.Add(1)
	defer func() {
		// A JavaScript exception in fetch panics in syscall/js; unrecovered
		// in the webhook worker's goroutine it would end the Go program
		// and hang the request. It is a failed attempt instead.
		if p := recover(); p != nil {
			resp, err = nil, fmt.Errorf("fetch: %v", p)
		}
		if err != nil {
			t.inFlight.Add(-1)
		}
	}()
	resp, err = t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &countedBody{ReadCloser: resp.Body, t: t}
	return resp, nil
}

type countedBody struct {
	io.ReadCloser
	t    *countingTransport
	once sync.Once
}

func (b *countedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(func() { b.t.inFlight.Add(-1) })
	return err
}
