// Package transfer is Plaid Transfer on package service's Items:
// authorizations decided by the sandbox's rules from the account's
// balance, transfers made from them, their lifecycle (pending, posted,
// settled, funds_available, or cancelled, failed, returned) driven by
// /sandbox/transfer/simulate, sweeps, test clocks, and the events every
// change records, numbered per client, each batch of them announced by a
// TRANSFER_EVENTS_UPDATE webhook queued with it. Its records live in
// package store/transfers.
//
// Unlike Plaid's Sandbox, a settled transfer moves money: the account's
// balances move by its amount (accounts.moved, which
// service.AccountBalances adds), so /accounts/balance/get, Signal and
// Assets see it. Recurring transfers, refunds, the ledger and
// originators are not emulated.
package transfer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/transfers"
)

// Product is Transfer's name in the product registry.
const Product = "transfer"

// AuthorizationLifetime is how long an authorization can be used
// (https://plaid.com/docs/api/products/transfer/initiating-transfers/#transferauthorizationcreate).
const AuthorizationLifetime = time.Hour

// KeyLifetime is how long an authorization's idempotency key holds.
const KeyLifetime = 48 * time.Hour

// Page sizes of the list endpoints (the spec's defaults and maxima).
const (
	DefaultCount     = 25
	DefaultSyncCount = 100
	MaxSyncCount     = 500
)

// Transfer types, networks and statuses.
const (
	Debit  = "debit"
	Credit = "credit"

	Pending        = "pending"
	Posted         = "posted"
	Settled        = "settled"
	FundsAvailable = "funds_available"
	Cancelled      = "cancelled"
	Failed         = "failed"
	Returned       = "returned"

	Unswept      = "unswept"
	Swept        = "swept"
	SweptSettled = "swept_settled"
	ReturnSwept  = "return_swept"
)

// Decisions of an authorization.
const (
	Approved           = "approved"
	Declined           = "declined"
	UserActionRequired = "user_action_required"
)

// Service is Transfer over one service and its store.
type Service struct {
	svc *service.Service
	st  *store.DB
	rec *transfers.Store
}

// New returns Transfer on svc, whose store st is.
func New(svc *service.Service, st *store.DB) *Service {
	s := &Service{svc: svc, st: st}
	if st != nil {
		s.rec = transfers.New(st)
	}
	return s
}

// Cents is an amount in cents; its JSON is Plaid's decimal string with
// two digits ("10.00"), negative for a signed sweep amount.
type Cents int64

// String is the amount as Plaid writes it.
func (c Cents) String() string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

// Float is the amount in units.
func (c Cents) Float() float64 { return float64(c) / 100 }

// MarshalText writes the amount as a decimal string.
func (c Cents) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a decimal string with two digits.
func (c *Cents) UnmarshalText(b []byte) error {
	s := string(b)
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	if !amountPattern(s) {
		return fmt.Errorf("transfer: amount %q", b)
	}
	n, _ := strconv.ParseInt(s[:len(s)-3]+s[len(s)-2:], 10, 64)
	if neg {
		n = -n
	}
	*c = Cents(n)
	return nil
}

// amountPattern is a decimal string with two digits of precision.
// (A function, not a regular expression: package regexp is over 100 KB
// of the Cloudflare Worker's compressed size.)
func amountPattern(s string) bool {
	whole, cents, ok := strings.Cut(s, ".")
	return ok && len(whole) >= 1 && len(whole) <= 12 && isDigits(whole) && len(cents) == 2 && isDigits(cents)
}

// isDigits reports whether s is all ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseAmount reads field, a positive amount with two digits ("10.00"),
// or INVALID_FIELD.
func ParseAmount(field, s string) (Cents, *plaid.Error) {
	var c Cents
	if !amountPattern(s) || c.UnmarshalText([]byte(s)) != nil || c <= 0 {
		return 0, plaid.InvalidField(field + " must be a positive decimal string with two digits of precision, such as \"10.00\"")
	}
	return c, nil
}

// transferError is an error of Transfer (https://plaid.com/docs/errors/transfer/).
func transferError(code, message string) *plaid.Error {
	return &plaid.Error{Status: 400, ErrorType: "TRANSFER_ERROR", ErrorCode: code, ErrorMessage: message}
}

// NotCancellable is /transfer/cancel of a transfer that is no longer
// pending.
func NotCancellable() *plaid.Error {
	return transferError("TRANSFER_NOT_CANCELLABLE", "transfer is not cancellable")
}

// unsupportedAccount is a transfer from or to an account that is not
// checking or savings.
func unsupportedAccount() *plaid.Error {
	return transferError("TRANSFER_UNSUPPORTED_ACCOUNT_TYPE", "transfers are only supported from and to checking and savings accounts")
}

// unknown is INVALID_FIELD for an ID the client has no record of.
func unknown(field, id string) *plaid.Error {
	return plaid.InvalidField(field + " " + strconv.Quote(id) + " is not one of the client's")
}

// User is the account holder as a request names them.
type User struct {
	LegalName    string   `json:"legal_name"`
	PhoneNumber  string   `json:"phone_number,omitempty"`
	EmailAddress string   `json:"email_address,omitempty"`
	Address      *Address `json:"address,omitempty"`
}

// Address is the account holder's address.
type Address struct {
	Street     string `json:"street,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

// Failure is why a transfer failed or came back.
type Failure struct {
	FailureCode   string `json:"failure_code,omitempty"`
	ACHReturnCode string `json:"ach_return_code,omitempty"`
	Description   string `json:"description,omitempty"`
}

// FundingAccountID is the client's funding account, the one its sweeps
// move money to and from: the emulator's own, the same for every sweep
// of the client.
func FundingAccountID(clientID string) string {
	h := sha256.Sum256([]byte("linkharness funding account\x00" + clientID))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// account is the tenant's Item of the access token and its account, with
// Transfer in its products or consented products.
func (s *Service) account(ctx context.Context, t service.Tenant, accessToken, accountID string) (store.Item, store.Account, *plaid.Error) {
	it, e := s.svc.ItemByAccessToken(ctx, t, accessToken)
	if e != nil {
		return it, store.Account{}, e
	}
	i := slices.IndexFunc(it.Accounts, func(a store.Account) bool { return a.ID == accountID })
	if i < 0 {
		return it, store.Account{}, plaid.InvalidAccountID(accountID)
	}
	if !slices.Contains(it.Products, Product) && !slices.Contains(it.ConsentedProducts, Product) {
		return it, store.Account{}, plaid.AdditionalConsentRequired("the user has not consented to transfer for this Item: put it in products or additional_consented_products when creating the link token")
	}
	a := it.Accounts[i]
	if a.Type != "depository" || a.Subtype != "checking" && a.Subtype != "savings" {
		return it, a, unsupportedAccount()
	}
	return it, a, nil
}

// clockTime is the virtual time of the tenant's test clock id, or now
// for "".
func (s *Service) clockTime(ctx context.Context, t service.Tenant, id string) (time.Time, *plaid.Error) {
	if id == "" {
		return t.Now, nil
	}
	c, err := s.rec.Clock(ctx, t.ClientID, id)
	if errors.Is(err, store.ErrNotFound) {
		return time.Time{}, unknown("test_clock_id", id)
	}
	if err != nil {
		return time.Time{}, service.StoreError(err)
	}
	return c.VirtualTime, nil
}

// eventsHook is TRANSFER_EVENTS_UPDATE to url.
func eventsHook(clientID, url string) store.Webhook {
	return service.LinkWebhook(clientID, "", url, plaid.Hook{Type: "TRANSFER", Code: "TRANSFER_EVENTS_UPDATE"})
}

// FireWebhook is /sandbox/transfer/fire_webhook: TRANSFER_EVENTS_UPDATE
// to url.
func (s *Service) FireWebhook(ctx context.Context, t service.Tenant, url string) *plaid.Error {
	err := s.svc.Commit(func() error {
		_, err := s.st.Batches().Batch(ctx, store.Enqueue(eventsHook(t.ClientID, url))...)
		return err
	})
	if err != nil {
		return service.StoreError(err)
	}
	return nil
}
