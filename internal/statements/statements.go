// Package statements is Statements on package service's Items:
// /statements/list names the monthly statements of the Item's
// depository accounts, /statements/download writes one as a PDF with
// the account, the period and its transactions (package sandboxdata, with
// what the Item gained since), and /statements/refresh fetches those of
// a date range, which the list then includes, and sends STATEMENTS
// STATEMENTS_REFRESH_COMPLETE. A refresh is kept with what the Item
// gained (package store/itemadditions), its webhook queued with it.
package statements

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/itemadditions"
)

// Endpoints of Statements.
const (
	ListEndpoint     = "/statements/list"
	DownloadEndpoint = "/statements/download"
	RefreshEndpoint  = "/statements/refresh"
)

// Product is Statements' name in the product registry.
const Product = "statements"

// kindRefresh is the item_additions kind of a refresh: its range.
const kindRefresh = "statements_refresh"

// PostDays is how many days after a month ends its statement is
// posted: a month's statement exists from the third of the next month.
const PostDays = 2

// DefaultMonths are the complete months before the emulator clock's
// whose statements an Item has without a refresh.
const DefaultMonths = 3

// MaxMonths is how far back a refresh reaches: two years.
const MaxMonths = 24

// Service is Statements over one service and its store.
type Service struct {
	svc   *service.Service
	store *store.DB
	adds  *itemadditions.Additions
}

// New returns Statements on svc, whose store st is.
func New(svc *service.Service, st *store.DB) *Service {
	return &Service{svc: svc, store: st, adds: itemadditions.New(st)}
}

// Statement is one monthly statement of an account.
type Statement struct {
	ID          string
	Year, Month int
	// Posted is the day the bank issued it: the third after the month
	// (PostDays after its end).
	Posted time.Time
}

// Start and End are the first and last days of the statement's month.
func (s Statement) Start() time.Time {
	return time.Date(s.Year, time.Month(s.Month), 1, 0, 0, 0, 0, time.UTC)
}
func (s Statement) End() time.Time { return s.Start().AddDate(0, 1, -1) }

// Account is an account with its statements, oldest first.
type Account struct {
	Account      store.Account
	OfficialName string
	Statements   []Statement
}

// List is what /statements/list answers.
type List struct {
	Item            store.Item
	InstitutionName string
	Accounts        []Account
}

// Range is the dates of a refresh, inclusive (YYYY-MM-DD), as
// item_additions keeps it.
type Range struct {
	Start string `json:"start_date"`
	End   string `json:"end_date"`
}

// item is the Item of the access token, which must have Statements.
func (s *Service) item(ctx context.Context, t service.Tenant, accessToken, endpoint string) (store.Item, *plaid.Error) {
	return s.svc.UseProduct(ctx, t, accessToken, Product, endpoint)
}

// List is /statements/list: the Item's depository accounts, each with a
// statement for each of the DefaultMonths complete months before now and
// each complete month a refresh covered.
func (s *Service) List(ctx context.Context, t service.Tenant, accessToken string) (List, *plaid.Error) {
	it, e := s.item(ctx, t, accessToken, ListEndpoint)
	if e != nil {
		return List{}, e
	}
	return s.list(ctx, t, it)
}

func (s *Service) list(ctx context.Context, t service.Tenant, it store.Item) (List, *plaid.Error) {
	adds, err := s.adds.List(ctx, t.ClientID, it.ID)
	if err != nil {
		return List{}, service.StoreError(err)
	}
	var ranges []Range
	for _, a := range adds {
		var r Range
		if a.Kind == kindRefresh && json.Unmarshal(a.Doc, &r) == nil {
			ranges = append(ranges, r)
		}
	}
	months := Months(t.Now, ranges)
	in, _ := sandbox.InstitutionByID(it.InstitutionID)
	out := List{Item: it, InstitutionName: in.Name}
	for _, a := range it.Accounts {
		if a.Type != "depository" {
			continue
		}
		acc := Account{Account: a, OfficialName: service.AccountBalances(a, service.Currency(it)).OfficialName}
		if acc.OfficialName == "" {
			acc.OfficialName = a.Name
		}
		for _, m := range months {
			st := Statement{Year: m.Year(), Month: int(m.Month()), Posted: m.AddDate(0, 1, PostDays)}
			st.ID = statementID(it.ID, a.ID, st.Year, st.Month)
			acc.Statements = append(acc.Statements, st)
		}
		out.Accounts = append(out.Accounts, acc)
	}
	return out, nil
}

// Months are the first days of the months that have statements at now,
// oldest first: the DefaultMonths latest months whose statement is posted
// (PostDays after the month), and each such month (of the MaxMonths
// before, from 2010) that one of ranges (YYYY-MM-DD, inclusive) touches.
// A statement is never posted after now.
func Months(now time.Time, ranges []Range) []time.Time {
	posted := now.UTC().AddDate(0, 0, -PostDays)
	// current is the first month whose statement is not posted yet.
	current := time.Date(posted.Year(), posted.Month(), 1, 0, 0, 0, 0, time.UTC)
	oldest := current.AddDate(0, -MaxMonths, 0)
	set := map[time.Time]bool{}
	for i := 1; i <= DefaultMonths; i++ {
		set[current.AddDate(0, -i, 0)] = true
	}
	for _, r := range ranges {
		start, err1 := plaid.ParseDate(r.Start)
		end, err2 := plaid.ParseDate(r.End)
		if err1 != nil || err2 != nil {
			continue
		}
		for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(end) && m.Before(current); m = m.AddDate(0, 1, 0) {
			if !m.Before(oldest) && m.Year() >= 2010 {
				set[m] = true
			}
		}
	}
	var out []time.Time
	for m := range set {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// statementID is the ID of an account's statement of a month: the same
// on every call, and different for each Item, account and month.
func statementID(itemID, accountID string, year, month int) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%04d-%02d", itemID, accountID, year, month)
	return fmt.Sprintf("stmt_%016x", h.Sum64())
}

// Download is /statements/download: the statement as a PDF, with the
// account, its period and its posted transactions in the period.
func (s *Service) Download(ctx context.Context, t service.Tenant, accessToken, statementID string) ([]byte, *plaid.Error) {
	it, e := s.item(ctx, t, accessToken, DownloadEndpoint)
	if e != nil {
		return nil, e
	}
	l, e := s.list(ctx, t, it)
	if e != nil {
		return nil, e
	}
	for _, a := range l.Accounts {
		for _, st := range a.Statements {
			if st.ID != statementID {
				continue
			}
			all, e := s.svc.ItemTransactions(ctx, it)
			if e != nil {
				return nil, e
			}
			var txs []sandboxdata.Transaction
			from, to := plaid.Date(st.Start()), plaid.Date(st.End())
			for _, tx := range all {
				if tx.AccountID == a.Account.ID && !tx.Pending && tx.Date >= from && tx.Date <= to {
					txs = append(txs, tx)
				}
			}
			slices.SortStableFunc(txs, func(x, y sandboxdata.Transaction) int {
				if x.Date != y.Date {
					if x.Date < y.Date {
						return -1
					}
					return 1
				}
				return 0
			})
			return Render(Document{Institution: l.InstitutionName, Account: a, Statement: st,
				Currency: service.AccountBalances(a.Account, service.Currency(it)).Currency, Transactions: txs}), nil
		}
	}
	return nil, plaid.InvalidField("statement_id " + statementID + " is not a statement of this Item: list them with /statements/list")
}

// Refresh is /statements/refresh: the Item fetches the statements of the
// months from start to end (YYYY-MM-DD, at most two years back, not
// after today), which /statements/list then has, and its webhook gets
// STATEMENTS_REFRESH_COMPLETE.
func (s *Service) Refresh(ctx context.Context, t service.Tenant, accessToken, start, end string) *plaid.Error {
	from, err1 := plaid.ParseDate(start)
	to, err2 := plaid.ParseDate(end)
	today := t.Now.UTC().Truncate(24 * time.Hour)
	switch {
	case err1 != nil || err2 != nil:
		return plaid.InvalidField("start_date and end_date must be dates (YYYY-MM-DD)")
	case from.After(to):
		return plaid.InvalidField("start_date must not be after end_date")
	case to.After(today):
		return plaid.InvalidField("end_date must not be in the future")
	case from.Before(time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -MaxMonths, 0)):
		return plaid.InvalidField(fmt.Sprintf("start_date must be within the last %d months", MaxMonths))
	}
	it, e := s.item(ctx, t, accessToken, RefreshEndpoint)
	if e != nil {
		return e
	}
	doc, _ := json.Marshal(Range{Start: start, End: end})
	var outbox []store.Webhook
	if it.Webhook != "" {
		outbox = append(outbox, service.NewWebhook(it, it.Webhook, RefreshComplete()))
	}
	err := s.svc.Commit(func() error {
		return s.adds.Add(ctx, t.ClientID, it.ID, []itemadditions.Addition{{Kind: kindRefresh, Doc: doc, CreatedAt: t.Now}}, outbox...)
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return plaid.InvalidAccessToken()
	case err != nil:
		return service.StoreError(err)
	}
	return nil
}

// RefreshComplete is STATEMENTS STATEMENTS_REFRESH_COMPLETE of a refresh
// that succeeded.
func RefreshComplete() plaid.Hook {
	return plaid.Hook{Type: "STATEMENTS", Code: "STATEMENTS_REFRESH_COMPLETE", Fields: map[string]any{"result": "SUCCESS"}}
}
