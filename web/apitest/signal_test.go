package apitest

import (
	"context"
	"slices"
	"testing"

	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/spec"
)

// TestSignal evaluates proposed debits with plaid-go, reports the
// decision and the return of one, and checks the answers against the
// spec, the scores' rise with the amount against the balance, and the
// errors: bad tokens, an Item in error, a removed one, an account of no
// Item or not depository, an unknown client_transaction_id, and an Item
// whose user did not consent to Signal.
func TestSignal(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	access, _ := e.hookedItem(t, "/signal", "auth", "signal")
	accounts := e.kit.Must(t, "/accounts/get", map[string]any{"access_token": access})["accounts"].([]any)
	var checking, credit string
	for _, a := range accounts {
		a := a.(map[string]any)
		switch {
		case checking == "" && a["subtype"] == "checking":
			checking = a["account_id"].(string)
		case credit == "" && a["type"] == "credit":
			credit = a["account_id"].(string)
		}
	}
	if checking == "" || credit == "" {
		t.Fatalf("accounts %v", accounts)
	}

	evaluate := func(id string, amount float64) plaid.SignalEvaluateResponse {
		t.Helper()
		got, _, err := e.plaid.SignalEvaluate(ctx).SignalEvaluateRequest(*plaid.NewSignalEvaluateRequest(access, checking, id, amount)).Execute()
		if err != nil {
			t.Fatalf("/signal/evaluate %v: %+v", amount, plaidErr(t, err))
		}
		checkRequestID(t, "/signal/evaluate", got.RequestId)
		return got
	}
	small := evaluate("tx-small", 5)
	again := evaluate("tx-small-again", 5)
	large := evaluate("tx-large", 5000)
	sb, lb := small.Scores.GetBankInitiatedReturnRisk(), large.Scores.GetBankInitiatedReturnRisk()
	sc, lc := small.Scores.GetCustomerInitiatedReturnRisk(), large.Scores.GetCustomerInitiatedReturnRisk()
	if sb.Score >= lb.Score || sb.RiskTier > lb.RiskTier || sc.Score >= lc.Score {
		t.Errorf("a debit of 5 scored %+v %+v, one of 5000 %+v %+v: want the larger riskier", sb, sc, lb, lc)
	}
	if again.Scores.GetBankInitiatedReturnRisk() != sb || again.Scores.GetCustomerInitiatedReturnRisk() != sc {
		t.Errorf("the same debit scored %+v then %+v", small.Scores, again.Scores)
	}
	if ca := small.GetCoreAttributes(); ca.GetAvailableBalance() != 100 || ca.GetCurrentBalance() != 110 || ca.GetIsSavingsOrMoneyMarketAccount() {
		t.Errorf("core attributes %+v", ca)
	}
	full := e.conforms(t, doc, "/signal/evaluate", map[string]any{"access_token": access, "account_id": checking,
		"client_transaction_id": "tx-raw", "amount": 250.5, "ruleset_key": "onboarding"})
	if rs := full["ruleset"].(map[string]any); rs["ruleset_key"] != "onboarding" || rs["result"] == "" {
		t.Errorf("ruleset %v", rs)
	}
	if r := e.conforms(t, doc, "/signal/evaluate", map[string]any{"access_token": access, "account_id": checking,
		"client_transaction_id": "tx-huge", "amount": 100000})["ruleset"].(map[string]any)["result"]; r != "REROUTE" {
		t.Errorf("a debit of 1000 times the balance: %v, want REROUTE", r)
	}

	// The decision and the return of an evaluated debit.
	dr := plaid.NewSignalDecisionReportRequest("tx-large", true)
	dr.SetDaysFundsOnHold(3)
	got, _, err := e.plaid.SignalDecisionReport(ctx).SignalDecisionReportRequest(*dr).Execute()
	if err != nil {
		t.Fatalf("/signal/decision/report: %+v", plaidErr(t, err))
	}
	checkRequestID(t, "/signal/decision/report", got.RequestId)
	rr, _, err := e.plaid.SignalReturnReport(ctx).SignalReturnReportRequest(*plaid.NewSignalReturnReportRequest("tx-large", "R01")).Execute()
	if err != nil {
		t.Fatalf("/signal/return/report: %+v", plaidErr(t, err))
	}
	checkRequestID(t, "/signal/return/report", rr.RequestId)
	e.conforms(t, doc, "/signal/decision/report", map[string]any{"client_transaction_id": "tx-raw", "initiated": false})
	e.conforms(t, doc, "/signal/return/report", map[string]any{"client_transaction_id": "tx-raw", "return_code": "R10", "returned_at": "2025-01-02T03:04:05Z"})
	_, _, err = e.plaid.SignalDecisionReport(ctx).SignalDecisionReportRequest(*plaid.NewSignalDecisionReportRequest("never-evaluated", true)).Execute()
	wantPlaidError(t, "a decision on a transaction never evaluated", err, "INVALID_FIELD")
	_, _, err = e.plaid.SignalReturnReport(ctx).SignalReturnReportRequest(*plaid.NewSignalReturnReportRequest("never-evaluated", "R01")).Execute()
	wantPlaidError(t, "a return of a transaction never evaluated", err, "INVALID_FIELD")
	e.fails(t, doc, "a return code that is none", "/signal/return/report", map[string]any{"client_transaction_id": "tx-large", "return_code": "X1"}, "INVALID_FIELD")

	// Errors of the evaluation.
	body := func(a string) map[string]any {
		return map[string]any{"access_token": a, "account_id": checking, "client_transaction_id": "tx-err", "amount": 10}
	}
	e.fails(t, doc, "an account of no Item", "/signal/evaluate", map[string]any{"access_token": access, "account_id": "nope", "client_transaction_id": "tx-err", "amount": 10}, "INVALID_ACCOUNT_ID")
	e.fails(t, doc, "a credit card", "/signal/evaluate", map[string]any{"access_token": access, "account_id": credit, "client_transaction_id": "tx-err", "amount": 10}, "INVALID_ACCOUNT_ID")
	e.fails(t, doc, "a negative amount", "/signal/evaluate", map[string]any{"access_token": access, "account_id": checking, "client_transaction_id": "tx-err", "amount": -10}, "INVALID_FIELD")
	removed, broken := e.removedAndBroken(t, "auth", "signal")
	e.commonErrors(t, doc, "/signal/evaluate", body, removed, broken)
	e.commonErrors(t, doc, "/signal/prepare", func(a string) map[string]any { return map[string]any{"access_token": a} }, removed, broken)

	// Consent: an Item linked for Auth alone cannot add Signal; one whose
	// link token consented to it can, with /signal/prepare.
	bare := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_AUTH}, "Plaid Checking")
	_, _, err = e.plaid.SignalPrepare(ctx).SignalPrepareRequest(*plaid.NewSignalPrepareRequest(bare.AccessToken)).Execute()
	wantPlaidError(t, "/signal/prepare without consent", err, "ADDITIONAL_CONSENT_REQUIRED")
	accs := e.kit.Must(t, "/accounts/get", map[string]any{"access_token": bare.AccessToken})["accounts"].([]any)
	e.fails(t, doc, "/signal/evaluate without consent", "/signal/evaluate", map[string]any{"access_token": bare.AccessToken,
		"account_id": accs[0].(map[string]any)["account_id"], "client_transaction_id": "tx-bare", "amount": 10}, "ADDITIONAL_CONSENT_REQUIRED")
	lt := e.kit.Must(t, "/link/token/create", map[string]any{"client_name": "App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "u"}, "products": []string{"auth"}, "additional_consented_products": []string{"signal"}})["link_token"].(string)
	done := e.kit.Must(t, "/linkharness/session/complete", map[string]any{"link_token": lt, "accounts": []string{"Plaid Checking"}})
	consented := e.kit.Must(t, "/item/public_token/exchange", map[string]any{"public_token": done["public_token"]})["access_token"].(string)
	prep, _, err := e.plaid.SignalPrepare(ctx).SignalPrepareRequest(*plaid.NewSignalPrepareRequest(consented)).Execute()
	if err != nil {
		t.Fatalf("/signal/prepare: %+v", plaidErr(t, err))
	}
	checkRequestID(t, "/signal/prepare", prep.RequestId)
	item, _, err := e.plaid.ItemGet(ctx).ItemGetRequest(*plaid.NewItemGetRequest(consented)).Execute()
	if err != nil || !slices.Contains(item.Item.GetProducts(), plaid.PRODUCTS_SIGNAL) {
		t.Errorf("the Item after /signal/prepare: %+v %v", item.Item.GetProducts(), err)
	}
}
