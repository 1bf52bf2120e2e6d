package config

import (
	"slices"
	"strconv"
	"strings"

	"github.com/linkharness/linkharness/wasm/internal/wire"
)

// The webview integration ("Plaid Link for Webviews",
// https://plaid.com/docs/link/maintain-legacy-integration/) opens
// link.html with the configuration in the query string instead of calling
// Plaid.create.

// FromWebviewQuery turns the query string of link.html into the
// Plaid.create configuration it stands for: comma-separated lists become
// arrays, accountSubtypes is JSON, isWebview a boolean, and empty
// parameters (the docs' example sends token= and paymentToken=) are left
// out. The result
// is validated as any configuration is; a query that does not parse is
// null, which Link reports as a missing configuration.
func FromWebviewQuery(query string) []byte {
	params, ok := parseQuery(strings.TrimPrefix(query, "?"))
	if !ok {
		return []byte("null")
	}
	slices.SortFunc(params, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	o := wire.BeginObject(nil)
	for _, p := range params {
		name, v := p[0], p[1]
		if v == "" {
			continue
		}
		o.QuotedKey(name)
		switch {
		case webviewList(name):
			o.B = wire.AppendStrings(o.B, strings.Split(v, ","))
		case name == "isWebview":
			o.B = strconv.AppendBool(o.B, v == "true")
		case name == "accountSubtypes" && validJSON(v):
			o.B = append(o.B, strings.TrimSpace(v)...)
		default: // accountSubtypes that is no JSON is kept as given: validation says what is wrong with it
			o.B = wire.AppendString(o.B, v)
		}
	}
	return o.End()
}

func validJSON(s string) bool {
	_, err := wire.Parse([]byte(s))
	return err == nil
}

// webviewList reports whether a query parameter carries a comma-separated
// list.
func webviewList(name string) bool { return name == "product" || name == "countryCodes" }

// parseQuery reads a query string as net/url.ParseQuery does, keeping the
// first value of each name, and reports whether all of it parsed.
func parseQuery(query string) ([][2]string, bool) {
	var params [][2]string
	ok := true
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		if strings.Contains(pair, ";") {
			ok = false
			continue
		}
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, kOK := unescapeQuery(k)
		v, vOK := unescapeQuery(v)
		if !kOK || !vOK {
			ok = false
			continue
		}
		if !slices.ContainsFunc(params, func(p [2]string) bool { return p[0] == k }) {
			params = append(params, [2]string{k, v})
		}
	}
	return params, ok
}

// unescapeQuery decodes a query component: %XX escapes and + for a space.
func unescapeQuery(s string) (string, bool) {
	if !strings.ContainsAny(s, "%+") {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return "", false
			}
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		case '+':
			b = append(b, ' ')
		default:
			b = append(b, c)
		}
	}
	return string(b), true
}

func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
