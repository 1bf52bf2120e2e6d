// Package linkbackend is what the Link engine's requests do on the server:
// opening a session on one resolved configuration (package linkconfig) and
// recording what it reports, logging in and creating Items, repairing
// them in update mode, OAuth at the bank (popup and redirect), and
// executing a Payment Initiation payment. The engine reaches it through
// the CORS-open endpoints of package web, by public key or link token:
// a page never holds a secret or an access token.
//
// It sits beside package service, whose operations it uses (logging in,
// issuing tokens, adding Items, payments) and whose commit path it shares.
package linkbackend

import (
	"context"

	"github.com/linkharness/linkharness/internal/paymentinitiation"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/settings"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/payments"
)

// Backend is the Link engine's backend over one store.
type Backend struct {
	svc      *service.Service
	store    *store.DB
	payments *payments.Store
	pi       *paymentinitiation.Service
	settings *settings.Service
}

// New returns the Backend of svc, whose store it shares, with the
// clients' Dashboard settings in set.
func New(svc *service.Service, st *store.DB, set *settings.Service) *Backend {
	b := &Backend{svc: svc, store: st, settings: set}
	if st != nil {
		b.payments, b.pi = payments.New(st), paymentinitiation.New(st)
	}
	return b
}

// Commit is the service's commit path: the write, then the webhook
// worker's wake.
func (s *Backend) Commit(write func() error) error { return s.svc.Commit(write) }

// Tenant is the client's tenant at its emulator clock's now.
func (s *Backend) Tenant(ctx context.Context, clientID string) (service.Tenant, error) {
	return s.svc.Tenant(ctx, clientID)
}

func (s *Backend) clientByID(id string) (service.Client, bool) { return s.svc.Client(id) }

func (s *Backend) clientByPublicKey(key string) (service.Client, bool) {
	return s.svc.ClientByPublicKey(key)
}
