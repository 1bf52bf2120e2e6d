package strfmt

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestMillis compares Millis with package time.
func TestMillis(t *testing.T) {
	for _, ms := range []int64{0, 1, 999, 86399999, 86400000, -1, -86400001, 951782400000, 1796214476802,
		4102444800000, 253402300799999, -62135596800000, 1709164800123} {
		want := time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
		if got := Millis(ms); got != want {
			t.Errorf("Millis(%d) = %s, want %s", ms, got, want)
		}
	}
	for ms := int64(-400 * 365 * 86400000); ms < 800*365*86400000; ms += 86400000*37 + 3723456 {
		if got, want := Millis(ms), time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z"); got != want {
			t.Fatalf("Millis(%d) = %s, want %s", ms, got, want)
		}
	}
}

// TestQueryComponent compares QueryComponent with url.QueryEscape.
func TestQueryComponent(t *testing.T) {
	for _, s := range []string{"", "plain-_.~09AZaz", "a b+c&d=e?f/g#h%i", "é日\xff", "{\"a\":[1]}"} {
		var b strings.Builder
		QueryComponent(&b, s)
		if want := strings.ReplaceAll(url.QueryEscape(s), "+", "%20"); b.String() != want {
			t.Errorf("QueryComponent(%q) = %s, want %s", s, b.String(), want)
		}
	}
}

// TestURL checks the query string's order, separators and escaping.
func TestURL(t *testing.T) {
	got := URL("plaidlink://exit", [][2]string{{"status", "requires credentials"}, {"empty", ""}, {"q", "a&b=c"}})
	if want := "plaidlink://exit?status=requires%20credentials&empty=&q=a%26b%3Dc"; got != want {
		t.Errorf("URL = %s, want %s", got, want)
	}
	if got := URL("plaidlink://event", nil); got != "plaidlink://event" {
		t.Errorf("URL without parameters = %s", got)
	}
}

// TestUUID checks the layout.
func TestUUID(t *testing.T) {
	b := [16]byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}
	if got, want := UUID(b), "00112233-4455-6677-8899-aabbccddeeff"; got != want {
		t.Errorf("UUID = %s, want %s", got, want)
	}
}
