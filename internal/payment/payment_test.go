package payment

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
)

// wantErr checks that e is nil when code is "", or has the code and a
// message containing msg.
func wantErr(t *testing.T, what string, e *plaid.Error, code, msg string) {
	t.Helper()
	switch {
	case code == "" && e != nil:
		t.Errorf("%s: %v, want no error", what, e)
	case code != "" && e == nil:
		t.Errorf("%s: no error, want %s", what, code)
	case code != "" && (e.ErrorCode != code || !strings.Contains(e.ErrorMessage, msg)):
		t.Errorf("%s: %s %q, want %s mentioning %q", what, e.ErrorCode, e.ErrorMessage, code, msg)
	}
}

func TestIBAN(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"GB33BUKB20201555555555", "GB33BUKB20201555555555", true},
		{"gb33 bukb 2020 1555 5555 55", "GB33BUKB20201555555555", true},
		{"DE89370400440532013000", "DE89370400440532013000", true},
		{"FR1420041010050500013M02606", "FR1420041010050500013M02606", true},
		{"NL91ABNA0417164300", "NL91ABNA0417164300", true},
		{"GB34BUKB20201555555555", "", false},         // check digits fail mod 97
		{"GB33BUKB20201555555554", "", false},         // one digit changed
		{"GB33BUKB2020", "", false},                   // shorter than 15
		{"GB33" + strings.Repeat("1", 31), "", false}, // longer than 34
		{"1233BUKB20201555555555", "", false},         // no country code
		{"GBX3BUKB20201555555555", "", false},         // letter in the check digits
		{"GB33-BUKB-2020-1555-5555-55", "", false},    // dashes
		{"GB33BUKB2020155555555é", "", false},         // not ASCII
		{"", "", false},
	} {
		got, ok := NormalIBAN(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("NormalIBAN(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		iban, e := CheckIBAN(tc.in)
		if tc.ok {
			wantErr(t, "CheckIBAN("+tc.in+")", e, "", "")
			if iban != tc.want {
				t.Errorf("CheckIBAN(%q) = %q, want %q", tc.in, iban, tc.want)
			}
		} else {
			wantErr(t, "CheckIBAN("+tc.in+")", e, "INVALID_FIELD", "iban must be a valid IBAN")
		}
	}
}

func TestBACS(t *testing.T) {
	for _, tc := range []struct {
		name      string
		b         BACS
		code, msg string
	}{
		{"good", BACS{Account: "26207729", SortCode: "560029"}, "", ""},
		{"ten-digit account", BACS{Account: "1234567890", SortCode: "560029"}, "", ""},
		{"no account", BACS{SortCode: "560029"}, "MISSING_FIELDS", "bacs.account"},
		{"blank sort code", BACS{Account: "26207729", SortCode: "  "}, "MISSING_FIELDS", "bacs.sort_code"},
		{"neither", BACS{}, "MISSING_FIELDS", "bacs.account, bacs.sort_code"},
		{"eleven-digit account", BACS{Account: "12345678901", SortCode: "560029"}, "INVALID_FIELD", "bacs.account"},
		{"letters in account", BACS{Account: "2620772A", SortCode: "560029"}, "INVALID_FIELD", "bacs.account"},
		{"sort code with dashes", BACS{Account: "26207729", SortCode: "56-00-29"}, "INVALID_FIELD", "bacs.sort_code"},
		{"five-digit sort code", BACS{Account: "26207729", SortCode: "56002"}, "INVALID_FIELD", "bacs.sort_code"},
		{"seven-digit sort code", BACS{Account: "26207729", SortCode: "5600291"}, "INVALID_FIELD", "bacs.sort_code"},
		{"letters in sort code", BACS{Account: "26207729", SortCode: "56OO29"}, "INVALID_FIELD", "bacs.sort_code"},
	} {
		wantErr(t, tc.name, CheckBACS(tc.b), tc.code, tc.msg)
	}
}

func TestAddress(t *testing.T) {
	good := Address{Street: []string{"96 Guild Street", "9th Floor"}, City: "London", PostalCode: "SE14 8JW", Country: "GB"}
	with := func(f func(a *Address)) Address {
		a := good
		a.Street = slices.Clone(good.Street)
		f(&a)
		return a
	}
	for _, tc := range []struct {
		name      string
		a         Address
		code, msg string
	}{
		{"good", good, "", ""},
		{"one street line", with(func(a *Address) { a.Street = a.Street[:1] }), "", ""},
		{"no street", with(func(a *Address) { a.Street = nil }), "MISSING_FIELDS", "address.street"},
		{"no city", with(func(a *Address) { a.City = "" }), "MISSING_FIELDS", "address.city"},
		{"nothing", Address{}, "MISSING_FIELDS", "address.street, address.city, address.postal_code, address.country"},
		{"three street lines", with(func(a *Address) { a.Street = append(a.Street, "x") }), "INVALID_FIELD", "one or two lines"},
		{"blank street line", with(func(a *Address) { a.Street[1] = " " }), "INVALID_FIELD", "address.street lines"},
		{"long street line", with(func(a *Address) { a.Street[0] = strings.Repeat("a", 71) }), "INVALID_FIELD", "at most 70"},
		{"long city", with(func(a *Address) { a.City = strings.Repeat("a", 36) }), "INVALID_FIELD", "address.city"},
		{"long postal code", with(func(a *Address) { a.PostalCode = strings.Repeat("1", 17) }), "INVALID_FIELD", "address.postal_code"},
		{"lower-case country", with(func(a *Address) { a.Country = "gb" }), "INVALID_FIELD", "address.country"},
		{"three-letter country", with(func(a *Address) { a.Country = "GBR" }), "INVALID_FIELD", "address.country"},
		{"digits in country", with(func(a *Address) { a.Country = "G1" }), "INVALID_FIELD", "address.country"},
	} {
		wantErr(t, tc.name, CheckAddress(tc.a), tc.code, tc.msg)
	}
}

func TestRecipient(t *testing.T) {
	bacs := &BACS{Account: "26207729", SortCode: "560029"}
	for _, tc := range []struct {
		name      string
		r         Recipient
		want      Recipient
		code, msg string
	}{
		{"IBAN", Recipient{Name: "A", IBAN: "gb33 bukb 2020 1555 5555 55"}, Recipient{Name: "A", IBAN: "GB33BUKB20201555555555"}, "", ""},
		{"BACS", Recipient{Name: "A", BACS: bacs}, Recipient{Name: "A", BACS: bacs}, "", ""},
		{"empty BACS beside an IBAN is dropped", Recipient{Name: "A", IBAN: "GB33BUKB20201555555555", BACS: &BACS{}},
			Recipient{Name: "A", IBAN: "GB33BUKB20201555555555"}, "", ""},
		{"no name", Recipient{IBAN: "GB33BUKB20201555555555"}, Recipient{}, "MISSING_FIELDS", "name"},
		{"blank name before a bad IBAN", Recipient{Name: " ", IBAN: "nope"}, Recipient{}, "MISSING_FIELDS", "name"},
		{"neither IBAN nor BACS", Recipient{Name: "A"}, Recipient{}, "MISSING_FIELDS", "either iban or bacs is required"},
		{"empty BACS alone", Recipient{Name: "A", BACS: &BACS{}}, Recipient{}, "MISSING_FIELDS", "either iban or bacs"},
		{"bad IBAN", Recipient{Name: "A", IBAN: "GB34BUKB20201555555555"}, Recipient{}, "INVALID_FIELD", "iban"},
		{"half BACS", Recipient{Name: "A", BACS: &BACS{SortCode: "560029"}}, Recipient{}, "MISSING_FIELDS", "bacs.account"},
		{"bad address", Recipient{Name: "A", BACS: bacs, Address: &Address{Street: []string{"x"}, City: "y", PostalCode: "z", Country: "gb"}},
			Recipient{}, "INVALID_FIELD", "address.country"},
	} {
		got, e := CheckRecipient(tc.r)
		wantErr(t, tc.name, e, tc.code, tc.msg)
		if e == nil && (got.Name != tc.want.Name || got.IBAN != tc.want.IBAN || (got.BACS == nil) != (tc.want.BACS == nil) ||
			got.BACS != nil && *got.BACS != *tc.want.BACS || (got.Address == nil) != (tc.want.Address == nil)) {
			t.Errorf("%s: CheckRecipient = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestReference(t *testing.T) {
	for _, tc := range []struct {
		ref       string
		code, msg string
	}{
		{"Order 42", "", ""},
		{"abcdefghijklmnopqr", "", ""}, // 18 characters
		{"INV 2024 0001", "", ""},
		{"abcdefghijklmnopqrs", "INVALID_FIELD", "at most 18 characters"},
		{"Order #42", "INVALID_FIELD", "letters, digits and spaces only"},
		{"Order-42", "INVALID_FIELD", "letters, digits and spaces only"},
		{"Café", "INVALID_FIELD", "letters, digits and spaces only"},
		{"tab\there", "INVALID_FIELD", "letters, digits and spaces only"},
	} {
		wantErr(t, "CheckReference("+tc.ref+")", CheckReference(tc.ref), tc.code, tc.msg)
	}
}

func TestCurrency(t *testing.T) {
	for _, tc := range []struct {
		currency string
		ok       bool
	}{{"GBP", true}, {"EUR", true}, {"USD", false}, {"gbp", false}, {"", false}, {"GBP ", false}} {
		code := ""
		if !tc.ok {
			code = "INVALID_FIELD"
		}
		wantErr(t, "CheckCurrency("+tc.currency+")", CheckCurrency(tc.currency), code, "amount.currency must be GBP or EUR")
	}
	c := Currencies()
	c[0] = "USD"
	if !slices.Equal(Currencies(), []string{"GBP", "EUR"}) {
		t.Errorf("Currencies() = %v after changing a copy", Currencies())
	}
}

func TestMinorUnits(t *testing.T) {
	for _, tc := range []struct {
		value     float64
		want      int64
		code, msg string
	}{
		{1, 100, "", ""},
		{12.34, 1234, "", ""},
		{0.1 + 0.2 + 0.7, 100, "", ""}, // float noise within 1e-6 of a whole penny
		{1.1, 110, "", ""},
		{999999.99, 99999999, "", ""},
		{1e12, 1e14, "", ""},
		{0.99, 0, "INVALID_FIELD", "at least 1"},
		{0, 0, "INVALID_FIELD", "at least 1"},
		{-5, 0, "INVALID_FIELD", "at least 1"},
		{math.NaN(), 0, "INVALID_FIELD", "at least 1"},
		{1e12 + 1, 0, "INVALID_FIELD", "too large"},
		{math.Inf(1), 0, "INVALID_FIELD", "too large"},
		{12.345, 0, "INVALID_FIELD", "at most two decimals"},
		{1.001, 0, "INVALID_FIELD", "at most two decimals"},
	} {
		got, e := MinorUnits(tc.value)
		wantErr(t, "MinorUnits", e, tc.code, tc.msg)
		if e == nil && got != tc.want {
			t.Errorf("MinorUnits(%v) = %d, want %d", tc.value, got, tc.want)
		}
	}
	if MajorUnits(1234) != 12.34 {
		t.Errorf("MajorUnits(1234) = %v", MajorUnits(1234))
	}
}

func TestOrder(t *testing.T) {
	v := func(f float64) *float64 { return &f }
	for _, tc := range []struct {
		name      string
		o         Order
		want      int64
		code, msg string
	}{
		{"good", Order{RecipientID: "r", Reference: "Order 42", Amount: &Amount{Currency: "GBP", Value: v(12.34)}}, 1234, "", ""},
		{"nothing", Order{}, 0, "MISSING_FIELDS", "recipient_id, reference"},
		{"no amount", Order{RecipientID: "r", Reference: "x"}, 0, "MISSING_FIELDS", "amount"},
		{"no value", Order{RecipientID: "r", Reference: "x", Amount: &Amount{Currency: "GBP"}}, 0, "MISSING_FIELDS", "amount.value"},
		{"no currency", Order{RecipientID: "r", Reference: "x", Amount: &Amount{Value: v(1)}}, 0, "MISSING_FIELDS", "amount.currency"},
		// The reference is checked before the currency, the currency before the value.
		{"bad reference and currency", Order{RecipientID: "r", Reference: "#", Amount: &Amount{Currency: "USD", Value: v(0)}}, 0, "INVALID_FIELD", "reference"},
		{"bad currency and value", Order{RecipientID: "r", Reference: "x", Amount: &Amount{Currency: "USD", Value: v(0)}}, 0, "INVALID_FIELD", "amount.currency"},
		{"three decimals", Order{RecipientID: "r", Reference: "x", Amount: &Amount{Currency: "EUR", Value: v(1.234)}}, 0, "INVALID_FIELD", "two decimals"},
	} {
		got, e := CheckOrder(tc.o)
		wantErr(t, tc.name, e, tc.code, tc.msg)
		if e == nil && got != tc.want {
			t.Errorf("%s: CheckOrder = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	n := func(i int) *int { return &i }
	for _, tc := range []struct {
		count *int
		want  int
		ok    bool
	}{{nil, DefaultListCount, true}, {n(1), 1, true}, {n(200), 200, true}, {n(0), 0, false}, {n(201), 0, false}, {n(-1), 0, false}} {
		got, e := ListCount(tc.count)
		if tc.ok {
			wantErr(t, "ListCount", e, "", "")
		} else {
			wantErr(t, "ListCount", e, "INVALID_FIELD", "count must be between 1 and 200")
		}
		if got != tc.want {
			t.Errorf("ListCount = %d, want %d", got, tc.want)
		}
	}
	at := time.Date(2019, 12, 6, 22, 35, 49, 123456789, time.FixedZone("x", 3600))
	if got := Cursor(at); got != "2019-12-06T21:35:49.123Z" {
		t.Errorf("Cursor = %s", got)
	}
	if got, e := ParseCursor(Cursor(at)); e != nil || !got.Equal(at.Truncate(time.Millisecond)) {
		t.Errorf("ParseCursor(Cursor) = %v, %v", got, e)
	}
	if got, e := ParseCursor(""); e != nil || !got.IsZero() {
		t.Errorf("ParseCursor(\"\") = %v, %v", got, e)
	}
	if got, e := ParseCursor("2019-12-06T22:35:49Z"); e != nil || !got.Equal(time.Date(2019, 12, 6, 22, 35, 49, 0, time.UTC)) {
		t.Errorf("ParseCursor(seconds) = %v, %v", got, e)
	}
	_, e := ParseCursor("yesterday")
	wantErr(t, "ParseCursor(yesterday)", e, "INVALID_FIELD", "RFC 3339")
}

func TestLifecycle(t *testing.T) {
	steps := Execution()
	if len(steps) == 0 || steps[0].From != StatusInputNeeded || steps[len(steps)-1].To != StatusExecuted {
		t.Fatalf("Execution() = %v", steps)
	}
	for i := 1; i < len(steps); i++ {
		if steps[i].From != steps[i-1].To {
			t.Errorf("step %d starts at %s, not where step %d ended (%s)", i, steps[i].From, i-1, steps[i-1].To)
		}
	}
	for _, s := range []string{StatusInputNeeded, StatusInitiated, StatusExecuted} {
		if Authorisable(s) != (s == StatusInputNeeded) {
			t.Errorf("Authorisable(%s) = %v", s, Authorisable(s))
		}
	}
	wantErr(t, "ErrNotWaiting", ErrNotWaiting("payment-id-1", StatusExecuted), "INVALID_FIELD",
		"payment payment-id-1 is PAYMENT_STATUS_EXECUTED, not PAYMENT_STATUS_INPUT_NEEDED")
}

func TestCheckLinkProducts(t *testing.T) {
	for _, tc := range []struct {
		name          string
		paymentID     string
		products, all []string
		code, msg     string
	}{
		{"no payment", "", []string{"auth"}, []string{"auth", "identity"}, "", ""},
		{"payment", "payment-id-1", []string{"payment_initiation"}, []string{"payment_initiation"}, "", ""},
		{"payment_initiation without a payment", "", []string{"auth"}, []string{"auth", "payment_initiation"}, "MISSING_FIELDS", "payment_initiation.payment_id"},
		{"payment with another product", "payment-id-1", []string{"payment_initiation", "auth"}, nil, "INVALID_FIELD", `exactly ["payment_initiation"]`},
		{"payment without products", "payment-id-1", nil, nil, "INVALID_FIELD", `exactly ["payment_initiation"]`},
	} {
		wantErr(t, tc.name, CheckLinkProducts(tc.paymentID, tc.products, tc.all), tc.code, tc.msg)
	}
}
