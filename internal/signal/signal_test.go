package signal

import "testing"

func num(f float64) *float64 { return &f }

// TestScore pins that the scores rise with the amount against the
// balance, stay in range, and are the same for the same input.
func TestScore(t *testing.T) {
	for _, tc := range []struct {
		name             string
		amount           float64
		balance          *float64
		minBank, maxBank int
		result           string
	}{
		{"tiny against the balance", 1, num(1000), 1, 2, "ACCEPT"},
		{"a tenth", 100, num(1000), 9, 11, "ACCEPT"},
		{"the whole balance", 100, num(100), 49, 51, "REVIEW"},
		{"twice the balance", 200, num(100), 65, 67, ""},
		{"ten times the balance", 1000, num(100), 89, 91, "REROUTE"},
		{"no balance", 10, nil, 99, 99, "REROUTE"},
		{"an empty account", 10, num(0), 99, 99, "REROUTE"},
		{"an overdrawn account", 10, num(-50), 99, 99, "REROUTE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Score("item", "acc", tc.amount, tc.balance)
			if s.BankScore < tc.minBank || s.BankScore > tc.maxBank {
				t.Errorf("bank score %d, want %d..%d", s.BankScore, tc.minBank, tc.maxBank)
			}
			if s.CustomerScore < 1 || s.CustomerScore > 99 || s.BankTier < 1 || s.BankTier > 8 || s.CustomerTier < 1 || s.CustomerTier > 5 {
				t.Errorf("out of range: %+v", s)
			}
			if again := Score("item", "acc", tc.amount, tc.balance); again != s {
				t.Errorf("not deterministic: %+v then %+v", s, again)
			}
			if r := Result(s); tc.result != "" && r != tc.result {
				t.Errorf("result %s, want %s (%+v)", r, tc.result, s)
			}
		})
	}
	prev := Score("item", "acc", 1, num(500))
	for _, amount := range []float64{50, 200, 500, 2000, 10000} {
		s := Score("item", "acc", amount, num(500))
		if s.BankScore <= prev.BankScore || s.BankTier < prev.BankTier || s.CustomerScore+8 <= prev.CustomerScore {
			t.Errorf("amount %v: %+v after %+v", amount, s, prev)
		}
		prev = s
	}
}
