package plaid

// IsACHReturnCode reports whether s has the form of an ACH return code as
// the Transfer and Signal APIs take one: R and two digits (R01, R10, ...).
func IsACHReturnCode(s string) bool {
	return len(s) == 3 && s[0] == 'R' && isDigit(s[1]) && isDigit(s[2])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
