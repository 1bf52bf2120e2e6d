package web

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseClients reads clients written as comma-separated
// ID:SECRET:PUBLIC_KEY, the form of `linkharness serve --client` and of
// the LINKHARNESS_CLIENTS variable (a Workers secret at the edge). An
// error names the client by its ID only, never its secret.
func ParseClients(v string) ([]Client, error) {
	var out []Client
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		f := strings.Split(part, ":")
		if len(f) != 3 || f[0] == "" || f[1] == "" || f[2] == "" {
			return nil, fmt.Errorf("client %q is not ID:SECRET:PUBLIC_KEY", strings.SplitN(part, ":", 2)[0])
		}
		out = append(out, Client{ClientID: f[0], Secret: f[1], PublicKey: f[2]})
	}
	return out, nil
}

// CheckClients refuses two clients with one client_id or public key.
func CheckClients(clients []Client) error {
	ids, keys := map[string]bool{}, map[string]bool{}
	for _, c := range clients {
		if ids[c.ClientID] || keys[c.PublicKey] {
			return fmt.Errorf("client %s: its client_id or public key is another client's", c.ClientID)
		}
		ids[c.ClientID], keys[c.PublicKey] = true, true
	}
	return nil
}

// ParseRedirectURIs reads allowed OAuth redirect URIs written as
// comma-separated absolute http or https URIs ("*." before the host
// allows its subdomains), the form of `linkharness serve --redirect-uri`
// and of the LINKHARNESS_REDIRECT_URIS variable.
func ParseRedirectURIs(v string) ([]string, error) {
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
