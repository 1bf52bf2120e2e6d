package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/store"
)

// InvalidateAccessToken is /item/access_token/invalidate: the Item of the
// access token gets a new one, which it returns, and the old one names
// no Item any more (INVALID_ACCESS_TOKEN). An Item in an error state
// rotates too: nothing is read at the bank.
func (s *Service) InvalidateAccessToken(ctx context.Context, t Tenant, accessToken string) (store.Item, *plaid.Error) {
	if _, e := s.ItemByAccessToken(ctx, t, accessToken); e != nil {
		return store.Item{}, e
	}
	it, err := s.store.RotateAccessToken(ctx, t.ClientID, accessToken, ids.NewToken(plaid.AccessToken))
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Rotated or removed meanwhile.
		return store.Item{}, plaid.InvalidAccessToken()
	case err != nil:
		return store.Item{}, StoreError(err)
	}
	return it, nil
}

// TerminateReasons are the reason codes /item/products/terminate takes
// (the spec's ProductsTerminateReasonCode).
var TerminateReasons = []string{
	"FRAUD_FIRST_PARTY", "FRAUD_FALSE_IDENTITY", "FRAUD_ABUSE", "FRAUD_OTHER", "CONSUMER_LOAN_PAID_OFF",
	"CONSUMER_ACCOUNT_CLOSED", "CONSUMER_CHARGE_OFF", "CONSUMER_PAYMENT_METHOD_SWITCHED", "USER_OFFBOARDING",
	"DUPLICATE_ITEM", "BILLING_TERMINATION", "OTHER",
}

// MaxTerminateNote is the longest reason_note /item/products/terminate
// takes, in characters.
const MaxTerminateNote = 512

// TerminateItem is /item/products/terminate: it ends the Item as
// /item/remove does (its access token stops working, its accounts and
// public tokens go) and ends the billing of its products, with the reason
// code in the ledger's record of the end. reason_code is required and one
// of TerminateReasons; reason_note, optional, at most MaxTerminateNote
// characters.
func (s *Service) TerminateItem(ctx context.Context, t Tenant, accessToken, reasonCode, reasonNote string) *plaid.Error {
	if e := plaid.Required("access_token", accessToken, "reason_code", reasonCode); e != nil {
		return e
	}
	if !slices.Contains(TerminateReasons, reasonCode) {
		return plaid.InvalidField(fmt.Sprintf("reason_code must be one of %v, not %q", TerminateReasons, reasonCode))
	}
	if utf8.RuneCountInString(reasonNote) > MaxTerminateNote {
		return plaid.InvalidField(fmt.Sprintf("reason_note must be at most %d characters", MaxTerminateNote))
	}
	return s.endItem(ctx, t, accessToken, "/item/products/terminate: "+reasonCode)
}
