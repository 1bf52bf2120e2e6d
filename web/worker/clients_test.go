package main

import (
	"testing"
	"time"
)

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

func TestParseBackoff(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"", 0, false},
		{"2s", 2 * time.Second, false},
		{" 500ms ", 500 * time.Millisecond, false},
		{"0s", 0, true},
		{"-1s", 0, true},
		{"soon", 0, true},
	} {
		got, err := parseBackoff(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("parseBackoff(%q) = %v, %v", tc.in, got, err)
		}
	}
}
