package web

import (
	"strings"
	"testing"
)

// TestOAuthPage renders the bank's page in each of its states with
// hostile strings: everything a user or client wrote is escaped text, and
// each state shows what it must and not what it must not.
func TestOAuthPage(t *testing.T) {
	const evil = `<script>alert("x")</script>{{main}}`
	escaped := `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;{{main}}`
	for _, tc := range []struct {
		name      string
		data      oauthPageData
		want, not []string
	}{
		{"a login", oauthPageData{Institution: "Platypus OAuth Bank", ClientName: evil, StateID: `id"><b>`},
			[]string{"<title>Platypus OAuth Bank: sign in</title>", escaped + " wants to access your accounts at Platypus OAuth Bank",
				`name="oauth_state_id" value="id&#34;&gt;&lt;b&gt;"`, `value="allow"`, `value="deny"`},
			[]string{`value="cancel"`, "<fieldset>", "window.close"}},
		{"product consent and a redirect", oauthPageData{Institution: "Bank", ClientName: "App", Redirect: true,
			Products: []oauthProduct{{ID: "auth", Label: "Account & routing numbers"}, {ID: `x"`, Label: evil}}},
			[]string{`value="cancel"`, "<legend>Data to share with App</legend>", `value="auth" checked> Account &amp; routing numbers`,
				`value="x&#34;" checked> ` + escaped},
			nil},
		{"a payment", oauthPageData{Institution: "Bank", ClientName: "App", Payment: "£12.34 to <Acme>"},
			[]string{"App asks you to authorise a payment through Plaid: £12.34 to &lt;Acme&gt;."}, []string{"wants to access"}},
		{"decided", oauthPageData{Institution: "Bank", ClientName: evil, Done: true},
			[]string{"return to " + escaped + ".", "<script>window.close();</script>"}, []string{"<form"}},
		{"a problem", oauthPageData{Problem: evil},
			[]string{"<title>Bank: sign in</title>", "<h1>" + escaped + "</h1>"}, []string{"<form", "window.close"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := tc.data.page()
			for _, w := range tc.want {
				if !strings.Contains(page, w) {
					t.Errorf("no %q in\n%s", w, page)
				}
			}
			for _, w := range append(tc.not, "<script>alert", `alert("x")`) {
				if strings.Contains(page, w) {
					t.Errorf("%q in\n%s", w, page)
				}
			}
			if !strings.HasPrefix(page, "<!doctype html>") || !strings.HasSuffix(strings.TrimSpace(page), "</html>") {
				t.Errorf("not a whole page:\n%s", page)
			}
		})
	}
}
