package dataservice

import (
	"testing"
	"time"
)

func TestCheckSandboxTransactions(t *testing.T) {
	today := time.Date(2025, 3, 20, 23, 30, 0, 0, time.UTC)
	tx := func(transacted, posted, currency string) SandboxTransaction {
		return SandboxTransaction{DateTransacted: transacted, DatePosted: posted, Amount: 12.5, Description: "Corner Shop", Currency: currency}
	}
	many := make([]SandboxTransaction, 11)
	for i := range many {
		many[i] = tx("2025-03-20", "2025-03-20", "")
	}
	tests := []struct {
		name string
		txs  []SandboxTransaction
		// want is the error code, or "" with the currency of the first.
		want, currency string
	}{
		{"today", []SandboxTransaction{tx("2025-03-20", "2025-03-20", "")}, "", "USD"},
		{"14 days back", []SandboxTransaction{tx("2025-03-06", "2025-03-07", "EUR")}, "", "EUR"},
		{"ten", many[:10], "", "USD"},
		{"eleven", many, "INVALID_FIELD", ""},
		{"none", nil, "MISSING_FIELDS", ""},
		{"15 days back", []SandboxTransaction{tx("2025-03-05", "2025-03-06", "")}, "INVALID_FIELD", ""},
		{"tomorrow", []SandboxTransaction{tx("2025-03-20", "2025-03-21", "")}, "INVALID_FIELD", ""},
		{"posted before transacted", []SandboxTransaction{tx("2025-03-19", "2025-03-18", "")}, "INVALID_FIELD", ""},
		{"not a date", []SandboxTransaction{tx("2025-3-19", "2025-03-19", "")}, "INVALID_FIELD", ""},
		{"lower-case currency", []SandboxTransaction{tx("2025-03-19", "2025-03-19", "usd")}, "INVALID_FIELD", ""},
		{"long currency", []SandboxTransaction{tx("2025-03-19", "2025-03-19", "USDT")}, "INVALID_FIELD", ""},
		{"blank description", []SandboxTransaction{{DateTransacted: "2025-03-19", DatePosted: "2025-03-19", Description: " "}}, "MISSING_FIELDS", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, e := checkSandboxTransactions(tt.txs, today)
			switch {
			case tt.want != "" && (e == nil || e.ErrorCode != tt.want):
				t.Errorf("check = %v, want %s", e, tt.want)
			case tt.want == "" && (e != nil || len(got) != len(tt.txs) || got[0].Currency != tt.currency):
				t.Errorf("check = %v, %v; want the currency %s", got, e, tt.currency)
			}
		})
	}
	in := []SandboxTransaction{tx("2025-03-20", "2025-03-20", "")}
	checkSandboxTransactions(in, today)
	if in[0].Currency != "" {
		t.Error("the check changed the transactions it was given")
	}
}
