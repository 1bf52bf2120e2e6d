package wire

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzParse checks Parse against encoding/json on arbitrary input: the
// same inputs are valid, strings read the same, a Reader finds the same
// errors as Parse, and a string written by AppendString is what
// encoding/json writes.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{`{"a":[1,"x",null,true]}`, `"\ud83c\udf89\u2028"`, `-1.5e+3`, "\"\xff\"", `{"a":}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		v, err := Parse(in)
		if valid := json.Valid(in); valid != (err == nil) {
			t.Fatalf("Parse(%q): error %v, encoding/json says valid %v", in, err, valid)
		}
		if got := errText(skipErr(in)); got != errText(err) {
			t.Fatalf("skipping %q: error %q, Parse's %q", in, got, errText(err))
		}
		if err == nil && v.Kind == Str {
			var want string
			if err := json.Unmarshal(in, &want); err != nil {
				t.Fatal(err)
			}
			if got, _ := v.String(); got != want {
				t.Fatalf("Parse(%q).String() = %q, want %q", in, got, want)
			}
		}
		want, _ := json.Marshal(string(in))
		if got := AppendString(nil, string(in)); !bytes.Equal(got, want) {
			t.Fatalf("AppendString(%q) = %s, want %s", in, got, want)
		}
	})
}
