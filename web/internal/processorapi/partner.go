package processorapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/processor"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/web/internal/httpapi"
	"github.com/linkharness/linkharness/web/internal/plaidapi"
)

// The partner's endpoints: the processor token's one account.

// accountOut is the token's account, its balances in its Item's currency.
func accountOut(tok processor.Token) plaidapi.Account {
	return plaidapi.AccountOut(tok.Account, service.Currency(tok.Item))
}

type accountGetResponse struct {
	Account       plaidapi.Account `json:"account"`
	InstitutionID string           `json:"institution_id"`
	RequestID     string           `json:"request_id"`
}

func (s *API) accountGet(ctx context.Context, c *httpapi.Call, req *tokenRequest) (accountGetResponse, *plaid.Error) {
	tok, e := s.Processor.Account(ctx, c.Tenant, req.ProcessorToken)
	if e != nil {
		return accountGetResponse{}, e
	}
	return accountGetResponse{Account: accountOut(tok), InstitutionID: tok.Item.InstitutionID, RequestID: c.RequestID}, nil
}

type balanceGetResponse struct {
	Account   plaidapi.Account `json:"account"`
	RequestID string           `json:"request_id"`
}

func (s *API) balanceGet(ctx context.Context, c *httpapi.Call, req *tokenRequest) (balanceGetResponse, *plaid.Error) {
	tok, e := s.Processor.Balance(ctx, c.Tenant, req.ProcessorToken)
	if e != nil {
		return balanceGetResponse{}, e
	}
	return balanceGetResponse{Account: accountOut(tok), RequestID: c.RequestID}, nil
}

// numbers are one account's numbers: in each scheme one or null.
type numbers struct {
	ACH           *plaidapi.ACHNumbers           `json:"ach"`
	EFT           *plaidapi.EFTNumbers           `json:"eft"`
	International *plaidapi.InternationalNumbers `json:"international"`
	BACS          *plaidapi.BACSNumbers          `json:"bacs"`
}

// first is the first of s, or nil.
func first[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}

type authGetResponse struct {
	RequestID string           `json:"request_id"`
	Numbers   numbers          `json:"numbers"`
	Account   plaidapi.Account `json:"account"`
}

func (s *API) authGet(ctx context.Context, c *httpapi.Call, req *tokenRequest) (authGetResponse, *plaid.Error) {
	tok, n, e := s.Processor.Auth(ctx, c.Tenant, req.ProcessorToken)
	if e != nil {
		return authGetResponse{}, e
	}
	all := plaidapi.NumbersOut(n)
	return authGetResponse{RequestID: c.RequestID, Account: accountOut(tok), Numbers: numbers{
		ACH: first(all.ACH), EFT: first(all.EFT), International: first(all.International), BACS: first(all.BACS)}}, nil
}

type identityGetResponse struct {
	Account   plaidapi.IdentityAccount `json:"account"`
	RequestID string                   `json:"request_id"`
}

func (s *API) identityGet(ctx context.Context, c *httpapi.Call, req *tokenRequest) (identityGetResponse, *plaid.Error) {
	tok, owners, e := s.Processor.Identity(ctx, c.Tenant, req.ProcessorToken)
	if e != nil {
		return identityGetResponse{}, e
	}
	return identityGetResponse{Account: plaidapi.IdentityAccountOut(tok.Account, owners, service.Currency(tok.Item)), RequestID: c.RequestID}, nil
}

// transactionsSyncRequest is /processor/transactions/sync's body.
type transactionsSyncRequest struct {
	httpapi.Credentials
	ProcessorToken string `json:"processor_token"`
	Cursor         string `json:"cursor"`
	Count          int    `json:"count"`
}

type transactionsSyncResponse struct {
	TransactionsUpdateStatus string                 `json:"transactions_update_status"`
	Account                  plaidapi.Account       `json:"account"`
	Added                    []plaidapi.Transaction `json:"added"`
	Modified                 []plaidapi.Transaction `json:"modified"`
	Removed                  []any                  `json:"removed"`
	NextCursor               string                 `json:"next_cursor"`
	HasMore                  bool                   `json:"has_more"`
	RequestID                string                 `json:"request_id"`
}

func (s *API) transactionsSync(ctx context.Context, c *httpapi.Call, req *transactionsSyncRequest) (transactionsSyncResponse, *plaid.Error) {
	tok, u, e := s.Processor.TransactionsSync(ctx, c.Tenant, req.ProcessorToken, req.Cursor, req.Count)
	if e != nil {
		return transactionsSyncResponse{}, e
	}
	return transactionsSyncResponse{TransactionsUpdateStatus: "HISTORICAL_UPDATE_COMPLETE", Account: accountOut(tok),
		Added: plaidapi.TransactionsOut(u.Added), Modified: []plaidapi.Transaction{}, Removed: []any{},
		NextCursor: u.NextCursor, HasMore: u.HasMore, RequestID: c.RequestID}, nil
}
