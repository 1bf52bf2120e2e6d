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
			if nv, c := exactKeys(v, t.Elem()); c {
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
			if nv, c := exactKeys(v, t); c {
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
