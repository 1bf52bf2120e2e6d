package transfer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/signal"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/transfers"
)

// Endpoints of Transfer that use the product.
const (
	AuthorizeEndpoint    = "/transfer/authorization/create"
	CapabilitiesEndpoint = "/transfer/capabilities/get"
)

// Rationale is why an authorization was declined, or approved without a
// risk check.
type Rationale struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// Risk is an authorization's payment risk: Signal's scores of the debit
// and their risk level.
type Risk struct {
	BankScore     int    `json:"bank_initiated_return_score"`
	CustomerScore int    `json:"customer_initiated_return_score"`
	Level         string `json:"risk_level"`
}

// Authorization is a transfer authorization, as kept.
type Authorization struct {
	ID        string     `json:"id"`
	Created   time.Time  `json:"created"`
	ExpiresAt time.Time  `json:"expires_at"`
	Decision  string     `json:"decision"`
	Rationale *Rationale `json:"rationale,omitempty"`
	Risk      *Risk      `json:"risk,omitempty"`
	ItemID    string     `json:"item_id"`
	AccountID string     `json:"account_id"`
	Type      string     `json:"type"`
	Network   string     `json:"network"`
	ACHClass  string     `json:"ach_class,omitempty"`
	Amount    Cents      `json:"amount"`
	Currency  string     `json:"iso_currency_code"`
	User      User       `json:"user"`
	// Key is the idempotency key it was made with.
	Key string `json:"idempotency_key,omitempty"`
	// TestClockID is the test clock it was made on, "" for none.
	TestClockID string `json:"test_clock_id,omitempty"`
	Cancelled   bool   `json:"cancelled,omitempty"`
}

// Proposal is what /transfer/authorization/create asks to authorize.
type Proposal struct {
	AccessToken, AccountID string
	Type, Network          string
	// Amount is the decimal string sent.
	Amount, ACHClass, Currency string
	User                       User
	IdempotencyKey             string
	TestClockID                string
}

// achClasses are the SEC codes each type of ACH transfer allows
// (https://plaid.com/docs/transfer/creating-transfers/#ach-sec-codes).
var achClasses = map[string][]string{Credit: {"ccd", "ppd"}, Debit: {"ccd", "tel", "web"}}

// check is what is wrong with the proposal's own fields, or nil.
func (p Proposal) check() (Cents, *plaid.Error) {
	amount, e := ParseAmount("amount", p.Amount)
	if e != nil {
		return 0, e
	}
	switch p.Network {
	case "ach", "same-day-ach":
		if p.ACHClass == "" {
			return 0, plaid.MissingFields("ach_class")
		}
		if !slices.Contains(achClasses[p.Type], p.ACHClass) {
			return 0, plaid.InvalidField("ach_class " + p.ACHClass + " is not allowed for a " + p.Type + ": use one of " + fmt.Sprint(achClasses[p.Type]))
		}
	case "wire":
		if p.Type != Credit {
			return 0, plaid.InvalidField("a wire transfer must be a credit: wire debits are not supported")
		}
	}
	if p.Currency != "" && p.Currency != "USD" {
		return 0, plaid.InvalidField("iso_currency_code must be USD")
	}
	return amount, nil
}

// Decide is the sandbox's decision on a transfer of amount of the type
// from or to an account with balance (its available balance, else its
// current one; nil: unknown) on an Item in error itemError (nil for
// none), from the rules of /transfer/authorization/create: an Item in
// error needs the user's action; a debit is declined for RISK when the
// balance is exactly 0, for NSF when it is below the amount, and approved
// otherwise (approved with rationale ERROR when the balance is unknown);
// a credit, which takes nothing from the account, is approved.
func Decide(typ string, amount Cents, balance *float64, itemError *plaid.Error) (string, *Rationale) {
	switch {
	case itemError != nil && itemError.ErrorCode == "ITEM_LOGIN_REQUIRED":
		return UserActionRequired, &Rationale{"ITEM_LOGIN_REQUIRED", "the Item's login is required: repair it in Link's update mode, then authorize again"}
	case itemError != nil:
		return UserActionRequired, &Rationale{"ERROR", "the Item is in error " + itemError.ErrorCode + ": repair it in Link's update mode, then authorize again"}
	case typ == Credit:
		return Approved, nil
	case balance == nil:
		return Approved, &Rationale{"ERROR", "the account's balance is unavailable: the risk check could not be run"}
	case *balance == 0:
		return Declined, &Rationale{"RISK", "the transaction is high-risk: the account's available balance is 0"}
	case math.Round(*balance*100) < float64(amount):
		return Declined, &Rationale{"NSF", "the transaction is likely to be returned for insufficient funds"}
	}
	return Approved, nil
}

// RiskLevel is the risk level of Signal's scores: the higher score's
// band.
func RiskLevel(s signal.Scores) string {
	switch high := max(s.BankScore, s.CustomerScore); {
	case high >= 80:
		return "HIGH_RISK"
	case high >= 60:
		return "MEDIUM_HIGH_RISK"
	case high >= 40:
		return "MEDIUM_RISK"
	case high >= 20:
		return "MEDIUM_LOW_RISK"
	}
	return "LOW_RISK"
}

// RTPEligible reports whether the account can receive RTP credits:
// linkharness's rule is a checking account at an institution that does
// not log in by OAuth.
func RTPEligible(it store.Item, a store.Account) bool {
	in, ok := sandbox.InstitutionByID(it.InstitutionID)
	return ok && !in.OAuth && a.Type == "depository" && a.Subtype == "checking"
}

// Capabilities is /transfer/capabilities/get: whether the account can
// receive RTP credits (RTPEligible). Request for Payment is not
// emulated: it is never supported.
func (s *Service) Capabilities(ctx context.Context, t service.Tenant, accessToken, accountID string) (bool, *plaid.Error) {
	it, a, e := s.account(ctx, t, accessToken, accountID)
	if e != nil {
		return false, e
	}
	if e := plaid.ItemError(it.Error); e != nil {
		return false, e
	}
	return RTPEligible(it, a), nil
}

// Authorize is /transfer/authorization/create: the sandbox's decision on
// the proposal (Decide), with Signal's scores of a debit, kept for an
// hour. An idempotency key the client used within KeyLifetime gives the
// authorization made with it back, unless that one needed the user's
// action (idempotency does not apply to those).
func (s *Service) Authorize(ctx context.Context, t service.Tenant, p Proposal) (Authorization, *plaid.Error) {
	amount, e := p.check()
	if e != nil {
		return Authorization{}, e
	}
	it, a, e := s.account(ctx, t, p.AccessToken, p.AccountID)
	if e != nil {
		return Authorization{}, e
	}
	now, e := s.clockTime(ctx, t, p.TestClockID)
	if e != nil {
		return Authorization{}, e
	}
	if p.IdempotencyKey != "" {
		old, err := s.rec.AuthorizationByKey(ctx, t.ClientID, p.IdempotencyKey)
		switch {
		case err == nil && old.CreatedAt.After(now.Add(-KeyLifetime)):
			return sameAuthorization(old, p, amount)
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return Authorization{}, service.StoreError(err)
		}
	}
	if p.Network == "rtp" && !RTPEligible(it, a) {
		return Authorization{}, plaid.InvalidField("the account is not eligible for RTP: check /transfer/capabilities/get first")
	}
	itemErr := plaid.ItemError(it.Error)
	if itemErr == nil {
		if it, e = s.svc.UseProductOn(ctx, t, it, Product, AuthorizeEndpoint); e != nil {
			return Authorization{}, e
		}
	}
	b := service.AccountBalances(a, service.Currency(it))
	balance := b.Available
	if balance == nil {
		balance = b.Current
	}
	auth := Authorization{ID: ids.NewUUID(), Created: now, ExpiresAt: now.Add(AuthorizationLifetime), ItemID: it.ID, AccountID: a.ID,
		Type: p.Type, Network: p.Network, ACHClass: p.ACHClass, Amount: amount, Currency: "USD", User: p.User, TestClockID: p.TestClockID}
	auth.Decision, auth.Rationale = Decide(p.Type, amount, balance, itemErr)
	if p.Type == Debit && auth.Decision != UserActionRequired {
		sc := signal.Score(it.ID, a.ID, amount.Float(), balance)
		auth.Risk = &Risk{BankScore: sc.BankScore, CustomerScore: sc.CustomerScore, Level: RiskLevel(sc)}
	}
	if auth.Decision != UserActionRequired {
		auth.Key = p.IdempotencyKey
	}
	doc, _ := json.Marshal(auth)
	kept, err := s.rec.Authorize(ctx, transfers.Authorization{ClientID: t.ClientID, ID: auth.ID, IdempotencyKey: auth.Key, CreatedAt: now, Doc: doc},
		now.Add(-KeyLifetime))
	if err != nil {
		return Authorization{}, service.StoreError(err)
	}
	if kept.ID != auth.ID {
		// Another request with the key won meanwhile.
		return sameAuthorization(kept, p, amount)
	}
	return auth, nil
}

// sameAuthorization is the authorization kept with the proposal's
// idempotency key, when it proposed the same transfer.
func sameAuthorization(rec transfers.Authorization, p Proposal, amount Cents) (Authorization, *plaid.Error) {
	var a Authorization
	if err := json.Unmarshal(rec.Doc, &a); err != nil {
		return Authorization{}, service.StoreError(err)
	}
	if a.AccountID != p.AccountID || a.Type != p.Type || a.Network != p.Network || a.Amount != amount {
		return Authorization{}, plaid.InvalidField("idempotency_key " + p.IdempotencyKey + " was used for another authorization, " + a.ID)
	}
	return a, nil
}

// authorization is the tenant's authorization id and its record.
func (s *Service) authorization(ctx context.Context, t service.Tenant, id string) (Authorization, transfers.Authorization, *plaid.Error) {
	rec, err := s.rec.Authorization(ctx, t.ClientID, id)
	if errors.Is(err, store.ErrNotFound) {
		return Authorization{}, rec, unknown("authorization_id", id)
	}
	if err != nil {
		return Authorization{}, rec, service.StoreError(err)
	}
	var a Authorization
	if err := json.Unmarshal(rec.Doc, &a); err != nil {
		return Authorization{}, rec, service.StoreError(err)
	}
	return a, rec, nil
}

// CancelAuthorization is /transfer/authorization/cancel: an approved
// authorization no transfer was made from can no longer be used.
// Cancelling it again does nothing.
func (s *Service) CancelAuthorization(ctx context.Context, t service.Tenant, id string) *plaid.Error {
	for range 3 {
		a, rec, e := s.authorization(ctx, t, id)
		switch {
		case e != nil:
			return e
		case rec.UsedBy != "":
			return plaid.InvalidField("authorization " + id + " was used by transfer " + rec.UsedBy + " and cannot be cancelled")
		case a.Decision != Approved:
			return plaid.InvalidField("authorization " + id + " was " + a.Decision + ": only an approved authorization can be cancelled")
		case a.Cancelled:
			return nil
		}
		a.Cancelled = true
		doc, _ := json.Marshal(a)
		err := s.rec.UpdateAuthorization(ctx, t.ClientID, id, rec.Doc, doc)
		if !errors.Is(err, transfers.ErrChanged) {
			if err != nil {
				return service.StoreError(err)
			}
			return nil
		}
	}
	return plaid.Internal("authorization " + id + " kept changing")
}
