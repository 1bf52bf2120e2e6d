// Package signalapi is the HTTP side of Signal, which package signal
// serves: /signal/prepare, /signal/evaluate, /signal/decision/report and
// /signal/return/report.
package signalapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/signal"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// API is the endpoints' handlers.
type API struct {
	httpapi.Deps
	signal *signal.Service
}

// New returns the handlers over d and sig.
func New(d httpapi.Deps, sig *signal.Service) *API { return &API{Deps: d, signal: sig} }

// Routes are the endpoints, in the route table's order.
func (s *API) Routes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: signal.PrepareEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.prepare),
			Doc: "adds Signal to an Item whose user consented to it (products or additional_consented_products)"},
		{Method: "POST", Path: signal.EvaluateEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.evaluate),
			Doc: "the return risk of a proposed ACH debit, scored from the account's balance (the larger the amount against it, the riskier), with core attributes and the default ruleset's result; kept by client_transaction_id"},
		{Method: "POST", Path: "/signal/decision/report", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.decision),
			Doc: "records whether an evaluated transaction was initiated (an unknown client_transaction_id is INVALID_FIELD)"},
		{Method: "POST", Path: "/signal/return/report", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.returned),
			Doc: "records the ACH return of an evaluated transaction (an unknown client_transaction_id is INVALID_FIELD)"},
	}
}

func (s *API) prepare(ctx context.Context, c *httpapi.Call, req *httpapi.AccessTokenRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := s.signal.Prepare(ctx, c.Tenant, req.AccessToken); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

type evaluateRequest struct {
	httpapi.Credentials
	AccessToken         string  `json:"access_token"`
	AccountID           string  `json:"account_id"`
	ClientTransactionID string  `json:"client_transaction_id"`
	Amount              float64 `json:"amount"`
	RulesetKey          *string `json:"ruleset_key"`
}

type risk struct {
	Score    int `json:"score"`
	RiskTier int `json:"risk_tier"`
}

type scores struct {
	CustomerInitiatedReturnRisk risk `json:"customer_initiated_return_risk"`
	BankInitiatedReturnRisk     risk `json:"bank_initiated_return_risk"`
}

// coreAttributes are those of the funding account the emulator knows.
type coreAttributes struct {
	AvailableBalance                *float64 `json:"available_balance"`
	CurrentBalance                  *float64 `json:"current_balance"`
	BalanceLastUpdated              string   `json:"balance_last_updated"`
	IsSavingsOrMoneyMarketAccount   bool     `json:"is_savings_or_money_market_account"`
	BalanceToTransactionAmountRatio *float64 `json:"balance_to_transaction_amount_ratio"`
}

type ruleset struct {
	RulesetKey string `json:"ruleset_key"`
	Result     string `json:"result"`
}

type warning struct {
	WarningType    string `json:"warning_type"`
	WarningCode    string `json:"warning_code"`
	WarningMessage string `json:"warning_message"`
}

type evaluateResponse struct {
	RequestID      string         `json:"request_id"`
	Scores         scores         `json:"scores"`
	CoreAttributes coreAttributes `json:"core_attributes"`
	Ruleset        ruleset        `json:"ruleset"`
	Warnings       []warning      `json:"warnings"`
}

func (s *API) evaluate(ctx context.Context, c *httpapi.Call, req *evaluateRequest) (evaluateResponse, *plaid.Error) {
	q := signal.Query{AccessToken: req.AccessToken, AccountID: req.AccountID, ClientTransactionID: req.ClientTransactionID, Amount: req.Amount}
	if req.RulesetKey != nil {
		q.RulesetKey = *req.RulesetKey
	}
	ev, e := s.signal.Evaluate(ctx, c.Tenant, q)
	if e != nil {
		return evaluateResponse{}, e
	}
	b := ev.Balances
	return evaluateResponse{RequestID: c.RequestID,
		Scores: scores{CustomerInitiatedReturnRisk: risk{Score: ev.Scores.CustomerScore, RiskTier: ev.Scores.CustomerTier},
			BankInitiatedReturnRisk: risk{Score: ev.Scores.BankScore, RiskTier: ev.Scores.BankTier}},
		CoreAttributes: coreAttributes{AvailableBalance: b.Available, CurrentBalance: b.Current,
			BalanceLastUpdated: plaid.Time(b.UpdatedAt), IsSavingsOrMoneyMarketAccount: b.Savings, BalanceToTransactionAmountRatio: b.Ratio},
		Ruleset:  ruleset{RulesetKey: ev.RulesetKey, Result: ev.Result},
		Warnings: []warning{}}, nil
}

type decisionRequest struct {
	httpapi.Credentials
	ClientTransactionID      string   `json:"client_transaction_id"`
	Initiated                bool     `json:"initiated"`
	DaysFundsOnHold          *int     `json:"days_funds_on_hold"`
	DecisionOutcome          *string  `json:"decision_outcome"`
	PaymentMethod            *string  `json:"payment_method"`
	AmountInstantlyAvailable *float64 `json:"amount_instantly_available"`
}

func (s *API) decision(ctx context.Context, c *httpapi.Call, req *decisionRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	d := signal.Decision{Initiated: req.Initiated, DaysFundsOnHold: req.DaysFundsOnHold, DecisionOutcome: req.DecisionOutcome,
		PaymentMethod: req.PaymentMethod, AmountInstantly: req.AmountInstantlyAvailable}
	if e := s.signal.ReportDecision(ctx, c.Tenant, req.ClientTransactionID, d); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

type returnRequest struct {
	httpapi.Credentials
	ClientTransactionID string  `json:"client_transaction_id"`
	ReturnCode          string  `json:"return_code"`
	ReturnedAt          *string `json:"returned_at"`
}

func (s *API) returned(ctx context.Context, c *httpapi.Call, req *returnRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	at := ""
	if req.ReturnedAt != nil {
		at = *req.ReturnedAt
	}
	if e := s.signal.ReportReturn(ctx, c.Tenant, req.ClientTransactionID, req.ReturnCode, at); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}
