package apitest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/plaid/plaid-go/v20/plaid"

	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/web"
)

// answered validates the body of a plaid-go answer (which plaid-go
// leaves readable) against the spec's response schema of path, and
// returns it decoded, for what plaid-go v20 does not know.
func answered(t *testing.T, doc *openapi3.T, path string, resp *http.Response) map[string]any {
	t.Helper()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: not a JSON object: %s", path, raw)
	}
	validate(t, doc, path, v)
	return v
}

// transferItem is an Item at First Platypus Bank with Auth and Transfer
// and the webhook receiver at path, its access token and its checking
// account (available 100, current 110).
func (e *emulator) transferItem(t *testing.T, path string) (access, checking string) {
	t.Helper()
	access, _ = e.hookedItem(t, path, "auth", "transfer")
	for _, a := range e.kit.Must(t, "/accounts/get", map[string]any{"access_token": access})["accounts"].([]any) {
		if a := a.(map[string]any); a["subtype"] == "checking" {
			return access, a["account_id"].(string)
		}
	}
	t.Fatal("the Item has no checking account")
	return "", ""
}

// authorize is a debit or credit of amount authorized by plaid-go, its
// answer validated against the spec.
func (e *emulator) authorize(t *testing.T, doc *openapi3.T, access, account string, typ plaid.TransferType, amount string) plaid.TransferAuthorization {
	t.Helper()
	req := plaid.NewTransferAuthorizationCreateRequest(access, account, typ, plaid.TRANSFERNETWORK_ACH, amount, *plaid.NewTransferAuthorizationUserInRequest("Alberta Charleson"))
	req.SetAchClass(plaid.ACHCLASS_PPD)
	if typ == plaid.TRANSFERTYPE_DEBIT {
		req.SetAchClass(plaid.ACHCLASS_WEB)
	}
	got, resp, err := e.plaid.TransferAuthorizationCreate(context.Background()).TransferAuthorizationCreateRequest(*req).Execute()
	if err != nil {
		t.Fatalf("/transfer/authorization/create %s %s: %+v", typ, amount, plaidErr(t, err))
	}
	answered(t, doc, "/transfer/authorization/create", resp)
	checkRequestID(t, "/transfer/authorization/create", got.RequestId)
	return got.Authorization
}

// createTransfer makes the transfer of an approved authorization with
// plaid-go.
func (e *emulator) createTransfer(t *testing.T, doc *openapi3.T, access, account, authorization string) plaid.Transfer {
	t.Helper()
	got, resp, err := e.plaid.TransferCreate(context.Background()).TransferCreateRequest(*plaid.NewTransferCreateRequest(access, account, authorization, "Order 42")).Execute()
	if err != nil {
		t.Fatalf("/transfer/create: %+v", plaidErr(t, err))
	}
	answered(t, doc, "/transfer/create", resp)
	return got.Transfer
}

// simulate simulates the event on the transfer with plaid-go.
func (e *emulator) simulate(t *testing.T, id, event string) {
	t.Helper()
	if _, _, err := e.plaid.SandboxTransferSimulate(context.Background()).SandboxTransferSimulateRequest(*plaid.NewSandboxTransferSimulateRequest(id, event)).Execute(); err != nil {
		t.Fatalf("/sandbox/transfer/simulate %s: %+v", event, plaidErr(t, err))
	}
}

// getTransfer is the transfer id by plaid-go.
func (e *emulator) getTransfer(t *testing.T, doc *openapi3.T, id string) plaid.Transfer {
	t.Helper()
	got, resp, err := e.plaid.TransferGet(context.Background()).TransferGetRequest(*plaid.NewTransferGetRequest(id)).Execute()
	if err != nil {
		t.Fatalf("/transfer/get: %+v", plaidErr(t, err))
	}
	answered(t, doc, "/transfer/get", resp)
	return got.Transfer
}

// available is the available and current balances of the account.
func (e *emulator) balances(t *testing.T, access, account string) (float64, float64) {
	t.Helper()
	for _, a := range e.kit.Must(t, "/accounts/balance/get", map[string]any{"access_token": access})["accounts"].([]any) {
		if a := a.(map[string]any); a["account_id"] == account {
			b := a["balances"].(map[string]any)
			return b["available"].(float64), b["current"].(float64)
		}
	}
	t.Fatalf("no account %s", account)
	return 0, 0
}

// TestTransferLifecycle authorizes a debit with plaid-go, makes the
// transfer, simulates it posted then settled, and checks its events in
// order on /transfer/event/sync, a TRANSFER_EVENTS_UPDATE webhook for
// each, the account's balance after settlement, /transfer/event/list's
// filters and /transfer/list.
func TestTransferLifecycle(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	access, checking := e.transferItem(t, "/transfer")

	capReq := plaid.NewTransferCapabilitiesGetRequest(access, checking)
	caps, resp, err := e.plaid.TransferCapabilitiesGet(ctx).TransferCapabilitiesGetRequest(*capReq).Execute()
	if err != nil {
		t.Fatalf("/transfer/capabilities/get: %+v", plaidErr(t, err))
	}
	answered(t, doc, "/transfer/capabilities/get", resp)
	if !caps.InstitutionSupportedNetworks.Rtp.GetCredit() {
		t.Errorf("capabilities of a checking account at First Platypus Bank %+v", caps.InstitutionSupportedNetworks)
	}

	auth := e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_DEBIT, "10.00")
	if auth.Decision != plaid.TRANSFERAUTHORIZATIONDECISION_APPROVED || auth.DecisionRationale.Get() != nil || auth.PaymentRisk.Get() == nil ||
		auth.ProposedTransfer.Amount != "10.00" || auth.ProposedTransfer.GetAccountId() != checking {
		t.Errorf("authorization of 10.00 of 100: %+v", auth)
	}
	tr := e.createTransfer(t, doc, access, checking, auth.Id)
	if tr.Status != plaid.TRANSFERSTATUS_PENDING || !tr.Cancellable || tr.Amount != "10.00" || tr.AuthorizationId != auth.Id ||
		tr.GetSweepStatus() != plaid.TRANSFERSWEEPSTATUS_UNSWEPT || tr.Type != plaid.TRANSFERTYPE_DEBIT {
		t.Errorf("new transfer %+v", tr)
	}
	e.simulate(t, tr.Id, "posted")
	e.simulate(t, tr.Id, "settled")
	got := e.getTransfer(t, doc, tr.Id)
	if got.Status != plaid.TRANSFERSTATUS_SETTLED || got.Cancellable || got.FailureReason.Get() != nil {
		t.Errorf("settled transfer %+v", got)
	}
	if avail, cur := e.balances(t, access, checking); avail != 90 || cur != 100 {
		t.Errorf("balances after a settled debit of 10: %v %v, want 90 100", avail, cur)
	}
	e.conforms(t, doc, "/accounts/get", map[string]any{"access_token": access})

	// The events, in order, and a webhook for each.
	sync, resp, err := e.plaid.TransferEventSync(ctx).TransferEventSyncRequest(*plaid.NewTransferEventSyncRequest(0)).Execute()
	if err != nil {
		t.Fatalf("/transfer/event/sync: %+v", plaidErr(t, err))
	}
	answered(t, doc, "/transfer/event/sync", resp)
	var types []string
	for i, ev := range sync.TransferEvents {
		types = append(types, string(ev.EventType))
		if ev.EventId != int32(i+1) || ev.TransferId != tr.Id || ev.GetTransferAmount() != "10.00" {
			t.Errorf("event %d: %+v", i, ev)
		}
	}
	if !slices.Equal(types, []string{"pending", "posted", "settled"}) {
		t.Errorf("events %v", types)
	}
	if raw := e.conforms(t, doc, "/transfer/event/sync", map[string]any{"after_id": 0}); raw["has_more"] != false || len(raw["transfer_events"].([]any)) != 3 {
		t.Errorf("/transfer/event/sync from 0: %v", raw)
	}
	if rfp := e.conforms(t, doc, "/transfer/capabilities/get", map[string]any{"access_token": access, "account_id": checking})["institution_supported_networks"].(map[string]any)["rfp"].(map[string]any); rfp["debit"] != false {
		t.Errorf("RfP %v", rfp)
	}
	hooks := e.hooks.WaitFor(t, 3, "TRANSFER", "TRANSFER_EVENTS_UPDATE")
	for _, h := range hooks {
		if err := doc.Components.Schemas["TransferEventsUpdateWebhook"].Value.VisitJSON(h.Webhook); err != nil || h.Webhook["environment"] != "sandbox" {
			t.Errorf("TRANSFER_EVENTS_UPDATE %v: %v", h.Webhook, err)
		}
	}
	page := e.conforms(t, doc, "/transfer/event/sync", map[string]any{"after_id": 1, "count": 1})
	if evs := page["transfer_events"].([]any); len(evs) != 1 || evs[0].(map[string]any)["event_id"] != 2.0 || page["has_more"] != true {
		t.Errorf("the page after event 1: %v", page)
	}
	e.fails(t, doc, "a count above 500", "/transfer/event/sync", map[string]any{"after_id": 0, "count": 501}, "INVALID_FIELD")

	// /transfer/event/list: most recent first, by the filters.
	list := e.conforms(t, doc, "/transfer/event/list", map[string]any{"transfer_id": tr.Id, "event_types": []string{"posted", "settled"}})
	if evs := list["transfer_events"].([]any); len(evs) != 2 || evs[0].(map[string]any)["event_type"] != "settled" || list["has_more"] != false {
		t.Errorf("/transfer/event/list %v", list)
	}
	if evs := e.conforms(t, doc, "/transfer/event/list", map[string]any{"count": 1, "offset": 1})["transfer_events"].([]any); len(evs) != 1 ||
		evs[0].(map[string]any)["event_type"] != "posted" {
		t.Errorf("the second most recent event %v", evs)
	}
	if evs := e.conforms(t, doc, "/transfer/event/list", map[string]any{"transfer_type": "credit"})["transfer_events"].([]any); len(evs) != 0 {
		t.Errorf("credit events %v", evs)
	}
	// A second transfer, a credit, which moves the balance up.
	credit := e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_CREDIT, "25.50")
	if credit.Decision != plaid.TRANSFERAUTHORIZATIONDECISION_APPROVED || credit.PaymentRisk.Get() != nil {
		t.Errorf("a credit's authorization %+v", credit)
	}
	ct := e.createTransfer(t, doc, access, checking, credit.Id)
	e.simulate(t, ct.Id, "posted")
	e.simulate(t, ct.Id, "settled")
	if avail, cur := e.balances(t, access, checking); avail != 115.5 || cur != 125.5 {
		t.Errorf("balances after a settled credit of 25.50: %v %v, want 115.5 125.5", avail, cur)
	}
	lr := plaid.NewTransferListRequest()
	lr.SetCount(1)
	transfers, resp, err := e.plaid.TransferList(ctx).TransferListRequest(*lr).Execute()
	if err != nil {
		t.Fatalf("/transfer/list: %+v", plaidErr(t, err))
	}
	answered(t, doc, "/transfer/list", resp)
	if len(transfers.Transfers) != 1 || transfers.Transfers[0].Id != ct.Id {
		t.Errorf("the newest transfer %+v", transfers.Transfers)
	}
	if all := e.conforms(t, doc, "/transfer/list", map[string]any{"start_date": "2000-01-01T00:00:00Z", "end_date": "2100-01-01T00:00:00Z"})["transfers"].([]any); len(all) != 2 {
		t.Errorf("all transfers: %d", len(all))
	}
	if none := e.conforms(t, doc, "/transfer/list", map[string]any{"end_date": "2000-01-01T00:00:00Z"})["transfers"].([]any); len(none) != 0 {
		t.Errorf("transfers before 2000: %d", len(none))
	}
	// A funds_available of a credit, and a settled of a settled transfer,
	// are no transition.
	e.fails(t, doc, "funds_available of a credit", "/sandbox/transfer/simulate", map[string]any{"transfer_id": ct.Id, "event_type": "funds_available"}, "INVALID_FIELD")
	e.fails(t, doc, "settled twice", "/sandbox/transfer/simulate", map[string]any{"transfer_id": tr.Id, "event_type": "settled"}, "INVALID_FIELD")
	e.simulate(t, tr.Id, "funds_available")
	if got := e.getTransfer(t, doc, tr.Id); got.Status != "funds_available" {
		t.Errorf("after funds_available: %s", got.Status)
	}
	if avail, _ := e.balances(t, access, checking); avail != 115.5 {
		t.Errorf("funds_available moved the balance: %v", avail)
	}
}

// TestTransferDecisions checks the sandbox's decisions: NSF above the
// available balance, RISK for an empty account (a custom user's), the
// user's action for an Item whose login was reset, and the errors of an
// Item without Transfer, a bad amount, another account's authorization,
// a declined one, a cancelled one and an expired one.
func TestTransferDecisions(t *testing.T) {
	e := newEmulator(t)
	doc := openAPI(t, spec.Load())
	access, checking := e.transferItem(t, "/transfer")

	nsf := e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_DEBIT, "100.01")
	if nsf.Decision != plaid.TRANSFERAUTHORIZATIONDECISION_DECLINED || nsf.DecisionRationale.Get() == nil || nsf.DecisionRationale.Get().Code != "NSF" {
		t.Errorf("a debit above the balance: %+v", nsf)
	}
	whole := e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_DEBIT, "100.00")
	if whole.Decision != plaid.TRANSFERAUTHORIZATIONDECISION_APPROVED {
		t.Errorf("a debit of the whole balance: %s", whole.Decision)
	}
	// A declined authorization makes no transfer.
	e.fails(t, doc, "a declined authorization", "/transfer/create", map[string]any{"access_token": access, "account_id": checking,
		"authorization_id": nsf.Id, "description": "nope"}, "INVALID_FIELD")

	// RISK: a custom user's checking account with nothing in it.
	empty, _ := json.Marshal(map[string]any{"override_accounts": []map[string]any{{"type": "depository", "subtype": "checking",
		"starting_balance": 0, "meta": map[string]any{"name": "Empty Checking"}}}})
	pt := e.kit.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"transfer"},
		"options": map[string]any{"override_username": "user_custom", "override_password": string(empty)}})["public_token"].(string)
	emptyAccess := e.kit.Must(t, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
	emptyAccount := e.kit.Must(t, "/accounts/get", map[string]any{"access_token": emptyAccess})["accounts"].([]any)[0].(map[string]any)["account_id"].(string)
	risk := e.authorize(t, doc, emptyAccess, emptyAccount, plaid.TRANSFERTYPE_DEBIT, "1.00")
	if risk.Decision != plaid.TRANSFERAUTHORIZATIONDECISION_DECLINED || risk.DecisionRationale.Get() == nil || risk.DecisionRationale.Get().Code != "RISK" {
		t.Errorf("a debit of an empty account: %+v", risk)
	}
	if credit := e.authorize(t, doc, emptyAccess, emptyAccount, plaid.TRANSFERTYPE_CREDIT, "1000.00"); credit.Decision != plaid.TRANSFERAUTHORIZATIONDECISION_APPROVED {
		t.Errorf("a credit to an empty account: %s", credit.Decision)
	}

	// Idempotency: the same key gives the same authorization, another
	// proposal with it is refused.
	keyed := map[string]any{"access_token": access, "account_id": checking, "type": "debit", "network": "ach", "ach_class": "web",
		"amount": "5.00", "user": map[string]any{"legal_name": "Alberta Charleson"}, "idempotency_key": "order-7"}
	first := e.conforms(t, doc, "/transfer/authorization/create", keyed)["authorization"].(map[string]any)
	second := e.conforms(t, doc, "/transfer/authorization/create", keyed)["authorization"].(map[string]any)
	if first["id"] != second["id"] {
		t.Errorf("the same idempotency_key gave %v then %v", first["id"], second["id"])
	}
	keyed["amount"] = "6.00"
	e.fails(t, doc, "an idempotency_key used for another amount", "/transfer/authorization/create", keyed, "INVALID_FIELD")

	// Bad requests.
	for _, tc := range []struct {
		what   string
		change map[string]any
		code   string
	}{
		{"an amount without cents", map[string]any{"amount": "10"}, "INVALID_FIELD"},
		{"a negative amount", map[string]any{"amount": "-1.00"}, "INVALID_FIELD"},
		{"no ach_class on ACH", map[string]any{"ach_class": nil}, "MISSING_FIELDS"},
		{"a credit's class on a debit", map[string]any{"ach_class": "ppd"}, "INVALID_FIELD"},
		{"a wire debit", map[string]any{"network": "wire"}, "INVALID_FIELD"},
		{"an account of no Item", map[string]any{"account_id": "nope"}, "INVALID_ACCOUNT_ID"},
		{"an unknown access token", map[string]any{"access_token": "access-sandbox-00000000-0000-4000-8000-000000000000"}, "INVALID_ACCESS_TOKEN"},
	} {
		body := map[string]any{"access_token": access, "account_id": checking, "type": "debit", "network": "ach", "ach_class": "web",
			"amount": "1.00", "user": map[string]any{"legal_name": "Alberta Charleson"}}
		for k, v := range tc.change {
			if v == nil {
				delete(body, k)
			} else {
				body[k] = v
			}
		}
		e.fails(t, doc, tc.what, "/transfer/authorization/create", body, tc.code)
	}

	// An Item linked for Auth alone has not Transfer.
	bare := e.linkedItem(t, []plaid.Products{plaid.PRODUCTS_AUTH}, "Plaid Checking")
	bareAccount := e.kit.Must(t, "/accounts/get", map[string]any{"access_token": bare.AccessToken})["accounts"].([]any)[0].(map[string]any)["account_id"].(string)
	e.fails(t, doc, "an Item without Transfer", "/transfer/authorization/create", map[string]any{"access_token": bare.AccessToken, "account_id": bareAccount,
		"type": "credit", "network": "ach", "ach_class": "ppd", "amount": "1.00", "user": map[string]any{"legal_name": "A"}}, "ADDITIONAL_CONSENT_REQUIRED")

	// Another account's authorization, and a cancelled one.
	other, otherChecking := e.transferItem(t, "/other")
	approved := e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_DEBIT, "1.00")
	e.fails(t, doc, "another account's authorization", "/transfer/create", map[string]any{"access_token": other, "account_id": otherChecking,
		"authorization_id": approved.Id, "description": "x"}, "INVALID_FIELD")
	e.fails(t, doc, "an ACH description of 11 characters", "/transfer/create", map[string]any{"access_token": access, "account_id": checking,
		"authorization_id": approved.Id, "description": "Order 12345"}, "INVALID_FIELD")
	e.fails(t, doc, "more than authorized", "/transfer/create", map[string]any{"access_token": access, "account_id": checking,
		"authorization_id": approved.Id, "description": "x", "amount": "1.01"}, "INVALID_FIELD")
	// plaid-go v20 has no /transfer/authorization/cancel.
	e.conforms(t, doc, "/transfer/authorization/cancel", map[string]any{"authorization_id": approved.Id})
	e.conforms(t, doc, "/transfer/authorization/cancel", map[string]any{"authorization_id": approved.Id})
	e.fails(t, doc, "cancelling a declined authorization", "/transfer/authorization/cancel", map[string]any{"authorization_id": nsf.Id}, "INVALID_FIELD")
	e.fails(t, doc, "a cancelled authorization", "/transfer/create", map[string]any{"access_token": access, "account_id": checking,
		"authorization_id": approved.Id, "description": "x"}, "INVALID_FIELD")
	e.fails(t, doc, "an unknown authorization", "/transfer/authorization/cancel", map[string]any{"authorization_id": "nope"}, "INVALID_FIELD")

	// Idempotency of /transfer/create: the same key, or the same order on
	// the same authorization, gives the same transfer; another order on
	// it is refused.
	forCreate := e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_DEBIT, "3.00")
	order := map[string]any{"access_token": access, "account_id": checking, "authorization_id": forCreate.Id, "description": "Order 9",
		"idempotency_key": "create-9"}
	one := e.conforms(t, doc, "/transfer/create", order)["transfer"].(map[string]any)
	two := e.conforms(t, doc, "/transfer/create", order)["transfer"].(map[string]any)
	delete(order, "idempotency_key")
	three := e.conforms(t, doc, "/transfer/create", order)["transfer"].(map[string]any)
	if one["id"] != two["id"] || one["id"] != three["id"] || one["amount"] != "3.00" {
		t.Errorf("transfers %v %v %v", one["id"], two["id"], three["id"])
	}
	order["amount"] = "2.00"
	e.fails(t, doc, "a used authorization for another amount", "/transfer/create", order, "INVALID_FIELD")
	if n := len(e.conforms(t, doc, "/transfer/list", map[string]any{})["transfers"].([]any)); n != 1 {
		t.Errorf("%d transfers, want 1", n)
	}

	// user_action_required for an Item whose login was reset.
	e.kit.Must(t, "/sandbox/item/reset_login", map[string]any{"access_token": other})
	uar := e.authorize(t, doc, other, otherChecking, plaid.TRANSFERTYPE_DEBIT, "1.00")
	if uar.Decision != "user_action_required" || uar.DecisionRationale.Get() == nil ||
		uar.DecisionRationale.Get().Code != "ITEM_LOGIN_REQUIRED" {
		t.Errorf("an Item whose login was reset: %+v", uar)
	}

	// An authorization expires an hour after it was made.
	late := e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_DEBIT, "1.00")
	e.kit.Must(t, "/linkharness/clock/advance", map[string]any{"duration": "61m"})
	e.fails(t, doc, "an expired authorization", "/transfer/create", map[string]any{"access_token": access, "account_id": checking,
		"authorization_id": late.Id, "description": "late"}, "INVALID_FIELD")
}

// TestTransferFailures checks a returned transfer with its return code,
// a failed one, cancelling while pending and not after posting, with the
// events each makes.
func TestTransferFailures(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	access, checking := e.transferItem(t, "/transfer")
	newTransfer := func() plaid.Transfer {
		return e.createTransfer(t, doc, access, checking, e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_DEBIT, "20.00").Id)
	}

	returned := newTransfer()
	e.simulate(t, returned.Id, "posted")
	sim := plaid.NewSandboxTransferSimulateRequest(returned.Id, "returned")
	failure := plaid.NewTransferFailure()
	failure.SetAchReturnCode("R10")
	sim.SetFailureReason(*failure)
	if _, _, err := e.plaid.SandboxTransferSimulate(ctx).SandboxTransferSimulateRequest(*sim).Execute(); err != nil {
		t.Fatalf("returned: %+v", plaidErr(t, err))
	}
	got := e.getTransfer(t, doc, returned.Id)
	if f := got.FailureReason.Get(); got.Status != plaid.TRANSFERSTATUS_RETURNED || f == nil || f.GetAchReturnCode() != "R10" || f.GetDescription() == "" ||
		got.SweepStatus.Get() != nil {
		t.Errorf("the returned transfer %+v (failure %+v)", got, got.FailureReason.Get())
	}
	if avail, _ := e.balances(t, access, checking); avail != 100 {
		t.Errorf("a returned transfer moved the balance: %v", avail)
	}
	evs := e.conforms(t, doc, "/transfer/event/list", map[string]any{"transfer_id": returned.Id, "event_types": []string{"returned"}})["transfer_events"].([]any)
	if len(evs) != 1 || evs[0].(map[string]any)["failure_reason"].(map[string]any)["ach_return_code"] != "R10" {
		t.Errorf("the returned event %v", evs)
	}
	e.fails(t, doc, "a return code that is none", "/sandbox/transfer/simulate", map[string]any{"transfer_id": newTransfer().Id, "event_type": "returned",
		"failure_reason": map[string]any{"ach_return_code": "X1"}}, "INVALID_FIELD")

	failed := newTransfer()
	e.conforms(t, doc, "/sandbox/transfer/simulate", map[string]any{"transfer_id": failed.Id, "event_type": "failed",
		"failure_reason": map[string]any{"description": "the bank refused it"}})
	if got := e.getTransfer(t, doc, failed.Id); got.Status != plaid.TRANSFERSTATUS_FAILED || got.FailureReason.Get().GetDescription() != "the bank refused it" {
		t.Errorf("the failed transfer %+v", got)
	}
	e.fails(t, doc, "posted after failed", "/sandbox/transfer/simulate", map[string]any{"transfer_id": failed.Id, "event_type": "posted"}, "INVALID_FIELD")
	e.fails(t, doc, "an event that is none", "/sandbox/transfer/simulate", map[string]any{"transfer_id": failed.Id, "event_type": "swept"}, "INVALID_FIELD")
	e.fails(t, doc, "an unknown transfer", "/sandbox/transfer/simulate", map[string]any{"transfer_id": "nope", "event_type": "posted"}, "INVALID_FIELD")

	pending := newTransfer()
	if _, _, err := e.plaid.TransferCancel(ctx).TransferCancelRequest(*plaid.NewTransferCancelRequest(pending.Id)).Execute(); err != nil {
		t.Fatalf("/transfer/cancel: %+v", plaidErr(t, err))
	}
	if got := e.getTransfer(t, doc, pending.Id); got.Status != plaid.TRANSFERSTATUS_CANCELLED || got.Cancellable || got.SweepStatus.Get() != nil {
		t.Errorf("the cancelled transfer %+v", got)
	}
	posted := newTransfer()
	e.simulate(t, posted.Id, "posted")
	_, _, err := e.plaid.TransferCancel(ctx).TransferCancelRequest(*plaid.NewTransferCancelRequest(posted.Id)).Execute()
	if pe := plaidErr(t, err); pe.ErrorType != "TRANSFER_ERROR" || pe.ErrorCode != "TRANSFER_NOT_CANCELLABLE" {
		t.Errorf("cancelling a posted transfer: %+v", pe)
	}
	e.fails(t, doc, "cancelling twice", "/transfer/cancel", map[string]any{"transfer_id": pending.Id}, "TRANSFER_NOT_CANCELLABLE")
	var types []string
	for _, ev := range e.conforms(t, doc, "/transfer/event/list", map[string]any{"transfer_id": pending.Id})["transfer_events"].([]any) {
		types = append(types, ev.(map[string]any)["event_type"].(string))
	}
	if !slices.Equal(types, []string{"cancelled", "pending"}) {
		t.Errorf("the cancelled transfer's events, most recent first: %v", types)
	}
}

// TestTransferSweeps simulates sweeps: unswept transfers are swept into a
// sweep of their signed amounts, swept ones settle (and the earlier
// sweeps with them), a returned swept one is pulled back; with the events
// of each and /transfer/sweep/get and /list.
func TestTransferSweeps(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	access, checking := e.transferItem(t, "/transfer")
	debit := e.createTransfer(t, doc, access, checking, e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_DEBIT, "30.00").Id)
	credit := e.createTransfer(t, doc, access, checking, e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_CREDIT, "12.00").Id)
	e.simulate(t, debit.Id, "posted")

	sweep := func() map[string]any {
		t.Helper()
		got, resp, err := e.plaid.SandboxTransferSweepSimulate(ctx).SandboxTransferSweepSimulateRequest(*plaid.NewSandboxTransferSweepSimulateRequest()).Execute()
		if err != nil {
			t.Fatalf("/sandbox/transfer/sweep/simulate: %+v", plaidErr(t, err))
		}
		out := answered(t, doc, "/sandbox/transfer/sweep/simulate", resp)
		_ = got
		return out
	}
	first := sweep()["sweep"].(map[string]any)
	if first["amount"] != "18.00" || first["status"] != "pending" {
		t.Errorf("the first sweep %v, want 18.00 (30.00 in, 12.00 out)", first)
	}
	for _, id := range []string{debit.Id, credit.Id} {
		if got := e.getTransfer(t, doc, id); got.GetSweepStatus() != plaid.TRANSFERSWEEPSTATUS_SWEPT {
			t.Errorf("%s after the first sweep: %v", id, got.GetSweepStatus())
		}
	}
	swept := e.conforms(t, doc, "/transfer/event/list", map[string]any{"sweep_id": first["id"]})["transfer_events"].([]any)
	if len(swept) != 2 {
		t.Errorf("the first sweep's events %v", swept)
	}
	for _, ev := range swept {
		ev := ev.(map[string]any)
		want := "30.00"
		if ev["transfer_id"] == credit.Id {
			want = "-12.00"
		}
		if ev["event_type"] != "swept" || ev["sweep_amount"] != want {
			t.Errorf("swept event %v", ev)
		}
	}

	// The debit comes back; the next sweep settles the credit, pulls the
	// debit back, and settles the first sweep.
	e.simulate(t, debit.Id, "returned")
	second := sweep()["sweep"].(map[string]any)
	if second["amount"] != "-30.00" {
		t.Errorf("the second sweep %v, want -30.00", second)
	}
	if got := e.getTransfer(t, doc, debit.Id); got.GetSweepStatus() != plaid.TRANSFERSWEEPSTATUS_RETURN_SWEPT {
		t.Errorf("the returned debit: %v", got.GetSweepStatus())
	}
	if got := e.getTransfer(t, doc, credit.Id); got.GetSweepStatus() != plaid.TRANSFERSWEEPSTATUS_SWEPT_SETTLED {
		t.Errorf("the credit: %v", got.GetSweepStatus())
	}
	gotSweep, resp, err := e.plaid.TransferSweepGet(ctx).TransferSweepGetRequest(*plaid.NewTransferSweepGetRequest(first["id"].(string))).Execute()
	if err != nil {
		t.Fatalf("/transfer/sweep/get: %+v", plaidErr(t, err))
	}
	answered(t, doc, "/transfer/sweep/get", resp)
	if gotSweep.Sweep.GetStatus() != plaid.SWEEPSTATUS_SETTLED || gotSweep.Sweep.Settled.Get() == nil {
		t.Errorf("the first sweep after the second %+v", gotSweep.Sweep)
	}
	// Nothing left to sweep: no sweep.
	if third := sweep(); third["sweep"] != nil {
		t.Errorf("a sweep of nothing %v", third)
	}
	if sw := e.conforms(t, doc, "/transfer/sweep/get", map[string]any{"sweep_id": second["id"]})["sweep"].(map[string]any); sw["status"] != "settled" {
		t.Errorf("the return sweep after the next sweep simulation: %v", sw)
	}
	sweeps := e.conforms(t, doc, "/transfer/sweep/list", map[string]any{})["sweeps"].([]any)
	if len(sweeps) != 2 || sweeps[0].(map[string]any)["id"] != second["id"] {
		t.Errorf("sweeps %v", sweeps)
	}
	if byTransfer := e.conforms(t, doc, "/transfer/sweep/list", map[string]any{"transfer_id": credit.Id, "amount": "18.00"})["sweeps"].([]any); len(byTransfer) != 1 {
		t.Errorf("sweeps of the credit of 18.00: %v", byTransfer)
	}
	e.fails(t, doc, "an unknown sweep", "/transfer/sweep/get", map[string]any{"sweep_id": "nope"}, "INVALID_FIELD")
}

// TestTransferTestClock creates a test clock, makes a transfer and its
// events on it, advances it (never back), and fires a webhook.
func TestTransferTestClock(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	doc := openAPI(t, spec.Load())
	access, checking := e.transferItem(t, "/transfer")
	start := time.Date(2030, 1, 2, 10, 0, 0, 0, time.UTC)
	cr := plaid.NewSandboxTransferTestClockCreateRequest()
	cr.SetVirtualTime(start)
	created, resp, err := e.plaid.SandboxTransferTestClockCreate(ctx).SandboxTransferTestClockCreateRequest(*cr).Execute()
	if err != nil {
		t.Fatalf("/sandbox/transfer/test_clock/create: %+v", plaidErr(t, err))
	}
	answered(t, doc, "/sandbox/transfer/test_clock/create", resp)
	clock := created.TestClock.TestClockId
	if !created.TestClock.VirtualTime.Equal(start) {
		t.Errorf("virtual time %v", created.TestClock.VirtualTime)
	}
	auth := e.conforms(t, doc, "/transfer/authorization/create", map[string]any{"access_token": access, "account_id": checking, "type": "debit",
		"network": "same-day-ach", "ach_class": "web", "amount": "4.00", "user": map[string]any{"legal_name": "Alberta Charleson"},
		"test_clock_id": clock})["authorization"].(map[string]any)
	if auth["created"] != "2030-01-02T10:00:00Z" {
		t.Errorf("an authorization on the clock was created %v", auth["created"])
	}
	tr := e.conforms(t, doc, "/transfer/create", map[string]any{"access_token": access, "account_id": checking, "authorization_id": auth["id"],
		"description": "clocked", "test_clock_id": clock})["transfer"].(map[string]any)
	later := start.Add(36 * time.Hour)
	if _, _, err := e.plaid.SandboxTransferTestClockAdvance(ctx).SandboxTransferTestClockAdvanceRequest(*plaid.NewSandboxTransferTestClockAdvanceRequest(clock, later)).Execute(); err != nil {
		t.Fatalf("/sandbox/transfer/test_clock/advance: %+v", plaidErr(t, err))
	}
	e.conforms(t, doc, "/sandbox/transfer/simulate", map[string]any{"transfer_id": tr["id"], "event_type": "posted", "test_clock_id": clock})
	evs := e.conforms(t, doc, "/transfer/event/list", map[string]any{"transfer_id": tr["id"]})["transfer_events"].([]any)
	if len(evs) != 2 || evs[0].(map[string]any)["timestamp"] != "2030-01-03T22:00:00Z" || evs[1].(map[string]any)["timestamp"] != "2030-01-02T10:00:00Z" {
		t.Errorf("events on the clock %v", evs)
	}
	e.fails(t, doc, "a clock moved back", "/sandbox/transfer/test_clock/advance", map[string]any{"test_clock_id": clock, "new_virtual_time": "2030-01-01T00:00:00Z"}, "INVALID_FIELD")
	e.fails(t, doc, "an unknown clock", "/sandbox/transfer/test_clock/get", map[string]any{"test_clock_id": "nope"}, "INVALID_FIELD")
	got := e.conforms(t, doc, "/sandbox/transfer/test_clock/get", map[string]any{"test_clock_id": clock})["test_clock"].(map[string]any)
	if got["virtual_time"] != "2030-01-03T22:00:00Z" {
		t.Errorf("the clock after the advance %v", got)
	}
	e.conforms(t, doc, "/sandbox/transfer/test_clock/create", map[string]any{})
	if clocks := e.conforms(t, doc, "/sandbox/transfer/test_clock/list", map[string]any{"start_virtual_time": "2030-01-01T00:00:00Z"})["test_clocks"].([]any); len(clocks) != 1 {
		t.Errorf("clocks after 2030 %v", clocks)
	}
	if clocks := e.conforms(t, doc, "/sandbox/transfer/test_clock/list", map[string]any{})["test_clocks"].([]any); len(clocks) != 2 {
		t.Errorf("clocks %v", clocks)
	}

	// /sandbox/transfer/fire_webhook sends to the webhook it is given;
	// /sandbox/transfer/simulate's webhook replaces the Item's.
	// The transfer's two events so far sent theirs to the Item's webhook.
	before := len(e.hooks.WaitFor(t, 2, "TRANSFER", "TRANSFER_EVENTS_UPDATE"))
	fired, _, err := e.plaid.SandboxTransferFireWebhook(ctx).SandboxTransferFireWebhookRequest(*plaid.NewSandboxTransferFireWebhookRequest(e.hooks.URL + "/fired")).Execute()
	if err != nil {
		t.Fatalf("/sandbox/transfer/fire_webhook: %+v", plaidErr(t, err))
	}
	checkRequestID(t, "/sandbox/transfer/fire_webhook", fired.RequestId)
	e.conforms(t, doc, "/sandbox/transfer/simulate", map[string]any{"transfer_id": tr["id"], "event_type": "settled", "webhook": e.hooks.URL + "/simulated"})
	hooks := e.hooks.WaitFor(t, before+2, "TRANSFER", "TRANSFER_EVENTS_UPDATE")
	var paths []string
	for _, h := range hooks[before:] {
		paths = append(paths, h.Path)
	}
	slices.Sort(paths)
	if !slices.Equal(paths, []string{"/fired", "/simulated"}) {
		t.Errorf("webhooks to %v", paths)
	}
	e.fails(t, doc, "a webhook that is no URL", "/sandbox/transfer/fire_webhook", map[string]any{"webhook": "nope"}, "INVALID_FIELD")
}

// TestTransferOtherClient checks that one client's transfers,
// authorizations, events, sweeps and test clocks are unknown to another.
func TestTransferOtherClient(t *testing.T) {
	url := externalURL
	if url == "" {
		s := web.New(web.Options{Clients: []web.Client{client, otherClient}})
		srv := httptest.NewServer(s)
		t.Cleanup(func() { srv.Close(); s.Close() })
		url = srv.URL
	}
	owner := testkit.New(url, client.ClientID, client.Secret)
	if externalURL != "" {
		owner.Must(t, "/linkharness/reset", nil)
	}
	stranger := owner.As(otherClient.ClientID, otherClient.Secret)
	if externalURL != "" {
		stranger.Must(t, "/linkharness/reset", nil)
	}
	pt := owner.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth", "transfer"}})["public_token"].(string)
	access := owner.Must(t, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
	account := owner.Must(t, "/accounts/get", map[string]any{"access_token": access})["accounts"].([]any)[0].(map[string]any)["account_id"].(string)
	auth := owner.Must(t, "/transfer/authorization/create", map[string]any{"access_token": access, "account_id": account, "type": "debit",
		"network": "ach", "ach_class": "web", "amount": "1.00", "user": map[string]any{"legal_name": "A"}})["authorization"].(map[string]any)["id"]
	tr := owner.Must(t, "/transfer/create", map[string]any{"access_token": access, "account_id": account, "authorization_id": auth, "description": "mine"})["transfer"].(map[string]any)["id"]
	sweep := owner.Must(t, "/sandbox/transfer/sweep/simulate", map[string]any{})["sweep"].(map[string]any)["id"]
	clock := owner.Must(t, "/sandbox/transfer/test_clock/create", map[string]any{})["test_clock"].(map[string]any)["test_clock_id"]
	for _, tc := range []struct {
		path string
		body map[string]any
		code string
	}{
		{"/transfer/get", map[string]any{"transfer_id": tr}, "INVALID_FIELD"},
		{"/transfer/get", map[string]any{"authorization_id": auth}, "INVALID_FIELD"},
		{"/transfer/cancel", map[string]any{"transfer_id": tr}, "INVALID_FIELD"},
		{"/sandbox/transfer/simulate", map[string]any{"transfer_id": tr, "event_type": "posted"}, "INVALID_FIELD"},
		{"/transfer/authorization/cancel", map[string]any{"authorization_id": auth}, "INVALID_FIELD"},
		{"/transfer/sweep/get", map[string]any{"sweep_id": sweep}, "INVALID_FIELD"},
		{"/sandbox/transfer/test_clock/get", map[string]any{"test_clock_id": clock}, "INVALID_FIELD"},
		{"/transfer/create", map[string]any{"access_token": access, "account_id": account, "authorization_id": auth, "description": "theirs"}, "INVALID_ACCESS_TOKEN"},
	} {
		if status, out := stranger.Call(t, tc.path, tc.body); status != 400 || out["error_code"] != tc.code {
			t.Errorf("another client's %s: %d %v, want %s", tc.path, status, out, tc.code)
		}
	}
	for path, key := range map[string]string{"/transfer/list": "transfers", "/transfer/event/list": "transfer_events",
		"/transfer/sweep/list": "sweeps", "/sandbox/transfer/test_clock/list": "test_clocks"} {
		if got := stranger.Must(t, path, map[string]any{})[key].([]any); len(got) != 0 {
			t.Errorf("another client's %s: %v", path, got)
		}
	}
	if got := stranger.Must(t, "/transfer/event/sync", map[string]any{"after_id": 0})["transfer_events"].([]any); len(got) != 0 {
		t.Errorf("another client's events %v", got)
	}
	// The owner still sees its transfer, and the stranger's own events
	// start from 1.
	owner.Must(t, "/transfer/get", map[string]any{"transfer_id": tr})
}

// TestTransferSignalAgree checks that an authorization's payment risk is
// Signal's evaluation of the same debit, before and after a settled
// transfer moved the balance both read.
func TestTransferSignalAgree(t *testing.T) {
	e := newEmulator(t)
	doc := openAPI(t, spec.Load())
	access, _ := e.hookedItem(t, "/transfer", "auth", "transfer", "signal")
	checking := e.kit.Must(t, "/accounts/get", map[string]any{"access_token": access})["accounts"].([]any)[0].(map[string]any)["account_id"].(string)
	agree := func(amount string, value float64, wantAvailable float64) {
		t.Helper()
		risk := e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_DEBIT, amount).PaymentRisk.Get()
		ev := e.conforms(t, doc, "/signal/evaluate", map[string]any{"access_token": access, "account_id": checking,
			"client_transaction_id": "tx-" + amount, "amount": value})
		scores := ev["scores"].(map[string]any)
		bank := scores["bank_initiated_return_risk"].(map[string]any)["score"].(float64)
		customer := scores["customer_initiated_return_risk"].(map[string]any)["score"].(float64)
		if risk == nil || float64(risk.GetBankInitiatedReturnScore()) != bank || float64(risk.GetCustomerInitiatedReturnScore()) != customer {
			t.Errorf("a debit of %s: payment_risk %+v, Signal %v", amount, risk, scores)
		}
		if got := ev["core_attributes"].(map[string]any)["available_balance"]; got != wantAvailable {
			t.Errorf("Signal's available balance %v, want %v", got, wantAvailable)
		}
	}
	agree("40.00", 40, 100)
	tr := e.createTransfer(t, doc, access, checking, e.authorize(t, doc, access, checking, plaid.TRANSFERTYPE_DEBIT, "60.00").Id)
	e.simulate(t, tr.Id, "posted")
	e.simulate(t, tr.Id, "settled")
	agree("40.00", 40, 40)
}
