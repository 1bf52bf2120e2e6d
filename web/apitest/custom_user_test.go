package apitest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/spec"
)

// customPassword is a custom user's configuration built with plaid-go's
// own models, as an integration's test suite would build it: a checking
// account with numbers, transactions and an owner, a credit card with
// its liability, and a brokerage account with a holding and its buy.
func customPassword(t *testing.T) string {
	t.Helper()
	account := func(typ plaid.OverrideAccountType, subtype plaid.AccountSubtype, balance float64, name string) plaid.OverrideAccounts {
		return *plaid.NewOverrideAccounts(typ, *plaid.NewNullableAccountSubtype(subtype.Ptr()), balance, balance, "USD",
			*plaid.NewMeta(name, name+" Account", 0, ""), plaid.Numbers{}, []plaid.TransactionOverride{},
			plaid.OwnerOverride{}, plaid.LiabilityOverride{}, plaid.InflowModel{})
	}
	checking := account(plaid.OVERRIDEACCOUNTTYPE_DEPOSITORY, plaid.ACCOUNTSUBTYPE_CHECKING, 640.5, "Conformance Checking")
	numbers := plaid.NewNumbers()
	numbers.SetAccount("8800001111")
	numbers.SetAchRouting("011401533")
	checking.SetNumbers(*numbers)
	checking.SetTransactions([]plaid.TransactionOverride{*plaid.NewTransactionOverride("2024-02-01", "2024-02-02", 19.99, "Hardware Store")})
	checking.SetIdentity(*plaid.NewOwnerOverride([]string{"Pat Conformance"}, nil, nil, nil))

	card := account(plaid.OVERRIDEACCOUNTTYPE_CREDIT, plaid.ACCOUNTSUBTYPE_CREDIT_CARD, 120, "Conformance Card")
	card.Liability.SetType("credit")
	card.Liability.SetPurchaseApr(21.5)
	card.Liability.SetMinimumPaymentAmount(25)

	brokerage := account(plaid.OVERRIDEACCOUNTTYPE_INVESTMENT, plaid.ACCOUNTSUBTYPE_BROKERAGE, 3000, "Conformance Brokerage")
	security := plaid.NewSecurityOverride()
	security.SetTickerSymbol("CONF")
	security.SetName("Conformance Inc.")
	security.SetCurrency("USD")
	brokerage.SetHoldings(*plaid.NewHoldingsOverride(60, 10, "USD", *security))
	buy := plaid.NewInvestmentsTransactionsOverride("2024-01-15", "BUY CONF", 10, 55, "buy", "USD")
	buy.SetSecurity(*security)
	buy.SetFees(4.95)
	brokerage.SetInvestmentTransactions(*buy)

	password, err := json.Marshal(plaid.NewUserCustomPassword("", []plaid.OverrideAccounts{checking, card, brokerage}, plaid.MFA{}, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	return string(password)
}

// TestCustomUser makes a custom user's Item with plaid-go's
// /sandbox/public_token/create and checks every product endpoint's answer
// against Plaid's spec and the configuration.
func TestCustomUser(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	opts := plaid.NewSandboxPublicTokenCreateRequestOptions()
	opts.SetOverrideUsername("user_custom")
	opts.SetOverridePassword(customPassword(t))
	req := plaid.NewSandboxPublicTokenCreateRequest("ins_109508", []plaid.Products{plaid.PRODUCTS_TRANSACTIONS, plaid.PRODUCTS_AUTH,
		plaid.PRODUCTS_IDENTITY, plaid.PRODUCTS_LIABILITIES, plaid.PRODUCTS_INVESTMENTS})
	req.SetOptions(*opts)
	created, _, err := e.plaid.SandboxPublicTokenCreate(ctx).SandboxPublicTokenCreateRequest(*req).Execute()
	if err != nil {
		t.Fatal(plaidErr(t, err))
	}
	ex, _, err := e.plaid.ItemPublicTokenExchange(ctx).ItemPublicTokenExchangeRequest(*plaid.NewItemPublicTokenExchangeRequest(created.PublicToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	access := map[string]any{"access_token": ex.AccessToken}
	dates := map[string]any{"access_token": ex.AccessToken, "start_date": "2024-01-01", "end_date": "2024-12-31"}
	for _, path := range []string{"/accounts/get", "/accounts/balance/get", "/auth/get", "/identity/get", "/transactions/sync",
		"/liabilities/get", "/investments/holdings/get"} {
		e.conforms(t, doc, path, access)
	}
	for _, path := range []string{"/transactions/get", "/investments/transactions/get"} {
		e.conforms(t, doc, path, dates)
	}

	accounts, _, err := e.plaid.AccountsGet(ctx).AccountsGetRequest(*plaid.NewAccountsGetRequest(ex.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts.Accounts) != 3 || accounts.Accounts[0].Name != "Conformance Checking" || accounts.Accounts[0].GetOfficialName() != "Conformance Checking Account" ||
		*accounts.Accounts[0].Balances.Current.Get() != 640.5 || *accounts.Accounts[1].Balances.Available.Get() != 120 {
		t.Errorf("/accounts/get %+v", accounts.Accounts)
	}
	auth, _, err := e.plaid.AuthGet(ctx).AuthGetRequest(*plaid.NewAuthGetRequest(ex.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(auth.Numbers.Ach) != 1 || auth.Numbers.Ach[0].Account != "8800001111" || auth.Numbers.Ach[0].Routing != "011401533" {
		t.Errorf("/auth/get numbers %+v", auth.Numbers)
	}
	txs, _, err := e.plaid.TransactionsSync(ctx).TransactionsSyncRequest(*plaid.NewTransactionsSyncRequest(ex.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(txs.Added) != 1 || txs.Added[0].Name != "Hardware Store" || txs.Added[0].Amount != 19.99 || txs.Added[0].Date != "2024-02-02" {
		t.Errorf("/transactions/sync added %+v", txs.Added)
	}
	liab, _, err := e.plaid.LiabilitiesGet(ctx).LiabilitiesGetRequest(*plaid.NewLiabilitiesGetRequest(ex.AccessToken)).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if credit := liab.Liabilities.Credit; len(credit) != 1 || credit[0].Aprs[0].AprPercentage != 21.5 || *credit[0].MinimumPaymentAmount.Get() != 25 {
		t.Errorf("/liabilities/get credit %+v", liab.Liabilities.Credit)
	}
	inv, _, err := e.plaid.InvestmentsTransactionsGet(ctx).InvestmentsTransactionsGetRequest(
		*plaid.NewInvestmentsTransactionsGetRequest(ex.AccessToken, "2024-01-01", "2024-12-31")).Execute()
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.InvestmentTransactions) != 1 || inv.InvestmentTransactions[0].Amount != 554.95 || len(inv.Securities) != 1 ||
		inv.Securities[0].GetTickerSymbol() != "CONF" {
		t.Errorf("/investments/transactions/get %+v, securities %+v", inv.InvestmentTransactions, inv.Securities)
	}
}

// TestCustomUserMalformed checks that a malformed configuration fails
// /sandbox/public_token/create with a PlaidError the client decodes.
func TestCustomUserMalformed(t *testing.T) {
	e := newEmulator(t)
	opts := plaid.NewSandboxPublicTokenCreateRequestOptions()
	opts.SetOverrideUsername("user_custom")
	opts.SetOverridePassword(`{"override_accounts": [{"type": "piggy bank"}]}`)
	req := plaid.NewSandboxPublicTokenCreateRequest("ins_109508", []plaid.Products{plaid.PRODUCTS_TRANSACTIONS})
	req.SetOptions(*opts)
	_, _, err := e.plaid.SandboxPublicTokenCreate(context.Background()).SandboxPublicTokenCreateRequest(*req).Execute()
	wantPlaidError(t, "a malformed custom user", err, "INVALID_CREDENTIALS")
}
