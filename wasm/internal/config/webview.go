package config

import (
	"encoding/json"
	"net/url"
	"strings"
)

// The webview integration ("Plaid Link for Webviews",
// https://plaid.com/docs/link/maintain-legacy-integration/) opens
// link.html with the configuration in the query string instead of calling
// Plaid.create.

// webviewLists are the query parameters that carry comma-separated lists.
var webviewLists = map[string]bool{"product": true, "countryCodes": true}

// FromWebviewQuery turns the query string of link.html into the
// Plaid.create configuration it stands for: comma-separated lists become
// arrays, accountSubtypes is JSON, isWebview a boolean, and empty
// parameters (the docs' example sends token= and paymentToken=) are left
// out. The result
// is validated as any configuration is; a query that does not parse is
// null, which Link reports as a missing configuration.
func FromWebviewQuery(query string) json.RawMessage {
	q, err := url.ParseQuery(strings.TrimPrefix(query, "?"))
	if err != nil {
		return json.RawMessage("null")
	}
	c := map[string]any{}
	for name, values := range q {
		v := values[0]
		switch {
		case v == "":
		case webviewLists[name]:
			c[name] = strings.Split(v, ",")
		case name == "isWebview":
			c[name] = v == "true"
		case name == "accountSubtypes":
			var subtypes any
			if json.Unmarshal([]byte(v), &subtypes) != nil {
				subtypes = v // as given: validation says what is wrong with it
			}
			c[name] = subtypes
		default:
			c[name] = v
		}
	}
	b, err := json.Marshal(c)
	if err != nil { // unreachable: strings, booleans and decoded JSON only
		panic(err)
	}
	return b
}
