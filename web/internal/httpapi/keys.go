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
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return raw, false
		}
		fields := fieldsOf(t)
		changed := false
		for k, v := range obj {
			f, exact := fields.byName[k]
			if !exact {
				if _, folded := fields.byFold[strings.ToLower(k)]; folded {
					delete(obj, k)
					changed = true
				}
				continue
			}
			if nv, c := exactKeys(v, f); c {
				obj[k], changed = nv, true
			}
		}
		if !changed {
			return raw, false
		}
		out, _ := json.Marshal(obj)
		return out, true
	case reflect.Slice, reflect.Array:
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return raw, false
		}
		changed := false
		for i, v := range items {
			if nv, c := exactKeys(v, t.Elem()); c {
				items[i], changed = nv, true
			}
		}
		if !changed {
			return raw, false
		}
		out, _ := json.Marshal(items)
		return out, true
	case reflect.Map:
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return raw, false
		}
		changed := false
		for k, v := range obj {
			if nv, c := exactKeys(v, t.Elem()); c {
				obj[k], changed = nv, true
			}
		}
		if !changed {
			return raw, false
		}
		out, _ := json.Marshal(obj)
		return out, true
	}
	return raw, false
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
