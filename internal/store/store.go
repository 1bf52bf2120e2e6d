// Package store keeps the emulator's state: link tokens, Link sessions and
// what they recorded, Items and their accounts, public and access tokens,
// users, the webhook outbox and its delivery attempts, each client's clock
// and the webhook signing keys. The server owns this state, as Plaid's
// backend does; the Link engine only asks for it through requests.
//
// There is one implementation, [DB], over database/sql with one schema
// (schema.sql) that SQLite and Cloudflare D1 both run; package
// store/sqlite opens the SQLite it runs on locally. Every record that
// belongs to an API client is looked up with that client's ID, so one
// client never sees another's.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Errors the store returns.
var (
	// ErrNotFound is returned when no record has the given key (for the
	// given client).
	ErrNotFound = errors.New("store: not found")
	// ErrConnected is returned when an Item's accounts were chosen already.
	ErrConnected = errors.New("store: item already connected")
	// ErrExpired is returned for a public token past its expiry.
	ErrExpired = errors.New("store: token expired")
	// ErrUsed is returned for a public token exchanged before.
	ErrUsed = errors.New("store: token already used")
)

// Store is where the server keeps its state. Implementations are safe for
// concurrent use, also by several processes sharing one database; every
// method that changes more than one record does so atomically: all of it
// or none.
type Store interface {
	// ClockOffset is how far the client's emulator clock runs ahead.
	ClockOffset(ctx context.Context, clientID string) (time.Duration, error)
	// AdvanceClock moves the client's clock forward by d and returns the
	// new offset.
	AdvanceClock(ctx context.Context, clientID string, d time.Duration) (time.Duration, error)
	// Reset deletes everything that belongs to the client.
	Reset(ctx context.Context, clientID string) error

	// CreateUser stores u, or returns the client's user with the same
	// ClientUserID if there is one.
	CreateUser(ctx context.Context, u User) (User, error)
	// UserByToken returns the client's user with the given user token.
	UserByToken(ctx context.Context, clientID, token string) (User, error)

	// CreateLinkToken stores a link token.
	CreateLinkToken(ctx context.Context, t LinkToken) error
	// LinkToken returns a link token, whichever client it belongs to.
	LinkToken(ctx context.Context, token string) (LinkToken, error)

	// StartSession records the start of a Link session; starting one
	// already started does nothing.
	StartSession(ctx context.Context, s Session) error
	// Session returns the client's session with its callbacks and results.
	Session(ctx context.Context, clientID, id string) (Session, error)
	// Sessions returns the sessions of a link token, oldest first, with
	// their callbacks and results.
	Sessions(ctx context.Context, clientID, linkToken string) ([]Session, error)
	// RecordSession appends callbacks to a session, starting it as
	// StartSession does if it never was, and, unless finishedAt is zero,
	// marks it finished (the first time only) and queues the webhooks
	// finish (if not nil) makes for that, all at once.
	RecordSession(ctx context.Context, sess Session, callbacks []Callback, finishedAt time.Time, finish FinishHook) error

	// CreateItem stores an Item with its accounts, and the webhooks its
	// creation causes.
	CreateItem(ctx context.Context, it Item, outbox ...Webhook) error
	// Item returns the client's Item with the given ID.
	Item(ctx context.Context, clientID, itemID string) (Item, error)
	// ItemByAccessToken returns the client's Item with the access token.
	ItemByAccessToken(ctx context.Context, clientID, accessToken string) (Item, error)
	// ConnectItem keeps only the accounts c names, marks the Item
	// connected with c's products, stores its public token, its billing
	// and the webhooks the new Item causes, all at once. It returns
	// ErrNotFound for an unknown Item and ErrConnected for one connected
	// before.
	ConnectItem(ctx context.Context, clientID, itemID string, c Connection) error
	// AddItemProduct adds product to the Item's products (if it is not
	// there yet), bills what billing lists that was not billed before
	// (adding each event's product to billed_products) and returns the
	// Item, all at once.
	AddItemProduct(ctx context.Context, clientID, itemID, product string, billing []BillingEvent) (Item, error)
	// BillingEvents returns the client's billing ledger, oldest first, of
	// one Item or, for an empty itemID, of every Item.
	BillingEvents(ctx context.Context, clientID, itemID string) ([]BillingEvent, error)
	// CreatePublicToken stores a public token for a connected Item.
	CreatePublicToken(ctx context.Context, pt PublicToken) error
	// PublicToken returns the client's public token, without using it up;
	// ErrNotFound when there is none and ErrExpired past its expiry.
	PublicToken(ctx context.Context, clientID, token string, now time.Time) (PublicToken, error)
	// ExchangePublicToken uses up the client's public token as of now and
	// returns its Item, giving the Item accessToken if it has none yet.
	// It returns ErrNotFound, ErrExpired or ErrUsed.
	ExchangePublicToken(ctx context.Context, clientID, token string, now time.Time, accessToken string) (Item, error)
	// SetItemWebhook changes an Item's webhook URL and queues outbox.
	SetItemWebhook(ctx context.Context, clientID, itemID, url string, outbox ...Webhook) (Item, error)
	// SetItemError puts an Item in an error state (nil clears it) and
	// queues outbox.
	SetItemError(ctx context.Context, clientID, itemID string, plaidError json.RawMessage, outbox ...Webhook) (Item, error)
	// RemoveItem deletes an Item, its accounts and its public tokens.
	RemoveItem(ctx context.Context, clientID, itemID string) error

	// EnqueueWebhooks queues webhooks for delivery.
	EnqueueWebhooks(ctx context.Context, outbox ...Webhook) error
	// ClaimDueWebhooks leases up to limit pending webhooks due at now for
	// lease, so that no other worker delivers them meanwhile.
	ClaimDueWebhooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Webhook, error)
	// FinishAttempt records an attempt of a claimed webhook and its new
	// status; a pending webhook is retried at next.
	FinishAttempt(ctx context.Context, webhookID string, a Attempt, status string, next time.Time) error
	// ReleaseWebhook gives up a claim without an attempt.
	ReleaseWebhook(ctx context.Context, webhookID string) error
	// NextWebhookDue returns when the earliest pending webhook is due, and
	// false when none is pending.
	NextWebhookDue(ctx context.Context) (time.Time, bool, error)
	// Webhooks returns the client's webhooks matching f, oldest first,
	// with their attempts.
	Webhooks(ctx context.Context, clientID string, f WebhookFilter) ([]Webhook, error)

	// CreateOAuthState records a new OAuth login.
	CreateOAuthState(ctx context.Context, st OAuthState) error
	// OAuthState returns the OAuth login with the given ID, whoever's it is
	// (the bank's page knows nothing else), or ErrNotFound.
	OAuthState(ctx context.Context, id string) (OAuthState, error)
	// DecideOAuthState moves a pending OAuth login to status with the
	// products granted (nil: all); ErrUsed when it was decided before,
	// ErrNotFound when there is none.
	DecideOAuthState(ctx context.Context, id, status string, granted []string) error
	// UseOAuthState marks the client's approved OAuth login used and
	// returns it; ErrUsed when it was used before, ErrNotFound when the
	// client has no approved one with that ID.
	UseOAuthState(ctx context.Context, clientID, id string) (OAuthState, error)
	// ResumeOAuthState marks the client's OAuth login in the redirect
	// flow resumed and returns it; ErrUsed when it was resumed before,
	// ErrNotFound when the client has no such login.
	ResumeOAuthState(ctx context.Context, clientID, id string) (OAuthState, error)
	// Client returns the stored credentials of the client candidate.ID,
	// storing candidate first when there are none.
	Client(ctx context.Context, candidate Client) (Client, error)
	// SigningKey returns the newest signing key, storing candidate first
	// if there is none.
	SigningKey(ctx context.Context, candidate SigningKey) (SigningKey, error)
	// SigningKeyByID returns the signing key with the given ID.
	SigningKeyByID(ctx context.Context, id string) (SigningKey, error)

	Payments

	// Close releases the store's resources.
	Close() error
}
