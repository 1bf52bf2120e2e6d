package web_test

import (
	"slices"
	"testing"
	"time"

	"github.com/linkharness/linkharness/web"
)

// TestPendingExpiration: an Item at a European OAuth institution has a
// consent that expires (item.consent_expiration_time, 90 days on), and
// /sandbox/item/reset_login sends ITEM PENDING_EXPIRATION with it after
// ITEM ERROR; an Item at a US bank has neither.
func TestPendingExpiration(t *testing.T) {
	srv := newAPI(t, web.Options{})
	tests := []struct {
		institution string
		expires     bool
		codes       []string
	}{
		{"ins_116834", true, []string{"ERROR", "PENDING_EXPIRATION"}},
		{"ins_109508", false, []string{"ERROR"}},
	}
	for _, tt := range tests {
		t.Run(tt.institution, func(t *testing.T) {
			pt := must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": tt.institution,
				"initial_products": []string{"transactions"}, "options": map[string]any{"webhook": "http://127.0.0.1:1/hooks"}})
			access := must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": pt["public_token"]})["access_token"]
			item := must(t, srv, &alice, "/item/get", map[string]any{"access_token": access})["item"].(map[string]any)
			expiry, _ := item["consent_expiration_time"].(string)
			if tt.expires {
				at, err := time.Parse(time.RFC3339, expiry)
				if err != nil || at.Sub(time.Now()) < 89*24*time.Hour || at.Sub(time.Now()) > 91*24*time.Hour {
					t.Fatalf("consent_expiration_time %q, want about 90 days on (%v)", expiry, err)
				}
			} else if item["consent_expiration_time"] != nil {
				t.Fatalf("consent_expiration_time %v at a US bank, want null", item["consent_expiration_time"])
			}
			must(t, srv, &alice, "/sandbox/item/reset_login", map[string]any{"access_token": access})
			var got []string
			for _, w := range must(t, srv, &alice, "/linkharness/webhooks/list", map[string]any{"item_id": item["item_id"]})["webhooks"].([]any) {
				w := w.(map[string]any)
				if w["webhook_type"] != "ITEM" {
					continue
				}
				got = append(got, w["webhook_code"].(string))
				if w["webhook_code"] == "PENDING_EXPIRATION" {
					if body := w["body"].(map[string]any); body["consent_expiration_time"] != expiry || body["item_id"] != item["item_id"] {
						t.Errorf("PENDING_EXPIRATION body %v, want consent_expiration_time %s", body, expiry)
					}
				}
			}
			if !slices.Equal(got, tt.codes) {
				t.Errorf("ITEM webhooks %v, want %v", got, tt.codes)
			}
		})
	}
}
