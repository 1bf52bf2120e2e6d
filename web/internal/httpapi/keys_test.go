package httpapi

import (
	"encoding/json"
	"reflect"
	"testing"
)

type keysInner struct {
	AccountIDs []string `json:"account_ids"`
}

type keysRequest struct {
	Credentials
	AccessToken string               `json:"access_token"`
	Options     *keysInner           `json:"options"`
	List        []keysInner          `json:"list"`
	ByName      map[string]keysInner `json:"by_name"`
	Raw         json.RawMessage      `json:"raw"`
	Any         map[string]any       `json:"any"`
}

func TestExactKeys(t *testing.T) {
	tests := []struct {
		name, body string
		want       keysRequest
	}{
		{"exact keys decode", `{"client_id":"c","secret":"s","access_token":"a"}`,
			keysRequest{Credentials: Credentials{ClientID: "c", Secret: "s"}, AccessToken: "a"}},
		{"a key in another case is unknown", `{"client_id":"c","SECRET":"s","Access_Token":"a"}`,
			keysRequest{Credentials: Credentials{ClientID: "c"}}},
		{"nested objects too", `{"options":{"Account_IDs":["x"]},"list":[{"account_ids":["y"]},{"ACCOUNT_IDS":["z"]}],"by_name":{"k":{"Account_ids":["w"]}}}`,
			keysRequest{Options: &keysInner{}, List: []keysInner{{AccountIDs: []string{"y"}}, {}}, ByName: map[string]keysInner{"k": {}}}},
		{"free-form values keep their keys", `{"any":{"Mixed":1},"raw":{"Mixed":2}}`,
			keysRequest{Any: map[string]any{"Mixed": 1.0}, Raw: json.RawMessage(`{"Mixed":2}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, _ := exactKeys(json.RawMessage(tt.body), reflect.TypeOf(&keysRequest{}))
			var got keysRequest
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
