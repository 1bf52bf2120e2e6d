package wire

import (
	"encoding/json"
	"reflect"
	"testing"
)

// skipErr is the error of a Reader that reads past the whole input.
func skipErr(in []byte) error {
	var r Reader
	r.Reset(in)
	r.Skip()
	return r.End()
}

// errText is err's message, "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestReaderSyntax checks that a Reader finds the same syntax errors as
// Parse, with the same messages, whatever the reads: skipping the value,
// or reading it as an object whose members are all read as strings.
func TestReaderSyntax(t *testing.T) {
	for _, in := range []string{
		`null`, `{}`, ` { "a" : "x" , "b":[ ] } `, `{"a":{"b":[1,{"c":null}]}}`, `{"a\u0041":"x"}`,
		``, ` `, `nul`, `tru`, `01`, `1.`, `-`, `1e`, `"abc`, "\"a\x01\"", `"\x"`, `"\u12"`, `[1,]`, `[1 2]`,
		`{"a"}`, `{"a":}`, `{"a":1,}`, `{a:1}`, `{"a":1} x`, `[`, `{`, `}`, `"\`, `{"a":"x" "b":1}`, `{"a":[1,2}`,
		`{"a":tru}`, `{"a":nul}`, `{"a":-}`,
	} {
		_, perr := Parse([]byte(in))
		if got := errText(skipErr([]byte(in))); got != errText(perr) {
			t.Errorf("skipping %q: error %q, Parse's %q", in, got, errText(perr))
		}
		var r Reader
		r.Reset([]byte(in))
		r.Object(func([]byte) { r.Text() })
		err := r.End()
		if perr != nil && errText(err) != errText(perr) {
			t.Errorf("reading %q: error %q, Parse's %q", in, errText(err), errText(perr))
		}
		if perr == nil && err != nil && err != ErrType {
			t.Errorf("reading %q: error %v for valid JSON", in, err)
		}
	}
}

// fields is what TestReaderTypes decodes, as encoding/json decodes it.
type fields struct {
	S  string   `json:"s"`
	P  *string  `json:"p"`
	N  int      `json:"n"`
	I  int64    `json:"i"`
	F  float64  `json:"f"`
	B  bool     `json:"b"`
	L  []string `json:"l"`
	By []byte   `json:"by"`
	R  json.RawMessage
}

func (f *fields) decode(in []byte) error {
	var r Reader
	r.Reset(in)
	r.Object(func(k []byte) {
		switch Match(k, []string{"s", "p", "n", "i", "f", "b", "l", "by", "r"}) {
		case "s":
			r.Known(&f.S, []string{"x", "exact"})
		case "p":
			r.StrPtr(&f.P)
		case "n":
			r.Int(&f.N)
		case "i":
			r.Int64(&f.I)
		case "f":
			r.Float(&f.F)
		case "b":
			r.Bool(&f.B)
		case "l":
			r.Strings(&f.L)
		case "by":
			r.Bytes(&f.By)
		case "r":
			r.Raw((*[]byte)(&f.R))
		default:
			r.Skip()
		}
	})
	return r.End()
}

// TestReaderTypes checks the typed reads against encoding/json: the same
// values, and an error for the same inputs.
func TestReaderTypes(t *testing.T) {
	for _, in := range []string{
		`{"s":"x","p":"y","n":-12,"i":9007199254740993,"f":1.5,"b":true,"l":["a",null,"c"],"by":"AAEC/w==","r":{"a": [1]}}`,
		`{"s":null,"p":null,"n":null,"i":null,"f":null,"b":null,"l":null,"by":null,"r":null}`,
		`{"S":"folded","s":"exact"}`, `{"s":"exact","S":"folded"}`, `{"s":"a","s":"b"}`, `{"\u0073":"escaped key"}`,
		`{"l":[]}`, `{"n":-0}`, `{"i":-9223372036854775808}`, `{"other":{"x":[1,{"y":2}]},"s":"after"}`, `{"s":"\u00e9\ud83c\udf89"}`,
		`{"b":false}`, `{"f":1e3}`, `null`,
		// type errors
		`{"s":1}`, `{"p":true}`, `{"n":1.5}`, `{"n":1e3}`, `{"i":9223372036854775808}`, `{"f":"1"}`, `{"b":"yes"}`,
		`{"l":[1]}`, `{"l":"a"}`, `{"by":"not base64!"}`, `{"by":1}`, `[]`, `"x"`, `1`,
		`{"s":1,"n":"x"}`, `{"s":1,"x":}`,
	} {
		var got, want fields
		gotErr, wantErr := got.decode([]byte(in)), json.Unmarshal([]byte(in), &want)
		if (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%s: error %v, encoding/json's %v", in, gotErr, wantErr)
			continue
		}
		if wantErr == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%s\n got %+v\nwant %+v", in, got, want)
		}
	}
}
