package config

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestFromWebviewQuery reads link.html's query strings, the docs' own example
// first.
func TestFromWebviewQuery(t *testing.T) {
	tests := []struct {
		name, query string
		want        map[string]any
	}{
		{"the docs' example", "?isWebview=true&clientName=Your%20App&env=sandbox&key=PUBLIC_KEY&product=transactions,auth" +
			"&language=en&countryCodes=US,CA&webhook=https%3A%2F%2Fyourappurl.com&linkCustomizationName=default" +
			"&token=&paymentToken=&oauthNonce=&oauthRedirectUri=&oauthStateId=&accountSubtypes=%7B%22depository%22%3A%5B%22checking%22%5D%7D",
			map[string]any{
				"isWebview": true, "clientName": "Your App", "env": "sandbox", "key": "PUBLIC_KEY",
				"product": []any{"transactions", "auth"}, "language": "en", "countryCodes": []any{"US", "CA"},
				"webhook": "https://yourappurl.com", "linkCustomizationName": "default",
				"accountSubtypes": map[string]any{"depository": []any{"checking"}},
			}},
		{"no leading ?", "isWebview=false&key=k", map[string]any{"isWebview": false, "key": "k"}},
		{"accountSubtypes not JSON, kept for validation to refuse", "accountSubtypes=nope", map[string]any{"accountSubtypes": "nope"}},
		{"not a query string", "%zz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got map[string]any
			if err := json.Unmarshal(FromWebviewQuery(tt.query), &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("config\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}
