// Package plaidapi is the HTTP side of the Plaid API endpoints the emulator
// implements: their request and response JSON types, decoded into calls of
// the service layer and encoded from what it returns. Every endpoint is
// authenticated down to its tenant by package httpapi before it runs.
package plaidapi

import (
	"github.com/linkharness/linkharness/internal/linkbackend"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// API is the Plaid API's handlers.
type API struct {
	svc  *service.Service
	link *linkbackend.Backend
	auth httpapi.Authenticator
}

// New returns the handlers over the service and the Link backend (whose
// redirect rules /link/token/create checks), authenticating with auth.
func New(svc *service.Service, link *linkbackend.Backend, auth httpapi.Authenticator) *API {
	return &API{svc: svc, link: link, auth: auth}
}
