package referenceapi

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// categoryRoutes are the legacy categories' endpoint, which takes no
// credentials.
func (s *API) categoryRoutes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: "/categories/get", Group: httpapi.GroupPlaid, Handler: http.HandlerFunc(s.categoriesGet), Doc: "Plaid's legacy transaction categories: those of the sandbox transactions and the levels above them (no credentials)"},
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
// credentials for them. The body must still be JSON (an empty object).
func (s *API) categoriesGet(w http.ResponseWriter, r *http.Request) {
	requestID := ids.NewRequestID()
	var req struct{}
	if _, e := httpapi.ReadBody(w, r, &req); e != nil {
		httpapi.WriteError(w, requestID, e)
		return
	}
	if v := r.Header.Get("Plaid-Version"); v != "" && !slices.Contains(plaid.APIVersions, v) {
		httpapi.WriteError(w, requestID, plaid.New("INVALID_HEADERS", fmt.Sprintf("Plaid-Version %q is not a version of the API: use %s", v, plaid.APIVersion)))
		return
	}
	resp := categoriesGetResponse{Categories: []categoryJSON{}, RequestID: requestID}
	for _, c := range sandboxdata.Categories() {
		resp.Categories = append(resp.Categories, categoryJSON{CategoryID: c.ID, Group: c.Group, Hierarchy: c.Hierarchy})
	}
	httpapi.WriteJSON(w, http.StatusOK, resp)
}
