package web_test

import (
	"strings"
	"testing"

	"github.com/linkharness/linkharness/web"
)

func TestParseClients(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		n        int
		wantErr  bool
	}{
		{"one", "a:s:k", 1, false},
		{"two with spaces", " a:s:k , b:t:l ", 2, false},
		{"empty", "", 0, false},
		{"missing secret", "a::k", 0, true},
		{"two fields", "a:s", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := web.ParseClients(tc.in)
			if (err != nil) != tc.wantErr || len(got) != tc.n {
				t.Fatalf("ParseClients(%q) = %v, %v", tc.in, got, err)
			}
		})
	}
	if _, err := web.ParseClients("a:the-secret"); err == nil || strings.Contains(err.Error(), "the-secret") {
		t.Errorf("the error names the secret: %v", err)
	}
}

func TestCheckClients(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		wantErr  bool
	}{
		{"distinct", "a:s:k,b:t:l", false},
		{"same id", "a:s:k,a:t:l", true},
		{"same key", "a:s:k,b:t:k", true},
	} {
		clients, err := web.ParseClients(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if err := web.CheckClients(clients); (err != nil) != tc.wantErr {
			t.Errorf("%s: CheckClients = %v", tc.name, err)
		}
	}
}

func TestParseRedirectURIs(t *testing.T) {
	got, err := web.ParseRedirectURIs(" https://app.example/oauth , http://127.0.0.1:8080/return ")
	if err != nil || len(got) != 2 || got[0] != "https://app.example/oauth" {
		t.Fatalf("ParseRedirectURIs = %q, %v", got, err)
	}
	for _, bad := range []string{"app.example/oauth", "ftp://app.example/", "https://", "/oauth-return"} {
		if _, err := web.ParseRedirectURIs(bad); err == nil {
			t.Errorf("ParseRedirectURIs(%q) succeeded", bad)
		}
	}
}
