package plaid

import (
	"encoding/json"
	"testing"
)

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range Catalogue() {
		if seen[e.Code] {
			t.Errorf("%s is in the catalogue twice", e.Code)
		}
		seen[e.Code] = true
		if e.Type == "" || e.Message == "" || e.Status < 400 || e.Status > 599 {
			t.Errorf("%s: incomplete entry %+v", e.Code, e)
		}
		// The emulator answers the institution's and its own failures
		// with 500, the caller's with 4xx.
		if server := e.Type == TypeAPI || e.Type == TypeInstitution; server != (e.Status == 500) {
			t.Errorf("%s: type %s with status %d", e.Code, e.Type, e.Status)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name               string
		err                *Error
		status             int
		typ, code, message string
		display            bool
	}{
		{"missing fields", MissingFields("client_id", "secret"), 400, TypeInvalidRequest, "MISSING_FIELDS", "the following required fields are missing: client_id, secret", false},
		{"too large", BodyTooLarge("too big"), 413, TypeInvalidRequest, "INVALID_BODY", "too big", false},
		{"not found", NotFound("GET /x"), 404, TypeInvalidRequest, "NOT_FOUND", "no such endpoint: GET /x", false},
		{"raised login error", Raise("INVALID_CREDENTIALS"), 400, TypeItem, "INVALID_CREDENTIALS", "the provided credentials were not correct", true},
		{"institution down", Raise("INSTITUTION_DOWN"), 500, TypeInstitution, "INSTITUTION_DOWN", "this institution is not currently responding to this request. please try again soon", true},
		{"internal, worded", Internal("store failed"), 500, TypeAPI, "INTERNAL_SERVER_ERROR", "store failed", false},
		{"unknown link token", InvalidLinkToken(""), 400, TypeInvalidInput, "INVALID_LINK_TOKEN", "provided link token is in an invalid format or does not exist. expected format: link-<environment>-<identifier>", false},
		{"unknown processor token", InvalidProcessorToken(), 400, TypeInvalidInput, "INVALID_PROCESSOR_TOKEN", "provided processor token is in an invalid format or does not exist. expected format: processor-<environment>-<identifier>", false},
		{"removed Item", ItemNotFound("the Item was removed"), 400, TypeItem, "ITEM_NOT_FOUND", "the Item was removed", false},
		{"access not granted", AccessNotGranted([]string{"auth", "identity"}), 400, TypeItem, "ACCESS_NOT_GRANTED", "the user did not grant access to the products the Item needs: auth, identity", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.err
			if e.Status != tt.status || e.ErrorType != tt.typ || e.ErrorCode != tt.code || e.ErrorMessage != tt.message || (e.DisplayMessage != nil) != tt.display {
				t.Errorf("got %d %s %s %q display=%v", e.Status, e.ErrorType, e.ErrorCode, e.ErrorMessage, e.DisplayMessage != nil)
			}
		})
	}
}

func TestRaiseUnknownPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Raise of an unknown code did not panic")
		}
	}()
	Raise("NO_SUCH_CODE")
}

func TestItemError(t *testing.T) {
	raw, _ := json.Marshal(ItemLoginRequired())
	e := ItemError(raw)
	if e == nil || e.ErrorCode != "ITEM_LOGIN_REQUIRED" || e.Status != 400 {
		t.Fatalf("ItemError = %+v", e)
	}
	if ItemError(nil) != nil || ItemError(json.RawMessage(`{"error_code":""}`)) != nil {
		t.Error("a healthy Item has an error")
	}
}

func TestHookBody(t *testing.T) {
	tests := []struct {
		name   string
		hook   Hook
		itemID string
		want   string
	}{
		{"about an Item", SyncUpdatesAvailable(), "item-1",
			`{"environment":"sandbox","historical_update_complete":true,"initial_update_complete":true,"item_id":"item-1","webhook_code":"SYNC_UPDATES_AVAILABLE","webhook_type":"TRANSACTIONS"}`},
		{"about a session", ItemAddResult("ls-1", "link-sandbox-x", "public-sandbox-y"), "",
			`{"environment":"sandbox","link_session_id":"ls-1","link_token":"link-sandbox-x","public_token":"public-sandbox-y","webhook_code":"ITEM_ADD_RESULT","webhook_type":"LINK"}`},
		{"no public token", SessionFinished("EXITED", "ls-1", "link-sandbox-x", []string{}), "",
			`{"environment":"sandbox","link_session_id":"ls-1","link_token":"link-sandbox-x","public_token":"","public_tokens":[],"status":"EXITED","webhook_code":"SESSION_FINISHED","webhook_type":"LINK"}`},
		{"about a processor token", ProcessorWebhookUpdateAcknowledged("acc-1", "https://partner.example/hook"), "",
			`{"account_id":"acc-1","environment":"sandbox","error":null,"new_webhook_url":"https://partner.example/hook","webhook_code":"WEBHOOK_UPDATE_ACKNOWLEDGED","webhook_type":"PROCESSOR_TOKEN"}`},
		{"a body's own item_id wins", Hook{"ITEM", "X", map[string]any{"item_id": "other"}}, "item-1",
			`{"environment":"sandbox","item_id":"other","webhook_code":"X","webhook_type":"ITEM"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.hook.Body(tt.itemID)); got != tt.want {
				t.Errorf("Body = %s\nwant   %s", got, tt.want)
			}
		})
	}
}
