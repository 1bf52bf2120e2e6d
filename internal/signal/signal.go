// Package signal is Signal on package service's Items: /signal/prepare
// adds the product, /signal/evaluate scores the return risk of a proposed
// ACH debit from the funding account's balance, and
// /signal/decision/report and /signal/return/report record what the
// client did with an evaluated transaction and whether it came back.
// Evaluations are kept by client_transaction_id (package
// store/signaltxns).
package signal

import (
	"context"
	"encoding/json"
	"errors"
	"hash/fnv"
	"math"
	"strconv"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/signaltxns"
)

// Endpoints of Signal.
const (
	PrepareEndpoint  = "/signal/prepare"
	EvaluateEndpoint = "/signal/evaluate"
)

// Product is Signal's name in the product registry.
const Product = "signal"

// Service is Signal over one service and its store.
type Service struct {
	svc  *service.Service
	txns *signaltxns.Txns
}

// New returns Signal on svc, whose store st is.
func New(svc *service.Service, st *store.DB) *Service {
	return &Service{svc: svc, txns: signaltxns.New(st)}
}

// Prepare is /signal/prepare: Signal is added to the Item, as any first
// use adds it, which needs the user's consent (it was in the link token's
// products or additional_consented_products) and a depository account.
func (s *Service) Prepare(ctx context.Context, t service.Tenant, accessToken string) *plaid.Error {
	_, e := s.svc.UseProduct(ctx, t, accessToken, Product, PrepareEndpoint)
	return e
}

// Query is what /signal/evaluate asks about.
type Query struct {
	AccessToken, AccountID, ClientTransactionID string
	Amount                                      float64
	// RulesetKey is ruleset_key as sent, "" for none (the default
	// ruleset).
	RulesetKey string
}

// Evaluation is the answer of /signal/evaluate.
type Evaluation struct {
	Item     store.Item
	Account  store.Account
	Scores   Scores
	Balances Balances
	// RulesetKey is the ruleset the result is of; Result is ACCEPT, REVIEW
	// or REROUTE.
	RulesetKey, Result string
}

// Scores are the two return risks, each a score from 1 to 99 and its
// tier (1 to 5 customer-initiated, 1 to 8 bank-initiated).
type Scores struct {
	CustomerScore, CustomerTier int
	BankScore, BankTier         int
}

// Balances are the funding account's balances at the evaluation.
type Balances struct {
	Available, Current *float64
	Savings            bool
	// Ratio is the available (else current) balance over the amount,
	// nil without a balance.
	Ratio     *float64
	UpdatedAt time.Time
}

// DefaultRuleset is the ruleset key of an evaluation that names none.
const DefaultRuleset = "default"

// Evaluate is /signal/evaluate: the risk that a debit of q.Amount from
// the account comes back, from the account's balance (the larger the
// amount against the available balance, the higher both scores; an
// amount above it is an NSF risk), the same for the same Item, account
// and amount. The evaluation is kept by q.ClientTransactionID, replacing
// an earlier one, for the reports.
func (s *Service) Evaluate(ctx context.Context, t service.Tenant, q Query) (Evaluation, *plaid.Error) {
	if !(q.Amount > 0) || math.IsInf(q.Amount, 0) {
		return Evaluation{}, plaid.InvalidField("amount must be a positive number")
	}
	it, e := s.svc.ItemByAccessToken(ctx, t, q.AccessToken)
	if e != nil {
		return Evaluation{}, e
	}
	if it, e = s.svc.UseProductOn(ctx, t, it, Product, EvaluateEndpoint); e != nil {
		return Evaluation{}, e
	}
	accounts, e := service.PickAccounts(it, []string{q.AccountID}, nil)
	if e != nil {
		return Evaluation{}, e
	}
	a := accounts[0]
	if a.Type != "depository" {
		return Evaluation{}, plaid.New("INVALID_ACCOUNT_ID", "account_id must be a depository account: Signal evaluates ACH debits from checking and savings accounts")
	}
	b := service.AccountBalances(a, service.Currency(it))
	ev := Evaluation{Item: it, Account: a, RulesetKey: q.RulesetKey,
		Balances: Balances{Available: b.Available, Current: b.Current, Savings: a.Subtype == "savings" || a.Subtype == "money market", UpdatedAt: t.Now}}
	if ev.RulesetKey == "" {
		ev.RulesetKey = DefaultRuleset
	}
	balance := b.Available
	if balance == nil {
		balance = b.Current
	}
	if balance != nil {
		r := math.Round(*balance/q.Amount*100) / 100
		ev.Balances.Ratio = &r
	}
	ev.Scores = Score(it.ID, a.ID, q.Amount, balance)
	ev.Result = Result(ev.Scores)
	doc, _ := json.Marshal(ev.Scores)
	err := s.txns.Evaluate(ctx, signaltxns.Txn{ClientID: t.ClientID, ID: q.ClientTransactionID, ItemID: it.ID, AccountID: a.ID,
		Amount: q.Amount, Evaluation: doc, EvaluatedAt: t.Now})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return Evaluation{}, plaid.InvalidAccessToken()
	case err != nil:
		return Evaluation{}, service.StoreError(err)
	}
	return ev, nil
}

// Score is the return risk of a debit of amount from an account with
// balance (nil: unknown, as risky as an empty account): the share the
// amount takes of the balance, amount/(balance+amount), gives the
// bank-initiated score (NSF returns) from 1 to 99, and with a little of
// the Item's and account's own (a hash) the customer-initiated one.
func Score(itemID, accountID string, amount float64, balance *float64) Scores {
	share := 1.0
	if balance != nil && *balance > 0 {
		share = amount / (*balance + amount)
	}
	h := fnv.New32a()
	h.Write([]byte(itemID + "\x00" + accountID + "\x00" + strconv.FormatFloat(amount, 'f', 2, 64)))
	var s Scores
	s.BankScore = clamp(1 + int(math.Round(98*share)))
	s.CustomerScore = clamp(2 + int(math.Round(60*share)) + int(h.Sum32()%8))
	s.BankTier = tier(s.BankScore, []int{10, 25, 40, 55, 70, 80, 90})
	s.CustomerTier = tier(s.CustomerScore, []int{15, 30, 45, 65})
	return s
}

// Result is the default ruleset's result for scores: REROUTE a likely
// NSF return, REVIEW a doubtful one, ACCEPT the rest.
func Result(s Scores) string {
	switch {
	case s.BankScore >= 70 || s.CustomerScore >= 80:
		return "REROUTE"
	case s.BankScore >= 40 || s.CustomerScore >= 60:
		return "REVIEW"
	}
	return "ACCEPT"
}

func clamp(n int) int { return min(99, max(1, n)) }

// tier is 1 plus the number of bounds score reaches.
func tier(score int, bounds []int) int {
	n := 1
	for _, b := range bounds {
		if score >= b {
			n++
		}
	}
	return n
}

// Decision is what /signal/decision/report says of an evaluated
// transaction, kept as sent.
type Decision struct {
	Initiated       bool     `json:"initiated"`
	DaysFundsOnHold *int     `json:"days_funds_on_hold,omitempty"`
	DecisionOutcome *string  `json:"decision_outcome,omitempty"`
	PaymentMethod   *string  `json:"payment_method,omitempty"`
	AmountInstantly *float64 `json:"amount_instantly_available,omitempty"`
	ReportedAt      string   `json:"reported_at"`
}

// ReportDecision is /signal/decision/report: what the client did with the
// transaction it evaluated as id.
func (s *Service) ReportDecision(ctx context.Context, t service.Tenant, id string, d Decision) *plaid.Error {
	if d.DaysFundsOnHold != nil && *d.DaysFundsOnHold < 0 {
		return plaid.InvalidField("days_funds_on_hold must be 0 or more")
	}
	d.ReportedAt = t.Now.UTC().Format(time.RFC3339)
	doc, _ := json.Marshal(d)
	return reportError(s.txns.ReportDecision(ctx, t.ClientID, id, doc), id)
}

// Return is what /signal/return/report says of an evaluated transaction.
type Return struct {
	ReturnCode string `json:"return_code"`
	ReturnedAt string `json:"returned_at"`
}

// ReportReturn is /signal/return/report: the ACH return of the
// transaction the client evaluated as id, with its code (R01, ...) and
// when it came back (returnedAt, RFC 3339; "" for now).
func (s *Service) ReportReturn(ctx context.Context, t service.Tenant, id, code, returnedAt string) *plaid.Error {
	if !plaid.IsACHReturnCode(code) {
		return plaid.InvalidField("return_code must be an ACH return code, such as R01")
	}
	if returnedAt == "" {
		returnedAt = t.Now.UTC().Format(time.RFC3339)
	} else if _, err := time.Parse(time.RFC3339, returnedAt); err != nil {
		return plaid.InvalidField("returned_at must be an ISO 8601 date-time (YYYY-MM-DDTHH:mm:ssZ)")
	}
	doc, _ := json.Marshal(Return{ReturnCode: code, ReturnedAt: returnedAt})
	return reportError(s.txns.ReportReturn(ctx, t.ClientID, id, doc), id)
}

// reportError is the error of a report on the transaction id: an ID the
// client never evaluated is an invalid client_transaction_id.
func reportError(err error, id string) *plaid.Error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, store.ErrNotFound):
		return plaid.InvalidField("client_transaction_id " + strconv.Quote(id) + " was not evaluated with /signal/evaluate")
	}
	return service.StoreError(err)
}
