package plaidapi

import (
	"context"
	"encoding/json"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// transactionsSyncRequest is /transactions/sync's body.
type transactionsSyncRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	Cursor      string `json:"cursor"`
	Count       int    `json:"count"`
}

type transactionsSyncResponse struct {
	Added                    []transactionJSON `json:"added"`
	Modified                 []transactionJSON `json:"modified"`
	Removed                  []any             `json:"removed"`
	NextCursor               string            `json:"next_cursor"`
	HasMore                  bool              `json:"has_more"`
	Accounts                 []accountJSON     `json:"accounts"`
	TransactionsUpdateStatus string            `json:"transactions_update_status"`
	RequestID                string            `json:"request_id"`
}

// transactionsSync pages through the Item's transactions, oldest first.
func (s *API) transactionsSync(ctx context.Context, c *httpapi.Call, req *transactionsSyncRequest) (transactionsSyncResponse, *plaid.Error) {
	u, e := s.Svc.TransactionsSync(ctx, c.Tenant, req.AccessToken, req.Cursor, req.Count)
	if e != nil {
		return transactionsSyncResponse{}, e
	}
	return transactionsSyncResponse{Added: transactionsOut(u.Added), Modified: []transactionJSON{}, Removed: []any{},
		NextCursor: u.NextCursor, HasMore: u.HasMore, Accounts: accountsOut(u.Item, u.Item.Accounts),
		TransactionsUpdateStatus: "HISTORICAL_UPDATE_COMPLETE", RequestID: c.RequestID}, nil
}

// pageOptions are the paging options of the date-range endpoints.
type pageOptions struct {
	AccountIDs []string `json:"account_ids"`
	Count      int      `json:"count"`
	Offset     int      `json:"offset"`
}

// rangeQuery is the service's query for a date range and its options.
func rangeQuery(start, end string, o *pageOptions) service.RangeQuery {
	q := service.RangeQuery{StartDate: start, EndDate: end}
	if o != nil {
		q.AccountIDs, q.Count, q.Offset = o.AccountIDs, o.Count, o.Offset
	}
	return q
}

// transactionsGetRequest is /transactions/get's body.
type transactionsGetRequest struct {
	httpapi.Credentials
	AccessToken string       `json:"access_token"`
	StartDate   string       `json:"start_date"`
	EndDate     string       `json:"end_date"`
	Options     *pageOptions `json:"options"`
}

type transactionsGetResponse struct {
	Accounts          []accountJSON     `json:"accounts"`
	Transactions      []transactionJSON `json:"transactions"`
	TotalTransactions int               `json:"total_transactions"`
	Item              itemJSON          `json:"item"`
	RequestID         string            `json:"request_id"`
}

// transactionsGet returns a page of the Item's transactions between two
// dates, newest first.
func (s *API) transactionsGet(ctx context.Context, c *httpapi.Call, req *transactionsGetRequest) (transactionsGetResponse, *plaid.Error) {
	p, e := s.Svc.TransactionsGet(ctx, c.Tenant, req.AccessToken, rangeQuery(req.StartDate, req.EndDate, req.Options))
	if e != nil {
		return transactionsGetResponse{}, e
	}
	return transactionsGetResponse{Accounts: accountsOut(p.Item, p.Accounts), Transactions: transactionsOut(p.Transactions),
		TotalTransactions: p.Total, Item: itemOut(p.Item), RequestID: c.RequestID}, nil
}

// transactionJSON is a transaction as /transactions/get and
// /transactions/sync show it.
type transactionJSON struct {
	TransactionID          string          `json:"transaction_id"`
	AccountID              string          `json:"account_id"`
	Amount                 float64         `json:"amount"`
	IsoCurrencyCode        *string         `json:"iso_currency_code"`
	UnofficialCurrencyCode *string         `json:"unofficial_currency_code"`
	Category               []string        `json:"category"`
	CategoryID             *string         `json:"category_id"`
	CheckNumber            *string         `json:"check_number"`
	Date                   string          `json:"date"`
	AuthorizedDate         *string         `json:"authorized_date"`
	AuthorizedDatetime     *string         `json:"authorized_datetime"`
	Datetime               *string         `json:"datetime"`
	Location               map[string]any  `json:"location"`
	PaymentMeta            map[string]any  `json:"payment_meta"`
	Name                   string          `json:"name"`
	MerchantName           *string         `json:"merchant_name"`
	PaymentChannel         string          `json:"payment_channel"`
	Pending                bool            `json:"pending"`
	PendingTransactionID   *string         `json:"pending_transaction_id"`
	AccountOwner           *string         `json:"account_owner"`
	TransactionType        string          `json:"transaction_type"`
	TransactionCode        *string         `json:"transaction_code"`
	PersonalFinance        json.RawMessage `json:"personal_finance_category"`
}

// The fields of a transaction's location and payment_meta, all null in
// the sandbox.
var (
	locationFields    = []string{"address", "city", "region", "postal_code", "country", "lat", "lon", "store_number"}
	paymentMetaFields = []string{"reference_number", "ppd_id", "payee", "by_order_of", "payer", "payment_method", "payment_processor", "reason"}
)

// nulls is an object of the fields, all null.
func nulls(fields []string) map[string]any {
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		out[f] = nil
	}
	return out
}

func transactionOut(t sandboxdata.Transaction) transactionJSON {
	return transactionJSON{
		TransactionID: t.ID, AccountID: t.AccountID, Amount: t.Amount, IsoCurrencyCode: httpapi.OptString(t.Currency),
		Category: httpapi.NonNil(t.Category), CategoryID: httpapi.OptString(t.CategoryID), Date: t.Date, AuthorizedDate: httpapi.OptString(t.AuthorizedDate),
		Location: nulls(locationFields), PaymentMeta: nulls(paymentMetaFields), Name: t.Name, MerchantName: httpapi.OptString(t.MerchantName),
		PaymentChannel: t.PaymentChannel, Pending: t.Pending, TransactionType: t.Type, PersonalFinance: json.RawMessage("null"),
	}
}

// transactionsOut shows transactions; never nil.
func transactionsOut(ts []sandboxdata.Transaction) []transactionJSON {
	out := []transactionJSON{}
	for _, t := range ts {
		out = append(out, transactionOut(t))
	}
	return out
}
