package protocol

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

func ptr(s string) *string { return &s }

// appender is what the AppendJSON methods share.
type appender interface{ AppendJSON([]byte) []byte }

// TestAppendJSON compares every AppendJSON with encoding/json.
func TestAppendJSON(t *testing.T) {
	view := &View{Pane: "CREDENTIAL", Title: "Link", Heading: "Log in <to> \"Bank\"", Text: []string{"a", "b & c"}, Error: "bad",
		Busy: true, Fields: []Field{{ID: "u", Label: "User", Kind: FieldText, Value: "v"}, {ID: "s", Kind: FieldSelect, Options: []string{"x"}}},
		List:    &List{Label: "L", Multiple: true, Items: []Item{{ID: "i", Label: "I", Detail: "d", Selected: true}, {ID: "j"}}, Empty: "none"},
		Buttons: []Button{{ID: "go", Label: "Go", Primary: true, Disabled: true}}, Close: &Button{ID: "close", Label: "Close"}}
	pe := &PlaidError{ErrorType: "ITEM_ERROR", ErrorCode: "INVALID_CREDENTIALS", ErrorMessage: "m", DisplayMessage: ptr("d"), RequestID: "r"}
	for _, v := range []appender{
		Result{},
		Result{Effects: []Effect{}},
		Result{Effects: []Effect{
			{Kind: KindCallback, Callback: &Callback{Name: OnEvent, Args: []RawMessage{RawMessage(`"OPEN"`), RawMessage(`{"a":null}`)}}},
			{Kind: KindCallback, Callback: &Callback{Name: OnLoad, Args: []RawMessage{}}},
			{Kind: KindCallback, Callback: &Callback{Name: OnLoad}},
			{Kind: KindRender, View: view},
			{Kind: KindRender, View: &View{}},
			{Kind: KindClose},
			{Kind: KindRequest, Request: &Request{ID: 3, Path: PathItemCreate, Body: RawMessage(`{"x":1}`)}},
			{Kind: KindRequest, Request: &Request{ID: 4, Path: PathItemCreate}},
			{Kind: KindTimer, Timer: &Timer{ID: 5, DelayMS: 1500}},
			{Kind: KindConsole, Console: &Console{Level: LevelWarn, Message: "careful\n"}},
			{Kind: KindWindow, Window: &Window{ID: 6, URL: "/link/oauth/authorize?x=1&y=2"}},
			{Kind: KindNavigate, Navigate: &Navigate{URL: "plaidlink://exit?status=%20"}},
		}},
		OAuthStartRequest{}, OAuthStartRequest{PublicKey: "k", LinkToken: "t", LinkSessionID: "s", InstitutionID: "i", ClientName: "c", Events: []RecordedEvent{{EventName: "OPEN", EventMetadata: RawMessage(`{"a":1}`), Timestamp: "t"}}},
		OAuthStatusRequest{}, OAuthStatusRequest{PublicKey: "k", LinkToken: "t", LinkSessionID: "s", OAuthStateID: "o", Events: []RecordedEvent{{EventName: "OPEN", EventMetadata: RawMessage(`{"a":1}`), Timestamp: "t"}}},
		SessionOpenRequest{}, SessionOpenRequest{PublicKey: "k", LinkToken: "t", Env: "sandbox", ClientName: "c", Products: []string{"auth"},
			CountryCodes: []string{"US", "GB"}, Language: "en", Webhook: "https://w", LinkSessionID: "s", LinkCustomizationName: "default",
			PublicToken: "p", PaymentToken: "pt", OAuthNonce: "n", OAuthRedirectURI: "https://r", OAuthStateID: "o", ReceivedRedirectURI: "https://rr"},
		PaymentExecuteRequest{}, PaymentExecuteRequest{PublicKey: "k", LinkToken: "t", LinkSessionID: "s", InstitutionID: "i", OAuthStateID: "o", Events: []RecordedEvent{{EventName: "OPEN", EventMetadata: RawMessage(`{"a":1}`), Timestamp: "t"}}},
		SessionRecordRequest{}, SessionRecordRequest{PublicKey: "k", LinkSessionID: "s",
			Events:  []RecordedEvent{{EventName: "OPEN", EventMetadata: RawMessage(`{"a":1}`), Timestamp: "t"}, {EventName: "X"}},
			Exit:    &RecordedExit{Error: pe, Metadata: RawMessage(`{}`)},
			Success: &RecordedSuccess{PublicToken: "p", Metadata: RawMessage(`[]`)}},
		SessionRecordRequest{Exit: &RecordedExit{}},
		ItemCreateRequest{}, ItemCreateRequest{PublicKey: "k", LinkToken: "t", LinkSessionID: "s", InstitutionID: "i", Products: []string{"auth"},
			Webhook: "w", Username: "user_good", Password: "pass_good", MFA: [][]string{{"1234"}, nil, {"a", "b"}}, OAuthStateID: "o",
			Events: []RecordedEvent{{EventName: "OPEN", EventMetadata: RawMessage(`{"a":1}`), Timestamp: "t"}}},
		Account{}, Account{ID: "a", Name: "n", Mask: ptr("0000"), Type: "depository", Subtype: "checking", VerificationStatus: ptr("v"), ClassType: ptr("c")},
		ItemConnectRequest{}, ItemConnectRequest{LinkSessionID: "s", ItemID: "i", AccountIDs: []string{"a", "b"}, Events: []RecordedEvent{{EventName: "X", EventMetadata: RawMessage(`{"a":1}`), Timestamp: "t"}}},
		(*PlaidError)(nil), &PlaidError{}, pe,
	} {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.AppendJSON([]byte("prefix")); !bytes.Equal(got, append([]byte("prefix"), want...)) {
			t.Errorf("%T\n got %s\nwant prefix%s", v, got, want)
		}
	}
}

// decodable is what the DecodeJSON methods share.
type decodable interface{ DecodeJSON([]byte) error }

// TestDecodeJSON compares every DecodeJSON with encoding/json: the same
// values, and an error for the same inputs.
func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		new func() decodable
		in  []string
	}{
		{func() decodable { return new(Message) }, []string{
			`{"type":"create","session":1,"now":1700000000000,"entropy":"AAECAwQFBgcICQoLDA0ODw==","config":{"key":"k","onSuccess":{"$function":true}}}`,
			`{"type":"create","session":1,"config":null,"query":"?isWebview=true"}`,
			`{"type":"response","session":2,"response":{"id":3,"status":200,"body":{"request_id":"r","accounts":[{"id":"a"}]}}}`,
			`{"type":"response","response":{"id":3,"status":0,"body":null}}`,
			`{"type":"response","response":null}`,
			`{"type":"press","target":"continue","value":"v","force":true,"timer":4,"window":5,"entropy":null}`,
			`{"TYPE":"open","Session":7}`,
			`{"type":1}`, `{"session":"1"}`, `{"session":1.5}`, `{"now":1e3}`, `{"entropy":"not base64!"}`, `{"force":"yes"}`,
			`{"response":{"id":"x"}}`, `{"response":[]}`, `[]`, `"x"`, `null`, `{`, `{"config":}`,
			`{"type":"open","TYPE":"exit","type":"press"}`, `{"Type":"exit","type":"open"}`, `{"type":"open","Type":"exit"}`,
			`{"response":{"id":1,"body":{"a":[1,{"b":null}]}},"response":{"status":200}}`, `{"\u0074ype":"open","extra":{"x":[true]}}`,
			`{"response":{"body":{"a":}}}`, `{"config":{"a" 1}}`,
		}},
		{func() decodable { return new(SessionOpenResponse) }, []string{
			`{"request_id":"r"}`,
			`{"request_id":"r","config":{"client_name":"c","products":["auth"],"country_codes":["GB"],"language":"fr","webhook":"w",` +
				`"account_filters":{"depository":{"account_subtypes":["checking","savings"]},"credit":null},"redirect_uri":"https://r",` +
				`"multi_item":true,"update_mode":true,"institution_id":"ins_1",` +
				`"payment":{"payment_id":"p","amount":{"currency":"GBP","value":12.34},"reference":"ref","recipient_name":"n","institution_id":"i"},` +
				`"resume":{"link_session_id":"s","institution_id":"i","oauth_state_id":"o","status":"approved"}},` +
				`"settings":{"account_select":"all","preselect":["checking"],"headings":{"CONSENT":"Hi","X":null},"institution_health":{"ins_1":"DOWN"},"chaos_seed":42}}`,
			`{"config":null,"settings":null}`,
			`{"config":[]}`, `{"settings":{"chaos_seed":"1"}}`, `{"config":{"account_filters":{"d":{"account_subtypes":[1]}}}}`,
			`{"config":{"payment":{"amount":{"value":"1"}}}}`, `{"settings":{"headings":{"a":1}}}`,
		}},
		{func() decodable { return new(ItemCreateResponse) }, []string{
			`{"request_id":"r","item_id":"i","accounts":[{"id":"a","name":"n","mask":"0000","type":"depository","subtype":"checking","verification_status":null,"class_type":"x"},{"id":"b"}]}`,
			`{"request_id":"r","mfa":{"type":"questions","round":2,"devices":["phone"],"questions":[{"options":["a","b"]},{},null]}}`,
			`{"mfa":null,"accounts":null}`, `{"accounts":{}}`, `{"mfa":{"round":"1"}}`, `{"mfa":{"questions":{}}}`, `{"accounts":[{"mask":1}]}`,
		}},
		{func() decodable { return new(ItemConnectResponse) }, []string{`{"request_id":"r","public_token":"p"}`, `{"public_token":1}`}},
		{func() decodable { return new(OAuthStartResponse) }, []string{`{"request_id":"r","oauth_state_id":"o","authorize_url":"/a"}`, `[1]`}},
		{func() decodable { return new(OAuthStatusResponse) }, []string{`{"request_id":"r","status":"denied"}`, `{"status":true}`}},
		{func() decodable { return new(PaymentExecuteResponse) }, []string{`{"request_id":"r","public_token":"p","status":"EXECUTED"}`}},
		{func() decodable { return new(SessionRecordResponse) }, []string{`{"request_id":"r"}`, `5`}},
		{func() decodable { return new(PlaidError) }, []string{
			`{"error_type":"ITEM_ERROR","error_code":"ITEM_LOCKED","error_message":"m","display_message":"d","request_id":"r"}`,
			`{"error_code":"X","display_message":null}`, `{"error_code":7}`, `not json`,
		}},
	}
	for _, tt := range tests {
		for _, in := range tt.in {
			got, want := tt.new(), tt.new()
			gotErr, wantErr := got.DecodeJSON([]byte(in)), json.Unmarshal([]byte(in), want)
			if (gotErr == nil) != (wantErr == nil) {
				t.Errorf("%T from %s: error %v, encoding/json's %v", got, in, gotErr, wantErr)
				continue
			}
			if wantErr == nil && !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Errorf("%T from %s\n got %s\nwant %s", got, in, g, w)
			}
		}
	}
}

// TestPaymentAmount checks the amount as people read it.
func TestPaymentAmount(t *testing.T) {
	for _, c := range []struct {
		a    PaymentAmount
		want string
	}{{PaymentAmount{"GBP", 12.345}, "£12.35"}, {PaymentAmount{"EUR", 1}, "€1.00"}, {PaymentAmount{"USD", 0.5}, "0.50 USD"}} {
		if got := c.a.String(); got != c.want {
			t.Errorf("%v = %q, want %q", c.a, got, c.want)
		}
	}
}
