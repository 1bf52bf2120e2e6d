package main

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/linkharness/linkharness/web"
)

// parseClients reads the clients of the LINKHARNESS_CLIENTS secret:
// comma-separated ID:SECRET:PUBLIC_KEY, the format linkharness serve
// reads from the same variable. Clients never come from the repository:
// set them with `wrangler secret put LINKHARNESS_CLIENTS` (or .dev.vars
// for wrangler dev).
func parseClients(v string) ([]web.Client, error) {
	var out []web.Client
	ids, keys := map[string]bool{}, map[string]bool{}
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		f := strings.Split(part, ":")
		if len(f) != 3 || f[0] == "" || f[1] == "" || f[2] == "" {
			return nil, fmt.Errorf("client %q is not ID:SECRET:PUBLIC_KEY", strings.SplitN(part, ":", 2)[0])
		}
		if ids[f[0]] || keys[f[2]] {
			return nil, fmt.Errorf("client %q: client_id or public key given twice", f[0])
		}
		ids[f[0]], keys[f[2]] = true, true
		out = append(out, web.Client{ClientID: f[0], Secret: f[1], PublicKey: f[2]})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no clients: set LINKHARNESS_CLIENTS to ID:SECRET:PUBLIC_KEY[,...]")
	}
	return out, nil
}

// parseRedirectURIs reads LINKHARNESS_REDIRECT_URIS, the OAuth redirect
// URIs allowed for every client, as linkharness serve reads it:
// comma-separated absolute http or https URIs ("*." before the host
// allows its subdomains).
func parseRedirectURIs(v string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		u, err := url.Parse(part)
		if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return nil, fmt.Errorf("redirect URI %q is not an absolute http or https URI", part)
		}
		out = append(out, part)
	}
	return out, nil
}

// parseBackoff reads LINKHARNESS_WEBHOOK_BACKOFF, the wait after a
// webhook's first failed delivery (a Go duration such as "2s"); empty
// means web's default. The cron trigger retries what is due when it
// runs, so at the edge a retry comes at the first cron run after the
// backoff: once a minute with wrangler.jsonc's "* * * * *".
func parseBackoff(v string) (time.Duration, error) {
	if v = strings.TrimSpace(v); v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("LINKHARNESS_WEBHOOK_BACKOFF %q is not a positive duration such as \"2s\"", v)
	}
	return d, nil
}
