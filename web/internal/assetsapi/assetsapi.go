// Package assetsapi is the HTTP side of Assets (/asset_report/...): it
// decodes requests into calls of package assets and answers in the spec's
// AssetReport shapes, the report's accounts as the Item's own endpoints
// show them (package plaidapi's), and its PDF from package pdf.
package assetsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/assets"
	"github.com/linkharness/linkharness/internal/pdf"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/web/internal/httpapi"
	"github.com/linkharness/linkharness/web/internal/plaidapi"
)

// API is the Assets endpoints' handlers.
type API struct {
	httpapi.Deps
	Assets *assets.Service
}

// New returns the handlers over d and a.
func New(d httpapi.Deps, a *assets.Service) *API { return &API{d, a} }

// Routes are the Assets endpoints.
func (s *API) Routes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: "/asset_report/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.create),
			Doc: "an Asset Report (`assets-sandbox-<uuid>`) over Items that have Assets; ready 5 s of emulator time later (`/linkharness/clock/advance` makes it ready at once), then ASSETS PRODUCT_READY to `options.webhook` (ERROR with DATA_UNAVAILABLE for an Item in an error state)"},
		{Method: "POST", Path: "/asset_report/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.get),
			Doc: "PRODUCT_NOT_READY until the report is ready, then its Items, accounts with balances, owners, daily historical balances and transactions within `days_requested` (or `options.days_to_include`), built from the Items' data; `include_insights` adds names, merchants and categories; `fast_report` reads the fast version (`options.add_ons` `[\"fast_assets\"]`), ready after 1 s, balances and owners only"},
		{Method: "POST", Path: "/asset_report/pdf/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.pdfGet),
			Doc: "the ready report as a PDF (`application/pdf`) listing its accounts and transactions"},
		{Method: "POST", Path: "/asset_report/refresh", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.refresh),
			Doc: "a new report over the same Items, with `days_requested` and options replacing the old report's where given; ready 5 s later"},
		{Method: "POST", Path: "/asset_report/filter", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.filter),
			Doc: "a new report, ready at once, of a ready report less `account_ids_to_exclude`"},
		{Method: "POST", Path: "/asset_report/remove", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.remove),
			Doc: "removes the report: its token then fails with INVALID_FIELD"},
		{Method: "POST", Path: "/asset_report/audit_copy/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.auditCopyCreate),
			Doc: "an audit copy token (`a-sandbox-<uuid>`) of the report"},
		{Method: "POST", Path: "/asset_report/audit_copy/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.auditCopyGet),
			Doc: "the audit copy's report, as `/asset_report/get` answers it (read with the client's own credentials)"},
		{Method: "POST", Path: "/asset_report/audit_copy/pdf/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.auditCopyPDFGet),
			Doc: "the audit copy's report as a PDF, as `/asset_report/pdf/get` answers it"},
		{Method: "POST", Path: "/asset_report/audit_copy/remove", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.auditCopyRemove),
			Doc: "removes the audit copy; the report stays"},
	}
}

type options struct {
	ClientReportID    string          `json:"client_report_id"`
	Webhook           string          `json:"webhook"`
	User              json.RawMessage `json:"user"`
	IncludeFastReport bool            `json:"include_fast_report"`
	AddOns            []string        `json:"add_ons"`
}

func (o *options) out() assets.Options {
	if o == nil {
		return assets.Options{}
	}
	return assets.Options{ClientReportID: o.ClientReportID, Webhook: o.Webhook, User: o.User,
		Fast: o.IncludeFastReport || slices.Contains(o.AddOns, "fast_assets")}
}

type createRequest struct {
	httpapi.Credentials
	AccessTokens  []string `json:"access_tokens"`
	DaysRequested int      `json:"days_requested"`
	Options       *options `json:"options"`
}

type createdResponse struct {
	AssetReportToken string `json:"asset_report_token"`
	AssetReportID    string `json:"asset_report_id"`
	RequestID        string `json:"request_id"`
}

func (s *API) create(ctx context.Context, c *httpapi.Call, req *createRequest) (createdResponse, *plaid.Error) {
	if req.Options != nil && req.Options.Webhook != "" {
		if e := httpapi.CheckURL("options.webhook", req.Options.Webhook); e != nil {
			return createdResponse{}, e
		}
	}
	r, e := s.Assets.Create(ctx, c.Tenant, req.AccessTokens, req.DaysRequested, req.Options.out())
	if e != nil {
		return createdResponse{}, e
	}
	return createdResponse{AssetReportToken: r.Token, AssetReportID: r.ID, RequestID: c.RequestID}, nil
}

type tokenRequest struct {
	httpapi.Credentials
	AssetReportToken string `json:"asset_report_token"`
}

type getRequest struct {
	httpapi.Credentials
	AssetReportToken string `json:"asset_report_token"`
	IncludeInsights  bool   `json:"include_insights"`
	FastReport       bool   `json:"fast_report"`
	Options          *struct {
		DaysToInclude *int `json:"days_to_include"`
	} `json:"options"`
}

type getResponse struct {
	Report    report `json:"report"`
	Warnings  []any  `json:"warnings"`
	RequestID string `json:"request_id"`
}

func (s *API) get(ctx context.Context, c *httpapi.Call, req *getRequest) (getResponse, *plaid.Error) {
	get := s.Assets.Get
	if req.FastReport {
		get = s.Assets.GetFast
	}
	r, e := get(ctx, c.Tenant, req.AssetReportToken)
	if e != nil {
		return getResponse{}, e
	}
	if req.Options != nil && req.Options.DaysToInclude != nil {
		r = r.Within(*req.Options.DaysToInclude)
	}
	return getResponse{Report: reportOut(r, req.IncludeInsights), Warnings: []any{}, RequestID: c.RequestID}, nil
}

// pdfDoc is a PDF answer.
type pdfDoc []byte

func (p pdfDoc) Raw() (string, []byte) { return "application/pdf", p }

func (s *API) pdfGet(ctx context.Context, c *httpapi.Call, req *tokenRequest) (pdfDoc, *plaid.Error) {
	r, e := s.Assets.Get(ctx, c.Tenant, req.AssetReportToken)
	if e != nil {
		return nil, e
	}
	return pdfDoc(PDF(r)), nil
}

// PDF is the report as a PDF document: its Items, their accounts with
// balances, and each account's transactions.
func PDF(r assets.Report) []byte {
	lines := []pdf.Line{{Text: "Asset Report " + r.ID, Heading: true},
		{Text: fmt.Sprintf("Generated %s, %d days requested", r.Generated.UTC().Format(time.RFC3339), r.DaysRequested)}}
	if r.ClientReportID != "" {
		lines = append(lines, pdf.Line{Text: "Client report ID: " + r.ClientReportID})
	}
	for _, it := range r.Items {
		lines = append(lines, pdf.Line{}, pdf.Line{Text: fmt.Sprintf("%s (Item %s)", it.InstitutionName, it.Item.ID), Heading: true})
		for _, a := range it.Accounts {
			out := plaidapi.AccountOut(a.Account, a.Currency)
			line := fmt.Sprintf("%s (%s %s, mask %s)", a.Account.Name, a.Account.Type, a.Account.Subtype, a.Account.Mask)
			if out.Balances.Current != nil {
				line += fmt.Sprintf(": current balance %.2f %s", *out.Balances.Current, a.Currency)
			}
			lines = append(lines, pdf.Line{}, pdf.Line{Text: line})
			if len(a.Transactions) == 0 {
				lines = append(lines, pdf.Line{Text: "    no transactions in the period"})
			}
			for _, tr := range a.Transactions {
				lines = append(lines, pdf.Line{Text: fmt.Sprintf("    %s  %-40s %10.2f %s", tr.Date, tr.Name, tr.Amount, tr.Currency)})
			}
		}
	}
	return pdf.Write("Asset Report "+r.ID, lines)
}

type refreshRequest struct {
	httpapi.Credentials
	AssetReportToken string   `json:"asset_report_token"`
	DaysRequested    *int     `json:"days_requested"`
	Options          *options `json:"options"`
}

func (s *API) refresh(ctx context.Context, c *httpapi.Call, req *refreshRequest) (createdResponse, *plaid.Error) {
	if req.Options != nil && req.Options.Webhook != "" {
		if e := httpapi.CheckURL("options.webhook", req.Options.Webhook); e != nil {
			return createdResponse{}, e
		}
	}
	r, e := s.Assets.Refresh(ctx, c.Tenant, req.AssetReportToken, req.DaysRequested, req.Options.out())
	if e != nil {
		return createdResponse{}, e
	}
	return createdResponse{AssetReportToken: r.Token, AssetReportID: r.ID, RequestID: c.RequestID}, nil
}

type filterRequest struct {
	httpapi.Credentials
	AssetReportToken    string   `json:"asset_report_token"`
	AccountIDsToExclude []string `json:"account_ids_to_exclude"`
}

func (s *API) filter(ctx context.Context, c *httpapi.Call, req *filterRequest) (createdResponse, *plaid.Error) {
	r, e := s.Assets.Filter(ctx, c.Tenant, req.AssetReportToken, req.AccountIDsToExclude)
	if e != nil {
		return createdResponse{}, e
	}
	return createdResponse{AssetReportToken: r.Token, AssetReportID: r.ID, RequestID: c.RequestID}, nil
}

type removedResponse struct {
	Removed   bool   `json:"removed"`
	RequestID string `json:"request_id"`
}

func (s *API) remove(ctx context.Context, c *httpapi.Call, req *tokenRequest) (removedResponse, *plaid.Error) {
	if e := s.Assets.Remove(ctx, c.Tenant, req.AssetReportToken); e != nil {
		return removedResponse{}, e
	}
	return removedResponse{Removed: true, RequestID: c.RequestID}, nil
}

type auditCopyCreateRequest struct {
	httpapi.Credentials
	AssetReportToken string `json:"asset_report_token"`
	AuditorID        string `json:"auditor_id"`
}

type auditCopyCreateResponse struct {
	AuditCopyToken string `json:"audit_copy_token"`
	RequestID      string `json:"request_id"`
}

func (s *API) auditCopyCreate(ctx context.Context, c *httpapi.Call, req *auditCopyCreateRequest) (auditCopyCreateResponse, *plaid.Error) {
	tok, e := s.Assets.AuditCopyCreate(ctx, c.Tenant, req.AssetReportToken, req.AuditorID)
	if e != nil {
		return auditCopyCreateResponse{}, e
	}
	return auditCopyCreateResponse{AuditCopyToken: tok, RequestID: c.RequestID}, nil
}

type auditCopyRequest struct {
	httpapi.Credentials
	AuditCopyToken string `json:"audit_copy_token"`
}

func (s *API) auditCopyGet(ctx context.Context, c *httpapi.Call, req *auditCopyRequest) (getResponse, *plaid.Error) {
	r, e := s.Assets.AuditCopyGet(ctx, c.Tenant, req.AuditCopyToken)
	if e != nil {
		return getResponse{}, e
	}
	return getResponse{Report: reportOut(r, false), Warnings: []any{}, RequestID: c.RequestID}, nil
}

func (s *API) auditCopyPDFGet(ctx context.Context, c *httpapi.Call, req *auditCopyRequest) (pdfDoc, *plaid.Error) {
	r, e := s.Assets.AuditCopyGet(ctx, c.Tenant, req.AuditCopyToken)
	if e != nil {
		return nil, e
	}
	return pdfDoc(PDF(r)), nil
}

func (s *API) auditCopyRemove(ctx context.Context, c *httpapi.Call, req *auditCopyRequest) (removedResponse, *plaid.Error) {
	if e := s.Assets.AuditCopyRemove(ctx, c.Tenant, req.AuditCopyToken); e != nil {
		return removedResponse{}, e
	}
	return removedResponse{Removed: true, RequestID: c.RequestID}, nil
}
