package e2e

import "testing"

func TestXPathLiteral(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "First Platypus Bank", "'First Platypus Bank'"},
		{"apostrophe", "Chase's bank", `"Chase's bank"`},
		{"both quotes", `a'b"c`, `concat('a', "'", 'b"c')`},
		{"empty", "", "''"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := xq(tt.in); got != tt.want {
				t.Errorf("xq(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}
