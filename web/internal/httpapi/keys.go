package httpapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// exactKeys returns raw less the object keys that name a field of t only
// up to case. encoding/json matches keys case-insensitively; Plaid's keys
// are exact, so {"SECRET": ...} is an unknown key to Plaid, not the
// secret, and here too. It reports whether it dropped any.
func exactKeys(raw json.RawMessage, t reflect.Type) (json.RawMessage, bool) {
	if allExact(raw, t) {
		return raw, false
	}
	return dropInexact(raw, t)
}

// dropInexact is exactKeys without its first look: it rewrites raw
// member by member.
func dropInexact(raw json.RawMessage, t reflect.Type) (json.RawMessage, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		fields := fieldsOf(t)
		return eachMember(raw, func(k string) (reflect.Type, bool) {
			if f, exact := fields.byName[k]; exact {
				return f, true
			}
			return nil, !fields.byFold[strings.ToLower(k)]
		})
	case reflect.Map:
		return eachMember(raw, func(string) (reflect.Type, bool) { return t.Elem(), true })
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return raw, false
		}
		changed := false
		for i, v := range items {
			if nv, c := dropInexact(v, t.Elem()); c {
				items[i], changed = nv, true
			}
		}
		return remarshal(raw, items, changed)
	}
	return raw, false
}

// eachMember rewrites a JSON object's members: member says of each key
// the type its value decodes into (nil: none to look into) and whether the
// key stays.
func eachMember(raw json.RawMessage, member func(key string) (reflect.Type, bool)) (json.RawMessage, bool) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return raw, false
	}
	changed := false
	for k, v := range obj {
		t, keep := member(k)
		switch {
		case !keep:
			delete(obj, k)
			changed = true
		case t != nil:
			if nv, c := dropInexact(v, t); c {
				obj[k], changed = nv, true
			}
		}
	}
	return remarshal(raw, obj, changed)
}

// remarshal is v as JSON when it changed, and raw as it was otherwise.
func remarshal(raw json.RawMessage, v any, changed bool) (json.RawMessage, bool) {
	if !changed {
		return raw, false
	}
	out, _ := json.Marshal(v)
	return out, true
}

// allExact reports, in one pass over raw's bytes without decoding it,
// that exactKeys would drop no key of it: every object key in raw, at any
// depth and also in values exactKeys does not look into, either folds to
// no field name of any struct t reaches, or is the one spelling that
// those structs give the fields of its fold (so that wherever it is a
// field's name up to case, it is that field's exact name). A key with an
// escape or outside ASCII, or a raw that ends inside a string, is not
// looked at here: false sends it to the member-by-member pass.
func allExact(raw []byte, t reflect.Type) bool {
	spell := spellingsOf(t)
	for i := 0; i < len(raw); i++ {
		if raw[i] != '"' {
			continue
		}
		start, escaped := i+1, false
		for i = start; i < len(raw) && raw[i] != '"'; i++ {
			if raw[i] == '\\' {
				escaped = true
				i++
			}
		}
		if i >= len(raw) {
			return false
		}
		key := raw[start:i]
		j := i + 1
		for j < len(raw) && (raw[j] == ' ' || raw[j] == '\t' || raw[j] == '\n' || raw[j] == '\r') {
			j++
		}
		if j == len(raw) || raw[j] != ':' {
			continue // a value
		}
		if escaped {
			return false
		}
		var s string
		var named bool
		if lower, ascii := caseOf(key); lower {
			s, named = spell[string(key)]
		} else if ascii {
			s, named = spell[strings.ToLower(string(key))]
		} else {
			return false
		}
		if named && s != string(key) {
			return false
		}
	}
	return true
}

// caseOf says whether key is ASCII, and whether it is that without
// upper-case letters.
func caseOf(key []byte) (lower, ascii bool) {
	lower = true
	for _, c := range key {
		if c >= 0x80 {
			return false, false
		}
		lower = lower && (c < 'A' || c > 'Z')
	}
	return lower, true
}

var spellingCache sync.Map // reflect.Type -> map[string]string

// spellingsOf maps the lower-case form of every field name of the structs
// t reaches (through pointers, slices, arrays, maps and fields) to the one
// name those fields spell it with, or to "" when they spell it more than
// one way.
func spellingsOf(t reflect.Type) map[string]string {
	if m, ok := spellingCache.Load(t); ok {
		return m.(map[string]string)
	}
	m := map[string]string{}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for name, ft := range fieldsOf(t).byName {
			fold := strings.ToLower(name)
			if s, ok := m[fold]; !ok {
				m[fold] = name
			} else if s != name {
				m[fold] = ""
			}
			walk(ft)
		}
		// A field that an embedded struct's hides still folds: spell it
		// as no one.
		for fold := range fieldsOf(t).byFold {
			if _, ok := m[fold]; !ok {
				m[fold] = ""
			}
		}
	}
	walk(t)
	spellingCache.Store(t, m)
	return m
}

// jsonFields are a struct type's JSON field names, with the types they
// decode into, and the same names folded to lower case.
type jsonFields struct {
	byName map[string]reflect.Type
	byFold map[string]bool
}

var fieldCache sync.Map // reflect.Type -> jsonFields

// fieldsOf lists the JSON names of t's fields, those of embedded structs
// included, as encoding/json sees them.
func fieldsOf(t reflect.Type) jsonFields {
	if f, ok := fieldCache.Load(t); ok {
		return f.(jsonFields)
	}
	f := jsonFields{byName: map[string]reflect.Type{}, byFold: map[string]bool{}}
	depthOf := map[string]int{}
	var walk func(t reflect.Type, depth int)
	walk = func(t reflect.Type, depth int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			ft := sf.Type
			if sf.Anonymous && name == "" {
				for ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft, depth+1)
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			// A shallower field hides a deeper one of the same name, as in
			// encoding/json.
			if d, seen := depthOf[name]; !seen || depth < d {
				f.byName[name], depthOf[name] = sf.Type, depth
			}
			f.byFold[strings.ToLower(name)] = true
		}
	}
	walk(t, 0)
	fieldCache.Store(t, f)
	return f
}
