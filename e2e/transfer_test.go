package e2e

import (
	"slices"
	"testing"
)

// TestTransferFlow links an account for Auth and Transfer through the
// Link UI in Chromium, then, as the integrator's backend, authorizes a
// debit from it, makes the transfer, simulates it posted and settled,
// and reads its events and webhooks.
func TestTransferFlow(t *testing.T) {
	rcv := receiver(t)
	var created struct {
		LinkToken string `json:"link_token"`
	}
	kit.MustDecode(t, "/link/token/create", map[string]any{
		"client_name": "Pay Shop", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "payer-1"}, "products": []string{"auth", "transfer"},
		"webhook": rcv.URL,
	}, &created)

	tb := openPage(t, "blank.html")
	tb.eval(`window.h = Plaid.create(Object.assign({token: ` + jsString(created.LinkToken) + `}, callbacks('main'))); h.open();`)
	tb.waitPane("CONSENT")
	tb.press("Continue")
	tb.waitPane("SELECT_INSTITUTION")
	tb.choose("First Platypus Bank")
	tb.waitPane("CREDENTIAL")
	tb.login("pass_good")
	tb.waitPane("SELECT_ACCOUNT")
	tb.check("Plaid Checking")
	tb.press("Continue")
	tb.waitPane("CONNECTED")
	tb.press("Continue")
	tb.waitDialogs(0)
	success := only(tb.calls("main"), "onSuccess")
	if len(success) != 1 {
		t.Fatalf("%d onSuccess calls", len(success))
	}
	var publicToken string
	decodeArg(t, success[0], 0, &publicToken)
	var exchanged struct {
		AccessToken string `json:"access_token"`
	}
	kit.MustDecode(t, "/item/public_token/exchange", map[string]any{"public_token": publicToken}, &exchanged)
	var accounts struct {
		Accounts []struct {
			AccountID string `json:"account_id"`
			Name      string `json:"name"`
		} `json:"accounts"`
	}
	kit.MustDecode(t, "/accounts/get", map[string]any{"access_token": exchanged.AccessToken}, &accounts)
	if len(accounts.Accounts) != 1 || accounts.Accounts[0].Name != "Plaid Checking" {
		t.Fatalf("/accounts/get = %+v, want the checking account picked in Link", accounts.Accounts)
	}
	account := accounts.Accounts[0].AccountID

	var auth struct {
		Authorization struct {
			ID       string `json:"id"`
			Decision string `json:"decision"`
		} `json:"authorization"`
	}
	kit.MustDecode(t, "/transfer/authorization/create", map[string]any{"access_token": exchanged.AccessToken, "account_id": account,
		"type": "debit", "network": "ach", "ach_class": "web", "amount": "12.50", "user": map[string]any{"legal_name": "Alberta Charleson"}}, &auth)
	if auth.Authorization.Decision != "approved" {
		t.Fatalf("authorization %+v, want approved", auth.Authorization)
	}
	var tr struct {
		Transfer struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"transfer"`
	}
	kit.MustDecode(t, "/transfer/create", map[string]any{"access_token": exchanged.AccessToken, "account_id": account,
		"authorization_id": auth.Authorization.ID, "description": "Order 1"}, &tr)
	if tr.Transfer.Status != "pending" {
		t.Errorf("new transfer %+v", tr.Transfer)
	}
	for _, ev := range []string{"posted", "settled"} {
		kit.Must(t, "/sandbox/transfer/simulate", map[string]any{"transfer_id": tr.Transfer.ID, "event_type": ev})
	}
	var list struct {
		Events []struct {
			EventType  string `json:"event_type"`
			TransferID string `json:"transfer_id"`
		} `json:"transfer_events"`
	}
	kit.MustDecode(t, "/transfer/event/list", map[string]any{"transfer_id": tr.Transfer.ID}, &list)
	var types []string
	for _, ev := range list.Events {
		types = append(types, ev.EventType)
	}
	if !slices.Equal(types, []string{"settled", "posted", "pending"}) {
		t.Errorf("/transfer/event/list = %v, want settled, posted, pending (most recent first)", types)
	}
	rcv.WaitFor(t, 3, "TRANSFER", "TRANSFER_EVENTS_UPDATE")
	var balance struct {
		Accounts []struct {
			Balances struct {
				Available float64 `json:"available"`
			} `json:"balances"`
		} `json:"accounts"`
	}
	kit.MustDecode(t, "/accounts/balance/get", map[string]any{"access_token": exchanged.AccessToken}, &balance)
	if len(balance.Accounts) != 1 || balance.Accounts[0].Balances.Available != 87.5 {
		t.Errorf("balance after the settled debit of 12.50: %+v, want 87.5", balance.Accounts)
	}
}
