// Command linkharness runs the Plaid Link emulator.
//
// Usage:
//
//	linkharness serve [--addr 127.0.0.1:8080] [--data ./linkharness.db]
//	                  [--client-id ID] [--secret SECRET] [--public-key KEY]
//	                  [--client ID:SECRET:PUBLIC_KEY]... [--redirect-uri URI]...
//
// serve answers on addr with the Link SDK at /link/v2/stable/link-initialize.js,
// the endpoints the Link engine calls, the Plaid API emulator, the
// test-control API under /linkharness/ and a demo page at /. It keeps its
// state in the SQLite file --data (":memory:" keeps it in memory only), so
// a restart loses nothing and resumes pending webhooks.
//
// It serves a default client, whose client_id, secret and public key it
// prints (random where no flag or environment variable sets them), and the
// clients given with --client or LINKHARNESS_CLIENTS (a comma-separated list
// of ID:SECRET:PUBLIC_KEY). The OAuth redirect URIs given with
// --redirect-uri or LINKHARNESS_REDIRECT_URIS are allowed for every client,
// as Plaid's Dashboard allows them. Every flag has an environment variable,
// named in its help.
package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/linkharness/linkharness/internal/settings"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "linkharness:", err)
		os.Exit(2)
	}
}

const usage = "usage: linkharness serve [flags]"

// run runs the command line args until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "serve" {
		fmt.Fprintln(stderr, usage)
		return errors.New("unknown or missing command; the only command is serve")
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage+"\n\nRuns the Plaid Link emulator. Flags:")
		fs.PrintDefaults()
	}
	addr := fs.String("addr", envOr("LINKHARNESS_ADDR", "127.0.0.1:8080"), "address to listen on (env LINKHARNESS_ADDR)")
	data := fs.String("data", envOr("LINKHARNESS_DATA", "linkharness.db"), "SQLite file that keeps the state, or :memory: (env LINKHARNESS_DATA)")
	clientID := fs.String("client-id", envOr("LINKHARNESS_CLIENT_ID", "linkharness"), "client_id of the default client (env LINKHARNESS_CLIENT_ID)")
	secret := fs.String("secret", os.Getenv("LINKHARNESS_SECRET"), "secret of the default client; random when empty, and kept in --data (env LINKHARNESS_SECRET)")
	publicKey := fs.String("public-key", os.Getenv("LINKHARNESS_PUBLIC_KEY"), "public key legacy Plaid.create({key}) must send; random when empty, and kept in --data (env LINKHARNESS_PUBLIC_KEY)")
	var extra clientList
	if err := extra.Set(os.Getenv("LINKHARNESS_CLIENTS")); err != nil {
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("LINKHARNESS_CLIENTS: %w", err)
	}
	fs.Var(&extra, "client", "another client as ID:SECRET:PUBLIC_KEY; repeatable (env LINKHARNESS_CLIENTS, comma-separated)")
	var redirects uriList
	if err := redirects.Set(os.Getenv("LINKHARNESS_REDIRECT_URIS")); err != nil {
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("LINKHARNESS_REDIRECT_URIS: %w", err)
	}
	fs.Var(&redirects, "redirect-uri", "an allowed OAuth redirect URI (oauthRedirectUri, redirect_uri) for every client; \"*.\" before the host allows its subdomains; repeatable (env LINKHARNESS_REDIRECT_URIS, comma-separated)")
	var sf settings.Flags
	for _, f := range []struct {
		to             *string
		name, env, doc string
	}{
		{&sf.Document, "settings", "LINKHARNESS_SETTINGS", "the default client's Dashboard settings as JSON, as /linkharness/settings/set takes them; the flags below go on top"},
		{&sf.AccountSelect, "account-select", "LINKHARNESS_ACCOUNT_SELECT", "Account Select: single, multiple (Plaid's default) or all"},
		{&sf.Preselect, "preselect", "LINKHARNESS_PRESELECT", "account subtypes the Account Select pane checks at first, comma-separated, or all"},
		{&sf.InstitutionHealth, "institution-health", "LINKHARNESS_INSTITUTION_HEALTH", "institution health at run time, ID=HEALTHY|DEGRADED|DOWN, comma-separated"},
		{&sf.RetryInitial, "webhook-retry-initial", "LINKHARNESS_WEBHOOK_RETRY_INITIAL", "wait before the first webhook retry (Plaid's: 30s)"},
		{&sf.RetryFactor, "webhook-retry-factor", "LINKHARNESS_WEBHOOK_RETRY_FACTOR", "how many times longer each next webhook retry waits (Plaid's: 4)"},
		{&sf.RetryWindow, "webhook-retry-window", "LINKHARNESS_WEBHOOK_RETRY_WINDOW", "how long after a webhook is queued it is retried (Plaid's: 24h)"},
		{&sf.Chaos, "chaos", "LINKHARNESS_CHAOS", "true: chaos ordering of onSuccess/onExit among onEvent calls, with a fresh seed each session (printed on the page's console)"},
		{&sf.ChaosSeed, "chaos-seed", "LINKHARNESS_CHAOS_SEED", "chaos ordering with this seed, to replay an order"},
	} {
		fs.StringVar(f.to, f.name, os.Getenv(f.env), f.doc+" (env "+f.env+")")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, usage)
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	settingsDoc, err := sf.Patch()
	if err != nil {
		return err
	}
	st, err := sqlite.Open(ctx, *data)
	if err != nil {
		return fmt.Errorf("opening --data %s: %w", *data, err)
	}
	defer st.Close()
	if *secret == "" || *publicKey == "" {
		// Generated credentials are kept with the data, so that a restart
		// on the same file does not break a backend's configuration.
		kept, err := st.EnsureClient(ctx, store.Client{ID: *clientID, Secret: randomHex(15), PublicKey: randomHex(15)})
		if err != nil {
			return fmt.Errorf("reading the default client from --data %s: %w", *data, err)
		}
		*secret = cmp.Or(*secret, kept.Secret)
		*publicKey = cmp.Or(*publicKey, kept.PublicKey)
	}
	client := web.Client{ClientID: *clientID, Secret: *secret, PublicKey: *publicKey, Settings: settingsDoc}
	clients := append([]web.Client{client}, extra...)
	if err := web.CheckClients(clients); err != nil {
		return err
	}
	for i := range clients {
		clients[i].RedirectURIs = redirects
	}
	handler, err := web.NewServer(web.Options{Clients: clients, Store: st, DemoPublicKey: client.PublicKey, Assets: assets.New()})
	if err != nil {
		return err
	}
	defer handler.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	t := serverTimeouts
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: t.header, ReadTimeout: t.read, WriteTimeout: t.write, IdleTimeout: t.idle}
	fmt.Fprintf(stdout, "linkharness listening on http://%s/\n", ln.Addr())
	fmt.Fprintf(stdout, "  demo page:  http://%s/\n", ln.Addr())
	fmt.Fprintf(stdout, "  script:     http://%s%s\n", ln.Addr(), assets.ScriptPath)
	fmt.Fprintf(stdout, "  Plaid API:  http://%s (point your Plaid client's base URL here)\n", ln.Addr())
	fmt.Fprintf(stdout, "  data:       %s\n", *data)
	for _, c := range extra {
		fmt.Fprintf(stdout, "  also client %s (public key %s)\n", c.ClientID, c.PublicKey)
	}
	fmt.Fprintf(stdout, "  client_id:  %s\n", client.ClientID)
	fmt.Fprintf(stdout, "  secret:     %s\n", client.Secret)
	fmt.Fprintf(stdout, "  public key: %s\n", client.PublicKey)
	for _, uri := range redirects {
		fmt.Fprintf(stdout, "  allowed OAuth redirect URI: %s\n", uri)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

// timeouts bound each step of a connection, so that clients that send
// headers but never the body, or keep idle connections open, cannot hold
// the server. Every route reads a JSON body of at most httpapi.MaxBody
// bytes, or none, so one read timeout (headers and body) fits them all;
// the webhook worker's outbound calls have their own.
type timeouts struct{ header, read, write, idle time.Duration }

// serverTimeouts are serve's; tests shorten them.
var serverTimeouts = timeouts{header: 10 * time.Second, read: 30 * time.Second, write: time.Minute, idle: 2 * time.Minute}

// clientList is the --client flag: clients as ID:SECRET:PUBLIC_KEY.
type clientList []web.Client

func (l *clientList) String() string {
	var parts []string
	for _, c := range *l {
		parts = append(parts, c.ClientID+":***:"+c.PublicKey)
	}
	return strings.Join(parts, ",")
}

// Set adds the comma-separated clients in v.
func (l *clientList) Set(v string) error {
	clients, err := web.ParseClients(v)
	*l = append(*l, clients...)
	return err
}

// uriList is the --redirect-uri flag: absolute http or https URIs.
type uriList []string

func (l *uriList) String() string { return strings.Join(*l, ",") }

// Set adds the comma-separated URIs in v.
func (l *uriList) Set(v string) error {
	uris, err := web.ParseRedirectURIs(v)
	*l = append(*l, uris...)
	return err
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
