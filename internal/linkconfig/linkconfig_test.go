package linkconfig

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want Config
	}{
		{"empty", ``, Config{}},
		{"a link token request stored before Config existed",
			`{"client_name":"App","language":"en","country_codes":["US"],"user":{"client_user_id":"u1"},
			  "products":["auth"],"optional_products":["identity"],"webhook":"https://hooks.example/",
			  "redirect_uri":"https://app.example/oauth","enable_multi_item_link":true,"user_token":"user-sandbox-1",
			  "payment_initiation":{"payment_id":"payment-id-sandbox-1"},"link_customization_name":"default"}`,
			Config{ClientName: "App", Language: "en", CountryCodes: []string{"US"}, Products: []string{"auth"},
				OptionalProducts: []string{"identity"}, Webhook: "https://hooks.example/", RedirectURI: "https://app.example/oauth",
				MultiItem: true, UserToken: "user-sandbox-1", PaymentID: "payment-id-sandbox-1",
				// A token of then keeps its customization.
				LinkCustomizationName: "default"}},
		{"a legacy session's options stored before Config existed",
			`{"update_item_id":"item-1","env":"sandbox","client_name":"App","products":["transactions"],
			  "oauth_nonce":"0123456789abcdef","oauth_redirect_uri":"https://app.example/oauth"}`,
			Config{UpdateItemID: "item-1", Env: "sandbox", ClientName: "App", Products: []string{"transactions"},
				OAuthNonce: "0123456789abcdef", RedirectURI: "https://app.example/oauth"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(json.RawMessage(tt.raw))
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode = %+v, %v\nwant %+v", got, err, tt.want)
			}
		})
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	c := Config{ClientName: "App", Products: []string{"auth"}, AdditionalConsentedProducts: []string{"identity"},
		RedirectURI: "https://app.example/oauth", UpdateItemID: "item-1", PaymentID: "payment-id-sandbox-1", LinkToken: "link-sandbox-1",
		AccountFilters: map[string]map[string][]string{"depository": {"account_subtypes": {"checking"}}}}
	raw := c.Encode()
	got, err := Decode(raw)
	c.V = Version
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("Decode(Encode) = %+v, %v\nwant %+v", got, err, c)
	}
	if !got.UpdateMode() || !slices.Equal(got.Plan().AdditionalConsented, []string{"identity"}) {
		t.Errorf("UpdateMode or Plan lost: %+v", got)
	}
}

func TestDecodeRefusesANewerVersion(t *testing.T) {
	if _, err := Decode(json.RawMessage(`{"v":99}`)); err == nil {
		t.Error("a configuration of a newer version decoded")
	}
}

func TestPlanRules(t *testing.T) {
	tests := []struct {
		name  string
		rules PlanRules
		code  string // "" for valid
	}{
		{"one product", PlanRules{Plan: Plan{Products: []string{"auth"}}}, ""},
		{"no products outside update mode", PlanRules{}, "INVALID_FIELD"},
		{"no products in update mode", PlanRules{UpdateMode: true}, ""},
		{"unknown product", PlanRules{Plan: Plan{Products: []string{"nope"}}}, "INVALID_FIELD"},
		{"balance", PlanRules{Plan: Plan{Products: []string{"balance"}}}, "INVALID_FIELD"},
		{"a product in two arrays", PlanRules{Plan: Plan{Products: []string{"auth"}, Optional: []string{"auth"}}}, "INVALID_FIELD"},
		{"payment initiation with another", PlanRules{Plan: Plan{Products: []string{"payment_initiation", "auth"}}}, "INVALID_FIELD"},
		{"Plaid Check without a user token", PlanRules{Plan: Plan{Products: []string{"cra_base_report"}}}, "MISSING_FIELDS"},
		{"Plaid Check with a user token", PlanRules{Plan: Plan{Products: []string{"cra_base_report"}}, UserToken: true}, ""},
		{"multi-item without a user token", PlanRules{Plan: Plan{Products: []string{"auth"}}, MultiItem: true}, "MISSING_FIELDS"},
		{"multi-item with identity", PlanRules{Plan: Plan{Products: []string{"identity"}}, MultiItem: true, UserToken: true}, "INVALID_FIELD"},
		{"same-day micro-deposits with another product", PlanRules{Plan: Plan{Products: []string{"auth", "transactions"}}, SameDayMicrodeposits: true}, "INVALID_FIELD"},
		{"payroll income with another product", PlanRules{Plan: Plan{Products: []string{"income_verification", "auth"}}, IncomeSourceTypes: []string{"payroll"}}, "INVALID_FIELD"},
		{"bank income with another product", PlanRules{Plan: Plan{Products: []string{"income_verification", "auth"}}, IncomeSourceTypes: []string{"bank"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.rules.Validate()
			switch {
			case tt.code == "" && e != nil:
				t.Errorf("refused: %v", e)
			case tt.code != "" && (e == nil || e.ErrorCode != tt.code):
				t.Errorf("got %v, want %s", e, tt.code)
			}
		})
	}
}
