// Package plaidapi is the HTTP side of the Plaid API endpoints the emulator
// implements: their request and response JSON types, decoded into calls of
// the service layer and encoded from what it returns. Every endpoint is
// authenticated down to its tenant by package httpapi before it runs.
package plaidapi

import "github.com/linkharness/linkharness/web/internal/httpapi"

// API is the Plaid API's handlers.
type API struct{ httpapi.Deps }

// New returns the handlers over d.
func New(d httpapi.Deps) *API { return &API{d} }
