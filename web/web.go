// Package web is the HTTP side of linkharness: it serves the Link SDK
// (link-initialize.js and link.wasm) the way Plaid's CDN does, answers the
// requests the Link engine makes while a session runs, emulates the Plaid
// API around Link (link tokens, Items, accounts, institutions, the sandbox
// endpoints, signed webhooks), offers a test-control API under
// /linkharness/, and shows a demo page.
//
// The SDK assets and the engine's endpoints answer cross-origin requests,
// because integrating pages live on their own origins; nothing else does.
// The engine's endpoints know clients by public key or link token only: a
// page never holds a secret or an access token.
//
// Clients are tenants: every token, Item, session and webhook belongs to
// the client that made it, and another client's is unknown to it.
package web

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/linkharness/linkharness/internal/assets"
	"github.com/linkharness/linkharness/internal/dataservice"
	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkbackend"
	"github.com/linkharness/linkharness/internal/paymentinitiation"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/processor"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/settings"
	"github.com/linkharness/linkharness/internal/signal"
	"github.com/linkharness/linkharness/internal/statements"
	"github.com/linkharness/linkharness/internal/store/sessionlog"
	"github.com/linkharness/linkharness/internal/transfer"
	"github.com/linkharness/linkharness/web/internal/assetsapi"
	"github.com/linkharness/linkharness/web/internal/control"
	"github.com/linkharness/linkharness/web/internal/enginelog"
	"github.com/linkharness/linkharness/web/internal/httpapi"
	"github.com/linkharness/linkharness/web/internal/httpx"
	"github.com/linkharness/linkharness/web/internal/identityapi"
	"github.com/linkharness/linkharness/web/internal/investmentsapi"
	"github.com/linkharness/linkharness/web/internal/plaidapi"
	"github.com/linkharness/linkharness/web/internal/processorapi"
	"github.com/linkharness/linkharness/web/internal/referenceapi"
	"github.com/linkharness/linkharness/web/internal/signalapi"
	"github.com/linkharness/linkharness/web/internal/specapi"
	"github.com/linkharness/linkharness/web/internal/statementsapi"
	"github.com/linkharness/linkharness/web/internal/transactionsapi"
	"github.com/linkharness/linkharness/web/internal/transferapi"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/webhook"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// Client is an API client of the emulator, as Plaid's dashboard issues them.
type Client struct {
	ClientID string
	// Secret authenticates the client's backend; it never reaches a page.
	Secret string
	// PublicKey is what legacy Plaid.create({key}) integrations send.
	PublicKey string
	// RedirectURIs are the client's allowed OAuth redirect URIs, as
	// Plaid's Dashboard keeps them: an oauthRedirectUri or redirect_uri
	// must match one (scheme, host and path; "*." allows any subdomain).
	RedirectURIs []string
	// Settings are the client's Dashboard settings as the server starts
	// with them (what /linkharness/settings/set takes, a JSON merge patch
	// on Plaid's defaults); the control API's changes go on top, and
	// /linkharness/reset brings these back.
	Settings json.RawMessage
}

// Options configure a Server.
type Options struct {
	// Clients are the API clients the server accepts.
	Clients []Client
	// Store keeps the server's state; nil means a fresh in-memory SQLite
	// store that Close discards. A given Store stays the caller's to close.
	Store *store.DB
	// Now is the server's clock, which each client's emulator clock runs
	// ahead of by what the control API advanced it; nil means time.Now.
	// Webhook delivery runs on wall time regardless.
	Now func() time.Time
	// Webhooks tune webhook delivery; the zero value means Plaid-like
	// defaults (package webhook).
	Webhooks WebhookOptions
	// DemoPublicKey is the public key the demo page at / opens Link with;
	// empty, the page asks for ?key= in its address.
	DemoPublicKey string
	// Assets, when set, serves the Link SDK and the demo page beside the
	// API: assets.New() from package web/assets, as `linkharness serve`
	// mounts it. The Worker leaves it nil (Cloudflare serves the files).
	Assets *http.ServeMux
	// DeliverOnRequest starts no background delivery: webhooks go out
	// only when DeliverDue or DeliverQueued is called. For hosts where nothing may run
	// between requests, such as Cloudflare Workers (after each request,
	// and from a cron trigger for retries).
	DeliverOnRequest bool
}

// WebhookClient sends one webhook request, as (*http.Client).Do does:
// *http.Client is one. The Worker passes its own over the Workers fetch
// API, and so links none of http.Client's transport and TLS.
type WebhookClient interface {
	Do(req *http.Request) (*http.Response, error)
}

// WebhookOptions tune webhook delivery.
type WebhookOptions struct {
	// Client sends the webhooks; nil means an *http.Client with a 10 s
	// timeout (under js/wasm, where there is none, the host passes one).
	Client WebhookClient
	// Backoff is the wait after the first failed try, multiplied by
	// Factor after each further one, up to MaxBackoff (0: no bound);
	// Window is how long after a webhook was queued it is retried. Zero
	// values mean Plaid's schedule: 30 s, four times longer each time, for
	// 24 hours.
	Backoff    time.Duration
	Factor     int
	MaxBackoff time.Duration
	Window     time.Duration
	// MaxAttempts bounds the tries of one webhook besides the window (0:
	// no bound).
	MaxAttempts int
}

// Server is the linkharness HTTP handler. It owns a background worker that
// delivers webhooks: Close stops it.
type Server struct {
	clients       []Client
	demoPublicKey string
	store         *store.DB
	ownsStore     bool
	now           func() time.Time
	mux           *http.ServeMux
	assets        *http.ServeMux
	worker        *webhook.Worker
	svc           *service.Service
	settings      *settings.Service
	link          *linkbackend.Backend
	processor     *processor.Backend
	data          *dataservice.Service
	payments      *paymentinitiation.Service
	assetReports  *assets.Service
	signal        *signal.Service
	transfer      *transfer.Service
	statements    *statements.Service
	spec          *specapi.API
	// log keeps the engine's requests per session and lists sessions and
	// Items for the inspector; rec records the requests into it.
	log       *sessionlog.Log
	rec       *enginelog.Recorder
	closeOnce sync.Once
}

// New returns a Server for the given options and starts its webhook
// worker. It panics if it has to make its own store and cannot (use
// NewServer to get the error instead).
func New(o Options) *Server {
	s, err := NewServer(o)
	if err != nil {
		panic(err)
	}
	return s
}

// NewServer is New, returning an error where New panics.
func NewServer(o Options) (*Server, error) {
	s := &Server{clients: o.Clients, demoPublicKey: o.DemoPublicKey, store: o.Store, now: o.Now, mux: http.NewServeMux(), assets: o.Assets}
	if s.store == nil {
		st, err := openMemoryStore(context.Background())
		if err != nil {
			return nil, fmt.Errorf("web: in-memory store: %w", err)
		}
		s.store, s.ownsStore = st, true
	}
	if s.now == nil {
		s.now = time.Now
	}
	defaults := map[string]json.RawMessage{}
	for _, c := range s.clients {
		defaults[c.ClientID] = c.Settings
	}
	set, err := settings.New(s.store, defaults)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s.settings = set
	wo := webhook.Options{
		Schedule:    set.RetrySchedule,
		Store:       s.store,
		Client:      o.Webhooks.Client,
		MaxAttempts: o.Webhooks.MaxAttempts,
		Backoff:     o.Webhooks.Backoff,
		Factor:      o.Webhooks.Factor,
		MaxBackoff:  o.Webhooks.MaxBackoff,
		Window:      o.Webhooks.Window,
	}
	if o.DeliverOnRequest {
		s.worker = webhook.New(wo)
	} else {
		s.worker = webhook.Start(wo)
	}
	var clients []service.Client
	for _, c := range s.clients {
		clients = append(clients, service.Client{ID: c.ClientID, PublicKey: c.PublicKey, RedirectURIs: c.RedirectURIs})
	}
	s.svc = service.New(service.Options{Store: s.store, Clients: clients, Now: s.now, Wake: s.worker.Notify,
		EnsureKey: func(ctx context.Context) error { _, err := s.worker.Signer(ctx); return err }})
	s.link = linkbackend.New(s.svc, s.store, s.settings)
	s.processor = processor.New(s.svc, s.store)
	s.data = dataservice.New(s.svc, s.store)
	s.payments = paymentinitiation.New(s.store)
	s.assetReports = assets.New(s.svc, s.store)
	s.signal = signal.New(s.svc, s.store)
	s.transfer = transfer.New(s.svc, s.store)
	s.statements = statements.New(s.svc, s.store)
	s.spec = specapi.New(s.deps())
	s.log = sessionlog.New(s.store)
	s.rec = &enginelog.Recorder{Carry: s.link.RecordCarried, Log: s.log, ClientByPublicKey: func(key string) (string, bool) {
		c, ok := s.svc.ClientByPublicKey(key)
		return c.ID, ok
	}}
	s.routes()
	return s, nil
}

// DeliverDue delivers the webhooks due now and returns how many it tried;
// see Options.DeliverOnRequest.
func (s *Server) DeliverDue(ctx context.Context) (int, error) {
	return s.worker.DeliverDue(ctx)
}

// DeliverQueued is DeliverDue after a request: it asks the store only
// when this server queued a webhook since, or put off one that is now
// due, and otherwise returns 0 at once (see Options.DeliverOnRequest).
func (s *Server) DeliverQueued(ctx context.Context) (int, error) {
	return s.worker.DeliverQueued(ctx)
}

// Close stops the webhook worker (pending webhooks stay in the store for
// the next server) and closes the store if the server made it.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		err = s.worker.Close()
		if s.ownsStore {
			err = s.store.Close()
		}
	})
	return err
}

// ControlPrefix is where linkharness's own control API lives, apart from
// Plaid's paths (see the README's control API table).
const ControlPrefix = control.Prefix

// table is the server's route table: every endpoint, by method and path,
// with the part of the server it belongs to.
func (s *Server) table() []httpapi.Route {
	engine := func(path string, h http.Handler, doc string) httpapi.Route {
		// The engine's own requests carry the events that led up to them;
		// open comes before any, and a record's handler records its own.
		carries := path != protocol.PathSessionOpen && path != protocol.PathSessionRecord
		return httpapi.Route{Method: "POST", Path: path, Group: httpapi.GroupEngine, Handler: httpx.CORS(s.rec.Wrap(h, carries)), Doc: doc}
	}
	routes := []httpapi.Route{
		engine(protocol.PathSessionOpen, httpapi.Engine(s.link.OpenSession),
			"engine: checks the public key or link token as Link opens; for a link token, returns its configuration"),
		engine(protocol.PathItemCreate, httpapi.Engine(s.link.CreateItem),
			"engine: logs in to an institution; answers with the next MFA challenge or creates the Item"),
		engine(protocol.PathItemConnect, httpapi.Engine(s.link.ConnectItem),
			"engine: keeps the chosen accounts and issues the public token"),
		engine(protocol.PathSessionRecord, httpapi.Engine(s.link.RecordSession),
			"engine: records the end of a session as onSuccess or onExit fires, and the events after the engine's last request, for `/link/token/get`; in Multi-Item Link the end sends LINK SESSION_FINISHED. The events before are in the engine's other requests (`events`), recorded before they are handled"),
		engine(protocol.PathOAuthStart, httpapi.Engine(s.link.StartOAuth),
			"engine: begins an OAuth login and names the bank's page"),
		engine(protocol.PathOAuthStatus, httpapi.Engine(s.link.OAuthStatus),
			"engine: whether the user allowed or denied access at the bank"),
		engine(protocol.PathPaymentExecute, httpapi.Engine(s.link.ExecutePayment),
			"engine: initiates an authorised payment and gives the payer's Item a public token"),
		// The bank's page opens in its own window, not from the page's
		// origin.
		{Method: "GET", Path: protocol.PathOAuthAuthorize, Group: httpapi.GroupPage, Handler: http.HandlerFunc(s.oauthAuthorize),
			Doc: "the emulated bank's page (GET) and the user's Allow or Deny (POST)"},
		{Method: "POST", Path: protocol.PathOAuthAuthorize, Group: httpapi.GroupPage, Handler: http.HandlerFunc(s.oauthAuthorize),
			Doc: "the emulated bank's page (GET) and the user's Allow or Deny (POST)"},
	}
	deps := s.deps()
	routes = append(routes, plaidapi.New(deps).Routes()...)
	routes = append(routes, identityapi.New(deps).Routes()...)
	routes = append(routes, transactionsapi.New(deps).Routes()...)
	routes = append(routes, investmentsapi.New(deps).Routes()...)
	routes = append(routes, referenceapi.New(deps).Routes()...)
	routes = append(routes, processorapi.New(deps).Routes()...)
	routes = append(routes, assetsapi.New(deps, s.assetReports).Routes()...)
	routes = append(routes, signalapi.New(deps, s.signal).Routes()...)
	routes = append(routes, transferapi.New(deps, s.transfer).Routes()...)
	routes = append(routes, statementsapi.New(deps, s.statements).Routes()...)
	ctl := control.New(deps)
	ctl.Log = s.log
	if s.assetReports != nil {
		ctl.ClockAdvanced = s.assetReports.ClockAdvanced
	}
	routes = append(routes, ctl.Routes()...)
	return append(routes, httpapi.Route{Method: "GET", Path: demoKeyPath, Group: httpapi.GroupControl, Handler: http.HandlerFunc(s.demoKey),
		Doc: "the public key the demo page opens Link with (none at the edge: use `?key=`)"})
}

// deps are what the API handlers work with.
func (s *Server) deps() httpapi.Deps {
	return httpapi.Deps{Svc: s.svc, Settings: s.settings, Link: s.link, Processor: s.processor, Data: s.data, Payments: s.payments, Auth: auth{s}}
}

// Route is an endpoint of the server, as Routes lists it.
type Route struct {
	Method, Path string
	// Group is "plaid" (Plaid's API), "engine" (the Link engine's
	// endpoints), "control" (linkharness's control API) or "page".
	Group string
	// Doc says what the endpoint does.
	Doc string
}

// Routes lists every endpoint the server answers, in its route table's
// order (the SDK assets of package web/assets aside).
func Routes() []Route {
	// The table of a server without state: its handlers are built, never
	// called.
	s := &Server{}
	var out []Route
	for _, r := range s.table() {
		out = append(out, Route{Method: r.Method, Path: r.Path, Group: r.Group, Doc: r.Doc})
	}
	return out
}

func (s *Server) routes() {
	for _, r := range s.table() {
		s.mux.Handle(r.Method+" "+r.Path, r.Handler)
		if r.Group == httpapi.GroupEngine {
			// Preflights for the engine's endpoints only: the Plaid API
			// is for backends, not pages.
			s.mux.Handle("OPTIONS "+r.Path, httpx.Preflight)
		}
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if s.assets != nil {
			if _, pattern := s.assets.Handler(r); pattern != "" {
				s.assets.ServeHTTP(w, r)
				return
			}
		}
		// Every other path of Plaid's spec answers spec-shaped.
		if op, ok := specapi.Operation(r.Method, r.URL.Path); ok {
			s.spec.Handler(op).ServeHTTP(w, r)
			return
		}
		httpapi.WriteError(w, ids.NewRequestID(), plaid.NotFound(r.Method+" "+r.URL.Path))
	})
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// clientByID returns the client with the given client_id.
func (s *Server) clientByID(id string) (Client, bool) {
	for _, c := range s.clients {
		if c.ClientID == id {
			return c, true
		}
	}
	return Client{}, false
}

// auth authenticates Plaid API calls for the server.
type auth struct{ s *Server }

// Authenticate implements httpapi.Authenticator: the tenant whose
// credentials these are, at its emulator clock's now. A client without a
// secret cannot use the API.
func (a auth) Authenticate(ctx context.Context, clientID, secret string) (service.Tenant, bool, error) {
	if !a.Known(clientID, secret) {
		return service.Tenant{}, false, nil
	}
	t, err := a.s.svc.Tenant(ctx, clientID)
	return t, err == nil, err
}

// Known implements httpapi.Authenticator: whether these are a client's
// credentials, as Authenticate judges them.
func (a auth) Known(clientID, secret string) bool {
	c, ok := a.s.clientByID(clientID)
	return ok && c.Secret != "" && subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) == 1
}
