//go:build !wasip1

package protocol

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestResultDecodeJSON compares Result.DecodeJSON with encoding/json: the
// same values, and an error for the same inputs.
func TestResultDecodeJSON(t *testing.T) {
	every, err := json.Marshal(Result{Effects: []Effect{
		{Kind: KindCallback, Callback: &Callback{Name: OnEvent, Args: []RawMessage{RawMessage(`"OPEN"`), RawMessage(`{"a":null}`)}}},
		{Kind: KindCallback, Callback: &Callback{Name: OnLoad, Args: []RawMessage{}}},
		{Kind: KindRender, View: &View{Pane: "CREDENTIAL", Title: "Link", Heading: "Log in <to> \"Bank\"", Text: []string{"a", "b & c"}, Error: "bad",
			Busy: true, Fields: []Field{{ID: "u", Label: "User", Kind: FieldText, Value: "v"}, {ID: "s", Kind: FieldSelect, Options: []string{"x"}}},
			List:    &List{Label: "L", Multiple: true, Items: []Item{{ID: "i", Label: "I", Detail: "d", Selected: true}, {ID: "j"}}, Empty: "none"},
			Buttons: []Button{{ID: "go", Label: "Go", Primary: true, Disabled: true}}, Close: &Button{ID: "close", Label: "Close"}}},
		{Kind: KindRender, View: &View{}},
		{Kind: KindClose},
		{Kind: KindRequest, Request: &Request{ID: 3, Path: PathItemCreate, Body: RawMessage(`{"x":1}`)}},
		{Kind: KindTimer, Timer: &Timer{ID: 5, DelayMS: 1500}},
		{Kind: KindConsole, Console: &Console{Level: LevelWarn, Message: "careful\n"}},
		{Kind: KindWindow, Window: &Window{ID: 6, URL: "/link/oauth/authorize?x=1&y=2"}},
		{Kind: KindNavigate, Navigate: &Navigate{URL: "plaidlink://exit?status=%20"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{
		string(every),
		`{}`, `{"effects":null}`, `{"effects":[]}`, `{"Effects":[{"KIND":"close","Extra":[1]}]}`,
		`{"effects":[{"kind":"render","view":null,"callback":null,"request":null}]}`,
		`{"effects":[{"kind":"other"},{"kind":"callback","callback":{"name":"onExit","args":[null, 1, " x ", [ {"a" : [ ] } ]]}}]}`,
		`{"effects":[{"callback":{"args":null}},{"view":{"text":["a",null],"fields":null,"buttons":[],"list":{"items":null}}}]}`,
		`{"effects":[{"request":{"id":1,"body":null}},{"request":{"body":{"a":"\u00e9\n"}}}]}`,
		`{"effects":[{"view":{"list":{"items":[{"selected":"x"}]}}}]}`, `{"effects":[{"kind":5}]}`, `{"effects":[{"timer":{"id":"1"}}]}`,
		`{"effects":[{"view":{"busy":1}}]}`, `{"effects":[{"view":{"pane":"A","list":{"label":"L"}},"view":{"title":"T","list":{"empty":"E"}}}]}`, `{"effects":{}}`, `{"effects":[1]}`, `[]`, `null`, `{`, `{"effects":[{"kind":"close"}]`,
		`{"effects":[{"kind":"close"}]} x`, `{"effects":[{"callback":{"args":[}}]}`,
	} {
		var got, want Result
		gotErr, wantErr := got.DecodeJSON([]byte(in)), json.Unmarshal([]byte(in), &want)
		if (gotErr == nil) != (wantErr == nil) {
			t.Errorf("from %s: error %v, encoding/json's %v", in, gotErr, wantErr)
			continue
		}
		if wantErr == nil && !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Errorf("from %s\n got %s\nwant %s", in, g, w)
		}
	}
}
