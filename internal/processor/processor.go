// Package processor is the Plaid API's processor-partner operations
// (https://plaid.com/docs/api/processors/,
// https://plaid.com/docs/api/processor-partners/): a developer hands one
// account of an Item to a partner as a processor token (or to Stripe as a
// bank account token) and limits the products the partner may reach with
// it; the partner reads that one account with the token.
//
// It sits beside package service, whose operations it uses (Items by
// access token, products used and billed on an Item, sandbox Items, sync
// feeds) and whose commit path it shares, as package linkbackend does.
// Tokens are the tenant's own: another client's processor token is
// unknown, as is an access token sent in its place.
package processor

import (
	"context"
	"errors"
	"slices"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/processortokens"
)

// Backend is the processor-partner operations over one store.
type Backend struct {
	svc    *service.Service
	store  *store.DB
	tokens *processortokens.Tokens
}

// New returns the Backend of svc, whose store it shares.
func New(svc *service.Service, st *store.DB) *Backend {
	return &Backend{svc: svc, store: st, tokens: processortokens.New(st)}
}

// Token is a processor token with the Item and the account it names.
type Token struct {
	processortokens.Token
	Item    store.Item
	Account store.Account
}

// CreateToken is /processor/token/create: a processor token for the
// partner processor (the spec's enum, which the request check enforces)
// on one account of the Item of an access token; INVALID_ACCOUNT_ID for
// an account that is not the Item's. Each call makes a new token, so one
// account may be handed to several partners.
func (b *Backend) CreateToken(ctx context.Context, t service.Tenant, accessToken, accountID, processor string) (processortokens.Token, *plaid.Error) {
	it, e := b.svc.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return processortokens.Token{}, e
	}
	if _, e := account(it, accountID); e != nil {
		return processortokens.Token{}, e
	}
	return b.create(ctx, t, it, accountID, processor)
}

// create stores a new processor token for the Item's account.
func (b *Backend) create(ctx context.Context, t service.Tenant, it store.Item, accountID, processor string) (processortokens.Token, *plaid.Error) {
	pt := processortokens.Token{Token: ids.NewToken(plaid.ProcessorToken), ClientID: t.ClientID, ItemID: it.ID,
		AccountID: accountID, Processor: processor, Permissions: []string{}, CreatedAt: t.Now}
	err := b.tokens.Create(ctx, pt)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// The Item went away meanwhile.
		return processortokens.Token{}, plaid.InvalidAccessToken()
	case err != nil:
		return processortokens.Token{}, service.StoreError(err)
	}
	return pt, nil
}

// StripeBankAccountToken is /processor/stripe/bank_account_token/create:
// a bank account token for Stripe on one account of the Item of an access
// token, which must have account and routing numbers (a checking or
// savings account: NO_AUTH_ACCOUNTS otherwise). Stripe, not Plaid, keeps
// it: the emulator stores nothing.
func (b *Backend) StripeBankAccountToken(ctx context.Context, t service.Tenant, accessToken, accountID string) (string, *plaid.Error) {
	it, e := b.svc.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return "", e
	}
	a, e := account(it, accountID)
	if e != nil {
		return "", e
	}
	if e := plaid.ItemError(it.Error); e != nil {
		return "", e
	}
	if !service.SandboxAccount(a).HasAuthNumbers() {
		auth, _ := product.Lookup("auth")
		return "", auth.NoAccounts()
	}
	return ids.NewStripeBankAccountToken(), nil
}

// SandboxProducts is the plan of an Item that /sandbox/processor_token/create
// makes: Auth, and consent to the other products the processor endpoints
// serve, which their first call adds.
var SandboxProducts = linkconfig.Plan{Products: []string{"auth"}, AdditionalConsented: []string{"identity", "transactions"}}

// CreateSandboxToken is /sandbox/processor_token/create: an Item made as
// /sandbox/public_token/create makes one (its login, every sandbox
// account, SandboxProducts), and a processor token for its first account,
// naming no processor.
func (b *Backend) CreateSandboxToken(ctx context.Context, t service.Tenant, institutionID, username, password string) (processortokens.Token, *plaid.Error) {
	pt, e := b.svc.AddSandboxItem(ctx, t, service.SandboxLogin{InstitutionID: institutionID, Plan: SandboxProducts,
		Username: username, Password: password, Endpoint: "/sandbox/processor_token/create"})
	if e != nil {
		return processortokens.Token{}, e
	}
	it, err := b.store.Item(ctx, t.ClientID, pt.ItemID)
	if err != nil {
		return processortokens.Token{}, service.StoreError(err)
	}
	return b.create(ctx, t, it, it.Accounts[0].ID, "")
}

// Token is the tenant's processor token with its Item and account:
// INVALID_PROCESSOR_TOKEN for a token the tenant never got (another
// client's, or a token of another kind), ITEM_NOT_FOUND once its Item was
// removed: /item/remove is how a developer revokes a partner's access.
func (b *Backend) Token(ctx context.Context, t service.Tenant, token string) (Token, *plaid.Error) {
	pt, err := b.tokens.Token(ctx, t.ClientID, token)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Token{}, plaid.InvalidProcessorToken()
	case err != nil:
		return Token{}, service.StoreError(err)
	}
	it, err := b.store.Item(ctx, t.ClientID, pt.ItemID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Token{}, plaid.ItemNotFound("the Item of this processor token was removed: a processor's access ends with its Item")
	case err != nil:
		return Token{}, service.StoreError(err)
	}
	a, e := account(it, pt.AccountID)
	if e != nil {
		return Token{}, e
	}
	return Token{Token: pt, Item: it, Account: a}, nil
}

// SetPermissions is /processor/token/permissions/set: the products the
// token's partner may reach from now on (each once, in the order given);
// none means all, as Plaid's default is.
func (b *Backend) SetPermissions(ctx context.Context, t service.Tenant, token string, products []string) *plaid.Error {
	if _, e := b.Token(ctx, t, token); e != nil {
		return e
	}
	var keep []string
	for _, p := range products {
		if !slices.Contains(keep, p) {
			keep = append(keep, p)
		}
	}
	if err := b.tokens.SetPermissions(ctx, t.ClientID, token, keep); err != nil {
		return service.StoreError(err)
	}
	return nil
}

// Permissions is /processor/token/permissions/get: the products the token
// may reach, none for all.
func (b *Backend) Permissions(ctx context.Context, t service.Tenant, token string) ([]string, *plaid.Error) {
	tok, e := b.Token(ctx, t, token)
	if e != nil {
		return nil, e
	}
	return tok.Permissions, nil
}

// SetWebhook is /processor/token/webhook/update: the token's webhook URL
// ("" for none) and, in the same batch, PROCESSOR_TOKEN
// WEBHOOK_UPDATE_ACKNOWLEDGED to the new URL.
func (b *Backend) SetWebhook(ctx context.Context, t service.Tenant, token, url string) *plaid.Error {
	tok, e := b.Token(ctx, t, token)
	if e != nil {
		return e
	}
	var outbox []store.Webhook
	if url != "" {
		outbox = append(outbox, service.LinkWebhook(t.ClientID, "", url, plaid.ProcessorWebhookUpdateAcknowledged(tok.AccountID, url)))
	}
	if err := b.svc.Commit(func() error {
		return b.tokens.SetWebhook(ctx, t.ClientID, token, url, outbox...)
	}); err != nil {
		return service.StoreError(err)
	}
	return nil
}

// account is the Item's account with the ID, or INVALID_ACCOUNT_ID.
func account(it store.Item, id string) (store.Account, *plaid.Error) {
	i := slices.IndexFunc(it.Accounts, func(a store.Account) bool { return a.ID == id })
	if i < 0 {
		return store.Account{}, plaid.InvalidAccountID(id)
	}
	return it.Accounts[i], nil
}
