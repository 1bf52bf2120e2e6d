// Package reqschema checks a Plaid API request body against its
// operation's request schema in Plaid's OpenAPI spec, before any handler
// sees it, and answers what fails with Plaid's errors: MISSING_FIELDS
// naming every required field the body lacks, and INVALID_FIELD naming a
// field of the wrong type, outside its enum, a malformed date or
// date-time, or past one of its limits (length, items, range).
//
// The request schemas are compiled into static tables (tables_gen.go),
// generated from the embedded spec of package spec by
//
//	go test ./internal/reqschema -update
//
// so that checking a body decodes nothing but the body: the Cloudflare
// Worker starts a fresh instance for every request, where decoding the
// spec itself would cost each call. The package's test fails when the
// tables are stale.
//
// What the check does not enforce, and why:
//   - Fields a schema does not name are accepted: every request schema of
//     the spec leaves additionalProperties open.
//   - A null for an optional field counts as the field's absence, as
//     client libraries send unset optional fields as null.
//   - An empty string, or an empty array, for a required field counts as
//     missing, as Plaid's API reports such fields; but an empty array is
//     a value where Plaid's docs give it a meaning (emptyIsValue).
//   - The formats other than date and date-time (url, email, uuid, ...)
//     are left to the handlers that use the values.
package reqschema

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/plaid"
)

// Check checks body, the JSON request body of method on path, against the
// operation's request schema: nil when it conforms or when the spec gives
// the operation no request schema. A body that is not a JSON object is
// INVALID_BODY.
func Check(method, path string, body []byte) *plaid.Error {
	_, e := Inspect(method, path, body)
	return e
}

// Inspect is Check, and it also says whether the body may hold a key its
// schema does not name, at any depth: false only when every key of the
// body is a field its schema names, exactly. A body Inspect passes with
// false has no key that differs from a field's name only in case, so a
// decoder that matches keys case-insensitively reads it as Plaid does.
func Inspect(method, path string, body []byte) (unnamed bool, e *plaid.Error) {
	root, ok := Schema(method, path)
	if !ok {
		return true, nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return true, plaid.InvalidBody("body could not be parsed as JSON: " + err.Error())
	}
	if _, isObject := v.(map[string]any); !isObject {
		return true, plaid.InvalidBody("body must be a JSON object, not " + kindOf(v))
	}
	c := checker{emptyOK: emptyIsValue[method+" "+path]}
	c.value(root, v)
	return c.unnamed, c.err()
}

// Schema reports whether the spec gives method on path a request schema,
// and which (an index into the tables).
func Schema(method, path string) (int32, bool) {
	key := method + " " + path
	i, found := slices.BinarySearchFunc(operations[:], key, func(o operation, key string) int {
		return strings.Compare(o.key, key)
	})
	if !found {
		return 0, false
	}
	return operations[i].body, true
}

// Operations lists the method and path of every operation with a request
// schema, sorted ("POST /accounts/get").
func Operations() []string {
	out := make([]string, len(operations))
	for i, o := range operations {
		out[i] = o.key
	}
	return out
}

// operation is an operation that takes a JSON body: its method and path,
// and its body's schema.
type operation struct {
	key  string // method + " " + path
	body int32  // index in nodes
}

// jsonType is a schema's type keyword.
type jsonType uint8

// The types a schema may give; anyType leaves it open.
const (
	anyType jsonType = iota
	objectType
	arrayType
	stringType
	integerType
	numberType
	booleanType
)

// format is a string format the check enforces.
type format uint8

// The formats checked.
const (
	noFormat format = iota
	dateFormat
	dateTimeFormat
)

// node is one compiled schema. Indices name other nodes; node 0 is the
// schema that accepts anything.
type node struct {
	typ      jsonType
	format   format
	nullable bool
	// enum are the allowed values of a string, as text; nil for any.
	enum []string
	// props are an object's fields, sorted by name.
	props []field
	// required are the fields an object must have, in the spec's order.
	required []string
	// items is an array's element schema.
	items int32
	// extra is the schema of an object's fields that props does not
	// name (additionalProperties); 0 for any.
	extra int32
	// allOf are schemas the value must also match.
	allOf []int32
	// limits indexes the node's limits; 0 for none.
	limits int32
}

// field is one property of an object schema.
type field struct {
	name string
	node int32
}

// limit is a schema's bounds: lengths in characters, counts of items and
// fields, and a number's range. A negative count is no bound; so is a
// number's bound its has flag leaves unset.
type limit struct {
	minLength, maxLength int32
	minItems, maxItems   int32
	minProps, maxProps   int32
	unique               bool
	hasMin, hasMax       bool
	minimum, maximum     float64
	exclMin, exclMax     bool
	multipleOf           float64 // 0 for none
}

// kindOf names a decoded JSON value's type, for messages.
func kindOf(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64:
		if isInteger(v) {
			return "an integer"
		}
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
