package control

import (
	"github.com/linkharness/linkharness/internal/linkbackend"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// API is the control API's handlers.
type API struct {
	svc  *service.Service
	link *linkbackend.Backend
	auth httpapi.Authenticator
}

// New returns the handlers over the service and the Link backend (which
// completes sessions), authenticating with auth.
func New(svc *service.Service, link *linkbackend.Backend, auth httpapi.Authenticator) *API {
	return &API{svc: svc, link: link, auth: auth}
}

type requestIDResponse struct {
	RequestID string `json:"request_id"`
}
