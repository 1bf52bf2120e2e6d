// Package statementsapi is the HTTP side of Statements, which package
// statements serves: /statements/list, /statements/download (a PDF) and
// /statements/refresh.
package statementsapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/statements"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// API is the endpoints' handlers.
type API struct {
	httpapi.Deps
	statements *statements.Service
}

// New returns the handlers over d and st.
func New(d httpapi.Deps, st *statements.Service) *API { return &API{Deps: d, statements: st} }

// Routes are the endpoints, in the route table's order.
func (s *API) Routes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: statements.ListEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.list),
			Doc: "the monthly statements of the Item's depository accounts: the last three complete months on the emulator clock, and those a refresh fetched"},
		{Method: "POST", Path: statements.DownloadEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.download),
			Doc: "a statement as a PDF: the account, the period and its transactions"},
		{Method: "POST", Path: statements.RefreshEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.refresh),
			Doc: "fetches the statements of the months from start_date to end_date (up to two years back); sends STATEMENTS_REFRESH_COMPLETE"},
	}
}

type listResponse struct {
	Accounts        []account `json:"accounts"`
	InstitutionID   string    `json:"institution_id"`
	InstitutionName string    `json:"institution_name"`
	ItemID          string    `json:"item_id"`
	RequestID       string    `json:"request_id"`
}

type account struct {
	AccountID           string      `json:"account_id"`
	AccountMask         string      `json:"account_mask"`
	AccountName         string      `json:"account_name"`
	AccountOfficialName string      `json:"account_official_name"`
	AccountSubtype      string      `json:"account_subtype"`
	AccountType         string      `json:"account_type"`
	Statements          []statement `json:"statements"`
}

type statement struct {
	StatementID string `json:"statement_id"`
	DatePosted  string `json:"date_posted"`
	Month       int    `json:"month"`
	Year        int    `json:"year"`
}

func (s *API) list(ctx context.Context, c *httpapi.Call, req *httpapi.AccessTokenRequest) (listResponse, *plaid.Error) {
	l, e := s.statements.List(ctx, c.Tenant, req.AccessToken)
	if e != nil {
		return listResponse{}, e
	}
	out := listResponse{Accounts: []account{}, InstitutionID: l.Item.InstitutionID, InstitutionName: l.InstitutionName, ItemID: l.Item.ID, RequestID: c.RequestID}
	for _, a := range l.Accounts {
		acc := account{AccountID: a.Account.ID, AccountMask: a.Account.Mask, AccountName: a.Account.Name, AccountOfficialName: a.OfficialName,
			AccountSubtype: a.Account.Subtype, AccountType: a.Account.Type, Statements: []statement{}}
		for _, st := range a.Statements {
			acc.Statements = append(acc.Statements, statement{StatementID: st.ID, DatePosted: plaid.Date(st.Posted), Month: st.Month, Year: st.Year})
		}
		out.Accounts = append(out.Accounts, acc)
	}
	return out, nil
}

type downloadRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	StatementID string `json:"statement_id"`
}

// pdfFile is a PDF answer.
type pdfFile []byte

func (f pdfFile) Raw() (string, []byte) { return "application/pdf", f }

func (s *API) download(ctx context.Context, c *httpapi.Call, req *downloadRequest) (pdfFile, *plaid.Error) {
	b, e := s.statements.Download(ctx, c.Tenant, req.AccessToken, req.StatementID)
	if e != nil {
		return nil, e
	}
	return pdfFile(b), nil
}

type refreshRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	StartDate   string `json:"start_date"`
	EndDate     string `json:"end_date"`
}

func (s *API) refresh(ctx context.Context, c *httpapi.Call, req *refreshRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := s.statements.Refresh(ctx, c.Tenant, req.AccessToken, req.StartDate, req.EndDate); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}
