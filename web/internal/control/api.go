package control

import "github.com/linkharness/linkharness/web/internal/httpapi"

// API is the control API's handlers.
type API struct{ httpapi.Deps }

// New returns the handlers over d.
func New(d httpapi.Deps) *API { return &API{d} }
