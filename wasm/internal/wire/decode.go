package wire

import (
	"encoding/base64"
	"errors"
	"strconv"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the type of a JSON value.
type Kind uint8

// The kinds of values. A missing member is Absent.
const (
	Absent Kind = iota
	Null
	Bool
	Number
	Str
	Array
	Obj
)

// Value is a parsed JSON value. Its zero value is Absent: what [Value.Get]
// returns for a member the object does not have.
type Value struct {
	// Kind is the value's type.
	Kind Kind
	// plain says a string's text needs no unescaping.
	plain bool
	// raw is the value's text in the input, quotes included.
	raw []byte
	// elems are an array's elements or an object's members' values, in
	// order; keys are the members' names.
	elems []Value
	keys  [][]byte
}

// ErrType is returned when a value is not of the type asked for.
var ErrType = errors.New("wire: value of the wrong type")

// maxDepth bounds nesting, as encoding/json bounds it.
const maxDepth = 10000

// Parse reads one JSON value, with nothing but white space around it.
func Parse(data []byte) (Value, error) {
	p := spare.Swap(nil)
	if p == nil {
		p = new(parser)
	}
	defer p.release()
	p.data, p.i = data, 0
	v, err := p.value(0)
	if err != nil {
		return Value{}, err
	}
	p.space()
	if p.i != len(p.data) {
		return Value{}, p.fail("after the top-level value")
	}
	return v, nil
}

// spare is a parser kept for the next Parse, so that its stacks grow once
// rather than once per message. (A sync.Pool would cost link.wasm 11 KB.)
var spare atomic.Pointer[parser]

// release forgets the input, which the stacks' used entries point into,
// and keeps the parser as the spare.
func (p *parser) release() {
	clear(p.stack[:p.used])
	clear(p.keys[:p.usedKeys])
	p.data, p.stack, p.keys, p.used, p.usedKeys = nil, p.stack[:0], p.keys[:0], 0, 0
	spare.Store(p)
}

// parser reads data from i on. Containers gather their elements and keys
// on the stacks, then keep an exact copy: one allocation each.
type parser struct {
	data  []byte
	i     int
	stack []Value
	keys  [][]byte
	// used and usedKeys are how far the stacks were filled.
	used, usedKeys int
}

func (p *parser) fail(where string) error {
	if p.i >= len(p.data) {
		return errors.New("wire: unexpected end of JSON input")
	}
	return errors.New("wire: invalid character " + strconv.QuoteRune(rune(p.data[p.i])) + " " + where + " at offset " + strconv.Itoa(p.i))
}

// next reads what follows an element of an array or a member of an
// object: a comma (more follow) or closer (the end); anything else fails
// with where.
func (p *parser) next(closer byte, where string) (more bool, err error) {
	p.space()
	if p.i < len(p.data) {
		switch p.data[p.i] {
		case ',':
			p.i++
			return true, nil
		case closer:
			p.i++
			return false, nil
		}
	}
	return false, p.fail(where)
}

func (p *parser) space() {
	data, i := p.data, p.i
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	p.i = i
}

func (p *parser) value(depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, errors.New("wire: exceeded max depth")
	}
	p.space()
	if p.i >= len(p.data) {
		return Value{}, p.fail("")
	}
	start := p.i
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		plain, err := p.skipString()
		return Value{Kind: Str, plain: plain, raw: p.data[start:p.i]}, err
	case c == '-' || c >= '0' && c <= '9':
		err := p.number()
		return Value{Kind: Number, raw: p.data[start:p.i]}, err
	case c == 't':
		return p.literal("true", Bool)
	case c == 'f':
		return p.literal("false", Bool)
	case c == 'n':
		return p.literal("null", Null)
	}
	return Value{}, p.fail("looking for beginning of value")
}

func (p *parser) literal(word string, k Kind) (Value, error) {
	start := p.i
	for j := 0; j < len(word); j++ {
		if p.i >= len(p.data) || p.data[p.i] != word[j] {
			return Value{}, p.fail("in literal " + word)
		}
		p.i++
	}
	return Value{Kind: k, raw: p.data[start:p.i]}, nil
}

func (p *parser) object(depth int) (Value, error) {
	start, mark, kmark := p.i, len(p.stack), len(p.keys)
	p.i++ // {
	v := Value{Kind: Obj}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		v.raw = p.data[start:p.i]
		return v, nil
	}
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return Value{}, p.fail("looking for beginning of object key string")
		}
		kstart := p.i
		plain, err := p.skipString()
		if err != nil {
			return Value{}, err
		}
		key := p.data[kstart+1 : p.i-1]
		if !plain {
			key = []byte(unquote(p.data[kstart:p.i]))
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return Value{}, p.fail("after object key")
		}
		p.i++
		e, err := p.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		p.keys, p.stack = append(p.keys, key), append(p.stack, e)
		more, err := p.next('}', "after object key:value pair")
		if err != nil {
			return Value{}, err
		}
		if more {
			continue
		}
		v.raw = p.data[start:p.i]
		p.used, p.usedKeys = max(p.used, len(p.stack)), max(p.usedKeys, len(p.keys))
		v.elems = append([]Value(nil), p.stack[mark:]...)
		v.keys = append([][]byte(nil), p.keys[kmark:]...)
		p.stack, p.keys = p.stack[:mark], p.keys[:kmark]
		return v, nil
	}
}

func (p *parser) array(depth int) (Value, error) {
	start, mark := p.i, len(p.stack)
	p.i++ // [
	v := Value{Kind: Array}
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		v.raw = p.data[start:p.i]
		return v, nil
	}
	for {
		e, err := p.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		p.stack = append(p.stack, e)
		more, err := p.next(']', "after array element")
		if err != nil {
			return Value{}, err
		}
		if more {
			continue
		}
		v.raw = p.data[start:p.i]
		p.used = max(p.used, len(p.stack))
		v.elems = append([]Value(nil), p.stack[mark:]...)
		p.stack = p.stack[:mark]
		return v, nil
	}
}

func (p *parser) digits() int {
	n := 0
	for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

// number checks the grammar of a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *parser) number() error {
	if p.data[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.data) && p.data[p.i] == '0':
		p.i++
	case p.digits() == 0:
		return p.fail("in numeric literal")
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return p.fail("after decimal point in numeric literal")
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return p.fail("in exponent of numeric literal")
		}
	}
	return nil
}

// skipString checks the quoted string at p.i and moves past it. plain
// says its text is its value: no escapes, ASCII only.
func (p *parser) skipString() (plain bool, err error) {
	data, i := p.data, p.i+1 // past "
	plain = true
	for {
		for i < len(data) && plainChar[data[i]] {
			i++
		}
		if i >= len(data) {
			p.i = i
			return false, p.fail("in string literal")
		}
		switch c := data[i]; {
		case c == '"':
			p.i = i + 1
			return plain, nil
		case c < 0x20:
			p.i = i
			return false, p.fail("in string literal")
		case c == '\\':
			plain = false
			i++
			if i >= len(data) {
				p.i = i
				return false, p.fail("in string escape code")
			}
			switch data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				p.i = i + 1
				if _, ok := p.hex4(); !ok {
					return false, p.fail("in \\u hexadecimal character escape")
				}
				i = p.i
			default:
				p.i = i
				return false, p.fail("in string escape code")
			}
		default: // c >= utf8.RuneSelf
			plain = false
			i++
		}
	}
}

// plainChar says which bytes stand for themselves in a JSON string and
// keep it plain: printable ASCII but the quote and the backslash.
var plainChar = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// unquote is the value of a quoted string that skipString accepted,
// decoded as encoding/json decodes it: invalid UTF-8 and lone surrogates
// become U+FFFD.
func unquote(q []byte) string {
	p := parser{data: q[1 : len(q)-1]}
	b := make([]byte, 0, len(p.data))
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '\\':
			e := p.data[p.i+1]
			p.i += 2
			switch e {
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, _ := p.hex4()
				if utf16.IsSurrogate(r) {
					r2 := utf8.RuneError
					save := p.i
					if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
						p.i += 2
						if x, ok := p.hex4(); ok {
							r2 = x
						}
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
					} else {
						r, p.i = utf8.RuneError, save
					}
				}
				b = utf8.AppendRune(b, r)
			default: // " \ /
				b = append(b, e)
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			p.i++
		default:
			r, size := utf8.DecodeRune(p.data[p.i:])
			p.i += size
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

func (p *parser) hex4() (rune, bool) {
	if p.i+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.i : p.i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	p.i += 4
	return r, true
}

// Raw is the value's text as the input had it; nil for an absent member.
func (v Value) Raw() []byte { return v.raw }

// IsNull reports whether the value is null or absent: what encoding/json
// leaves a Go value alone for.
func (v Value) IsNull() bool { return v.Kind == Absent || v.Kind == Null }

// Get is the object's member of that name, Absent when there is none or v
// is no object. As with encoding/json the last of duplicate names counts,
// and a name differing only in case matches when none matches exactly.
func (v Value) Get(name string) Value {
	folded := -1
	for i := len(v.keys) - 1; i >= 0; i-- {
		if string(v.keys[i]) == name {
			return v.elems[i]
		}
		if folded < 0 && equalFoldASCII(v.keys[i], name) {
			folded = i
		}
	}
	if folded >= 0 {
		return v.elems[folded]
	}
	return Value{}
}

// Member is the object's member of exactly that name (the last of
// duplicates), as encoding/json fills a map: Absent when there is none.
func (v Value) Member(name string) Value {
	for i := len(v.keys) - 1; i >= 0; i-- {
		if string(v.keys[i]) == name {
			return v.elems[i]
		}
	}
	return Value{}
}

func equalFoldASCII(a []byte, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// Members calls f with each member of an object, in order.
func (v Value) Members(f func(name string, value Value)) {
	for i, k := range v.keys {
		f(string(k), v.elems[i])
	}
}

// String is the value of a string; "" for null or absent.
func (v Value) String() (string, error) {
	switch v.Kind {
	case Str:
		if v.plain {
			return string(v.raw[1 : len(v.raw)-1]), nil
		}
		return unquote(v.raw), nil
	case Absent, Null:
		return "", nil
	}
	return "", ErrType
}

// Bool is the value of a boolean; false for null or absent.
func (v Value) Bool() (bool, error) {
	switch v.Kind {
	case Bool:
		return v.raw[0] == 't', nil
	case Absent, Null:
		return false, nil
	}
	return false, ErrType
}

// Int is the value of an integer number; 0 for null or absent. A number
// with a fraction or exponent is of the wrong type, as for encoding/json.
func (v Value) Int() (int64, error) {
	switch v.Kind {
	case Number:
		n, err := strconv.ParseInt(string(v.raw), 10, 64)
		if err != nil {
			return 0, ErrType
		}
		return n, nil
	case Absent, Null:
		return 0, nil
	}
	return 0, ErrType
}

// Float is the value of a number; 0 for null or absent.
func (v Value) Float() (float64, error) {
	switch v.Kind {
	case Number:
		f, err := strconv.ParseFloat(string(v.raw), 64)
		if err != nil {
			return 0, ErrType
		}
		return f, nil
	case Absent, Null:
		return 0, nil
	}
	return 0, ErrType
}

// Strings is the value of an array of strings (a null element is ""); nil
// for null or absent.
func (v Value) Strings() ([]string, error) {
	switch v.Kind {
	case Absent, Null:
		return nil, nil
	case Array:
	default:
		return nil, ErrType
	}
	out := make([]string, len(v.elems))
	for i, e := range v.elems {
		s, err := e.String()
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// Bytes is the value of a base64 string, as encoding/json stores a []byte;
// nil for null or absent.
func (v Value) Bytes() ([]byte, error) {
	switch v.Kind {
	case Absent, Null:
		return nil, nil
	case Str:
		var b []byte
		var err error
		if v.plain {
			q := v.raw[1 : len(v.raw)-1]
			b = make([]byte, base64.StdEncoding.DecodedLen(len(q)))
			var n int
			n, err = base64.StdEncoding.Decode(b, q)
			b = b[:n]
		} else {
			b, err = base64.StdEncoding.DecodeString(unquote(v.raw))
		}
		if err != nil {
			return nil, ErrType
		}
		return b, nil
	}
	return nil, ErrType
}

// Errors keeps the first of the errors of a decoding.
type Errors struct {
	// Err is the first error kept.
	Err error
}

// Keep keeps err if it is the first.
func (e *Errors) Keep(err error) {
	if e.Err == nil {
		e.Err = err
	}
}
