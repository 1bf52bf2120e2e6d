package linkbackend

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzRedirectAllowed matches arbitrary redirect URIs against an arbitrary
// allowed entry. It must never panic; a URI that parses with a host is
// allowed by itself as an entry; an allowed URI has the entry's scheme and
// path and its host or a subdomain of a "*." entry's; a query or fragment
// added to an allowed URI without one keeps it allowed (the query is the
// app's own), a path added to it does not; and an empty list allows
// nothing.
func FuzzRedirectAllowed(f *testing.F) {
	for _, s := range [][2]string{
		{"https://app.example/oauth-return", "https://app.example/oauth-return"},
		{"https://*.alice.example/back", "https://x.alice.example/back"},
		{"https://*.alice.example/back", "https://alice.example/back"},
		{"https://*.alice.example/back", "https://evil.example/x.alice.example/back"},
		{"https://app.example/oauth-return", "http://app.example/oauth-return"},
		{"https://app.example/oauth-return", "https://app.example/oauth-return/../x"},
		{"https://app.example/oauth-return", "https://user@app.example:443/oauth-return"},
		{"https://app.example/a", "https://app.example/%61"},
		{"https://app.example/", "//app.example/"},
		{"https://app.example/", "https://app.example\\@evil.example/"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, entry, uri string) {
		if redirectAllowed(nil, uri) {
			t.Fatalf("%q allowed by no entry", uri)
		}
		u, err := url.Parse(uri)
		if err == nil && u.Host != "" && !redirectAllowed([]string{uri}, uri) {
			t.Fatalf("%q not allowed by itself", uri)
		}
		if !redirectAllowed([]string{entry}, uri) {
			return
		}
		if err != nil || u.Host == "" {
			t.Fatalf("%q allowed by %q, but does not parse with a host", uri, entry)
		}
		p, _ := url.Parse(entry)
		sub, wild := strings.CutPrefix(p.Host, "*.")
		if p.Scheme != u.Scheme || p.Path != u.Path || (p.Host != u.Host && !(wild && strings.HasSuffix(u.Host, "."+sub))) {
			t.Fatalf("%q allowed by %q: scheme, host or path differ", uri, entry)
		}
		if u.RawQuery == "" && u.Fragment == "" && !strings.ContainsAny(uri, "?#") {
			for _, more := range []string{"?user_id=1", "#done"} {
				if !redirectAllowed([]string{entry}, uri+more) {
					t.Fatalf("%q allowed by %q, not with %q added", uri, entry, more)
				}
			}
			if redirectAllowed([]string{entry}, uri+"/more") {
				t.Fatalf("%q allowed by %q, and with /more added", uri, entry)
			}
		}
	})
}
