package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// WebviewPath is where Plaid serves Link for webviews: the whole
// configuration in the query string, reports by plaidlink:// redirects.
const WebviewPath = "/link/v2/stable/link.html"

// webviewLists are the query parameters that carry comma-separated lists.
var webviewLists = map[string]bool{"product": true, "countryCodes": true}

// WebviewConfig turns the query string of link.html into the Plaid.create
// configuration it stands for: comma-separated lists become arrays,
// accountSubtypes is JSON, isWebview a boolean, and empty parameters (the
// docs' example sends token= and paymentToken=) are left out. The engine
// validates the result as it validates any configuration.
func WebviewConfig(q url.Values) json.RawMessage {
	config := map[string]any{}
	for name, values := range q {
		v := values[0]
		switch {
		case v == "":
		case webviewLists[name]:
			config[name] = strings.Split(v, ",")
		case name == "isWebview":
			config[name] = v == "true"
		case name == "accountSubtypes":
			var subtypes any
			if json.Unmarshal([]byte(v), &subtypes) != nil {
				subtypes = v // as given: the engine says what is wrong with it
			}
			config[name] = subtypes
		default:
			config[name] = v
		}
	}
	raw, _ := json.Marshal(config)
	return raw
}

var webviewPage = template.Must(template.New("webview").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plaid Link</title>
<script src="link-initialize.js"></script>
</head>
<body>
<script>Plaid.create({{.}}).open();</script>
</body>
</html>
`))

// webview serves Link for webviews.
func (s *Server) webview(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// The configuration is JSON from json.Marshal, which escapes <, > and
	// &: it cannot end the script element.
	webviewPage.Execute(w, template.JS(WebviewConfig(r.URL.Query())))
}
