// Package processorapi is the HTTP side of the processor endpoints: those
// a developer calls to hand one account of an Item to a processor partner
// (/processor/token/create and its Stripe and sandbox kin, the token's
// permissions) and those the partner calls with the processor token
// (https://plaid.com/docs/api/processor-partners/). It decodes requests
// into calls of package processor and answers in the shapes the Item's
// own endpoints use (package plaidapi's), one account instead of a list.
//
// The partner endpoints authenticate with client_id and secret like the
// rest of the API: the client must be the one that made the token.
package processorapi

import (
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// API is the processor endpoints' handlers.
type API struct{ httpapi.Deps }

// New returns the handlers over d.
func New(d httpapi.Deps) *API { return &API{d} }

// Routes are the processor endpoints the emulator implements: the
// developer's, then the partner's.
func (s *API) Routes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: "/processor/token/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.tokenCreate),
			Doc: "a processor token (`processor-sandbox-<uuid>`) that hands one account of the Item to a partner of the spec's `processor` enum; a new token each call"},
		{Method: "POST", Path: "/processor/stripe/bank_account_token/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.stripeTokenCreate),
			Doc: "a Stripe bank account token (`btok_...`) for a checking or savings account of the Item; Stripe keeps it, the emulator does not"},
		{Method: "POST", Path: "/sandbox/processor_token/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.sandboxTokenCreate),
			Doc: "makes an Item without Link (Auth, with Identity and Transactions consented) and returns a processor token for its first account"},
		{Method: "POST", Path: "/processor/token/permissions/set", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.permissionsSet),
			Doc: "the products the token's partner may reach (`[]`, the default: all); the endpoints of the others fail with INVALID_PRODUCT"},
		{Method: "POST", Path: "/processor/token/permissions/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.permissionsGet),
			Doc: "the token's permissions (`[]`: all products)"},
		{Method: "POST", Path: "/processor/token/webhook/update", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.webhookUpdate),
			Doc: "changes the token's webhook and sends PROCESSOR_TOKEN WEBHOOK_UPDATE_ACKNOWLEDGED to the new one"},
		{Method: "POST", Path: "/processor/account/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.accountGet),
			Doc: "partner: the token's account with balances, and its institution; after `/item/remove` of its Item every partner endpoint fails with ITEM_NOT_FOUND"},
		{Method: "POST", Path: "/processor/balance/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.balanceGet),
			Doc: "partner: the token's account with balances (Balance)"},
		{Method: "POST", Path: "/processor/auth/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.authGet),
			Doc: "partner: the token's account and its numbers in its bank's scheme (Auth)"},
		{Method: "POST", Path: "/processor/identity/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.identityGet),
			Doc: "partner: the owners of the token's account (Identity)"},
		{Method: "POST", Path: "/processor/transactions/sync", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.transactionsSync),
			Doc: "partner: the token's account's transactions by cursor, paged as `/transactions/sync` pages the Item's (Transactions)"},
	}
}
