package referenceapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// categoryRoutes are the legacy categories' endpoint, which takes no
// credentials.
func (s *API) categoryRoutes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: "/categories/get", Group: httpapi.GroupPlaid, Handler: httpapi.Public(s.categoriesGet), Doc: "Plaid's legacy transaction categories: those of the sandbox transactions and the levels above them (no credentials)"},
	}
}

// categoryJSON is a legacy category as the API shows it.
type categoryJSON struct {
	CategoryID string   `json:"category_id"`
	Group      string   `json:"group"`
	Hierarchy  []string `json:"hierarchy"`
}

type categoriesGetResponse struct {
	Categories []categoryJSON `json:"categories"`
	RequestID  string         `json:"request_id"`
}

// categoriesGet answers the legacy categories to anyone: Plaid asks no
// credentials for them.
func (s *API) categoriesGet(_ context.Context, requestID string, _ *struct{}) (categoriesGetResponse, *plaid.Error) {
	resp := categoriesGetResponse{Categories: []categoryJSON{}, RequestID: requestID}
	for _, c := range sandboxdata.Categories() {
		resp.Categories = append(resp.Categories, categoryJSON{CategoryID: c.ID, Group: c.Group, Hierarchy: c.Hierarchy})
	}
	return resp, nil
}
