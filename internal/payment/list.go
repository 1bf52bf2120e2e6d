package payment

import (
	"fmt"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
)

// Page sizes of /payment_initiation/payment/list
// (https://plaid.com/docs/api/products/payment-initiation/#payment_initiationpaymentlist).
const (
	// DefaultListCount is the page size when the request gives none.
	DefaultListCount = 10
	// MaxListCount is the largest page size.
	MaxListCount = 200
)

// ListCount is the page size a request asks for (count, nil when it gives
// none), or INVALID_FIELD when it is not between 1 and MaxListCount.
func ListCount(count *int) (int, *plaid.Error) {
	n := DefaultListCount
	if count != nil {
		n = *count
	}
	if n < 1 || n > MaxListCount {
		return 0, plaid.InvalidField(fmt.Sprintf("count must be between 1 and %d", MaxListCount))
	}
	return n, nil
}

// ParseCursor is the time a list cursor stands for: a page holds payments
// created at or before it. An empty cursor is the zero time (no bound); one
// not in RFC 3339 format is INVALID_FIELD.
func ParseCursor(cursor string) (time.Time, *plaid.Error) {
	if cursor == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, cursor)
	if err != nil {
		return time.Time{}, plaid.InvalidField("cursor must be a time in RFC 3339 format, such as 2019-12-06T22:35:49Z")
	}
	return t, nil
}

// Cursor is the cursor of the page that starts with a payment created at
// created: the time in UTC, in milliseconds, so that pages part between
// payments made within one second.
func Cursor(created time.Time) string {
	return plaid.TimeMillis(created)
}
