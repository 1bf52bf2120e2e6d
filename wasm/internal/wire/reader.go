package wire

import (
	"encoding/base64"
	"errors"
	"strconv"
)

// Reader decodes one JSON value as it reads it, in one pass over the input:
// a decoder reads an object member by member and each member's value
// straight into its destination, with nothing gathered in between. It
// checks the grammar as [Parse] does, with the same errors at the same
// places, and a value of the wrong type is read past, its error kept, as
// encoding/json.Unmarshal reads past one: [Reader.End] reports the first
// syntax error, else the first type error. Members are matched to fields
// by the decoder, in the order they come, so that the last of duplicates
// counts, as with encoding/json.
//
// After a syntax error every read does nothing.
type Reader struct {
	p parser
	// depth is the nesting of the value read next.
	depth int
	// syntax is the first syntax error, which ends the reading.
	syntax error
	// Errors keeps the first type error.
	Errors
}

// Reset starts reading data.
func (r *Reader) Reset(data []byte) {
	*r = Reader{p: parser{data: data}}
}

// End checks that nothing but white space follows the value read, and
// returns the first syntax error or, if there was none, the first type
// error.
func (r *Reader) End() error {
	if r.syntax == nil {
		r.p.space()
		if r.p.i != len(r.p.data) {
			r.syntax = r.p.fail("after the top-level value")
		}
	}
	r.p.data = nil
	if r.syntax != nil {
		return r.syntax
	}
	return r.Err
}

// next moves to the start of the next value and returns its first byte;
// ok is false after a syntax error.
func (r *Reader) next() (c byte, ok bool) {
	if r.syntax != nil {
		return 0, false
	}
	if r.depth > maxDepth {
		r.syntax = errors.New("wire: exceeded max depth")
		return 0, false
	}
	r.p.space()
	if r.p.i >= len(r.p.data) {
		r.syntax = r.p.fail("")
		return 0, false
	}
	return r.p.data[r.p.i], true
}

// Skip reads past the next value, whatever it is.
func (r *Reader) Skip() {
	if _, ok := r.next(); !ok {
		return
	}
	if _, err := r.p.value(r.depth); err != nil {
		r.syntax = err
	}
}

// mismatch reads past a value of the wrong type and keeps the type error.
func (r *Reader) mismatch() {
	r.Skip()
	if r.syntax == nil {
		r.Keep(ErrType)
	}
}

// Null reads a null and reports whether there was one; anything else is
// left to be read.
func (r *Reader) Null() bool {
	c, ok := r.next()
	if !ok || c != 'n' {
		return false
	}
	r.literal("null")
	return r.syntax == nil
}

func (r *Reader) literal(word string) {
	if _, err := r.p.literal(word, Null); err != nil {
		r.syntax = err
	}
}

// Object reads an object, calling member with each member's name (its
// text, valid only during the call), which must read the member's value
// (with [Reader.Skip] if nothing else). It reports whether the value was
// an object; null is left as it is, and another value is a type error.
func (r *Reader) Object(member func(name []byte)) bool {
	c, ok := r.next()
	switch {
	case !ok:
		return false
	case c == 'n':
		r.literal("null")
		return false
	case c != '{':
		r.mismatch()
		return false
	}
	p := &r.p
	p.i++ // {
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return true
	}
	r.depth++
	ok = r.members(member)
	r.depth--
	return ok
}

// members reads an object's members from the first on.
func (r *Reader) members(member func(name []byte)) bool {
	p := &r.p
	for {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			r.syntax = p.fail("looking for beginning of object key string")
			return false
		}
		kstart := p.i
		plain, err := p.skipString()
		if err != nil {
			r.syntax = err
			return false
		}
		key := p.data[kstart+1 : p.i-1]
		if !plain {
			key = []byte(unquote(p.data[kstart:p.i]))
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			r.syntax = p.fail("after object key")
			return false
		}
		p.i++
		member(key)
		if r.syntax != nil {
			return false
		}
		if more, err := p.next('}', "after object key:value pair"); !more {
			r.syntax = err
			return err == nil
		}
	}
}

// Array reads an array, calling elem for each element, which must read
// it. It reports whether the value was an array; null is left as it is,
// and another value is a type error.
func (r *Reader) Array(elem func()) bool {
	c, ok := r.next()
	switch {
	case !ok:
		return false
	case c == 'n':
		r.literal("null")
		return false
	case c != '[':
		r.mismatch()
		return false
	}
	p := &r.p
	p.i++ // [
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return true
	}
	r.depth++
	ok = r.elems(elem)
	r.depth--
	return ok
}

// elems reads an array's elements from the first on.
func (r *Reader) elems(elem func()) bool {
	p := &r.p
	for {
		elem()
		if r.syntax != nil {
			return false
		}
		if more, err := p.next(']', "after array element"); !more {
			r.syntax = err
			return err == nil
		}
	}
}

// Text reads a string's value; ok is false for null (read), for another
// type (a type error) and after a syntax error.
func (r *Reader) Text() (s string, ok bool) {
	c, ok := r.next()
	switch {
	case !ok:
		return "", false
	case c == 'n':
		r.literal("null")
		return "", false
	case c != '"':
		r.mismatch()
		return "", false
	}
	start := r.p.i
	plain, err := r.p.skipString()
	if err != nil {
		r.syntax = err
		return "", false
	}
	if plain {
		return string(r.p.data[start+1 : r.p.i-1]), true
	}
	return unquote(r.p.data[start:r.p.i]), true
}

// Known reads a string into dst as [Reader.Str] does, as the very string
// of known that it equals, if one does: no copy of it is made.
func (r *Reader) Known(dst *string, known []string) {
	c, ok := r.next()
	if !ok || c != '"' {
		r.Str(dst)
		return
	}
	start := r.p.i
	plain, err := r.p.skipString()
	if err != nil {
		r.syntax = err
		return
	}
	if plain {
		text := r.p.data[start+1 : r.p.i-1]
		for _, k := range known {
			if string(text) == k {
				*dst = k
				return
			}
		}
		*dst = string(text)
		return
	}
	*dst = unquote(r.p.data[start:r.p.i])
}

// Str reads a string into dst; null leaves dst as it is.
func (r *Reader) Str(dst *string) {
	if s, ok := r.Text(); ok {
		*dst = s
	}
}

// StrPtr reads a nullable string into dst: nil for null.
func (r *Reader) StrPtr(dst **string) {
	if r.Null() {
		*dst = nil
		return
	}
	if s, ok := r.Text(); ok {
		*dst = &s
	}
}

// number reads a number's text; ok is false for null (read), for another
// type (a type error) and after a syntax error.
func (r *Reader) number() (text []byte, ok bool) {
	c, ok := r.next()
	switch {
	case !ok:
		return nil, false
	case c == 'n':
		r.literal("null")
		return nil, false
	case c != '-' && (c < '0' || c > '9'):
		r.mismatch()
		return nil, false
	}
	start := r.p.i
	if err := r.p.number(); err != nil {
		r.syntax = err
		return nil, false
	}
	return r.p.data[start:r.p.i], true
}

// Int64 reads an integer into dst; null leaves dst as it is, and a number
// with a fraction or exponent is of the wrong type, as for encoding/json.
func (r *Reader) Int64(dst *int64) {
	var n int64
	if r.int(&n) {
		*dst = n
	}
}

// Int reads an integer into dst, as [Reader.Int64].
func (r *Reader) Int(dst *int) {
	var n int64
	if r.int(&n) {
		if int64(int(n)) != n {
			r.Keep(ErrType)
			return
		}
		*dst = int(n)
	}
}

// int reads an integer into n and reports whether there was one.
func (r *Reader) int(n *int64) bool {
	text, ok := r.number()
	if !ok {
		return false
	}
	v, ok := parseInt(text)
	if !ok {
		r.Keep(ErrType)
		return false
	}
	*n = v
	return true
}

// parseInt is strconv.ParseInt(string(text), 10, 64) for a number's text
// that the grammar was checked for, without the copy for the short ones.
func parseInt(text []byte) (int64, bool) {
	digits := text
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		n, err := strconv.ParseInt(string(text), 10, 64)
		return n, err == nil
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if len(digits) < len(text) {
		n = -n
	}
	return n, true
}

// Float reads a number into dst; null leaves dst as it is.
func (r *Reader) Float(dst *float64) {
	text, ok := r.number()
	if !ok {
		return
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		r.Keep(ErrType)
		return
	}
	*dst = f
}

// Bool reads a boolean into dst; null leaves dst as it is.
func (r *Reader) Bool(dst *bool) {
	c, ok := r.next()
	switch {
	case !ok:
	case c == 'n':
		r.literal("null")
	case c == 't':
		r.literal("true")
		if r.syntax == nil {
			*dst = true
		}
	case c == 'f':
		r.literal("false")
		if r.syntax == nil {
			*dst = false
		}
	default:
		r.mismatch()
	}
}

// Strings reads an array of strings into dst (a null element is ""): nil
// for null. An element of another type leaves dst as it is.
func (r *Reader) Strings(dst *[]string) {
	if r.Null() {
		*dst = nil
		return
	}
	var list []string
	bad := false
	isArray := r.Array(func() {
		if r.Null() {
			list = append(list, "")
			return
		}
		s, ok := r.Text()
		if !ok {
			bad = true
		}
		list = append(list, s)
	})
	if !isArray || bad || r.syntax != nil {
		return
	}
	if list == nil {
		list = []string{}
	}
	*dst = list
}

// Bytes reads a base64 string into dst, as encoding/json fills a []byte:
// nil for null.
func (r *Reader) Bytes(dst *[]byte) {
	if r.Null() {
		*dst = nil
		return
	}
	c, ok := r.next()
	if !ok {
		return
	}
	if c != '"' {
		r.mismatch()
		return
	}
	start := r.p.i
	plain, err := r.p.skipString()
	if err != nil {
		r.syntax = err
		return
	}
	var b []byte
	if plain {
		q := r.p.data[start+1 : r.p.i-1]
		b = make([]byte, base64.StdEncoding.DecodedLen(len(q)))
		var n int
		n, err = base64.StdEncoding.Decode(b, q)
		b = b[:n]
	} else {
		b, err = base64.StdEncoding.DecodeString(unquote(r.p.data[start:r.p.i]))
	}
	if err != nil {
		r.Keep(ErrType)
		return
	}
	*dst = b
}

// Raw reads any value and keeps a copy of its text in dst, as
// encoding/json fills a json.RawMessage (null included).
func (r *Reader) Raw(dst *[]byte) {
	if _, ok := r.next(); !ok {
		return
	}
	start := r.p.i
	r.Skip()
	if r.syntax == nil {
		*dst = append([]byte(nil), r.p.data[start:r.p.i]...)
	}
}

// Match is the one of names (distinct, lower-case field names) that a
// member called key fills, as encoding/json matches them: the name itself,
// else one differing only in ASCII case; "" for none.
func Match(key []byte, names []string) string {
	for _, n := range names {
		if string(key) == n {
			return n
		}
	}
	for _, n := range names {
		if equalFoldASCII(key, n) {
			return n
		}
	}
	return ""
}
