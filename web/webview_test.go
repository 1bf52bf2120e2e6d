package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/web"
)

// TestWebviewConfig reads the docs' own example query string of link.html.
func TestWebviewConfig(t *testing.T) {
	q, _ := url.ParseQuery("isWebview=true&clientName=Your%20App&env=sandbox&key=PUBLIC_KEY&product=transactions,auth" +
		"&language=en&countryCodes=US,CA&webhook=https%3A%2F%2Fyourappurl.com&linkCustomizationName=default" +
		"&token=&paymentToken=&oauthNonce=&oauthRedirectUri=&oauthStateId=&accountSubtypes=%7B%22depository%22%3A%5B%22checking%22%5D%7D")
	var got map[string]any
	if err := json.Unmarshal(web.WebviewConfig(q), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"isWebview": true, "clientName": "Your App", "env": "sandbox", "key": "PUBLIC_KEY",
		"product": []any{"transactions", "auth"}, "language": "en", "countryCodes": []any{"US", "CA"},
		"webhook": "https://yourappurl.com", "linkCustomizationName": "default",
		"accountSubtypes": map[string]any{"depository": []any{"checking"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("config\n got %v\nwant %v", got, want)
	}
}

// TestWebviewPage serves link.html: the script from its own directory and
// the configuration as data that cannot end the script element.
func TestWebviewPage(t *testing.T) {
	srv := newServer(t)
	resp, err := http.Get(srv.URL + web.WebviewPath + "?isWebview=true&clientName=%3C/script%3E%3Cb%3E&key=k")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `<script src="link-initialize.js">`) {
		t.Fatalf("%d %s", resp.StatusCode, page)
	}
	if strings.Contains(string(page), "</script><b>") {
		t.Fatal("a query parameter ended the script element")
	}
}
