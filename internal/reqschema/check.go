package reqschema

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/linkharness/linkharness/internal/plaid"
)

// checker walks a decoded body along its schema, gathering every missing
// field, the first field of a wrong type and the first field that breaks
// another rule. Check answers them in that order: a field of the wrong
// type first, as decoding the body into its fields' types fails first;
// then the missing fields; then the other rules.
type checker struct {
	wrong   string
	missing []string
	invalid string
	// path is where the walk is: object keys, and array indices (key "").
	path []step
	// unnamed says the body may hold a key the schema does not name.
	unnamed bool
	// emptyOK are the body's required array fields whose empty array is a
	// value (emptyIsValue).
	emptyOK []string
}

// emptyIsValue are the required array fields of a body, by operation,
// that Plaid's docs give an empty array a meaning, so that [] is a value
// there and not a missing field: [] products restore a processor token's
// access to every product
// (https://plaid.com/docs/api/processors/#processortokenpermissionsset).
var emptyIsValue = map[string][]string{
	"POST /processor/token/permissions/set": {"products"},
}

// empty is s.empty, but for a field of the body whose empty array is a
// value.
func (c *checker) empty(s *node, k string, v any) bool {
	if a, ok := v.([]any); ok && len(a) == 0 && len(c.path) == 0 && slices.Contains(c.emptyOK, k) {
		return false
	}
	return s.empty(k, v)
}

// step is one level of the path: an object's field, or an array's item.
type step struct {
	key   string
	index int
}

// fail records the first invalid field's message: the field's name, and
// what it breaks.
func (c *checker) fail(format string, args ...any) {
	if c.invalid == "" {
		c.invalid = c.name() + " " + fmt.Sprintf(format, args...)
	}
}

// name is how a message names the field at the path: "user.client_user_id",
// "country_codes[1]".
func (c *checker) name() string {
	if len(c.path) == 0 {
		return "the body"
	}
	var b strings.Builder
	for i, st := range c.path {
		switch {
		case st.key == "":
			fmt.Fprintf(&b, "[%d]", st.index)
		case i > 0:
			b.WriteString(".")
			fallthrough
		default:
			b.WriteString(st.key)
		}
	}
	return b.String()
}

// err is the check's answer, nil for a body that conforms.
func (c *checker) err() *plaid.Error {
	switch {
	case c.wrong != "":
		return plaid.InvalidField(c.wrong)
	case len(c.missing) > 0:
		return plaid.MissingFields(c.missing...)
	case c.invalid != "":
		return plaid.InvalidField(c.invalid)
	}
	return nil
}

// value checks v, found at the path, against node n.
func (c *checker) value(n int32, v any) {
	s := &nodes[n]
	if v == nil && s.nullable {
		return
	}
	for _, part := range s.allOf {
		c.value(part, v)
	}
	switch s.typ {
	case anyType:
		// Nothing to check beyond the allOf parts, and what is inside
		// is not walked.
		switch v := v.(type) {
		case map[string]any:
			c.unnamed = c.unnamed || len(v) > 0 && len(s.allOf) == 0
		case []any:
			c.unnamed = c.unnamed || len(v) > 0
		}
	case objectType:
		c.object(s, v)
	case arrayType:
		c.array(s, v)
	case stringType:
		c.string(s, v)
	case integerType, numberType:
		c.number(s, v)
	case booleanType:
		if _, ok := v.(bool); !ok {
			c.wrongType(s, v)
		}
	}
}

func (c *checker) wrongType(s *node, v any) {
	if c.wrong == "" {
		c.wrong = fmt.Sprintf("%s must be %s, not %s", c.name(), typeName[s.typ], kindOf(v))
	}
}

// typeName names each type as a message says it.
var typeName = [...]string{
	anyType:     "a value",
	objectType:  "an object",
	arrayType:   "an array",
	stringType:  "a string",
	integerType: "an integer",
	numberType:  "a number",
	booleanType: "a boolean",
}

func (c *checker) object(s *node, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		c.wrongType(s, v)
		return
	}
	for _, r := range s.required {
		if len(c.path) == 0 && (r == "client_id" || r == "secret") {
			// Credentials may come in the PLAID-CLIENT-ID and
			// PLAID-SECRET headers instead: authentication, which
			// sees both, names them when they are missing.
			continue
		}
		if x, present := m[r]; !present || c.empty(s, r, x) {
			c.path = append(c.path, step{key: r})
			c.missing = append(c.missing, c.name())
			c.path = c.path[:len(c.path)-1]
		}
	}
	// The fields in the order of their names, so that the first invalid
	// one is the same for the same body.
	named := 0
	for _, f := range s.props {
		if x, present := m[f.name]; present {
			named++
			c.member(s, f.name, f.node, x)
		}
	}
	if named < len(m) {
		c.unnamed = true
	}
	if s.extra != 0 && named < len(m) {
		var others []string
		for k := range m {
			if _, named := s.prop(k); !named {
				others = append(others, k)
			}
		}
		slices.Sort(others)
		for _, k := range others {
			c.member(s, k, s.extra, m[k])
		}
	}
	if l := limits[s.limits]; l.minProps >= 0 && len(m) < int(l.minProps) {
		c.fail("must have at least %d fields", l.minProps)
	} else if l.maxProps >= 0 && len(m) > int(l.maxProps) {
		c.fail("must have at most %d fields", l.maxProps)
	}
}

// member checks field k of object s, of node n, valued x.
func (c *checker) member(s *node, k string, n int32, x any) {
	required := slices.Contains(s.required, k)
	if x == nil && !required || required && c.empty(s, k, x) {
		// An optional null is an absent field; a required empty one is
		// missing already.
		return
	}
	c.path = append(c.path, step{key: k})
	c.value(n, x)
	c.path = c.path[:len(c.path)-1]
}

// prop is the node of the property k names, false if none does.
func (s *node) prop(k string) (int32, bool) {
	i, found := slices.BinarySearchFunc(s.props, k, func(f field, k string) int { return strings.Compare(f.name, k) })
	if !found {
		return 0, false
	}
	return s.props[i].node, true
}

// field is the node of an object's field k: its property's, or the
// schema of the fields it does not name; false for any value.
func (s *node) field(k string) (int32, bool) {
	if n, ok := s.prop(k); ok {
		return n, true
	}
	return s.extra, s.extra != 0
}

// empty says the value of an object's required field k counts as
// missing: null unless the field is nullable, a blank string for a
// string, an empty array for an array.
func (s *node) empty(k string, v any) bool {
	var f *node
	if n, ok := s.field(k); ok {
		f = &nodes[n]
	} else {
		f = &nodes[0]
	}
	typ := f.typ
	switch v := v.(type) {
	case nil:
		return !f.nullable
	case string:
		return typ == stringType && strings.TrimSpace(v) == ""
	case []any:
		return typ == arrayType && len(v) == 0
	}
	return false
}

func (c *checker) array(s *node, v any) {
	a, ok := v.([]any)
	if !ok {
		c.wrongType(s, v)
		return
	}
	l := limits[s.limits]
	switch {
	case l.minItems >= 0 && len(a) < int(l.minItems):
		c.fail("must have at least %d items", l.minItems)
	case l.maxItems >= 0 && len(a) > int(l.maxItems):
		c.fail("must have at most %d items", l.maxItems)
	}
	if l.unique {
		seen := map[string]bool{}
		for _, x := range a {
			b, _ := json.Marshal(x)
			if seen[string(b)] {
				c.fail("must not repeat an item: %s", b)
				break
			}
			seen[string(b)] = true
		}
	}
	for i, x := range a {
		c.path = append(c.path, step{index: i})
		c.value(s.items, x)
		c.path = c.path[:len(c.path)-1]
	}
}

func (c *checker) string(s *node, v any) {
	str, ok := v.(string)
	if !ok {
		c.wrongType(s, v)
		return
	}
	if s.enum != nil && !slices.Contains(s.enum, str) {
		c.fail("must be one of %s, not %q", strings.Join(s.enum, ", "), str)
		return
	}
	switch s.format {
	case dateFormat:
		if _, err := time.Parse(time.DateOnly, str); err != nil {
			c.fail("must be a date in the form YYYY-MM-DD, not %q", str)
			return
		}
	case dateTimeFormat:
		if _, err := time.Parse(time.RFC3339, str); err != nil {
			c.fail("must be an RFC 3339 date-time (YYYY-MM-DDThh:mm:ssZ), not %q", str)
			return
		}
	}
	l := limits[s.limits]
	switch n := utf8.RuneCountInString(str); {
	case l.minLength >= 0 && n < int(l.minLength):
		c.fail("must be at least %d characters long", l.minLength)
	case l.maxLength >= 0 && n > int(l.maxLength):
		c.fail("must be at most %d characters long", l.maxLength)
	}
}

func (c *checker) number(s *node, v any) {
	f, ok := v.(float64)
	if !ok || s.typ == integerType && !isInteger(f) {
		c.wrongType(s, v)
		return
	}
	l := limits[s.limits]
	switch {
	case l.hasMin && (f < l.minimum || l.exclMin && f == l.minimum):
		c.fail("must be %s %s", bound(l.exclMin, "greater than", "at least"), num2s(l.minimum))
	case l.hasMax && (f > l.maximum || l.exclMax && f == l.maximum):
		c.fail("must be %s %s", bound(l.exclMax, "less than", "at most"), num2s(l.maximum))
	case l.multipleOf != 0 && math.Abs(math.Remainder(f, l.multipleOf)) > 1e-9*math.Max(1, math.Abs(f)):
		c.fail("must be a multiple of %s", num2s(l.multipleOf))
	}
}

func bound(exclusive bool, strict, inclusive string) string {
	if exclusive {
		return strict
	}
	return inclusive
}

func num2s(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// isInteger says a JSON number is a whole number a 64-bit integer holds.
func isInteger(f float64) bool {
	return f == math.Trunc(f) && math.Abs(f) < 1<<63
}
