package httpapi

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/linkharness/linkharness/internal/plaid"
)

// WriteError answers with e in Plaid's shape and its HTTP status.
func WriteError(w http.ResponseWriter, requestID string, e *plaid.Error) {
	e.RequestID = requestID
	WriteJSON(w, e.Status, e)
}

// WriteJSON answers with v as indented JSON and the HTTP status: the bytes
// of a json.Encoder indenting by two spaces, which Plaid's API answers
// look like.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	raw, err := json.Marshal(v)
	if err != nil {
		// What json.Encoder writes of a value it cannot encode: nothing.
		return
	}
	buf := indentBufs.Get().(*[]byte)
	*buf = append(indent((*buf)[:0], raw), '\n')
	w.Write(*buf)
	if cap(*buf) <= 64<<10 {
		indentBufs.Put(buf)
	}
}

// indentBufs are the buffers WriteJSON indents into.
var indentBufs = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// spaces is the indent of the deepest level indent writes in one append;
// deeper levels take more.
var spaces = strings.Repeat(" ", 64)

// indent appends src, compact JSON as json.Marshal writes it, to dst
// indented as json.Indent(dst, src, "", "  ") does: a newline and two
// spaces a level before every element and closing bracket, a space after
// every colon, and empty objects and arrays left as {} and []. It is
// json.Indent without its scanner, which the answers' JSON, valid and
// without whitespace between its tokens, does not need.
func indent(dst, src []byte) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		for n := 2 * depth; n > 0; n -= len(spaces) {
			dst = append(dst, spaces[:min(n, len(spaces))]...)
		}
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '"':
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' {
					j++
				}
			}
			dst = append(dst, src[i:min(j+1, len(src))]...)
			i = j
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, c, src[i+1])
				i++
				continue
			}
			depth++
			dst = append(dst, c)
			newline()
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		default:
			j := i + 1
			for j < len(src) && !strings.ContainsRune(`"{}[],:`, rune(src[j])) {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j - 1
		}
	}
	return dst
}
