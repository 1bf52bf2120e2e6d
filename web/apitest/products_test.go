package apitest

import (
	"context"
	"slices"
	"testing"

	"github.com/plaid/plaid-go/v20/plaid"
)

// TestProductEndpoints drives the product endpoints with plaid-go on an
// Item made with all four product arrays, and on one with Investments,
// and checks the fields the client decodes and the billing they cause.
func TestProductEndpoints(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	ltReq := plaid.NewLinkTokenCreateRequest("API Test", "en", []plaid.CountryCode{plaid.COUNTRYCODE_US}, *plaid.NewLinkTokenCreateRequestUser("user-1"))
	ltReq.SetProducts([]plaid.Products{plaid.PRODUCTS_TRANSACTIONS})
	ltReq.SetRequiredIfSupportedProducts([]plaid.Products{plaid.PRODUCTS_IDENTITY})
	ltReq.SetOptionalProducts([]plaid.Products{plaid.PRODUCTS_AUTH})
	ltReq.SetAdditionalConsentedProducts([]plaid.Products{plaid.PRODUCTS_LIABILITIES, plaid.PRODUCTS_INVESTMENTS})
	lt, _, err := e.plaid.LinkTokenCreate(ctx).LinkTokenCreateRequest(*ltReq).Execute()
	if err != nil {
		t.Fatal(err)
	}
	done := e.kit.Must(t, "/linkharness/session/complete", map[string]any{"link_token": lt.LinkToken, "accounts": []string{"Plaid Checking", "Plaid Credit Card"}})
	ex, _, err := e.plaid.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(*plaid.NewItemPublicTokenExchangeRequest(done["public_token"].(string))).Execute()
	if err != nil {
		t.Fatal(err)
	}
	access := ex.AccessToken

	item, _, err := e.plaid.ItemGet(ctx).ItemGetRequest(*plaid.NewItemGetRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(item.Item.GetProducts(), []plaid.Products{"transactions", "identity", "auth"}) ||
		!slices.Equal(item.Item.BilledProducts, []plaid.Products{"transactions", "identity"}) ||
		!slices.Equal(item.Item.GetConsentedProducts(), []plaid.Products{"transactions", "identity", "auth", "liabilities", "investments"}) {
		t.Errorf("item %+v", item.Item)
	}

	auth, _, err := e.plaid.AuthGet(ctx).AuthGetRequest(*plaid.NewAuthGetRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(auth.Numbers.Ach) != 1 || auth.Numbers.Ach[0].Account != "1111222233330000" || auth.Numbers.Ach[0].Routing != "011401533" ||
		len(auth.Accounts) != 1 || auth.Accounts[0].AccountId != auth.Numbers.Ach[0].AccountId || !slices.Contains(auth.Item.BilledProducts, "auth") {
		t.Errorf("/auth/get %+v", auth)
	}
	checkRequestID(t, "/auth/get", auth.RequestId)

	identity, _, err := e.plaid.IdentityGet(ctx).IdentityGetRequest(*plaid.NewIdentityGetRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(identity.Accounts) != 2 || identity.Accounts[0].Owners[0].Names[0] != "Alberta Bobbeth Charleson" ||
		identity.Accounts[0].Owners[0].Addresses[0].Data.Street != "2992 Cameron Road" || !identity.Accounts[0].Owners[0].Emails[0].Primary {
		t.Errorf("/identity/get %+v", identity)
	}

	sync, _, err := e.plaid.TransactionsSync(ctx).TransactionsSyncRequest(*plaid.NewTransactionsSyncRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(sync.Added) != 24 || sync.HasMore || sync.NextCursor == "" || sync.Added[0].Date > sync.Added[23].Date || sync.Added[0].TransactionId == "" {
		t.Errorf("/transactions/sync: %d added, has_more %v", len(sync.Added), sync.HasMore)
	}
	syncReq := plaid.NewTransactionsSyncRequest(access)
	syncReq.SetCursor(sync.NextCursor)
	again, _, err := e.plaid.TransactionsSync(ctx).TransactionsSyncRequest(*syncReq).Execute()
	if err != nil || len(again.Added) != 0 || again.NextCursor != sync.NextCursor {
		t.Errorf("/transactions/sync again: %+v %v", again, err)
	}

	got, _, err := e.plaid.TransactionsGet(ctx).TransactionsGetRequest(*plaid.NewTransactionsGetRequest(access, "2000-01-01", "2100-01-01")).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if got.TotalTransactions != 24 || len(got.Transactions) != 24 || got.Transactions[0].Date < got.Transactions[23].Date {
		t.Errorf("/transactions/get: %d of %d", len(got.Transactions), got.TotalTransactions)
	}

	liab, _, err := e.plaid.LiabilitiesGet(ctx).LiabilitiesGetRequest(*plaid.NewLiabilitiesGetRequest(access)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(liab.Liabilities.Credit) != 1 || len(liab.Liabilities.Credit[0].Aprs) != 3 || len(liab.Liabilities.Mortgage) != 0 {
		t.Errorf("/liabilities/get %+v", liab.Liabilities)
	}
	_, _, err = e.plaid.InvestmentsHoldingsGet(ctx).InvestmentsHoldingsGetRequest(*plaid.NewInvestmentsHoldingsGetRequest(access)).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "NO_INVESTMENT_ACCOUNTS" || pe.ErrorType != "ITEM_ERROR" {
		t.Errorf("/investments/holdings/get on a bank Item: %+v", pe)
	}

	// Investments: holdings billed at creation, transactions on first use.
	pt, _, err := e.plaid.SandboxPublicTokenCreate(ctx).SandboxPublicTokenCreateRequest(*plaid.NewSandboxPublicTokenCreateRequest("ins_109508", []plaid.Products{plaid.PRODUCTS_INVESTMENTS})).Execute()
	if err != nil {
		t.Fatal(err)
	}
	inv, _, err := e.plaid.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(*plaid.NewItemPublicTokenExchangeRequest(pt.PublicToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	holdings, _, err := e.plaid.InvestmentsHoldingsGet(ctx).InvestmentsHoldingsGetRequest(*plaid.NewInvestmentsHoldingsGetRequest(inv.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(holdings.Holdings) != 6 || len(holdings.Accounts) != 2 || len(holdings.Securities) == 0 || holdings.Holdings[0].Quantity <= 0 {
		t.Errorf("/investments/holdings/get %+v", holdings)
	}
	txs, _, err := e.plaid.InvestmentsTransactionsGet(ctx).InvestmentsTransactionsGetRequest(*plaid.NewInvestmentsTransactionsGetRequest(inv.AccessToken, "2000-01-01", "2100-01-01")).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if txs.TotalInvestmentTransactions == 0 || len(txs.InvestmentTransactions) != int(txs.TotalInvestmentTransactions) || txs.InvestmentTransactions[0].Type == "" {
		t.Errorf("/investments/transactions/get %+v", txs)
	}
	var ledger []string
	for _, b := range e.kit.Must(t, "/linkharness/billing/list", map[string]any{"item_id": inv.ItemId})["billing"].([]any) {
		ledger = append(ledger, b.(map[string]any)["billable"].(string)+"/"+b.(map[string]any)["fee_model"].(string))
	}
	if !slices.Equal(ledger, []string{"investments_holdings/subscription", "investments_transactions/subscription"}) {
		t.Errorf("ledger %v", ledger)
	}
}
