package main

import (
	"fmt"
	"strings"

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
