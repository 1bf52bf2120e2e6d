package metadata

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/linkharness/linkharness/wasm/internal/wire"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// TestAppendJSON compares the metadata's AppendJSON with encoding/json.
func TestAppendJSON(t *testing.T) {
	s, mask := "<x> & \"y\"", "0000"
	account := protocol.Account{ID: "a", Name: "Checking", Mask: &mask, Type: "depository", Subtype: "checking"}
	for _, v := range []wire.Appender{
		Event{}, Event{AccountNumberMask: &s, ErrorCode: &s, ErrorMessage: &s, ErrorType: &s, ExitStatus: &s,
			InstitutionID: &s, InstitutionName: &s, InstitutionSearchQuery: &s, IsUpdateMode: &s, LinkSessionID: s, MatchReason: &s,
			MFAType: &s, RequestID: s, RoutingNumber: &s, Selection: &s, Timestamp: s, ViewName: &s},
		Success{}, Success{Institution: &Institution{Name: "Bank", InstitutionID: "ins_1"},
			Accounts: []protocol.Account{account, {}}, Account: &account, LinkSessionID: "s", TransferStatus: &s},
		Success{Accounts: []protocol.Account{}},
		Exit{}, Exit{Institution: &Institution{}, Status: &s, LinkSessionID: "s", RequestID: "r"},
		(*Institution)(nil),
	} {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Errorf("%T\n got %s\nwant %s", v, got, want)
		}
	}
}
