// Package store keeps the emulator's state: the Items Link creates and the
// public tokens that stand for them. The server owns this state, as Plaid's
// backend does; the Link engine only asks for it through requests.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when no record has the given key.
var ErrNotFound = errors.New("store: not found")

// ErrConnected is returned when an Item's accounts were chosen already.
var ErrConnected = errors.New("store: item already connected")

// Account is an account of an Item.
type Account struct {
	ID      string
	Name    string
	Mask    string
	Type    string
	Subtype string
}

// Item is a login at an institution, as Link creates it.
type Item struct {
	ID            string
	ClientID      string
	InstitutionID string
	Products      []string
	Webhook       string
	LinkSessionID string
	// Accounts are the Item's accounts; once Connected, only those the
	// user chose in Link.
	Accounts []Account
	// Connected says the user finished account selection.
	Connected bool
	CreatedAt time.Time
}

// PublicToken is a short-lived token for an Item, handed to the page by
// onSuccess and exchanged once by the integrator's backend.
type PublicToken struct {
	Token     string
	ItemID    string
	ExpiresAt time.Time
}

// Store is where the server keeps its state. Implementations are safe for
// concurrent use.
type Store interface {
	// CreateItem records a new Item.
	CreateItem(ctx context.Context, it Item) error
	// Item returns the Item with the given ID, or ErrNotFound.
	Item(ctx context.Context, id string) (Item, error)
	// ConnectItem keeps only the accounts with the given IDs, marks the
	// Item connected and records its public token, all at once. It returns
	// ErrNotFound for an unknown Item and ErrConnected for one connected
	// before.
	ConnectItem(ctx context.Context, itemID string, accountIDs []string, pt PublicToken) error
	// PublicToken returns the public token record, or ErrNotFound.
	PublicToken(ctx context.Context, token string) (PublicToken, error)
}
