//go:build !wasip1

// This file is left out of link.wasm (GOOS=wasip1), which never needs it:
// its package time would cost the module about 60 KB gzipped.

package plaid

import "time"

// Time is how Plaid writes a time: RFC 3339 in UTC, whole seconds.
func Time(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// OptTime is a nullable Time: nil for the zero time.
func OptTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := Time(t)
	return &s
}

// TimeNano is a time with its fraction of a second, as Link's event
// timestamps and the control API write them.
func TimeNano(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// OptTimeNano is a nullable TimeNano: nil for the zero time.
func OptTimeNano(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := TimeNano(t)
	return &s
}

// Date is how Plaid writes a date: YYYY-MM-DD, in UTC.
func Date(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// ParseDate reads a Date.
func ParseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// TimeMillis is a time with milliseconds, in UTC, as Plaid writes Payment
// Initiation's timestamps and cursors.
func TimeMillis(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }
