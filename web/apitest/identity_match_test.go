package apitest

import (
	"context"
	"testing"

	"github.com/plaid/plaid-go/v20/plaid"
)

// TestIdentityMatch scores users against the sandbox account holder
// through plaid-go: the same person, the same person by a nickname and
// another address, and someone else; fields not given are null; errors
// as Plaid's (unknown token and account, a public token in place of the
// access token, an Item in error, a removed Item).
func TestIdentityMatch(t *testing.T) {
	e := newEmulator(t)
	ctx := context.Background()
	pt := e.kit.Must(t, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"identity"}})["public_token"].(string)
	access := e.kit.Must(t, "/item/public_token/exchange", map[string]any{"public_token": pt})["access_token"].(string)
	match := func(u plaid.IdentityMatchUser) []plaid.AccountIdentityMatchScore {
		t.Helper()
		resp, _, err := e.plaid.IdentityMatch(ctx).IdentityMatchRequest(plaid.IdentityMatchRequest{AccessToken: access, User: &u}).Execute()
		if err != nil {
			t.Fatalf("identity match: %v", err)
		}
		checkRequestID(t, "identity match", resp.GetRequestId())
		if len(resp.GetAccounts()) == 0 {
			t.Fatal("no accounts")
		}
		return resp.GetAccounts()
	}
	same := plaid.IdentityMatchUser{}
	same.SetLegalName("Alberta Bobbeth Charleson")
	same.SetPhoneNumber("+1 111-555-5555")
	same.SetEmailAddress("accountholder0@example.com")
	addr := plaid.AddressDataNullableNoRequiredFields{}
	addr.SetStreet("2992 Cameron Road")
	addr.SetCity("Malakoff")
	addr.SetRegion("NY")
	addr.SetPostalCode("14236")
	addr.SetCountry("US")
	same.SetAddress(addr)
	for _, a := range match(same) {
		if a.LegalName.Get().GetScore() != 100 || a.PhoneNumber.Get().GetScore() != 100 || a.EmailAddress.Get().GetScore() != 100 ||
			a.Address.Get().GetScore() != 100 || !a.Address.Get().GetIsPostalCodeMatch() {
			t.Errorf("the account holder: %+v", a)
		}
	}
	nick := plaid.IdentityMatchUser{}
	nick.SetLegalName("Albert Charleson")
	nick.SetEmailAddress("accountholder0+shop@example.com")
	for _, a := range match(nick) {
		n := a.LegalName.Get()
		if n.GetScore() != 90 || !n.GetIsNicknameMatch() || !n.GetIsFirstNameOrLastNameMatch() || a.EmailAddress.Get().GetScore() != 90 {
			t.Errorf("a nickname: %+v", a)
		}
		if a.PhoneNumber.IsSet() && a.PhoneNumber.Get() != nil || a.Address.IsSet() && a.Address.Get() != nil {
			t.Errorf("fields not given are not null: %+v", a)
		}
	}
	other := plaid.IdentityMatchUser{}
	other.SetLegalName("John Smith")
	other.SetPhoneNumber("+1 415 745 2130")
	for _, a := range match(other) {
		if a.LegalName.Get().GetScore() >= 70 || a.LegalName.Get().GetIsFirstNameOrLastNameMatch() || a.PhoneNumber.Get().GetScore() >= 70 {
			t.Errorf("someone else: %+v", a)
		}
	}

	_, _, err := e.plaid.IdentityMatch(ctx).IdentityMatchRequest(plaid.IdentityMatchRequest{AccessToken: "access-sandbox-unknown"}).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_ACCESS_TOKEN" {
		t.Errorf("unknown token: %s", pe.ErrorCode)
	}
	_, _, err = e.plaid.IdentityMatch(ctx).IdentityMatchRequest(plaid.IdentityMatchRequest{AccessToken: access,
		Options: &plaid.IdentityMatchRequestOptions{AccountIds: &[]string{"nope"}}}).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_ACCOUNT_ID" {
		t.Errorf("unknown account: %s", pe.ErrorCode)
	}
	_, _, err = e.plaid.IdentityMatch(ctx).IdentityMatchRequest(plaid.IdentityMatchRequest{AccessToken: pt}).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_ACCESS_TOKEN" {
		t.Errorf("a public token in its place: %s", pe.ErrorCode)
	}
	e.kit.Must(t, "/sandbox/item/reset_login", map[string]any{"access_token": access})
	_, _, err = e.plaid.IdentityMatch(ctx).IdentityMatchRequest(plaid.IdentityMatchRequest{AccessToken: access}).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "ITEM_LOGIN_REQUIRED" {
		t.Errorf("an Item in error: %s", pe.ErrorCode)
	}
	e.kit.Must(t, "/item/remove", map[string]any{"access_token": access})
	_, _, err = e.plaid.IdentityMatch(ctx).IdentityMatchRequest(plaid.IdentityMatchRequest{AccessToken: access}).Execute()
	if pe := plaidErr(t, err); pe.ErrorCode != "INVALID_ACCESS_TOKEN" {
		t.Errorf("removed Item: %s", pe.ErrorCode)
	}
}
