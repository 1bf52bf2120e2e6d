// Package referenceapi is the HTTP side of the Plaid API endpoints that
// describe the sandbox world rather than an Item: the Institutions
// endpoints (/institutions/get, /institutions/get_by_id,
// /institutions/search), from the institutions of package sandbox, and
// the legacy transaction categories (/categories/get), from package
// sandboxdata. They read no state.
package referenceapi

import "github.com/linkharness/linkharness/web/internal/httpapi"

// API is the reference endpoints' handlers.
type API struct{ httpapi.Deps }

// New returns the handlers over d.
func New(d httpapi.Deps) *API { return &API{d} }

// Routes are the reference endpoints, in the route table's order.
func (s *API) Routes() []httpapi.Route {
	return append(s.institutionRoutes(), s.categoryRoutes()...)
}
