package web

import (
	"encoding/json"
	"net/http"

	"github.com/linkharness/linkharness/internal/plaid"
)

// writeError answers with e in Plaid's shape and its HTTP status.
func writeError(w http.ResponseWriter, requestID string, e *plaid.Error) {
	e.RequestID = requestID
	writeJSON(w, e.Status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
