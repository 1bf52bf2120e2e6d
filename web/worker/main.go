//go:build js && wasm

// Command worker is linkharness on Cloudflare Workers: the same web/
// handler as `linkharness serve`, its state in D1 (binding DB) through
// store.DB, the SDK assets served as Workers static assets.
//
// Workers runs a fresh Go instance for every request and every cron run
// (syumai/workers' worker.mjs instantiates the module each time), so
// main runs once per event: it opens the store, serves the one event and
// returns. Nothing survives in Go globals.
//
// Webhooks: nothing may run between events, so the server delivers only
// when asked (web.Options.DeliverOnRequest). After each POST, a
// waitUntil task delivers what is due (the webhooks the request queued,
// and any other that is due); a delivery that fails is due again after
// its backoff, and the cron trigger delivers it then. The environment
// (wrangler secrets, or .dev.vars for wrangler dev):
//
//	LINKHARNESS_CLIENTS          ID:SECRET:PUBLIC_KEY[,...] (required)
//	LINKHARNESS_REDIRECT_URIS    allowed OAuth redirect URIs, for every client
//	LINKHARNESS_WEBHOOK_BACKOFF  wait after a first failed delivery ("2s";
//	                             default Plaid's 30s, four times longer
//	                             after each further one, for 24 hours)
//	LINKHARNESS_SETTINGS         every client's Dashboard settings as JSON,
//	                             as /linkharness/settings/set takes them
//	                             (`serve --settings`)
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"syscall/js"
	"time"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/cron"
	"github.com/syumai/workers/cloudflare/fetch"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/web"
)

const (
	// d1Binding is the D1 binding's name in wrangler.jsonc.
	d1Binding = "DB"
	// requestBudget bounds the delivery after a request (Workers gives a
	// waitUntil task 30 s after the response); what is left is the
	// cron's.
	requestBudget = 25 * time.Second
	// cronBudget bounds one cron run, well within a minute so runs do
	// not overlap.
	cronBudget = 50 * time.Second
	// attemptTimeout bounds one delivery attempt.
	attemptTimeout = 10 * time.Second
)

func main() {
	srv, err := open(context.Background())
	if err != nil {
		// Say why on every request rather than failing the isolate.
		msg := "linkharness worker: " + err.Error()
		workers.ServeNonBlock(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, msg, http.StatusInternalServerError)
		}))
		cron.ScheduleTaskNonBlock(func(context.Context) error {
			// An error returned here panics in syumai/workers: log it.
			fmt.Println(msg)
			return nil
		})
		workers.Ready()
		<-workers.Done()
		return
	}

	var tasks sync.WaitGroup // waitUntil tasks still running
	cronDone := make(chan struct{})
	cron.ScheduleTaskNonBlock(func(context.Context) error {
		defer close(cronDone)
		deliver(srv, "cron", cronBudget)
		return nil // an error returned here panics in syumai/workers
	})
	workers.ServeNonBlock(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			// Only POSTs change state, and so queue webhooks.
			srv.ServeHTTP(w, r)
			return
		}
		tasks.Add(1) // before the response ends, and with it workers.Done
		srv.ServeHTTP(w, r)
		cloudflare.WaitUntil(func() {
			defer tasks.Done()
			deliver(srv, "request", requestBudget)
		})
	}))
	workers.Ready()
	select {
	case <-workers.Done():
		tasks.Wait()
	case <-cronDone:
	}
	srv.Close()
	// Let the promise of the task that just finished resolve before the
	// Go program exits.
	time.Sleep(10 * time.Millisecond)
}

// deliver delivers the webhooks due now, within budget, and logs what it
// did: a failure is retried by a later cron run.
func deliver(srv *web.Server, what string, budget time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	n, err := srv.DeliverDue(ctx)
	switch {
	case err != nil:
		fmt.Printf("linkharness %s: delivering webhooks: %d tried, then %v\n", what, n, err)
	case n > 0:
		fmt.Printf("linkharness %s: %d webhook deliveries tried\n", what, n)
	}
}

// open opens the D1 store and the server over it.
func open(ctx context.Context) (*web.Server, error) {
	clients, err := parseClients(cloudflare.Getenv("LINKHARNESS_CLIENTS"))
	if err != nil {
		return nil, err
	}
	redirects, err := web.ParseRedirectURIs(cloudflare.Getenv("LINKHARNESS_REDIRECT_URIS"))
	if err != nil {
		return nil, fmt.Errorf("LINKHARNESS_REDIRECT_URIS: %w", err)
	}
	settings := json.RawMessage(cloudflare.Getenv("LINKHARNESS_SETTINGS"))
	for i := range clients {
		clients[i].RedirectURIs = redirects
		if len(settings) > 0 {
			clients[i].Settings = settings
		}
	}
	backoff, err := parseBackoff(cloudflare.Getenv("LINKHARNESS_WEBHOOK_BACKOFF"))
	if err != nil {
		return nil, err
	}
	c, err := openD1(d1Binding)
	if err != nil {
		return nil, fmt.Errorf("D1 binding %s: %w", d1Binding, err)
	}
	st, err := store.Open(ctx, sql.OpenDB(c), nil)
	if err != nil {
		return nil, err
	}
	// Webhooks go out through the Workers fetch API (net/http's own js
	// transport sets RequestInit.credentials, which workerd rejects), with
	// the real globalThis as fetch's receiver: fetch.NewClient's default,
	// js.Global(), is worker.mjs's Proxy of globalThis there, and workerd
	// answers fetch called on it with "Illegal invocation: function called
	// with incorrect `this` reference". fixedLengthFetch calls it so.
	global := fetch.WithBinding(fixedLengthFetch(js.Global().Get("globalThis")))
	// The transport alone, called by fetchClient: calling an http.Client
	// would link its own transport and crypto/tls.
	tr := fetch.NewClient(global).HTTPClient(fetch.RedirectModeFollow).Transport
	srv, err := web.NewServer(web.Options{
		Clients:          clients,
		Store:            st,
		DeliverOnRequest: true,
		Webhooks: web.WebhookOptions{
			Client:  fetchClient{tr, attemptTimeout},
			Backoff: backoff,
		},
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	return srv, nil
}

// fetchClient sends a webhook through next (the Workers fetch API, which
// follows redirects itself), as an http.Client with a timeout would, but
// without linking http.Client's transport and TLS. An attempt gives up
// after timeout, or when the request's context ends, even if fetch has
// not answered (it takes no context). A JavaScript exception in fetch (a
// refused connection, a bad URL) is a failed attempt: syscall/js panics
// with it, and unrecovered in a delivery goroutine it would end the Go
// program and leave the event hanging.
type fetchClient struct {
	next    http.RoundTripper
	timeout time.Duration
}

// Do sends req and returns the response, or why there is none.
func (c fetchClient) Do(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), c.timeout)
	type result struct {
		resp *http.Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r = result{nil, fmt.Errorf("fetch: %v", p)}
			}
			done <- r
		}()
		r.resp, r.err = c.next.RoundTrip(req.WithContext(ctx))
	}()
	select {
	case r := <-done:
		if r.err != nil {
			cancel()
			return nil, r.err
		}
		r.resp.Body = cancelBody{r.resp.Body, cancel}
		return r.resp, nil
	case <-ctx.Done():
		cancel()
		return nil, fmt.Errorf("fetch %s: %w", req.URL.Redacted(), ctx.Err())
	}
}

// cancelBody ends the attempt's context when the body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// fixedLengthFetch returns a fetch binding for syumai/workers' fetch
// client whose fetch calls global's with the request body read whole,
// as bytes. The client hands fetch the body as a ReadableStream, which
// workerd sends chunked, with no Content-Length: Plaid's webhooks carry
// one, and a receiver may rely on it.
func fixedLengthFetch(global js.Value) js.Value {
	binding := js.Global().Get("Object").New()
	binding.Set("fetch", js.FuncOf(func(_ js.Value, args []js.Value) any {
		return rejectPanic(func() js.Value {
			req, init := args[0], args[1]
			method := req.Get("method").String()
			if method == http.MethodGet || method == http.MethodHead {
				return global.Call("fetch", req, init)
			}
			var send js.Func
			send = js.FuncOf(func(_ js.Value, body []js.Value) any {
				send.Release()
				return rejectPanic(func() js.Value {
					opts := js.Global().Get("Object").New()
					opts.Set("method", method)
					opts.Set("headers", req.Get("headers"))
					opts.Set("body", body[0])
					opts.Set("redirect", init.Get("redirect"))
					return global.Call("fetch", req.Get("url"), opts)
				})
			})
			return req.Call("arrayBuffer").Call("then", send)
		})
	}))
	return binding
}

// rejectPanic returns f's promise, or a rejected one if f panics (a
// JavaScript exception): in a callback from JavaScript, a panic would end
// the Go program.
func rejectPanic(f func() js.Value) (promise js.Value) {
	defer func() {
		if p := recover(); p != nil {
			promise = js.Global().Get("Promise").Call("reject", js.Global().Get("Error").New(fmt.Sprint(p)))
		}
	}()
	return f()
}
