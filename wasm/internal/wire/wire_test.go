package wire

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// tricky are strings that take every path of AppendString and unquote.
var tricky = []string{
	"", "plain", `quote " and \ backslash`, "<script>&amp;</script>", "tab\tnew\nline\rcr",
	"\b\f\x00\x01\x1f\x7f", "é ü 日本 🎉", "\u2028\u2029", "bad \xff utf-8 \xc3", "/slash/",
}

// TestAppendString compares AppendString with encoding/json.
func TestAppendString(t *testing.T) {
	for _, s := range tricky {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestObject compares an Object's members with encoding/json's encoding
// of the same struct.
func TestObject(t *testing.T) {
	type all struct {
		S     string  `json:"s"`
		SO    string  `json:"so,omitempty"`
		SE    string  `json:"se,omitempty"`
		P     *string `json:"p"`
		PN    *string `json:"pn"`
		I     int64   `json:"i"`
		IO    int64   `json:"io,omitempty"`
		B     bool    `json:"b"`
		BO    bool    `json:"bo,omitempty"`
		R     json.RawMessage
		RN    json.RawMessage `json:"rn"`
		L     []string        `json:"l"`
		LN    []string        `json:"ln"`
		LO    []string        `json:"lo,omitempty"`
		Inner String          `json:"inner"`
	}
	p := "<p>"
	v := all{S: "a&b", SO: "x", P: &p, I: -42, IO: 7, B: true, R: json.RawMessage(`{"k":[1,2]}`), L: []string{"x", "\u2028"}, LO: []string{}, Inner: "in"}
	o := BeginObject(nil)
	o.Str("s", v.S)
	o.StrOmit("so", v.SO)
	o.StrOmit("se", v.SE)
	o.StrPtr("p", v.P)
	o.StrPtr("pn", v.PN)
	o.Int("i", v.I)
	o.IntOmit("io", v.IO)
	o.Bool("b", v.B)
	o.BoolOmit("bo", v.BO)
	o.Raw("R", v.R)
	o.Raw("rn", v.RN)
	o.Strings("l", v.L)
	o.Strings("ln", v.LN)
	o.StringsOmit("lo", v.LO)
	o.Value("inner", v.Inner)
	want, _ := json.Marshal(v)
	if got := o.End(); !bytes.Equal(got, want) {
		t.Errorf("object\n got %s\nwant %s", got, want)
	}
	if got, want := AppendList[String](nil, nil), []byte("null"); !bytes.Equal(got, want) {
		t.Errorf("nil list = %s", got)
	}
	if got, want := string(AppendList(nil, []String{"a", "b"})), `["a","b"]`; got != want {
		t.Errorf("list = %s, want %s", got, want)
	}
}

// TestParse checks that Parse accepts what encoding/json accepts and that
// values read as encoding/json reads them.
func TestParse(t *testing.T) {
	for _, in := range []string{
		`null`, `true`, `false`, `0`, `-0`, `12.5e-3`, `-1E+9`, `""`, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\ud83c\udf89"`,
		`"\ud800"`, `"\ud800\u0041"`, `"\udc00x"`, "\"\xff\"", `[]`, `[1,"a",[{}]]`, `{}`, ` { "a" : 1 , "b":[ ] } `,
		`{"a":1,"a":2}`, `{"A":1}`,
		// invalid
		``, ` `, `nul`, `tru`, `01`, `1.`, `.5`, `-`, `1e`, `+1`, `"abc`, "\"a\x01\"", `"\x"`, `"\u12"`, `[1,]`, `[1 2]`,
		`{"a"}`, `{"a":}`, `{"a":1,}`, `{a:1}`, `{"a":1} x`, `[`, `{`, `}`, `"\`,
	} {
		v, err := Parse([]byte(in))
		if valid := json.Valid([]byte(in)); valid != (err == nil) {
			t.Errorf("Parse(%q): error %v, encoding/json says valid %v", in, err, valid)
			continue
		}
		if err != nil {
			continue
		}
		if !bytes.Equal(bytes.TrimSpace(v.Raw()), bytes.TrimSpace([]byte(in))) {
			t.Errorf("Parse(%q).Raw() = %q", in, v.Raw())
		}
		if v.Kind == Str {
			var want string
			_ = json.Unmarshal([]byte(in), &want)
			if got, _ := v.String(); got != want {
				t.Errorf("Parse(%q).String() = %q, want %q", in, got, want)
			}
		}
	}
	for _, s := range tricky {
		q, _ := json.Marshal(s)
		v, err := Parse(q)
		got, _ := v.String()
		var want string
		_ = json.Unmarshal(q, &want)
		if err != nil || got != want {
			t.Errorf("Parse(%s) = %q, %v; want %q", q, got, err, want)
		}
	}
}

// TestGetters checks the typed readers against encoding/json.
func TestGetters(t *testing.T) {
	v, err := Parse([]byte(`{"s":"x","n":-12,"f":1.5,"e":1e3,"b":true,"z":null,"l":["a",null,"c"],"bytes":"AAEC/w==",` +
		`"dup":1,"dup":2,"Case":"folded","nested":{"deep":[1]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := v.Get("s").String(); s != "x" || err != nil {
		t.Errorf("s = %q, %v", s, err)
	}
	if n, err := v.Get("n").Int(); n != -12 || err != nil {
		t.Errorf("n = %d, %v", n, err)
	}
	if _, err := v.Get("f").Int(); err == nil {
		t.Error("1.5 read as an integer")
	}
	if _, err := v.Get("e").Int(); err == nil {
		t.Error("1e3 read as an integer, which encoding/json refuses")
	}
	if f, err := v.Get("f").Float(); f != 1.5 || err != nil {
		t.Errorf("f = %v, %v", f, err)
	}
	if b, err := v.Get("b").Bool(); !b || err != nil {
		t.Errorf("b = %v, %v", b, err)
	}
	if _, err := v.Get("s").Bool(); err == nil {
		t.Error("a string read as a boolean")
	}
	if l, err := v.Get("l").Strings(); !reflect.DeepEqual(l, []string{"a", "", "c"}) || err != nil {
		t.Errorf("l = %q, %v", l, err)
	}
	if b, err := v.Get("bytes").Bytes(); !bytes.Equal(b, []byte{0, 1, 2, 255}) || err != nil {
		t.Errorf("bytes = %v, %v", b, err)
	}
	if n, _ := v.Get("dup").Int(); n != 2 {
		t.Errorf("dup = %d, want the last", n)
	}
	if s, _ := v.Get("case").String(); s != "folded" {
		t.Errorf("case = %q, want the case-insensitive match", s)
	}
	if v.Member("case").Kind != Absent {
		t.Error("Member matched a name of another case")
	}
	if !v.Get("z").IsNull() || !v.Get("missing").IsNull() || v.Get("missing").Kind != Absent {
		t.Error("null or absent members misread")
	}
}
