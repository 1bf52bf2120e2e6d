package harness_test

import (
	"testing"

	"github.com/linkharness/linkharness/internal/scenario"
)

// TestUpdateModeFixesItem runs update mode both ways on an Item in
// ITEM_LOGIN_REQUIRED: afterwards the Item has no error, and the new public
// token exchanges for the same access token.
func TestUpdateModeFixesItem(t *testing.T) {
	for _, mode := range []string{scenario.UpdateLinkToken, scenario.UpdatePublicKey} {
		t.Run(mode, func(t *testing.T) {
			access, err := scenario.BrokenItem(backend)
			if err != nil {
				t.Fatal(err)
			}
			if e := itemError(t, access); e != "ITEM_LOGIN_REQUIRED" {
				t.Fatalf("item error before update mode = %q, want ITEM_LOGIN_REQUIRED", e)
			}
			c, err := scenario.UpdateConfiguration(backend, mode, access, publicKey)
			if err != nil {
				t.Fatal(err)
			}
			s, err := h.CreateJSON(withCallbacks(t, c))
			if err != nil {
				t.Fatal(err)
			}
			for _, step := range []func() error{
				s.Open,
				func() error { return s.Fill("Username", "user_good") },
				func() error { return s.Fill("Password", "pass_good") },
				func() error { return s.Press("Submit") },
				func() error { return s.Press("Continue") },
			} {
				if err := step(); err != nil {
					t.Fatal(err)
				}
			}
			public := successToken(t, s.Calls())
			var ex struct {
				AccessToken string `json:"access_token"`
			}
			if err := h.Post("/item/public_token/exchange", credentials(map[string]any{"public_token": public}), &ex); err != nil {
				t.Fatal(err)
			}
			if ex.AccessToken != access {
				t.Errorf("access token after update mode %q, want the same %q", ex.AccessToken, access)
			}
			if e := itemError(t, access); e != "" {
				t.Errorf("item error after update mode = %q, want none", e)
			}
		})
	}
}

// itemError is the error_code of the Item's error, "" when it has none.
func itemError(t *testing.T, access string) string {
	t.Helper()
	var got struct {
		Item struct {
			Error *struct {
				ErrorCode string `json:"error_code"`
			} `json:"error"`
		} `json:"item"`
	}
	if err := h.Post("/item/get", credentials(map[string]any{"access_token": access}), &got); err != nil {
		t.Fatal(err)
	}
	if got.Item.Error == nil {
		return ""
	}
	return got.Item.Error.ErrorCode
}
