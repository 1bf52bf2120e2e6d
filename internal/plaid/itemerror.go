//go:build !wasip1

// This file is left out of link.wasm (GOOS=wasip1), which never needs it:
// its encoding/json (and fmt, which it brings) would cost the module
// about 45 KB gzipped.

package plaid

import "encoding/json"

// ItemError is the error an Item is in, from its stored JSON (an Item's
// "error" field), answered with 400; nil when the Item is healthy.
func ItemError(raw json.RawMessage) *Error {
	if len(raw) == 0 {
		return nil
	}
	var e Error
	if json.Unmarshal(raw, &e) != nil || e.ErrorCode == "" {
		return nil
	}
	e.Status = statusBadRequest
	return &e
}
