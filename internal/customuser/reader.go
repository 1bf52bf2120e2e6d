package customuser

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// ConfigError is what is wrong with a configuration: the field, by its
// path (override_accounts[1].meta.mask; "" for the whole), and the rule
// it breaks.
type ConfigError struct {
	Path    string
	Problem string
}

// Error implements error.
func (e *ConfigError) Error() string {
	if e.Path == "" {
		return e.Problem
	}
	return e.Path + " " + e.Problem
}

// reader reads fields of a decoded JSON document and keeps the first
// problem it finds; after one, what it reads is zero.
type reader struct{ err *ConfigError }

// obj is a JSON object being read and its path in the configuration.
type obj struct {
	m    map[string]any
	path string
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (r *reader) fail(path, format string, a ...any) {
	if r.err == nil {
		r.err = &ConfigError{Path: path, Problem: fmt.Sprintf(format, a...)}
	}
}

// kind names a JSON value's type as the problems say it.
func kind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "true or false"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "null"
}

// value is the field key of o and its path; false when it is absent or
// null (a null field counts as left out).
func (r *reader) value(o obj, key string) (any, string, bool) {
	v, ok := o.m[key]
	if !ok || v == nil || r.err != nil {
		return nil, "", false
	}
	return v, join(o.path, key), true
}

// has reports whether o gives the field key.
func (o obj) has(key string) bool { return o.m[key] != nil }

// set reports whether o gives the field key a value that is not zero: not
// 0, "", false, an empty array, nor an object of zero values only. Plaid's
// generated client libraries send every field their models require, the
// unset ones zero, so a zero value counts as left out where leaving a
// field out means something else.
func (o obj) set(key string) bool { return !isZero(o.m[key]) }

func isZero(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case float64:
		return v == 0
	case bool:
		return !v
	case []any:
		return len(v) == 0
	case map[string]any:
		for _, f := range v {
			if !isZero(f) {
				return false
			}
		}
		return true
	}
	return false
}

// requireSet fails for the first of keys o does not set (see set).
func (r *reader) requireSet(o obj, keys ...string) {
	for _, k := range keys {
		if !o.set(k) {
			r.fail(join(o.path, k), "is missing")
			return
		}
	}
}

// setObject is the object field key when it is set (see set).
func (r *reader) setObject(o obj, key string) (obj, bool) {
	if !o.set(key) {
		return obj{}, false
	}
	return r.object(o, key)
}

// require fails for the first of keys o does not give.
func (r *reader) require(o obj, keys ...string) {
	for _, k := range keys {
		if !o.has(k) {
			r.fail(join(o.path, k), "is missing")
			return
		}
	}
}

func (r *reader) str(o obj, key string) string {
	v, at, ok := r.value(o, key)
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		r.fail(at, "must be a string, not %s", kind(v))
	}
	return s
}

// text is a string field that, when given, is not blank.
func (r *reader) text(o obj, key string) string {
	s := r.str(o, key)
	if o.has(key) && strings.TrimSpace(s) == "" {
		r.fail(join(o.path, key), "must not be blank")
	}
	return s
}

func (r *reader) num(o obj, key string) *float64 {
	v, at, ok := r.value(o, key)
	if !ok {
		return nil
	}
	f, isNum := v.(float64)
	if !isNum {
		r.fail(at, "must be a number, not %s", kind(v))
		return nil
	}
	return &f
}

// number is a number field, 0 when absent.
func (r *reader) number(o obj, key string) float64 {
	if f := r.num(o, key); f != nil {
		return *f
	}
	return 0
}

func (r *reader) boolean(o obj, key string) *bool {
	v, at, ok := r.value(o, key)
	if !ok {
		return nil
	}
	b, isBool := v.(bool)
	if !isBool {
		r.fail(at, "must be true or false, not %s", kind(v))
		return nil
	}
	return &b
}

// integer is a whole number field from lo to hi; def when absent (or 0,
// when def is not).
func (r *reader) integer(o obj, key string, lo, hi, def int) int {
	f := r.num(o, key)
	if f == nil || *f == 0 && def != 0 {
		return def
	}
	if *f != math.Trunc(*f) || *f < float64(lo) || *f > float64(hi) {
		r.fail(join(o.path, key), "must be a whole number from %d to %d", lo, hi)
		return def
	}
	return int(*f)
}

// optInt is a whole number field of at least 0; nil when absent.
func (r *reader) optInt(o obj, key string) *int {
	if !o.has(key) {
		return nil
	}
	n := r.integer(o, key, 0, math.MaxInt32, 0)
	return &n
}

// dayOfMonth is a day-of-month field: 1 to 28, or "last" (0); 0 when
// it is not set.
func (r *reader) dayOfMonth(o obj, key string) int {
	v, at, ok := r.value(o, key)
	if !ok || !o.set(key) {
		return 0
	}
	if s, isStr := v.(string); isStr {
		if s == "last" {
			return 0
		}
		var n int
		if _, err := fmt.Sscanf(s, "%d", &n); err != nil || fmt.Sprint(n) != s {
			r.fail(at, `must be a day of the month from 1 to 28, or "last"`)
			return 0
		}
		v = float64(n)
	}
	f, isNum := v.(float64)
	if !isNum || f != math.Trunc(f) || f < 1 || f > 28 {
		r.fail(at, `must be a day of the month from 1 to 28, or "last"`)
		return 0
	}
	return int(f)
}

func (r *reader) object(o obj, key string) (obj, bool) {
	v, at, ok := r.value(o, key)
	if !ok {
		return obj{}, false
	}
	m, isObj := v.(map[string]any)
	if !isObj {
		r.fail(at, "must be an object, not %s", kind(v))
		return obj{}, false
	}
	return obj{m: m, path: at}, true
}

// objects are the objects of an array field; a single object counts as
// an array of one when one is true. It is nil when the field is absent,
// and empty (not nil) when it is an empty array.
func (r *reader) objects(o obj, key string, one bool) []obj {
	v, at, ok := r.value(o, key)
	if !ok {
		return nil
	}
	if m, isObj := v.(map[string]any); isObj && one {
		return []obj{{m: m, path: at}}
	}
	list, isList := v.([]any)
	if !isList {
		r.fail(at, "must be an array, not %s", kind(v))
		return nil
	}
	out := []obj{}
	for i, item := range list {
		p := fmt.Sprintf("%s[%d]", at, i)
		m, isObj := item.(map[string]any)
		if !isObj {
			r.fail(p, "must be an object, not %s", kind(item))
			return nil
		}
		out = append(out, obj{m: m, path: p})
	}
	return out
}

// strings are the strings of an array field; nil when absent.
func (r *reader) strings(o obj, key string) []string {
	v, at, ok := r.value(o, key)
	if !ok {
		return nil
	}
	list, isList := v.([]any)
	if !isList {
		r.fail(at, "must be an array of strings, not %s", kind(v))
		return nil
	}
	out := []string{}
	for i, item := range list {
		s, isStr := item.(string)
		if !isStr {
			r.fail(fmt.Sprintf("%s[%d]", at, i), "must be a string, not %s", kind(item))
			return nil
		}
		out = append(out, s)
	}
	return out
}

// oneOf is a string field that, when given, is one of allowed.
func (r *reader) oneOf(o obj, key string, allowed []string) string {
	s := r.str(o, key)
	if o.has(key) && !slices.Contains(allowed, s) {
		r.fail(join(o.path, key), "must be one of %s, not %q", quoteAll(allowed), s)
	}
	return s
}

// optOneOf is oneOf where an empty string counts as left out.
func (r *reader) optOneOf(o obj, key string, allowed []string) string {
	if o.m[key] == "" {
		return ""
	}
	return r.oneOf(o, key, allowed)
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// date is a YYYY-MM-DD field; "" when absent.
func (r *reader) date(o obj, key string) string {
	s := r.str(o, key)
	if s == "" {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		r.fail(join(o.path, key), "must be a date in the form YYYY-MM-DD, not %q", s)
	}
	return s
}

// currency is an ISO 4217 field; "" when absent.
func (r *reader) currency(o obj, key string) string {
	s := r.str(o, key)
	if s != "" && !run(s, 3, 3, isUpper) {
		r.fail(join(o.path, key), "must be an ISO 4217 currency code such as \"USD\", not %q", s)
	}
	return s
}

// matches is a string field that, when given, matches pattern, which
// what says in words.
func (r *reader) matches(o obj, key string, pattern func(string) bool, what string) string {
	s := r.str(o, key)
	if o.has(key) && r.err == nil && !pattern(s) {
		r.fail(join(o.path, key), "must be %s, not %q", what, s)
	}
	return s
}
