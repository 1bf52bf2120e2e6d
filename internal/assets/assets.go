// Package assets is the Plaid API's Assets operations (/asset_report/...):
// an Asset Report over some of the client's Items, its refresh, filter
// and removal, and audit copies of it. It works on package service's
// Items and commit path and keeps its records with package
// store/assetreports.
//
// Readiness is read from the emulator clock: a report is ready ReadyDelay
// of the client's emulator time after its creation, and /asset_report/get
// answers PRODUCT_NOT_READY until then. The ASSETS PRODUCT_READY (or
// ERROR) webhook is queued in the outbox with the report, due ReadyDelay
// later; moving the client's clock forward (ClockAdvanced) brings its due
// time forward by as much, so the webhook leaves when the report becomes
// ready whichever clock moved. A report is built at read time from its
// Items' data as it is then, cut to the days requested.
package assets

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/assetreports"
)

// ReadyDelay is how much emulator time a report takes to generate.
const ReadyDelay = 5 * time.Second

// FastDelay is how much emulator time the fast version of a report (the
// fast_assets add-on) takes: it is ready before the full one.
const FastDelay = time.Second

// MaxDaysRequested is the spec's limit of days_requested.
const MaxDaysRequested = 731

// Token prefixes.
const (
	reportPrefix    = "assets-sandbox-"
	auditCopyPrefix = "a-sandbox-"
)

// Service is the Assets operations over one service and its store.
type Service struct {
	svc     *service.Service
	st      *store.DB
	reports *assetreports.Reports
	// now is the server's clock, that of the outbox's due times.
	now func() time.Time
}

// New returns the operations of svc, whose store st is.
func New(svc *service.Service, st *store.DB) *Service {
	s := &Service{svc: svc, st: st, now: time.Now}
	if st != nil {
		s.reports = assetreports.New(st)
	}
	return s
}

// Options are what /asset_report/create and /refresh take besides the
// Items and days.
type Options struct {
	ClientReportID string
	Webhook        string
	// User is the options.user object as sent, nil for none.
	User json.RawMessage
	// Fast asks for the fast version of the report too (options.add_ons
	// with fast_assets, or include_fast_report).
	Fast bool
}

// record is a report's stored document.
type record struct {
	ID             string          `json:"id"`
	ItemIDs        []string        `json:"item_ids"`
	Exclude        []string        `json:"exclude,omitempty"`
	DaysRequested  int             `json:"days_requested"`
	ClientReportID string          `json:"client_report_id,omitempty"`
	Webhook        string          `json:"webhook,omitempty"`
	User           json.RawMessage `json:"user,omitempty"`
	// Fast tells a report with a fast version (Options.Fast).
	Fast bool `json:"fast,omitempty"`
	// CreatedAt and ReadyAt are on the client's emulator clock.
	CreatedAt time.Time `json:"created_at"`
	ReadyAt   time.Time `json:"ready_at"`
	// Failed is the error of a report that could not be generated.
	Failed *plaid.Error `json:"failed,omitempty"`
}

// failure is the error of a report that could not be generated, with
// its HTTP status, which its stored JSON leaves out.
func (r record) failure() *plaid.Error {
	f := *r.Failed
	f.Status = 400
	return &f
}

// auditCopy is an audit copy's stored document.
type auditCopy struct {
	ReportToken string `json:"report_token"`
	AuditorID   string `json:"auditor_id"`
}

// Created is a new report's token and ID.
type Created struct{ Token, ID string }

// Errors of the Assets endpoints (https://plaid.com/docs/errors/assets/).
func assetError(code, message string) *plaid.Error {
	return &plaid.Error{Status: 400, ErrorType: "ASSET_REPORT_ERROR", ErrorCode: code, ErrorMessage: message}
}

// ProductNotReady is /asset_report/get before the report is ready.
func ProductNotReady() *plaid.Error {
	return assetError("PRODUCT_NOT_READY", "the requested product is not yet ready. please provide a webhook or try the request again later")
}

func productNotEnabled() *plaid.Error {
	return assetError("PRODUCT_NOT_ENABLED", "one or more of the Items in the Asset Report was not initialized with the Assets product")
}

func dataUnavailable() *plaid.Error {
	return assetError("DATA_UNAVAILABLE", "one or more of the Items in the Asset Report has experienced an error")
}

// invalidToken is Plaid's error for an asset report or audit copy token
// that is malformed, unknown, another client's or removed.
func invalidToken(field string) *plaid.Error {
	return plaid.InvalidField("provided " + field + " is invalid, not found or removed")
}

// Create is /asset_report/create: a report over the tenant's Items of the
// access tokens, generated ReadyDelay later.
func (s *Service) Create(ctx context.Context, t service.Tenant, accessTokens []string, days int, o Options) (Created, *plaid.Error) {
	if len(accessTokens) == 0 {
		return Created{}, plaid.InvalidField("access_tokens must name at least one Item")
	}
	if days < 0 || days > MaxDaysRequested {
		return Created{}, plaid.InvalidField("days_requested must be from 0 to 731")
	}
	var items []store.Item
	for _, tok := range accessTokens {
		it, e := s.svc.ItemByAccessToken(ctx, t, tok)
		if e != nil {
			return Created{}, e
		}
		if !slices.Contains(it.Products, "assets") {
			return Created{}, productNotEnabled()
		}
		items = append(items, it)
	}
	return s.create(ctx, t, items, days, o)
}

func (s *Service) create(ctx context.Context, t service.Tenant, items []store.Item, days int, o Options) (Created, *plaid.Error) {
	r := record{ID: ids.NewUUID(), DaysRequested: days, ClientReportID: o.ClientReportID, Webhook: o.Webhook, User: o.User, Fast: o.Fast,
		CreatedAt: t.Now, ReadyAt: t.Now.Add(ReadyDelay)}
	for _, it := range items {
		r.ItemIDs = append(r.ItemIDs, it.ID)
		if plaid.ItemError(it.Error) != nil && r.Failed == nil {
			r.Failed = dataUnavailable()
		}
		if r.Failed == nil {
			// Billing, as for the Item's other products: a report bills
			// Assets on the Item the first time.
			if _, e := s.svc.UseProductOn(ctx, t, it, "assets", "/asset_report/create"); e != nil {
				return Created{}, e
			}
		}
	}
	return s.store(ctx, t, r)
}

func (s *Service) store(ctx context.Context, t service.Tenant, r record) (Created, *plaid.Error) {
	token := reportPrefix + ids.NewUUID()
	doc, _ := json.Marshal(r)
	var outbox []store.Webhook
	if r.Webhook != "" {
		h := plaid.Hook{Type: "ASSETS", Code: "PRODUCT_READY", Fields: map[string]any{"asset_report_id": r.ID, "report_type": "FULL"}}
		if r.Failed != nil {
			h = plaid.Hook{Type: "ASSETS", Code: "ERROR", Fields: map[string]any{"asset_report_id": r.ID, "error": r.Failed}}
		}
		wh := service.LinkWebhook(t.ClientID, "", r.Webhook, h)
		wh.NextAttemptAt = s.now().Add(ReadyDelay)
		if r.Fast && r.Failed == nil {
			fast := service.LinkWebhook(t.ClientID, "", r.Webhook, plaid.Hook{Type: "ASSETS", Code: "PRODUCT_READY",
				Fields: map[string]any{"asset_report_id": r.ID, "report_type": "FAST"}})
			fast.NextAttemptAt = s.now().Add(FastDelay)
			outbox = append(outbox, fast)
		}
		outbox = append(outbox, wh)
	}
	err := s.svc.Commit(func() error {
		return s.reports.Create(ctx, assetreports.Record{Token: token, ClientID: t.ClientID, Kind: assetreports.KindReport, Doc: doc, CreatedAt: t.Now}, outbox...)
	})
	if err != nil {
		return Created{}, service.StoreError(err)
	}
	return Created{Token: token, ID: r.ID}, nil
}

// ClockAdvanced is what moving the tenant's clock forward by d does to its
// reports: their pending webhooks are due d sooner.
func (s *Service) ClockAdvanced(ctx context.Context, clientID string, d time.Duration) error {
	return s.svc.Commit(func() error {
		_, err := s.reports.ShiftPendingWebhooks(ctx, clientID, "ASSETS", s.now(), d)
		return err
	})
}

// report is the tenant's live report of the token.
func (s *Service) report(ctx context.Context, t service.Tenant, token string) (record, *plaid.Error) {
	if !strings.HasPrefix(token, reportPrefix) {
		return record{}, invalidToken("asset_report_token")
	}
	rec, err := s.reports.Get(ctx, t.ClientID, token)
	if errors.Is(err, store.ErrNotFound) || err == nil && (rec.Removed || rec.Kind != assetreports.KindReport) {
		return record{}, invalidToken("asset_report_token")
	}
	if err != nil {
		return record{}, service.StoreError(err)
	}
	var r record
	if err := json.Unmarshal(rec.Doc, &r); err != nil {
		return record{}, service.StoreError(err)
	}
	return r, nil
}

// Report is a generated Asset Report.
type Report struct {
	ID, ClientReportID string
	DaysRequested      int
	User               json.RawMessage
	Generated          time.Time
	Items              []ReportItem
}

// ReportItem is an Item of a report, with the accounts the report keeps.
type ReportItem struct {
	Item            store.Item
	InstitutionName string
	Accounts        []ReportAccount
}

// ReportAccount is an account of a report: its transactions within the
// days requested, newest first, and its daily current balances from the
// generation date back.
type ReportAccount struct {
	Account            store.Account
	Currency           string
	Owners             []sandboxdata.Owner
	Transactions       []sandboxdata.Transaction
	HistoricalBalances []HistoricalBalance
	// DaysAvailable is how many days back its earliest transaction is.
	DaysAvailable int
}

// HistoricalBalance is an account's current balance at the end of a day.
type HistoricalBalance struct {
	Date    string
	Current float64
}

// Get is /asset_report/get (and /pdf/get): PRODUCT_NOT_READY until the
// report is ready, then the report.
func (s *Service) Get(ctx context.Context, t service.Tenant, token string) (Report, *plaid.Error) {
	r, e := s.report(ctx, t, token)
	if e != nil {
		return Report{}, e
	}
	return s.generate(ctx, t, r)
}

// GetFast is /asset_report/get with fast_report: the fast version of a
// report created with it (Options.Fast), ready FastDelay after its
// creation, which has the accounts' balances and owners but no
// transactions or historical balances.
func (s *Service) GetFast(ctx context.Context, t service.Tenant, token string) (Report, *plaid.Error) {
	r, e := s.report(ctx, t, token)
	if e != nil {
		return Report{}, e
	}
	if !r.Fast {
		return Report{}, plaid.InvalidField("fast_report is only for a report created with options.add_ons [\"fast_assets\"]")
	}
	fastAt := r.CreatedAt.Add(FastDelay)
	if t.Now.Before(fastAt) {
		return Report{}, ProductNotReady()
	}
	r.ReadyAt = fastAt
	full, e := s.generate(ctx, t, r)
	if e != nil {
		return Report{}, e
	}
	for i := range full.Items {
		for j := range full.Items[i].Accounts {
			a := &full.Items[i].Accounts[j]
			a.Transactions, a.HistoricalBalances = nil, nil
		}
	}
	return full, nil
}

func (s *Service) generate(ctx context.Context, t service.Tenant, r record) (Report, *plaid.Error) {
	if t.Now.Before(r.ReadyAt) {
		return Report{}, ProductNotReady()
	}
	if r.Failed != nil {
		return Report{}, r.failure()
	}
	out := Report{ID: r.ID, ClientReportID: r.ClientReportID, DaysRequested: r.DaysRequested, User: r.User, Generated: r.ReadyAt}
	for _, id := range r.ItemIDs {
		it, err := s.st.Item(ctx, t.ClientID, id)
		if errors.Is(err, store.ErrNotFound) {
			return Report{}, dataUnavailable()
		}
		if err != nil {
			return Report{}, service.StoreError(err)
		}
		txns, e := s.svc.ItemTransactions(ctx, it)
		if e != nil {
			return Report{}, e
		}
		in, _ := sandbox.InstitutionByID(it.InstitutionID)
		ri := ReportItem{Item: it, InstitutionName: in.Name}
		for _, a := range it.Accounts {
			if slices.Contains(r.Exclude, a.ID) {
				continue
			}
			ri.Accounts = append(ri.Accounts, account(it, a, txns, r.ReadyAt, r.DaysRequested))
		}
		out.Items = append(out.Items, ri)
	}
	return out, nil
}

// Within is the report cut to its last days days of history (as
// /asset_report/get's options.days_to_include asks): the transactions
// and historical balances of those days. A report keeps at most its
// days requested, so a larger days changes nothing.
func (r Report) Within(days int) Report {
	if days >= r.DaysRequested {
		return r
	}
	start := r.Generated.UTC().AddDate(0, 0, -days).Format(time.DateOnly)
	out := r
	out.Items = make([]ReportItem, len(r.Items))
	for i, it := range r.Items {
		out.Items[i] = it
		out.Items[i].Accounts = make([]ReportAccount, len(it.Accounts))
		for j, a := range it.Accounts {
			a.Transactions = slices.DeleteFunc(slices.Clone(a.Transactions), func(tr sandboxdata.Transaction) bool { return tr.Date < start })
			a.HistoricalBalances = a.HistoricalBalances[:min(days, len(a.HistoricalBalances))]
			out.Items[i].Accounts[j] = a
		}
	}
	return out
}

// account is the account of the Item as a report generated at shows it
// over days.
func account(it store.Item, a store.Account, all []sandboxdata.Transaction, at time.Time, days int) ReportAccount {
	currency := service.Currency(it)
	b := service.AccountBalances(a, currency)
	if b.Currency != "" {
		currency = b.Currency
	}
	ra := ReportAccount{Account: a, Currency: currency, Owners: sandboxdata.Owners(service.SandboxAccount(a))}
	start := at.UTC().AddDate(0, 0, -days).Format(time.DateOnly)
	var mine []sandboxdata.Transaction
	for _, tr := range all {
		if tr.AccountID != a.ID {
			continue
		}
		mine = append(mine, tr)
		if tr.Date >= start {
			ra.Transactions = append(ra.Transactions, tr)
		}
	}
	if len(mine) > 0 {
		earliest, err := time.Parse(time.DateOnly, mine[len(mine)-1].Date)
		if err == nil {
			ra.DaysAvailable = int(at.Sub(earliest).Hours() / 24)
		}
	}
	ra.HistoricalBalances = historical(b.Current, mine, at, days)
	return ra
}

// historical are the current balances at the end of each of days days
// before at, newest first: today's less what the transactions since then
// moved it (a positive amount is money out of the account).
func historical(current *float64, txns []sandboxdata.Transaction, at time.Time, days int) []HistoricalBalance {
	if current == nil {
		return nil
	}
	var out []HistoricalBalance
	bal := *current
	day := at.UTC()
	for i := 0; i < days; i++ {
		date := day.Format(time.DateOnly)
		out = append(out, HistoricalBalance{Date: date, Current: round(bal)})
		for _, tr := range txns {
			if tr.Date == date && !tr.Pending {
				bal += tr.Amount
			}
		}
		day = day.AddDate(0, 0, -1)
	}
	return out
}

func round(f float64) float64 {
	if f < 0 {
		return -float64(int64(-f*100+0.5)) / 100
	}
	return float64(int64(f*100+0.5)) / 100
}

// Refresh is /asset_report/refresh: a new report over the same Items,
// with days and options replacing the old report's where given.
func (s *Service) Refresh(ctx context.Context, t service.Tenant, token string, days *int, o Options) (Created, *plaid.Error) {
	r, e := s.report(ctx, t, token)
	if e != nil {
		return Created{}, e
	}
	if days != nil {
		if *days < 0 || *days > MaxDaysRequested {
			return Created{}, plaid.InvalidField("days_requested must be from 0 to 731")
		}
		r.DaysRequested = *days
	}
	if o.ClientReportID != "" {
		r.ClientReportID = o.ClientReportID
	}
	if o.Webhook != "" {
		r.Webhook = o.Webhook
	}
	if o.User != nil {
		r.User = o.User
	}
	var items []store.Item
	for _, id := range r.ItemIDs {
		it, err := s.st.Item(ctx, t.ClientID, id)
		if errors.Is(err, store.ErrNotFound) {
			return Created{}, plaid.ItemNotFound("an Item of the Asset Report was removed")
		}
		if err != nil {
			return Created{}, service.StoreError(err)
		}
		items = append(items, it)
	}
	return s.create(ctx, t, items, r.DaysRequested, Options{ClientReportID: r.ClientReportID, Webhook: r.Webhook, User: r.User, Fast: r.Fast})
}

// Filter is /asset_report/filter: a new report, ready at once, of the old
// one less the accounts to exclude.
func (s *Service) Filter(ctx context.Context, t service.Tenant, token string, exclude []string) (Created, *plaid.Error) {
	r, e := s.report(ctx, t, token)
	if e != nil {
		return Created{}, e
	}
	if t.Now.Before(r.ReadyAt) {
		return Created{}, ProductNotReady()
	}
	if r.Failed != nil {
		return Created{}, r.failure()
	}
	r.ID, r.Webhook, r.CreatedAt, r.ReadyAt = ids.NewUUID(), "", t.Now, t.Now
	r.Exclude = append(slices.Clone(r.Exclude), exclude...)
	return s.store(ctx, t, r)
}

// Remove is /asset_report/remove.
func (s *Service) Remove(ctx context.Context, t service.Tenant, token string) *plaid.Error {
	if _, e := s.report(ctx, t, token); e != nil {
		return e
	}
	return s.remove(ctx, t, token, "asset_report_token")
}

func (s *Service) remove(ctx context.Context, t service.Tenant, token, field string) *plaid.Error {
	ok, err := s.reports.Remove(ctx, t.ClientID, token, t.Now)
	if err != nil {
		return service.StoreError(err)
	}
	if !ok {
		return invalidToken(field)
	}
	return nil
}

// AuditCopyCreate is /asset_report/audit_copy/create: a token an auditor
// reads the report with.
func (s *Service) AuditCopyCreate(ctx context.Context, t service.Tenant, token, auditorID string) (string, *plaid.Error) {
	if _, e := s.report(ctx, t, token); e != nil {
		return "", e
	}
	copyToken := auditCopyPrefix + ids.NewUUID()
	doc, _ := json.Marshal(auditCopy{ReportToken: token, AuditorID: auditorID})
	err := s.reports.Create(ctx, assetreports.Record{Token: copyToken, ClientID: t.ClientID, Kind: assetreports.KindAuditCopy, Doc: doc, CreatedAt: t.Now})
	if err != nil {
		return "", service.StoreError(err)
	}
	return copyToken, nil
}

// auditCopy is the report of the tenant's live audit copy token.
func (s *Service) auditCopy(ctx context.Context, t service.Tenant, token string) (auditCopy, *plaid.Error) {
	rec, err := s.reports.Get(ctx, t.ClientID, token)
	if errors.Is(err, store.ErrNotFound) || err == nil && (rec.Removed || rec.Kind != assetreports.KindAuditCopy) {
		return auditCopy{}, invalidToken("audit_copy_token")
	}
	if err != nil {
		return auditCopy{}, service.StoreError(err)
	}
	var c auditCopy
	if err := json.Unmarshal(rec.Doc, &c); err != nil {
		return auditCopy{}, service.StoreError(err)
	}
	return c, nil
}

// AuditCopyGet is /asset_report/audit_copy/get: the report of the copy.
// The auditor reads it with the client's credentials here: the emulator
// has no auditors of its own.
func (s *Service) AuditCopyGet(ctx context.Context, t service.Tenant, token string) (Report, *plaid.Error) {
	c, e := s.auditCopy(ctx, t, token)
	if e != nil {
		return Report{}, e
	}
	return s.Get(ctx, t, c.ReportToken)
}

// AuditCopyRemove is /asset_report/audit_copy/remove.
func (s *Service) AuditCopyRemove(ctx context.Context, t service.Tenant, token string) *plaid.Error {
	if _, e := s.auditCopy(ctx, t, token); e != nil {
		return e
	}
	return s.remove(ctx, t, token, "audit_copy_token")
}
