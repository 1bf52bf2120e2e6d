package service

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/store"
)

// ExchangePublicToken uses up a public token and returns its Item's ID and
// access token, which the Item gets on its first exchange.
func (s *Service) ExchangePublicToken(ctx context.Context, t Tenant, publicToken string) (itemID, accessToken string, e *plaid.Error) {
	if e := plaid.Required("public_token", publicToken); e != nil {
		return "", "", e
	}
	itemID, accessToken, err := s.store.ExchangePublicToken(ctx, t.ClientID, publicToken, t.Now, ids.NewToken(plaid.AccessToken))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", "", plaid.InvalidPublicToken("")
	case errors.Is(err, store.ErrExpired):
		return "", "", plaid.InvalidPublicToken("provided public token is expired. Public tokens expire 30 minutes after creation at which point they can no longer be exchanged")
	case errors.Is(err, store.ErrUsed):
		return "", "", plaid.InvalidPublicToken("provided public token has already been exchanged. Public tokens can be exchanged only once")
	case err != nil:
		return "", "", StoreError(err)
	}
	return itemID, accessToken, nil
}

// CreatePublicToken issues a public token for the Item of an access token
// (for update mode, or to hand the Item to another client).
func (s *Service) CreatePublicToken(ctx context.Context, t Tenant, accessToken string) (store.PublicToken, *plaid.Error) {
	it, e := s.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return store.PublicToken{}, e
	}
	pt := NewPublicToken(t, it.ID, "")
	if err := s.store.CreatePublicToken(ctx, pt); err != nil {
		return store.PublicToken{}, StoreError(err)
	}
	return pt, nil
}

// ItemStatus returns the tenant's Item with the access token, without its
// accounts, and the last of its webhooks that reached its receiver (false
// when none did), read at once; errors as ItemByAccessToken's.
func (s *Service) ItemStatus(ctx context.Context, t Tenant, accessToken string) (store.Item, store.Delivery, bool, *plaid.Error) {
	if e := plaid.Required("access_token", accessToken); e != nil {
		return store.Item{}, store.Delivery{}, false, e
	}
	it, d, ok, err := s.store.ItemStatus(ctx, t.ClientID, accessToken)
	return it, d, ok, itemError(err)
}

// RemoveItem deletes the Item of an access token, with its accounts and
// public tokens, and ends its subscriptions' billing.
func (s *Service) RemoveItem(ctx context.Context, t Tenant, accessToken string) *plaid.Error {
	return s.endItem(ctx, t, accessToken, "/item/remove")
}

// endItem deletes the Item of an access token and ends its billing, for
// reason.
func (s *Service) endItem(ctx context.Context, t Tenant, accessToken, reason string) *plaid.Error {
	it, e := s.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return e
	}
	switch err := s.store.RemoveItem(ctx, t.ClientID, it.ID, t.Now, reason); {
	case errors.Is(err, store.ErrNotFound): // a concurrent call removed it since the lookup
		return plaid.InvalidAccessToken()
	case err != nil:
		return StoreError(err)
	}
	return nil
}

// SetItemWebhook changes the Item's webhook and, in the same batch, queues
// ITEM WEBHOOK_UPDATE_ACKNOWLEDGED to the new URL ("" removes the webhook
// and sends nothing).
func (s *Service) SetItemWebhook(ctx context.Context, t Tenant, accessToken, url string) (store.Item, *plaid.Error) {
	it, e := s.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return it, e
	}
	var outbox []store.Webhook
	if url != "" {
		outbox = append(outbox, NewWebhook(it, url, plaid.WebhookUpdateAcknowledged(url)))
	}
	err := s.Commit(func() (err error) {
		it, err = s.store.SetItemWebhook(ctx, t.ClientID, it.ID, url, outbox...)
		return err
	})
	if err != nil {
		return it, StoreError(err)
	}
	return it, nil
}

// ResetLogin puts the Item in ITEM_LOGIN_REQUIRED and, in the same batch,
// queues ITEM ERROR to its webhook, and for an Item whose consent expires
// (European OAuth institutions) ITEM PENDING_EXPIRATION: the user must
// come back through update mode.
func (s *Service) ResetLogin(ctx context.Context, t Tenant, accessToken string) *plaid.Error {
	it, e := s.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return e
	}
	plaidErr := itemLoginRequiredJSON()
	var outbox []store.Webhook
	if it.Webhook != "" {
		outbox = append(outbox, NewWebhook(it, it.Webhook, plaid.ItemErrorHook(plaidErr)))
	}
	if wh := PendingExpirationWebhook(it); wh != nil {
		outbox = append(outbox, *wh)
	}
	if err := s.Commit(func() error {
		_, err := s.store.SetItemError(ctx, t.ClientID, it.ID, plaidErr, outbox...)
		return err
	}); err != nil {
		return StoreError(err)
	}
	return nil
}

// itemLoginRequiredJSON is ITEM_LOGIN_REQUIRED as an Item's error.
func itemLoginRequiredJSON() json.RawMessage {
	e := plaid.ItemLoginRequired()
	raw, _ := json.Marshal(map[string]any{
		"error_type": e.ErrorType, "error_code": e.ErrorCode, "error_message": e.ErrorMessage,
		"display_message": nil, "status": 400, "causes": []any{}, "suggested_action": nil,
	})
	return raw
}

// CheckUserToken is INVALID_FIELD unless token is a user token of the
// tenant's.
func (s *Service) CheckUserToken(ctx context.Context, t Tenant, token string) *plaid.Error {
	_, err := s.store.UserByToken(ctx, t.ClientID, token)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return plaid.InvalidField("user_token is not a user token of this client")
	case err != nil:
		return StoreError(err)
	}
	return nil
}

// CheckUserID is INVALID_FIELD unless id is the user_id of a user of the
// tenant's (/user/create's answer).
func (s *Service) CheckUserID(ctx context.Context, t Tenant, id string) *plaid.Error {
	_, err := s.store.UserByID(ctx, t.ClientID, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return plaid.InvalidField("user_id is not a user of this client: create one with /user/create")
	case err != nil:
		return StoreError(err)
	}
	return nil
}

// EnsureUser makes a user of /user/create, or returns the one the tenant
// made before with the same client_user_id.
func (s *Service) EnsureUser(ctx context.Context, t Tenant, clientUserID string) (store.User, *plaid.Error) {
	u, err := s.store.EnsureUser(ctx, store.User{
		ID: ids.NewUserID(), ClientID: t.ClientID, ClientUserID: clientUserID,
		Token: ids.NewToken(plaid.UserToken), CreatedAt: t.Now,
	})
	if err != nil {
		return u, StoreError(err)
	}
	return u, nil
}
