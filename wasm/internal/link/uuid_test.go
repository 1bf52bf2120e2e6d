package link

import (
	"fmt"
	"testing"
)

// TestUUID checks the UUID's layout against fmt's.
func TestUUID(t *testing.T) {
	entropy := []byte("\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff")
	o := &output{entropy: entropy}
	b := append([]byte(nil), entropy...)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	want := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
	if got := o.uuid(); got != want {
		t.Errorf("uuid = %s, want %s", got, want)
	}
	if got := o.uuid(); got != "" {
		t.Errorf("uuid without entropy = %q", got)
	}
}
