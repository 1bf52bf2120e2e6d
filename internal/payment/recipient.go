package payment

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/plaid"
)

// Recipient is what /payment_initiation/recipient/create asks for: a name,
// and an IBAN, UK account details (BACS) or both, and optionally an
// address
// (https://plaid.com/docs/api/products/payment-initiation/#payment_initiationrecipientcreate).
type Recipient struct {
	// Name is the recipient's name, as the payer sees it in Link.
	Name string
	// IBAN is empty when the request has none.
	IBAN string
	// BACS is nil when the request has none.
	BACS *BACS
	// Address is nil when the request has none.
	Address *Address
}

// BACS is a UK account number and sort code.
type BACS struct {
	// Account is the account number, at most 10 digits.
	Account string
	// SortCode is the sort code, 6 digits without dashes.
	SortCode string
}

// Address is a recipient's postal address.
type Address struct {
	// Street is one or two lines of at most 70 characters.
	Street []string
	// City is at most 35 characters.
	City string
	// PostalCode is at most 16 characters.
	PostalCode string
	// Country is an ISO 3166-1 alpha-2 code.
	Country string
}

// CheckRecipient returns r as Plaid stores it, or the error Plaid refuses
// it with. The name is required; a non-empty IBAN must be valid and is
// kept without spaces and in capitals; BACS details with an account or a
// sort code must be valid, and without either are dropped; one of IBAN and
// BACS is required; an address must be valid.
func CheckRecipient(r Recipient) (Recipient, *plaid.Error) {
	if e := missing("name", r.Name); e != nil {
		return Recipient{}, e
	}
	out := Recipient{Name: r.Name}
	if r.IBAN != "" {
		iban, e := CheckIBAN(r.IBAN)
		if e != nil {
			return Recipient{}, e
		}
		out.IBAN = iban
	}
	if r.BACS != nil && (r.BACS.Account != "" || r.BACS.SortCode != "") {
		if e := CheckBACS(*r.BACS); e != nil {
			return Recipient{}, e
		}
		out.BACS = r.BACS
	}
	if out.IBAN == "" && out.BACS == nil {
		return Recipient{}, plaid.New("MISSING_FIELDS",
			"either iban or bacs is required: a recipient is paid by IBAN, or by UK account number and sort code")
	}
	if r.Address != nil {
		if e := CheckAddress(*r.Address); e != nil {
			return Recipient{}, e
		}
		out.Address = r.Address
	}
	return out, nil
}

// CheckIBAN returns iban as NormalIBAN writes it, or INVALID_FIELD when it
// is not a valid IBAN.
func CheckIBAN(iban string) (string, *plaid.Error) {
	iban, ok := NormalIBAN(iban)
	if !ok {
		return "", plaid.InvalidField("iban must be a valid IBAN: a country code, two check digits that pass the mod-97 check and up to 30 letters and digits")
	}
	return iban, nil
}

// NormalIBAN returns iban without spaces and in capitals, and whether it
// is a valid IBAN (ISO 13616: two letters, two check digits, at most 30
// letters and digits, 15 to 34 characters in all, and the whole is 1
// modulo 97).
func NormalIBAN(iban string) (string, bool) {
	iban = strings.ToUpper(strings.ReplaceAll(iban, " ", ""))
	if len(iban) < 15 || len(iban) > 34 {
		return iban, false
	}
	for i, r := range iban {
		letter, digit := r >= 'A' && r <= 'Z', r >= '0' && r <= '9'
		if (i < 2 && !letter) || (i >= 2 && i < 4 && !digit) || (!letter && !digit) {
			return iban, false
		}
	}
	return iban, mod97(iban[4:]+iban[:4]) == 1
}

// IBAN is the IBAN of a country and a BBAN (the national account number),
// with the check digits that make it pass ISO 13616's mod-97 check.
func IBAN(country, bban string) string {
	return fmt.Sprintf("%s%02d%s", country, 98-mod97(bban+country+"00"), bban)
}

// mod97 is the remainder by 97 of s with every letter read as a number
// (A is 10, Z is 35), as ISO 13616 computes it.
func mod97(s string) int64 {
	var digits strings.Builder
	for _, r := range s {
		if r >= 'A' {
			fmt.Fprint(&digits, int(r-'A')+10)
		} else {
			digits.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	return new(big.Int).Mod(n, big.NewInt(97)).Int64()
}

// CheckBACS returns MISSING_FIELDS without an account or a sort code, and
// INVALID_FIELD unless b is a UK account number (at most 10 digits) and a
// 6-digit sort code written without dashes.
func CheckBACS(b BACS) *plaid.Error {
	if e := missing("bacs.account", b.Account, "bacs.sort_code", b.SortCode); e != nil {
		return e
	}
	if len(b.Account) > 10 || !allDigits(b.Account) {
		return plaid.InvalidField("bacs.account must be an account number of at most 10 digits")
	}
	if len(b.SortCode) != 6 || !allDigits(b.SortCode) {
		return plaid.InvalidField("bacs.sort_code must be a sort code of 6 digits, without dashes")
	}
	return nil
}

func allDigits(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// CheckAddress checks a recipient's address as Plaid's reference
// describes it: one or two street lines of at most 70 characters, a city
// of at most 35, a postal code of at most 16 and an ISO 3166-1 alpha-2
// country code in capitals.
func CheckAddress(a Address) *plaid.Error {
	if e := missing("address.street", a.Street, "address.city", a.City, "address.postal_code", a.PostalCode,
		"address.country", a.Country); e != nil {
		return e
	}
	switch {
	case len(a.Street) > 2:
		return plaid.InvalidField("address.street must have one or two lines")
	case slices.ContainsFunc(a.Street, func(l string) bool { return len(l) > 70 || strings.TrimSpace(l) == "" }):
		return plaid.InvalidField("address.street lines must be non-empty and at most 70 characters")
	case len(a.City) > 35:
		return plaid.InvalidField("address.city must be at most 35 characters")
	case len(a.PostalCode) > 16:
		return plaid.InvalidField("address.postal_code must be at most 16 characters")
	case len(a.Country) != 2 || strings.ToUpper(a.Country) != a.Country || strings.ContainsFunc(a.Country, func(r rune) bool { return r < 'A' || r > 'Z' }):
		return plaid.InvalidField("address.country must be an ISO 3166-1 alpha-2 country code such as GB")
	}
	return nil
}
