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

type keysClash struct {
	Name  string     `json:"name"`
	Inner *keysOther `json:"inner"`
}

type keysOther struct {
	Name string `json:"Name"`
}

// TestAllExact checks exactKeys' one-pass look: true only for bodies the
// member-by-member pass leaves as they are, and true for the common
// bodies, whose keys are all exact.
func TestAllExact(t *testing.T) {
	req, clash := reflect.TypeOf(&keysRequest{}), reflect.TypeOf(&keysClash{})
	tests := []struct {
		name string
		body string
		t    reflect.Type
		want bool
	}{
		{"exact keys", `{"client_id":"c","secret":"s","access_token":"a"}`, req, true},
		{"spaces before the colon", `{"client_id" : "c", "secret"` + "\n\t:" + `"s"}`, req, true},
		{"unknown keys", `{"client_id":"c","whatever":{"Mixed":1}}`, req, true},
		{"nested exact keys", `{"options":{"account_ids":["x"]},"list":[{"account_ids":[]}],"by_name":{"k":{"account_ids":null}}}`, req, true},
		{"a key in another case", `{"SECRET":"s"}`, req, false},
		{"a nested key in another case", `{"list":[{"ACCOUNT_IDS":["z"]}]}`, req, false},
		{"a free-form value's key in another case", `{"raw":{"Secret":2}}`, req, false},
		{"a value that looks like a key", `{"client_id":"SECRET","secret":"x:y"}`, req, true},
		{"an escaped value", `{"client_id":"a\"b\\","secret":"s"}`, req, true},
		{"an escaped key", `{"secr\u0065t":"s"}`, req, false},
		{"a key outside ASCII", `{"ſecret":"s"}`, req, false},
		{"a name spelt two ways", `{"name":"a","inner":{"Name":"b"}}`, clash, false},
		{"unterminated", `{"client_id":"c`, req, false},
		{"not an object", `"secret"`, req, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := allExact([]byte(tt.body), tt.t)
			if got != tt.want {
				t.Errorf("allExact = %v, want %v", got, tt.want)
			}
			if _, dropped := dropInexact(json.RawMessage(tt.body), tt.t); got && dropped {
				t.Error("allExact, but the member-by-member pass drops a key")
			}
		})
	}
}

// BenchmarkExactKeys measures exactKeys on a small /link/session/record
// body whose keys are all exact, the common case.
func BenchmarkExactKeys(b *testing.B) {
	body := []byte(`{"public_key":"k","link_session_id":"s","events":[{"event_name":"OPEN","event_metadata":{"error_code":null,` +
		`"institution_id":"ins_1","link_session_id":"s","view_name":null},"timestamp":"2026-12-02T13:05:21.367Z"}]}`)
	type event struct {
		EventName string          `json:"event_name"`
		Metadata  json.RawMessage `json:"event_metadata"`
		Timestamp string          `json:"timestamp"`
	}
	type record struct {
		PublicKey     string  `json:"public_key"`
		LinkSessionID string  `json:"link_session_id"`
		Events        []event `json:"events"`
	}
	t := reflect.TypeOf(&record{})
	for b.Loop() {
		if _, dropped := exactKeys(body, t); dropped {
			b.Fatal("dropped")
		}
	}
}
