package testkit

import (
	"testing"
	"time"

	"github.com/linkharness/linkharness/plaidtest/webhooktest"
)

// The kit's webhook receiver is the public one, package
// plaidtest/webhooktest; these names keep the kit's tests short.
type (
	// Receiver is webhooktest.Receiver.
	Receiver = webhooktest.Receiver
	// Delivery is webhooktest.Delivery.
	Delivery = webhooktest.Delivery
	// ReceiverOption is webhooktest.Option.
	ReceiverOption = webhooktest.Option
)

// FailFirst is webhooktest.FailFirst.
func FailFirst(n int) ReceiverOption { return webhooktest.FailFirst(n) }

// WaitTimeout is webhooktest.WaitTimeout.
func WaitTimeout(d time.Duration) ReceiverOption { return webhooktest.WaitTimeout(d) }

// Webhooks is webhooktest.Bodies: the deliveries' bodies, decoded.
func Webhooks(ds []Delivery) []map[string]any { return webhooktest.Bodies(ds) }

// NewReceiver starts a webhooktest.Receiver, closed when the test ends,
// that fetches verification keys with c's URL and credentials.
func NewReceiver(t testing.TB, c *Client, opts ...ReceiverOption) *Receiver {
	t.Helper()
	return webhooktest.NewReceiver(t, c.API(), opts...)
}

// API is the webhooktest.API of c's server and credentials, for a
// Receiver's VerifyWith.
func (c *Client) API() webhooktest.API {
	return webhooktest.API{URL: c.URL, ClientID: c.ClientID, Secret: c.Secret, HTTP: c.HTTP}
}
