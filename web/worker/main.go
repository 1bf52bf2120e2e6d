//go:build js && wasm

// Command worker is linkharness on Cloudflare Workers: the same web/
// handler as `linkharness serve`, its state in D1 (binding DB) through
// store.DB, the SDK assets served as Workers static assets.
//
// One Go program runs per isolate, started by the isolate's first event
// and serving every later one (worker.mjs, beside this file, replaces
// syumai/workers' generated one, which starts a Go instance per event:
// that start alone cost more CPU than the free plan's 10 ms a request).
// worker.mjs hands each request to the program's serve function whole
// (method, URL, headers, body) and turns the answer into a Response.
// The isolate's requests share one web.Server (building one, mostly its
// route table, cost some 3 ms of CPU a request): it keeps its state in
// D1, not in Go memory, as `linkharness serve` processes sharing one
// database do, so that isolates serving at once agree. (Its webhook
// signer is kept, and signing keys are never removed.)
//
// Webhooks: nothing may run between events, so the server delivers only
// when asked (web.Options.DeliverOnRequest). After each POST, a
// waitUntil task delivers what is due if the isolate's server queued a
// webhook since, or put one off that is due now (web.Server.DeliverQueued:
// a POST that queued nothing costs no query); a delivery that fails is
// due again after its backoff, and a later POST of the isolate, or the
// cron trigger (which asks D1 for whatever is due), delivers it then.
// The environment
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
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall/js"
	"time"

	"github.com/syumai/workers/cloudflare"
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

// main opens the store and the server once, gives worker.mjs its
// functions (context.binding.serve and .cron), says it is ready, and
// serves until the isolate ends.
func main() {
	binding := js.Global().Get("context").Get("binding")
	srv, err := open(context.Background())
	if err != nil {
		// Say why on every request rather than failing the isolate.
		msg := "linkharness worker: " + err.Error()
		binding.Set("serve", js.FuncOf(func(_ js.Value, args []js.Value) any {
			return promise(func() js.Value {
				return response(http.StatusInternalServerError, http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, []byte(msg+"\n"), js.Func{})
			})
		}))
		binding.Set("cron", js.FuncOf(func(js.Value, []js.Value) any {
			return promise(func() js.Value { fmt.Println(msg); return js.Undefined() })
		}))
	} else {
		binding.Set("serve", js.FuncOf(func(_ js.Value, args []js.Value) any {
			method, url, headers, body := args[0].String(), args[1].String(), args[2].String(), args[3]
			return promise(func() js.Value { return serve(srv, method, url, headers, body) })
		}))
		binding.Set("cron", js.FuncOf(func(js.Value, []js.Value) any {
			return promise(func() js.Value {
				deliver(srv.DeliverDue, "cron", cronBudget)
				return js.Undefined()
			})
		}))
	}
	binding.Call("ready")
	select {} // the functions above serve until the isolate ends
}

// serve answers one request, as the object worker.mjs makes a Response
// of: status, statusText, headers (as "name:value\n" lines), body (a
// Uint8Array), and for a POST deliver, a function that delivers the
// webhooks due (returning a promise) for worker.mjs to pass to waitUntil.
func serve(srv *web.Server, method, url, headers string, body js.Value) js.Value {
	req, err := request(method, url, headers, body)
	if err != nil {
		return response(http.StatusBadRequest, http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, []byte(err.Error()+"\n"), js.Func{})
	}
	rec := &recorder{header: http.Header{}}
	func() {
		defer func() {
			if p := recover(); p != nil {
				fmt.Printf("linkharness: panic serving %s %s: %v\n", method, req.URL.Path, p)
				if rec.status == 0 {
					rec.header = http.Header{"Content-Type": {"text/plain; charset=utf-8"}}
					rec.status = http.StatusInternalServerError
					rec.body.Reset()
					rec.body.WriteString("Internal Server Error\n")
				}
			}
		}()
		srv.ServeHTTP(rec, req)
	}()
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if method != http.MethodPost {
		// Only POSTs change state, and so queue webhooks.
		return response(rec.status, rec.header, rec.body.Bytes(), js.Func{})
	}
	var deliverFunc js.Func
	deliverFunc = js.FuncOf(func(js.Value, []js.Value) any {
		deliverFunc.Release()
		return promise(func() js.Value {
			deliver(srv.DeliverQueued, "request", requestBudget)
			return js.Undefined()
		})
	})
	return response(rec.status, rec.header, rec.body.Bytes(), deliverFunc)
}

// request is the http.Request worker.mjs described: headers are
// "name:value\n" lines (as a Headers object lists them: no name holds a
// colon, no value a newline), body a Uint8Array or null. Strings, not
// JavaScript objects, to spare a js.Value (and its finalizer) per header.
func request(method, url, headers string, body js.Value) (*http.Request, error) {
	var b []byte
	if body.Truthy() {
		b = make([]byte, body.Get("length").Int())
		js.CopyBytesToGo(b, body)
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	for line := range strings.SplitSeq(headers, "\n") {
		if name, value, ok := strings.Cut(line, ":"); ok {
			req.Header.Add(name, value)
		}
	}
	req.RequestURI = req.URL.RequestURI()
	req.RemoteAddr = req.Header.Get("Cf-Connecting-Ip")
	if b == nil {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	return req, nil
}

// recorder is the http.ResponseWriter of one request: the whole answer,
// kept for worker.mjs.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

// Flush is there for handlers that flush: the answer goes out whole.
func (r *recorder) Flush() {}

// newlineToSpace keeps a header value on its line, as net/http's server
// writes values: a newline would start a header of its own.
var newlineToSpace = strings.NewReplacer("\r", " ", "\n", " ")

// response is the object worker.mjs makes a Response of (see serve).
func response(status int, header http.Header, body []byte, deliver js.Func) js.Value {
	var lines strings.Builder
	for name, values := range header {
		for _, v := range values {
			lines.WriteString(name + ":" + newlineToSpace.Replace(v) + "\n")
		}
	}
	b := js.Global().Get("Uint8Array").New(len(body))
	js.CopyBytesToJS(b, body)
	out := js.Global().Get("Object").New()
	out.Set("status", status)
	out.Set("statusText", http.StatusText(status))
	out.Set("headers", lines.String())
	out.Set("body", b)
	if deliver.Truthy() {
		out.Set("deliver", deliver)
	}
	return out
}

// promise runs f in a goroutine (a callback from JavaScript must not
// block) and returns a promise of its result, rejected if f panics (a
// JavaScript exception): unrecovered, a panic would end the Go program.
func promise(f func() js.Value) js.Value {
	var executor js.Func
	executor = js.FuncOf(func(_ js.Value, args []js.Value) any {
		executor.Release()
		resolve, reject := args[0], args[1]
		go func() {
			defer func() {
				if p := recover(); p != nil {
					reject.Invoke(js.Global().Get("Error").New(fmt.Sprint(p)))
				}
			}()
			resolve.Invoke(f())
		}()
		return js.Undefined()
	})
	return js.Global().Get("Promise").New(executor)
}

// deliver delivers the webhooks due now with srv's DeliverDue or
// DeliverQueued, within budget, and logs what it did: a failure is
// retried by a later request or cron run.
func deliver(f func(context.Context) (int, error), what string, budget time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	n, err := f(ctx)
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
	o := web.Options{
		Clients:          clients,
		Store:            st,
		DeliverOnRequest: true,
		Webhooks: web.WebhookOptions{
			Client:  fetchClient{tr, attemptTimeout},
			Backoff: backoff,
		},
	}
	srv, err := web.NewServer(o)
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
