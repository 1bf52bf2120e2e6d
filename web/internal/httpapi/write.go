package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/linkharness/linkharness/internal/plaid"
)

// WriteError answers with e in Plaid's shape and its HTTP status.
func WriteError(w http.ResponseWriter, requestID string, e *plaid.Error) {
	e.RequestID = requestID
	WriteJSON(w, e.Status, e)
}

// WriteJSON answers with v as indented JSON and the HTTP status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
