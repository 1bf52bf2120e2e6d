package main

import "testing"

func TestParseClients(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		n        int
		wantErr  bool
	}{
		{"one", "a:s:k", 1, false},
		{"two with spaces", " a:s:k , b:t:l ", 2, false},
		{"empty", "", 0, true},
		{"missing secret", "a::k", 0, true},
		{"two fields", "a:s", 0, true},
		{"same id", "a:s:k,a:t:l", 0, true},
		{"same key", "a:s:k,b:t:k", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseClients(tc.in)
			if (err != nil) != tc.wantErr || len(got) != tc.n {
				t.Fatalf("parseClients(%q) = %v, %v", tc.in, got, err)
			}
		})
	}
}
