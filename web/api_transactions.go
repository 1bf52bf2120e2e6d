package web

import (
	"context"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
)

// transactionsSyncRequest is /transactions/sync's body.
type transactionsSyncRequest struct {
	credentials
	AccessToken string `json:"access_token"`
	Cursor      string `json:"cursor"`
	Count       int    `json:"count"`
}

type transactionsSyncResponse struct {
	Added                    []sandboxTransaction `json:"added"`
	Modified                 []sandboxTransaction `json:"modified"`
	Removed                  []any                `json:"removed"`
	NextCursor               string               `json:"next_cursor"`
	HasMore                  bool                 `json:"has_more"`
	Accounts                 []accountJSON        `json:"accounts"`
	TransactionsUpdateStatus string               `json:"transactions_update_status"`
	RequestID                string               `json:"request_id"`
}

// transactionsSync pages through the Item's transactions (count at a
// time, 100 by default, 500 at most); a sandbox Item has all its history
// at once and nothing changes later, so the last cursor gives nothing new.
func (s *Server) transactionsSync(ctx context.Context, c *call, req *transactionsSyncRequest) (transactionsSyncResponse, *plaid.Error) {
	it, e := s.svc.UseProduct(ctx, c.tenant(), req.AccessToken, "transactions", "/transactions/sync")
	if e != nil {
		return transactionsSyncResponse{}, e
	}
	count := req.Count
	if count == 0 {
		count = 100
	}
	if count < 1 || count > 500 {
		return transactionsSyncResponse{}, plaid.InvalidField("count must be between 1 and 500")
	}
	from, ok := cursorPosition(it.ID, req.Cursor)
	all := sandboxTransactions(it)
	if !ok || from > len(all) {
		return transactionsSyncResponse{}, plaid.InvalidField("cursor is not a cursor of this Item's /transactions/sync")
	}
	// Oldest first, as a sync feed adds them.
	slices.Reverse(all)
	to := min(from+count, len(all))
	return transactionsSyncResponse{Added: nonNil(all[from:to]), Modified: []sandboxTransaction{}, Removed: []any{},
		NextCursor: opaqueCursor(it.ID, to), HasMore: to < len(all), Accounts: accountsOut(it.Accounts),
		TransactionsUpdateStatus: "HISTORICAL_UPDATE_COMPLETE", RequestID: c.requestID}, nil
}

// pageOptions are the paging options of the date-range endpoints.
type pageOptions struct {
	AccountIDs []string `json:"account_ids"`
	Count      int      `json:"count"`
	Offset     int      `json:"offset"`
}

// resolve returns the page the options ask for: count (100 by default, 500
// at most) from offset, of the given accounts (all when none).
func (o *pageOptions) resolve() (count, offset int, accountIDs []string, e *plaid.Error) {
	count = 100
	if o != nil {
		if o.Count != 0 {
			count = o.Count
		}
		offset, accountIDs = o.Offset, o.AccountIDs
	}
	if count < 1 || count > 500 || offset < 0 {
		return 0, 0, nil, plaid.InvalidField("options.count must be between 1 and 500 and options.offset not negative")
	}
	return count, offset, accountIDs, nil
}

// transactionsGetRequest is /transactions/get's body.
type transactionsGetRequest struct {
	credentials
	AccessToken string       `json:"access_token"`
	StartDate   string       `json:"start_date"`
	EndDate     string       `json:"end_date"`
	Options     *pageOptions `json:"options"`
}

type transactionsGetResponse struct {
	Accounts          []accountJSON        `json:"accounts"`
	Transactions      []sandboxTransaction `json:"transactions"`
	TotalTransactions int                  `json:"total_transactions"`
	Item              itemJSON             `json:"item"`
	RequestID         string               `json:"request_id"`
}

// dateRange checks start_date and end_date (YYYY-MM-DD, start not after
// end).
func dateRange(start, end string) *plaid.Error {
	if e := plaid.Required("start_date", start, "end_date", end); e != nil {
		return e
	}
	s, err1 := time.Parse(time.DateOnly, start)
	t, err2 := time.Parse(time.DateOnly, end)
	if err1 != nil || err2 != nil {
		return plaid.InvalidField("start_date and end_date must be dates in the form YYYY-MM-DD")
	}
	if s.After(t) {
		return plaid.InvalidField("start_date must not be after end_date")
	}
	return nil
}

// transactionsGet returns the Item's transactions between two dates,
// newest first, count (100 by default, 500 at most) from offset.
func (s *Server) transactionsGet(ctx context.Context, c *call, req *transactionsGetRequest) (transactionsGetResponse, *plaid.Error) {
	if e := dateRange(req.StartDate, req.EndDate); e != nil {
		return transactionsGetResponse{}, e
	}
	count, offset, accountIDs, e := req.Options.resolve()
	if e != nil {
		return transactionsGetResponse{}, e
	}
	it, e := s.svc.UseProduct(ctx, c.tenant(), req.AccessToken, "transactions", "/transactions/get")
	if e != nil {
		return transactionsGetResponse{}, e
	}
	accounts, e := pickAccounts(it, accountIDs, nil)
	if e != nil {
		return transactionsGetResponse{}, e
	}
	var match []sandboxTransaction
	for _, t := range sandboxTransactions(it) {
		if t.Date >= req.StartDate && t.Date <= req.EndDate && (len(accountIDs) == 0 || slices.Contains(accountIDs, t.AccountID)) {
			match = append(match, t)
		}
	}
	page := []sandboxTransaction{}
	if offset < len(match) {
		page = match[offset:min(offset+count, len(match))]
	}
	return transactionsGetResponse{Accounts: accountsOut(accounts), Transactions: page, TotalTransactions: len(match),
		Item: itemOut(it), RequestID: c.requestID}, nil
}
