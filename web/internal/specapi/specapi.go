// Package specapi answers the paths of Plaid's OpenAPI spec that the
// emulator keeps no state for: a spec-shaped 200, built from the spec's
// example (or, where it has none, from the response schema), bound to the
// request: a fresh request_id, and the Item and accounts of the request's
// access token where the answer names them. An access token the emulator
// never issued fails as Plaid fails. The server calls it only for a
// method and path its route table does not serve, so the spec is loaded
// on the first such request, not at start (the Worker starts a fresh
// instance for every request).
package specapi

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/pdf"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// API answers spec-shaped requests.
type API struct{ httpapi.Deps }

// New returns the spec-shaped answers over d.
func New(d httpapi.Deps) *API { return &API{d} }

// Operation is the spec's operation of the request's method and path,
// and false when the spec has none: spec paths with parameters
// ("/fdx/recipient/{recipientId}") match any value in their place.
func Operation(method, path string) (*spec.Operation, bool) {
	s := spec.Load()
	if op, ok := s.Operation(method, path); ok {
		return op, true
	}
	for i := range s.Operations {
		op := &s.Operations[i]
		if op.Method == method && matches(op.Path, path) {
			return op, true
		}
	}
	// A path the spec lists without any operation still answers a POST
	// (an authenticated one, with its request_id).
	if method == http.MethodPost && slices.Contains(s.Paths, path) {
		return &spec.Operation{Method: method, Path: path, ResponseType: "application/json"}, true
	}
	return nil, false
}

// matches reports whether path fits a spec path whose segments in braces
// (or starting with ':') stand for any one segment.
func matches(pattern, path string) bool {
	p, q := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		wild := strings.HasPrefix(p[i], "{") && strings.HasSuffix(p[i], "}") || strings.HasPrefix(p[i], ":")
		if !wild && p[i] != q[i] {
			return false
		}
	}
	return true
}

// request is what a spec-shaped answer reads of a body.
type request struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
}

// Handler is the spec-shaped answer of op.
func (a *API) Handler(op *spec.Operation) http.Handler {
	if op.Public || op.Method != http.MethodPost {
		// No credentials to check: the spec asks for none, or the
		// operation is a GET of Plaid's FDX API, which takes a bearer
		// token instead.
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requestID := ids.NewRequestID()
			e := httpapi.CheckVersion(r)
			if e == nil && r.Method == http.MethodPost {
				_, _, e = httpapi.CheckBody(w, r)
			}
			if e != nil {
				httpapi.WriteError(w, requestID, e)
				return
			}
			a.answer(w, r, op, requestID, nil, time.Now())
		})
	}
	return httpapi.Plaid(a.Auth, func(ctx context.Context, c *httpapi.Call, req *request) (answer, *plaid.Error) {
		var it *store.Item
		if req.AccessToken != "" {
			item, e := a.Svc.ItemByAccessToken(ctx, c.Tenant, req.AccessToken)
			if e != nil {
				return answer{}, e
			}
			it = &item
		}
		return answer{op: op, requestID: c.RequestID, item: it, now: c.Tenant.Now}, nil
	})
}

// answer is a spec-shaped answer, written as JSON by httpapi.Plaid.
type answer struct {
	op        *spec.Operation
	requestID string
	item      *store.Item
	// now is the tenant's emulator clock, which the answer's dates
	// follow.
	now time.Time
}

// Raw implements httpapi.Raw: the answer's body and its media type.
func (a answer) Raw() (string, []byte) {
	switch a.op.ResponseType {
	case "application/pdf":
		// One page that says what it is, written by the same writer as
		// the stateful products' PDFs.
		return a.op.ResponseType, pdf.Write(a.op.Path, []pdf.Line{{Text: "A spec-shaped answer of " + a.op.Path + " (linkharness)"}})
	case "application/zip":
		return a.op.ResponseType, emptyZip
	case "":
		return "application/json", []byte("{}")
	}
	return "application/json", Body(a.op, a.requestID, a.item, a.now)
}

func (a *API) answer(w http.ResponseWriter, _ *http.Request, op *spec.Operation, requestID string, it *store.Item, now time.Time) {
	ct, body := answer{op: op, requestID: requestID, item: it, now: now}.Raw()
	w.Header().Set("Content-Type", ct)
	w.Write(body)
}

// Body is the JSON body of op's spec-shaped answer: its example, or a
// value its response schema accepts, with requestID for request_id, for
// an Item its item_id and account IDs, and its dates moved by whole days
// so that the latest is now's (none for a zero now).
func Body(op *spec.Operation, requestID string, it *store.Item, now time.Time) []byte {
	var v any
	if ex := op.Example(); ex != nil {
		json.Unmarshal(ex, &v)
	} else if op.Response != "" {
		s := spec.Load()
		sc, _ := s.Schema(op.Response)
		v = s.Least(sc)
	}
	if v == nil {
		v = map[string]any{}
	}
	b := binder{item: it}
	v = b.bind(v)
	if !now.IsZero() {
		v = shiftDates(v, now)
	}
	if m, ok := v.(map[string]any); ok {
		if _, has := m["request_id"]; has || op.Response == "" || hasRequestID(op.Response) {
			m["request_id"] = requestID
		}
	}
	out, _ := json.Marshal(v)
	return out
}

// binder puts the request's Item into an example.
type binder struct {
	item *store.Item
	// next is the next of the Item's accounts to name.
	next int
	seen map[string]string // example account ID -> Item account ID
}

func (b *binder) bind(v any) any {
	switch v := v.(type) {
	case map[string]any:
		// In the order of the keys, so that the same answer names the
		// same accounts every time.
		for _, k := range slices.Sorted(maps.Keys(v)) {
			x := v[k]
			switch {
			case b.item != nil && k == "item_id":
				if _, ok := x.(string); ok {
					v[k] = b.item.ID
					continue
				}
			case b.item != nil && len(b.item.Accounts) > 0 && k == "account_id":
				if s, ok := x.(string); ok {
					v[k] = b.account(s)
					continue
				}
			case b.item != nil && len(b.item.Accounts) > 0 && k == "account_ids":
				if list, ok := x.([]any); ok {
					for i, e := range list {
						if s, ok := e.(string); ok {
							list[i] = b.account(s)
						}
					}
					continue
				}
			}
			v[k] = b.bind(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = b.bind(x)
		}
		return v
	}
	return v
}

// account is the Item's account that stands for the example's account
// ID: the same example ID gets the same account, each new one the next.
func (b *binder) account(example string) string {
	if b.seen == nil {
		b.seen = map[string]string{}
	}
	if id, ok := b.seen[example]; ok {
		return id
	}
	id := b.item.Accounts[b.next%len(b.item.Accounts)].ID
	b.next++
	b.seen[example] = id
	return id
}

// emptyZip is a ZIP archive with no files.
var emptyZip = []byte{0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}

// hasRequestID reports whether the response schema has a request_id.
func hasRequestID(name string) bool {
	s := spec.Load()
	sc, ok := s.Schema(name)
	if !ok {
		return false
	}
	sc = s.Resolve(sc)
	if _, ok := sc.Properties["request_id"]; ok {
		return true
	}
	for _, part := range sc.AllOf {
		if _, ok := s.Resolve(part).Properties["request_id"]; ok {
			return true
		}
	}
	return false
}

// dateLayouts are how the spec's examples write dates and times.
var dateLayouts = []string{time.DateOnly, time.RFC3339Nano}

// parseDate reads a string as a date or a date-time, and says which.
func parseDate(s string) (time.Time, string, bool) {
	if len(s) < len(time.DateOnly) || s[4] != '-' || s[7] != '-' {
		return time.Time{}, "", false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, layout, true
		}
	}
	return time.Time{}, "", false
}

// shiftDates moves every date and date-time in v by the same whole number
// of days, so that the latest falls on now's day: an example written in
// 2024 answers about the emulator's today, and its dates keep their order
// and distances.
func shiftDates(v any, now time.Time) any {
	var latest time.Time
	walkStrings(v, func(s string) string {
		if t, _, ok := parseDate(s); ok && t.After(latest) {
			latest = t
		}
		return s
	})
	if latest.IsZero() {
		return v
	}
	days := int(now.UTC().Truncate(24*time.Hour).Sub(latest.UTC().Truncate(24*time.Hour)).Hours() / 24)
	return walkStrings(v, func(s string) string {
		t, layout, ok := parseDate(s)
		if !ok {
			return s
		}
		t = t.AddDate(0, 0, days)
		if layout == time.DateOnly {
			return t.Format(time.DateOnly)
		}
		return t.Format(time.RFC3339)
	})
}

// walkStrings replaces every string value in v by f's, in place.
func walkStrings(v any, f func(string) string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = walkStrings(e, f)
		}
	case []any:
		for i, e := range x {
			x[i] = walkStrings(e, f)
		}
	case string:
		return f(x)
	}
	return v
}
