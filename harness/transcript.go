package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
)

// Call is one callback the page received: its name (onLoad, onEvent,
// onSuccess, onExit) and its arguments as JSON.
type Call struct {
	Name string            `json:"name"`
	Args []json.RawMessage `json:"args"`
}

// volatile are the keys whose values change from run to run: ids minted by
// the engine or the server, and clocks. Transcript replaces their values.
var volatile = map[string]bool{
	"link_session_id": true,
	"request_id":      true,
	"timestamp":       true,
	"id":              true,
	"public_token":    true,
}

// Transcript renders calls one per line as `name arg1 arg2 ...`, each
// argument as JSON with sorted keys and every volatile value (ids, tokens,
// timestamps) replaced by a placeholder that keeps its key and nullness. Two
// hosts that ran the same flow produce the same transcript; golden files in
// testdata/ hold them.
func Transcript(calls []Call) ([]byte, error) {
	var b bytes.Buffer
	for _, c := range calls {
		b.WriteString(c.Name)
		for i, raw := range c.Args {
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, fmt.Errorf("%s argument %d: %w", c.Name, i, err)
			}
			if c.Name == "onSuccess" && i == 0 {
				v = normalise("public_token", v)
			} else {
				v = normalise("", v)
			}
			b.WriteByte(' ')
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(v); err != nil {
				return nil, err
			}
			b.Truncate(b.Len() - 1) // Encode ends with a newline

		}
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}

func normalise(key string, v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = normalise(k, e)
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = normalise("", e)
		}
		return v
	case string:
		if volatile[key] && v != "" {
			return "<" + key + ">"
		}
	}
	return v
}

// ParseNavigation reads a webview report (plaidlink://connected, exit or
// event) as a Call named after its address, with the query parameters as
// one JSON object argument; the JSON-stringified accounts of connected are
// decoded, so that Transcript can normalise their ids.
func ParseNavigation(raw string) (Call, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Call{}, err
	}
	if u.Scheme != "plaidlink" {
		return Call{}, fmt.Errorf("harness: %q is not a plaidlink:// address", raw)
	}
	params := map[string]any{}
	for k, v := range u.Query() {
		params[k] = v[0]
	}
	if accounts, ok := params["accounts"].(string); ok {
		var decoded any
		if err := json.Unmarshal([]byte(accounts), &decoded); err != nil {
			return Call{}, fmt.Errorf("harness: accounts of %s: %w", raw, err)
		}
		params["accounts"] = decoded
	}
	arg, err := json.Marshal(params)
	if err != nil {
		return Call{}, err
	}
	return Call{Name: "plaidlink://" + u.Host, Args: []json.RawMessage{arg}}, nil
}
