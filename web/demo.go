package web

import (
	_ "embed"
	"html/template"
	"net/http"
)

//go:embed demo.html
var demoHTML string

var demoPage = template.Must(template.New("demo").Parse(demoHTML))

// demo serves the demo page: a legacy public-key integration of Link that
// loads link-initialize.js from this server by a script tag.
func (s *Server) demo(w http.ResponseWriter, r *http.Request) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	key := ""
	if len(s.clients) > 0 {
		key = s.clients[0].PublicKey
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := demoPage.Execute(w, struct{ Origin, PublicKey string }{scheme + "://" + r.Host, key}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
