package plaid

import "testing"

func TestIsACHReturnCode(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"R01", true}, {"R99", true}, {"R1", false}, {"R001", false},
		{"r01", false}, {"X01", false}, {"R0A", false}, {"", false},
	} {
		if got := IsACHReturnCode(tt.s); got != tt.want {
			t.Errorf("IsACHReturnCode(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
