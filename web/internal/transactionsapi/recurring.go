package transactionsapi

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// transactionsRecurringGetRequest is /transactions/recurring/get's body:
// account_ids is at its top level, as Plaid's spec has it. Of its
// options, personal finance categories are returned by default and
// personal_finance_category_version has nothing to choose: the sandbox's
// transactions have none.
type transactionsRecurringGetRequest struct {
	httpapi.Credentials
	AccessToken string   `json:"access_token"`
	AccountIDs  []string `json:"account_ids"`
	Options     *struct {
		IncludePersonalFinanceCategory *bool  `json:"include_personal_finance_category"`
		PersonalFinanceCategoryVersion string `json:"personal_finance_category_version"`
	} `json:"options"`
}

type transactionsRecurringGetResponse struct {
	InflowStreams   []streamJSON `json:"inflow_streams"`
	OutflowStreams  []streamJSON `json:"outflow_streams"`
	UpdatedDatetime string       `json:"updated_datetime"`
	RequestID       string       `json:"request_id"`
}

// streamJSON is a recurring stream as Plaid shows it (TransactionStream).
// personal_finance_category is left out, as the streams' transactions
// have none; no stream is the user's.
type streamJSON struct {
	AccountID         string     `json:"account_id"`
	StreamID          string     `json:"stream_id"`
	Category          []string   `json:"category"`
	CategoryID        *string    `json:"category_id"`
	Description       string     `json:"description"`
	MerchantName      *string    `json:"merchant_name"`
	FirstDate         string     `json:"first_date"`
	LastDate          string     `json:"last_date"`
	PredictedNextDate *string    `json:"predicted_next_date"`
	Frequency         string     `json:"frequency"`
	TransactionIDs    []string   `json:"transaction_ids"`
	AverageAmount     amountJSON `json:"average_amount"`
	LastAmount        amountJSON `json:"last_amount"`
	IsActive          bool       `json:"is_active"`
	Status            string     `json:"status"`
	IsUserModified    bool       `json:"is_user_modified"`
}

// amountJSON is an amount of a stream, in its currency.
type amountJSON struct {
	Amount                 float64 `json:"amount"`
	IsoCurrencyCode        *string `json:"iso_currency_code"`
	UnofficialCurrencyCode *string `json:"unofficial_currency_code"`
}

// streamsOut shows streams; never nil.
func streamsOut(ss []sandboxdata.Stream) []streamJSON {
	out := []streamJSON{}
	for _, s := range ss {
		j := streamJSON{AccountID: s.AccountID, StreamID: s.ID, CategoryID: httpapi.OptString(s.CategoryID), Description: s.Description,
			MerchantName: httpapi.OptString(s.MerchantName), FirstDate: s.FirstDate, LastDate: s.LastDate,
			PredictedNextDate: httpapi.OptString(s.PredictedNextDate), Frequency: s.Frequency, TransactionIDs: httpapi.NonNil(s.TransactionIDs),
			AverageAmount: amountJSON{Amount: s.AverageAmount, IsoCurrencyCode: httpapi.OptString(s.Currency)},
			LastAmount:    amountJSON{Amount: s.LastAmount, IsoCurrencyCode: httpapi.OptString(s.Currency)},
			IsActive:      s.IsActive, Status: s.Status}
		if len(s.Category) > 0 {
			j.Category = s.Category
		}
		out = append(out, j)
	}
	return out
}

// transactionsRecurringGet answers the Item's recurring streams.
func (s *API) transactionsRecurringGet(ctx context.Context, c *httpapi.Call, req *transactionsRecurringGetRequest) (transactionsRecurringGetResponse, *plaid.Error) {
	d, e := s.Data.RecurringTransactions(ctx, c.Tenant, req.AccessToken, req.AccountIDs)
	if e != nil {
		return transactionsRecurringGetResponse{}, e
	}
	return transactionsRecurringGetResponse{InflowStreams: streamsOut(d.Inflow), OutflowStreams: streamsOut(d.Outflow),
		UpdatedDatetime: plaid.Time(d.UpdatedAt), RequestID: c.RequestID}, nil
}
