package web

import (
	_ "embed"
	"encoding/json"
	"net/http"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// demoKeyPath tells the demo page which public key to open Link with.
const demoKeyPath = ControlPrefix + "demo"

// demoKey answers the demo page with the public key it opens Link with:
// a public key, which pages carry anyway, and only the one the server was
// told to show.
func (s *Server) demoKey(w http.ResponseWriter, _ *http.Request) {
	if s.demoPublicKey == "" {
		httpapi.WriteError(w, ids.NewRequestID(), plaid.NotFound("GET "+demoKeyPath+": this server names no public key for its demo; add ?key= to the demo page's address"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]string{"public_key": s.demoPublicKey})
}
