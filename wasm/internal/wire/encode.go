// Package wire is the engine's JSON: an appender for the values it writes
// and a parser for the messages and answers it reads. It stands in for
// encoding/json, whose reflection would cost link.wasm about a third of its
// size and most of a dispatch's time. What it writes is byte for byte what
// encoding/json.Marshal writes for the same values (HTML characters
// escaped, nil slices as null), so hosts see no difference.
package wire

import (
	"strconv"
	"unicode/utf8"
)

// Appender is a value that appends its JSON encoding to a buffer.
type Appender interface {
	AppendJSON(b []byte) []byte
}

// String is a string as a JSON value.
type String string

// AppendJSON appends s as a JSON string.
func (s String) AppendJSON(b []byte) []byte { return AppendString(b, string(s)) }

const hex = "0123456789abcdef"

// AppendString appends s as a JSON string, escaped as encoding/json escapes
// it: HTML characters and U+2028, U+2029 as \u sequences, invalid UTF-8 as
// U+FFFD.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		for i < len(s) && safeChar[s[i]] {
			i++
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// safeChar says which bytes AppendString writes as they are: printable
// ASCII but the quote, the backslash and the HTML characters.
var safeChar = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// AppendStrings appends a list of strings, null when it is nil.
func AppendStrings(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendString(b, s)
	}
	return append(b, ']')
}

// AppendList appends a list of values, null when it is nil.
func AppendList[T Appender](b []byte, list []T) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, v := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = v.AppendJSON(b)
	}
	return append(b, ']')
}

// Object appends the members of a JSON object to B. Begin it with
// [BeginObject] and finish it with [Object.End]. Keys are written as given:
// they must need no escaping.
type Object struct {
	// B is the buffer written to.
	B    []byte
	more bool
}

// BeginObject starts an object at the end of b.
func BeginObject(b []byte) Object { return Object{B: append(b, '{')} }

// End closes the object and returns the buffer.
func (o *Object) End() []byte { return append(o.B, '}') }

// Key starts a member: the caller appends its value to o.B.
func (o *Object) Key(k string) {
	if o.more {
		o.B = append(o.B, ',')
	}
	o.more = true
	o.B = append(o.B, '"')
	o.B = append(o.B, k...)
	o.B = append(o.B, '"', ':')
}

// QuotedKey starts a member whose name may need escaping: the caller
// appends its value to o.B.
func (o *Object) QuotedKey(k string) {
	if o.more {
		o.B = append(o.B, ',')
	}
	o.more = true
	o.B = AppendString(o.B, k)
	o.B = append(o.B, ':')
}

// Str adds a string member.
func (o *Object) Str(k, v string) {
	o.Key(k)
	o.B = AppendString(o.B, v)
}

// StrOmit adds a string member unless it is empty (omitempty).
func (o *Object) StrOmit(k, v string) {
	if v != "" {
		o.Str(k, v)
	}
}

// StrPtr adds a nullable string member: null for nil.
func (o *Object) StrPtr(k string, v *string) {
	if v == nil {
		o.Null(k)
		return
	}
	o.Str(k, *v)
}

// Null adds a null member.
func (o *Object) Null(k string) {
	o.Key(k)
	o.B = append(o.B, "null"...)
}

// Int adds a number member.
func (o *Object) Int(k string, v int64) {
	o.Key(k)
	o.B = strconv.AppendInt(o.B, v, 10)
}

// IntOmit adds a number member unless it is 0 (omitempty).
func (o *Object) IntOmit(k string, v int64) {
	if v != 0 {
		o.Int(k, v)
	}
}

// Bool adds a boolean member.
func (o *Object) Bool(k string, v bool) {
	o.Key(k)
	o.B = strconv.AppendBool(o.B, v)
}

// BoolOmit adds a boolean member unless it is false (omitempty).
func (o *Object) BoolOmit(k string, v bool) {
	if v {
		o.Bool(k, v)
	}
}

// Raw adds a member whose value is already JSON, as encoding/json writes a
// json.RawMessage: null when it is empty. The engine only hands in JSON it
// wrote itself, so it is not validated again.
func (o *Object) Raw(k string, v []byte) {
	o.Key(k)
	if len(v) == 0 {
		v = []byte("null")
	}
	o.B = append(o.B, v...)
}

// Strings adds a list of strings, null when it is nil.
func (o *Object) Strings(k string, v []string) {
	o.Key(k)
	o.B = AppendStrings(o.B, v)
}

// StringsOmit adds a list of strings unless it is empty (omitempty).
func (o *Object) StringsOmit(k string, v []string) {
	if len(v) > 0 {
		o.Strings(k, v)
	}
}

// Value adds a member with the value's encoding.
func (o *Object) Value(k string, v Appender) {
	o.Key(k)
	o.B = v.AppendJSON(o.B)
}
