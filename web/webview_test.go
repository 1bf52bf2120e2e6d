package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/web/assets"
)

// TestWebviewPage serves link.html as a static page: the script from its
// own directory, the query string left to the engine, so nothing of it
// reaches the markup.
func TestWebviewPage(t *testing.T) {
	srv := newServer(t)
	resp, err := http.Get(srv.URL + assets.WebviewPath + "?isWebview=true&clientName=%3C/script%3E%3Cb%3E&key=k")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `<script src="link-initialize.js">`) ||
		!strings.Contains(string(page), "Plaid.createWebview(window.location.search)") {
		t.Fatalf("%d %s", resp.StatusCode, page)
	}
	if strings.Contains(string(page), "</script><b>") || strings.Contains(string(page), "&lt;b&gt;") {
		t.Fatal("the query string reached the page's markup")
	}
}
