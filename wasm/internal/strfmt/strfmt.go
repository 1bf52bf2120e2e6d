// Package strfmt formats the few values the Link engine writes that are
// neither JSON nor wording: timestamps, UUIDs and URL query strings. It
// stands in for time, fmt and net/url, which would cost link.wasm far more
// than these lines.
package strfmt

import "strings"

const hexDigits = "0123456789abcdef"

// UUID formats 16 bytes as a UUID, 8-4-4-4-12 lower-case hexadecimal
// digits (the caller sets the version and variant bits).
func UUID(b [16]byte) string {
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return string(out)
}

// URL is base with the parameters as its query string, in order, each
// present even when empty, escaped as URL components (%20, never +).
func URL(base string, params [][2]string) string {
	var b strings.Builder
	b.WriteString(base)
	for i, p := range params {
		b.WriteByte("?&"[min(i, 1)])
		b.WriteString(p[0])
		b.WriteByte('=')
		QueryComponent(&b, p[1])
	}
	return b.String()
}

// QueryComponent writes s escaped as url.QueryEscape escapes it, but a
// space as %20: every byte but letters, digits and -_.~ as %XX.
func QueryComponent(b *strings.Builder, s string) {
	const upper = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upper[c>>4])
		b.WriteByte(upper[c&0xf])
	}
}

// Millis formats Unix milliseconds as 2006-01-02T15:04:05.000Z, in
// UTC, as time.UnixMilli(ms).UTC().Format would: package time would cost
// link.wasm its formatting and time zone code for this one line.
func Millis(ms int64) string {
	days, rem := ms/86400000, ms%86400000
	if rem < 0 {
		days, rem = days-1, rem+86400000
	}
	y, m, d := civil(days)
	b := make([]byte, 0, 24)
	b = appendPadded(b, y, 4)
	b = append(b, '-')
	b = appendPadded(b, m, 2)
	b = append(b, '-')
	b = appendPadded(b, d, 2)
	b = append(b, 'T')
	b = appendPadded(b, rem/3600000, 2)
	b = append(b, ':')
	b = appendPadded(b, rem/60000%60, 2)
	b = append(b, ':')
	b = appendPadded(b, rem/1000%60, 2)
	b = append(b, '.')
	b = appendPadded(b, rem%1000, 3)
	return string(append(b, 'Z'))
}

// civil is the proleptic Gregorian date of a day counted from 1970-01-01
// (Howard Hinnant's days_from_civil, inverted).
func civil(days int64) (year, month, day int64) {
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	month = mp + 3
	if month > 12 {
		month -= 12
	}
	year = yoe + era*400
	if month <= 2 {
		year++
	}
	return year, month, day
}

// appendPadded appends n in decimal with leading zeros to width digits, as
// time's layouts pad (a negative year keeps its sign).
func appendPadded(b []byte, n int64, width int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var digits [20]byte
	i := len(digits)
	for n > 0 || i == len(digits) {
		i--
		digits[i] = byte('0' + n%10)
		n /= 10
	}
	for w := len(digits) - i; w < width; w++ {
		b = append(b, '0')
	}
	return append(b, digits[i:]...)
}
