package assetsapi

import (
	"encoding/json"
	"time"

	"github.com/linkharness/linkharness/internal/assets"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/web/internal/httpapi"
	"github.com/linkharness/linkharness/web/internal/plaidapi"
)

// report is the spec's AssetReport.
type report struct {
	AssetReportID  string          `json:"asset_report_id"`
	ClientReportID *string         `json:"client_report_id"`
	DateGenerated  string          `json:"date_generated"`
	DaysRequested  int             `json:"days_requested"`
	User           json.RawMessage `json:"user"`
	Items          []reportItem    `json:"items"`
}

type reportItem struct {
	ItemID          string          `json:"item_id"`
	InstitutionName string          `json:"institution_name"`
	InstitutionID   string          `json:"institution_id"`
	DateLastUpdated string          `json:"date_last_updated"`
	Accounts        []accountAssets `json:"accounts"`
}

// accountAssets is the spec's AccountAssets: the account and its owners
// as /identity/get shows them, with the report's history of it.
type accountAssets struct {
	plaidapi.IdentityAccount
	// Balances hide the account's: the spec's AssetReportAccountBalance
	// has margin_loan_amount besides.
	Balances           balances            `json:"balances"`
	DaysAvailable      int                 `json:"days_available"`
	Transactions       []transaction       `json:"transactions"`
	HistoricalBalances []historicalBalance `json:"historical_balances"`
}

type balances struct {
	Available              *float64 `json:"available"`
	Current                *float64 `json:"current"`
	Limit                  *float64 `json:"limit"`
	MarginLoanAmount       *float64 `json:"margin_loan_amount"`
	IsoCurrencyCode        *string  `json:"iso_currency_code"`
	UnofficialCurrencyCode *string  `json:"unofficial_currency_code"`
}

type transaction struct {
	TransactionID          string  `json:"transaction_id"`
	AccountID              string  `json:"account_id"`
	Amount                 float64 `json:"amount"`
	IsoCurrencyCode        *string `json:"iso_currency_code"`
	UnofficialCurrencyCode *string `json:"unofficial_currency_code"`
	OriginalDescription    *string `json:"original_description"`
	Date                   string  `json:"date"`
	DateTransacted         *string `json:"date_transacted"`
	Pending                bool    `json:"pending"`
	TransactionType        string  `json:"transaction_type"`
	// insights are the fields only a report with Insights has
	// (include_insights); nil, they are left out.
	*insights
}

// insights are a transaction's fields in an Asset Report with Insights.
type insights struct {
	Name         string   `json:"name"`
	MerchantName *string  `json:"merchant_name"`
	Category     []string `json:"category"`
	CategoryID   *string  `json:"category_id"`
}

type historicalBalance struct {
	Date                   string  `json:"date"`
	Current                float64 `json:"current"`
	IsoCurrencyCode        *string `json:"iso_currency_code"`
	UnofficialCurrencyCode *string `json:"unofficial_currency_code"`
}

// reportOut is the report as the API shows it, with the transactions'
// Insights fields when insights is set.
func reportOut(r assets.Report, insights bool) report {
	out := report{AssetReportID: r.ID, ClientReportID: httpapi.OptString(r.ClientReportID), DateGenerated: r.Generated.UTC().Format(time.RFC3339),
		DaysRequested: r.DaysRequested, User: r.User, Items: []reportItem{}}
	if len(out.User) == 0 || string(out.User) == "null" {
		out.User = json.RawMessage("{}")
	}
	for _, it := range r.Items {
		ri := reportItem{ItemID: it.Item.ID, InstitutionName: it.InstitutionName, InstitutionID: it.Item.InstitutionID,
			DateLastUpdated: r.Generated.UTC().Format(time.RFC3339), Accounts: []accountAssets{}}
		for _, a := range it.Accounts {
			ri.Accounts = append(ri.Accounts, accountOut(a, insights))
		}
		out.Items = append(out.Items, ri)
	}
	return out
}

func accountOut(a assets.ReportAccount, insights bool) accountAssets {
	out := accountAssets{IdentityAccount: plaidapi.IdentityAccountOut(a.Account, a.Owners, a.Currency), DaysAvailable: a.DaysAvailable,
		Transactions: []transaction{}, HistoricalBalances: []historicalBalance{}}
	b := out.IdentityAccount.Balances
	out.Balances = balances{Available: b.Available, Current: b.Current, Limit: b.Limit, IsoCurrencyCode: b.IsoCurrencyCode,
		UnofficialCurrencyCode: b.UnofficialCurrencyCode}
	for _, tr := range a.Transactions {
		out.Transactions = append(out.Transactions, transactionOut(tr, insights))
	}
	for _, h := range a.HistoricalBalances {
		out.HistoricalBalances = append(out.HistoricalBalances, historicalBalance{Date: h.Date, Current: h.Current, IsoCurrencyCode: httpapi.OptString(a.Currency)})
	}
	return out
}

func transactionOut(tr sandboxdata.Transaction, withInsights bool) transaction {
	out := transaction{TransactionID: tr.ID, AccountID: tr.AccountID, Amount: tr.Amount, IsoCurrencyCode: httpapi.OptString(tr.Currency),
		OriginalDescription: httpapi.OptString(tr.Name), Date: tr.Date, DateTransacted: httpapi.OptString(tr.AuthorizedDate), Pending: tr.Pending,
		TransactionType: tr.Type}
	if withInsights {
		out.insights = &insights{Name: tr.Name, MerchantName: httpapi.OptString(tr.MerchantName), Category: httpapi.NonNil(tr.Category),
			CategoryID: httpapi.OptString(tr.CategoryID)}
	}
	if out.TransactionType == "" {
		out.TransactionType = "place"
	}
	return out
}
