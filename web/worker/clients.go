package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/linkharness/linkharness/web"
)

// parseClients reads the clients of the LINKHARNESS_CLIENTS secret, in
// the form linkharness serve reads from the same variable
// (web.ParseClients). Clients never come from the repository: set them
// with `wrangler secret put LINKHARNESS_CLIENTS` (or .dev.vars for
// wrangler dev).
func parseClients(v string) ([]web.Client, error) {
	clients, err := web.ParseClients(v)
	if err != nil {
		return nil, err
	}
	if len(clients) == 0 {
		return nil, fmt.Errorf("no clients: set LINKHARNESS_CLIENTS to ID:SECRET:PUBLIC_KEY[,...]")
	}
	if err := web.CheckClients(clients); err != nil {
		return nil, err
	}
	return clients, nil
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
