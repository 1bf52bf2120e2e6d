package control

import (
	"context"
	"time"

	"github.com/linkharness/linkharness/internal/store/sessionlog"

	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// API is the control API's handlers.
type API struct {
	httpapi.Deps
	// ClockAdvanced, when set, is told that a client's clock moved
	// forward by d (package assets brings its scheduled webhooks
	// forward).
	ClockAdvanced func(ctx context.Context, clientID string, d time.Duration) error
	// Log keeps the engine's requests per session and lists a client's
	// sessions and Items, for the session inspector.
	Log *sessionlog.Log
}

// New returns the handlers over d.
func New(d httpapi.Deps) *API { return &API{Deps: d} }
