package transferapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/transfer"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

type addressIn struct {
	Street     string `json:"street"`
	City       string `json:"city"`
	Region     string `json:"region"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

type userIn struct {
	LegalName    string     `json:"legal_name"`
	PhoneNumber  string     `json:"phone_number"`
	EmailAddress string     `json:"email_address"`
	Address      *addressIn `json:"address"`
}

func (u userIn) user() transfer.User {
	out := transfer.User{LegalName: u.LegalName, PhoneNumber: u.PhoneNumber, EmailAddress: u.EmailAddress}
	if a := u.Address; a != nil {
		out.Address = &transfer.Address{Street: a.Street, City: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.Country}
	}
	return out
}

type addressOut struct {
	Street     *string `json:"street"`
	City       *string `json:"city"`
	Region     *string `json:"region"`
	PostalCode *string `json:"postal_code"`
	Country    *string `json:"country"`
}

type userOut struct {
	LegalName    string      `json:"legal_name"`
	PhoneNumber  *string     `json:"phone_number"`
	EmailAddress *string     `json:"email_address"`
	Address      *addressOut `json:"address"`
}

func userOf(u transfer.User) userOut {
	out := userOut{LegalName: u.LegalName, PhoneNumber: httpapi.OptString(u.PhoneNumber), EmailAddress: httpapi.OptString(u.EmailAddress)}
	if a := u.Address; a != nil {
		out.Address = &addressOut{httpapi.OptString(a.Street), httpapi.OptString(a.City), httpapi.OptString(a.Region),
			httpapi.OptString(a.PostalCode), httpapi.OptString(a.Country)}
	}
	return out
}

type authorizeRequest struct {
	httpapi.Credentials
	AccessToken     string  `json:"access_token"`
	AccountID       string  `json:"account_id"`
	Type            string  `json:"type"`
	Network         string  `json:"network"`
	Amount          string  `json:"amount"`
	ACHClass        string  `json:"ach_class"`
	User            userIn  `json:"user"`
	ISOCurrencyCode string  `json:"iso_currency_code"`
	IdempotencyKey  *string `json:"idempotency_key"`
	TestClockID     *string `json:"test_clock_id"`
}

type riskOut struct {
	BankScore     *int     `json:"bank_initiated_return_score"`
	CustomerScore *int     `json:"customer_initiated_return_score"`
	RiskLevel     *string  `json:"risk_level"`
	Warnings      []string `json:"warnings"`
}

type proposedOut struct {
	ACHClass             string  `json:"ach_class,omitempty"`
	AccountID            string  `json:"account_id"`
	FundingAccountID     *string `json:"funding_account_id"`
	LedgerID             *string `json:"ledger_id"`
	Type                 string  `json:"type"`
	User                 userOut `json:"user"`
	Amount               string  `json:"amount"`
	Network              string  `json:"network"`
	OriginationAccountID string  `json:"origination_account_id"`
	ISOCurrencyCode      string  `json:"iso_currency_code"`
	OriginatorClientID   *string `json:"originator_client_id"`
	CreditFundsSource    *string `json:"credit_funds_source"`
}

type authorizationOut struct {
	ID                         string              `json:"id"`
	Created                    string              `json:"created"`
	Decision                   string              `json:"decision"`
	DecisionRationale          *transfer.Rationale `json:"decision_rationale"`
	GuaranteeDecision          *string             `json:"guarantee_decision"`
	GuaranteeDecisionRationale *struct{}           `json:"guarantee_decision_rationale"`
	PaymentRisk                *riskOut            `json:"payment_risk"`
	ProposedTransfer           proposedOut         `json:"proposed_transfer"`
}

type authorizeResponse struct {
	Authorization authorizationOut `json:"authorization"`
	RequestID     string           `json:"request_id"`
}

func (s *API) authorize(ctx context.Context, c *httpapi.Call, req *authorizeRequest) (authorizeResponse, *plaid.Error) {
	a, e := s.tr.Authorize(ctx, c.Tenant, transfer.Proposal{AccessToken: req.AccessToken, AccountID: req.AccountID, Type: req.Type,
		Network: req.Network, Amount: req.Amount, ACHClass: req.ACHClass, Currency: req.ISOCurrencyCode, User: req.User.user(),
		IdempotencyKey: str(req.IdempotencyKey), TestClockID: str(req.TestClockID)})
	if e != nil {
		return authorizeResponse{}, e
	}
	out := authorizationOut{ID: a.ID, Created: plaid.Time(a.Created), Decision: a.Decision, DecisionRationale: a.Rationale,
		ProposedTransfer: proposedOut{ACHClass: a.ACHClass, AccountID: a.AccountID, Type: a.Type, User: userOf(a.User), Amount: a.Amount.String(),
			Network: a.Network, ISOCurrencyCode: a.Currency}}
	if r := a.Risk; r != nil {
		out.PaymentRisk = &riskOut{BankScore: &r.BankScore, CustomerScore: &r.CustomerScore, RiskLevel: &r.Level, Warnings: []string{}}
	}
	return authorizeResponse{Authorization: out, RequestID: c.RequestID}, nil
}

type authorizationIDRequest struct {
	httpapi.Credentials
	AuthorizationID string `json:"authorization_id"`
}

func (s *API) cancelAuthorization(ctx context.Context, c *httpapi.Call, req *authorizationIDRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := s.tr.CancelAuthorization(ctx, c.Tenant, req.AuthorizationID); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

type failureOut struct {
	FailureCode   *string `json:"failure_code"`
	ACHReturnCode *string `json:"ach_return_code"`
	Description   string  `json:"description"`
}

func failureOf(f *transfer.Failure) *failureOut {
	if f == nil {
		return nil
	}
	return &failureOut{FailureCode: httpapi.OptString(f.FailureCode), ACHReturnCode: httpapi.OptString(f.ACHReturnCode), Description: f.Description}
}

type transferOut struct {
	ID                         string            `json:"id"`
	AuthorizationID            string            `json:"authorization_id"`
	ACHClass                   string            `json:"ach_class,omitempty"`
	AccountID                  string            `json:"account_id"`
	FundingAccountID           *string           `json:"funding_account_id"`
	LedgerID                   *string           `json:"ledger_id"`
	Type                       string            `json:"type"`
	User                       userOut           `json:"user"`
	Amount                     string            `json:"amount"`
	Description                string            `json:"description"`
	Created                    string            `json:"created"`
	Status                     string            `json:"status"`
	SweepStatus                *string           `json:"sweep_status"`
	Network                    string            `json:"network"`
	Cancellable                bool              `json:"cancellable"`
	FailureReason              *failureOut       `json:"failure_reason"`
	Metadata                   map[string]string `json:"metadata"`
	OriginationAccountID       string            `json:"origination_account_id"`
	GuaranteeDecision          *string           `json:"guarantee_decision"`
	GuaranteeDecisionRationale *struct{}         `json:"guarantee_decision_rationale"`
	ISOCurrencyCode            string            `json:"iso_currency_code"`
	StandardReturnWindow       *string           `json:"standard_return_window"`
	UnauthorizedReturnWindow   *string           `json:"unauthorized_return_window"`
	ExpectedSettlementDate     *string           `json:"expected_settlement_date"`
	OriginatorClientID         *string           `json:"originator_client_id"`
	Refunds                    []struct{}        `json:"refunds"`
	RecurringTransferID        *string           `json:"recurring_transfer_id"`
	CreditFundsSource          *string           `json:"credit_funds_source"`
}

func transferOf(t transfer.Transfer) transferOut {
	return transferOut{ID: t.ID, AuthorizationID: t.AuthorizationID, ACHClass: t.ACHClass, AccountID: t.AccountID, Type: t.Type,
		User: userOf(t.User), Amount: t.Amount.String(), Description: t.Description, Created: plaid.Time(t.Created), Status: t.Status,
		SweepStatus: httpapi.OptString(t.SweepStatus), Network: t.Network, Cancellable: t.Cancellable(), FailureReason: failureOf(t.Failure),
		Metadata: t.Metadata, ISOCurrencyCode: t.Currency, Refunds: []struct{}{}}
}

type transferResponse struct {
	Transfer  transferOut `json:"transfer"`
	RequestID string      `json:"request_id"`
}

type createRequest struct {
	httpapi.Credentials
	IdempotencyKey  string            `json:"idempotency_key"`
	AccessToken     string            `json:"access_token"`
	AccountID       string            `json:"account_id"`
	AuthorizationID string            `json:"authorization_id"`
	Type            string            `json:"type"`
	Network         string            `json:"network"`
	Amount          string            `json:"amount"`
	Description     string            `json:"description"`
	Metadata        map[string]string `json:"metadata"`
	TestClockID     *string           `json:"test_clock_id"`
}

func (s *API) create(ctx context.Context, c *httpapi.Call, req *createRequest) (transferResponse, *plaid.Error) {
	t, e := s.tr.Create(ctx, c.Tenant, transfer.Order{AccessToken: req.AccessToken, AccountID: req.AccountID, AuthorizationID: req.AuthorizationID,
		IdempotencyKey: req.IdempotencyKey, Type: req.Type, Network: req.Network, Amount: req.Amount, Description: req.Description,
		Metadata: req.Metadata, TestClockID: str(req.TestClockID)})
	if e != nil {
		return transferResponse{}, e
	}
	return transferResponse{Transfer: transferOf(t), RequestID: c.RequestID}, nil
}

type getRequest struct {
	httpapi.Credentials
	TransferID      string `json:"transfer_id"`
	AuthorizationID string `json:"authorization_id"`
}

func (s *API) get(ctx context.Context, c *httpapi.Call, req *getRequest) (transferResponse, *plaid.Error) {
	var t transfer.Transfer
	var e *plaid.Error
	switch {
	case req.TransferID != "":
		t, e = s.tr.Get(ctx, c.Tenant, req.TransferID)
	case req.AuthorizationID != "":
		t, e = s.tr.GetByAuthorization(ctx, c.Tenant, req.AuthorizationID)
	default:
		e = plaid.MissingFields("transfer_id")
	}
	if e != nil {
		return transferResponse{}, e
	}
	return transferResponse{Transfer: transferOf(t), RequestID: c.RequestID}, nil
}

type listRequest struct {
	httpapi.Credentials
	StartDate            *string `json:"start_date"`
	EndDate              *string `json:"end_date"`
	Count                *int    `json:"count"`
	Offset               *int    `json:"offset"`
	OriginationAccountID *string `json:"origination_account_id"`
	OriginatorClientID   *string `json:"originator_client_id"`
	FundingAccountID     *string `json:"funding_account_id"`
}

type listResponse struct {
	Transfers []transferOut `json:"transfers"`
	RequestID string        `json:"request_id"`
}

func (s *API) list(ctx context.Context, c *httpapi.Call, req *listRequest) (listResponse, *plaid.Error) {
	p, e := page("start_date", req.StartDate, req.EndDate, req.Count, req.Offset)
	if e != nil {
		return listResponse{}, e
	}
	p.None = set(req.OriginationAccountID) || set(req.OriginatorClientID) || set(req.FundingAccountID)
	ts, e := s.tr.List(ctx, c.Tenant, p)
	if e != nil {
		return listResponse{}, e
	}
	out := listResponse{Transfers: []transferOut{}, RequestID: c.RequestID}
	for _, t := range ts {
		out.Transfers = append(out.Transfers, transferOf(t))
	}
	return out, nil
}

type cancelRequest struct {
	httpapi.Credentials
	TransferID string `json:"transfer_id"`
}

func (s *API) cancel(ctx context.Context, c *httpapi.Call, req *cancelRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := s.tr.Cancel(ctx, c.Tenant, req.TransferID); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}
