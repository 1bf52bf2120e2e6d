package spec

import "strings"

// Least is a value that schema sc accepts, the least one: its required
// fields with the least values their types take, null where nullable,
// an enum's first value. A required field is never empty, though, as
// Plaid counts a blank string or an empty array there as missing: it
// gets "x" (or as many as its minLength asks), and an array one least
// element. Spec-shaped answers without an example are made of it, and so
// are the requests the conformance tests send.
func (s *Spec) Least(sc *Schema) any { return s.least(sc, 0) }

func (s *Spec) least(sc *Schema, depth int) any {
	sc = s.Resolve(sc)
	if sc == nil || depth > 12 {
		return nil
	}
	if sc.Nullable {
		return nil
	}
	if len(sc.Enum) > 0 {
		return sc.Enum[0]
	}
	if len(sc.AllOf) > 0 {
		// The parts' objects merged; a part that is not an object (a
		// string's enum, say) is the value.
		out := map[string]any{}
		for _, part := range sc.AllOf {
			v := s.least(part, depth+1)
			m, ok := v.(map[string]any)
			if !ok {
				return v
			}
			for k, x := range m {
				out[k] = x
			}
		}
		return out
	}
	if len(sc.OneOf) > 0 {
		return s.least(sc.OneOf[0], depth+1)
	}
	if len(sc.AnyOf) > 0 {
		return s.least(sc.AnyOf[0], depth+1)
	}
	switch sc.Type {
	case "object", "":
		out := map[string]any{}
		for _, name := range sc.Required {
			out[name] = s.present(sc.Properties[name], depth+1)
		}
		return out
	case "array":
		return []any{}
	case "string":
		switch sc.Format {
		case "date":
			return "2026-01-01"
		case "date-time":
			return "2026-01-01T00:00:00Z"
		}
		return ""
	case "integer", "number":
		if sc.Minimum != nil {
			return *sc.Minimum
		}
		return 0
	case "boolean":
		return false
	}
	return nil
}

// present is the least value of a required field: not a blank string nor
// an empty array.
func (s *Spec) present(sc *Schema, depth int) any {
	v := s.least(sc, depth)
	r := s.Resolve(sc)
	switch x := v.(type) {
	case string:
		if x == "" {
			n := 1
			if r.MinLength != nil && *r.MinLength > 1 {
				n = *r.MinLength
			}
			return strings.Repeat("x", n)
		}
	case []any:
		if len(x) == 0 && r.Items != nil {
			return []any{s.present(r.Items, depth+1)}
		}
	}
	return v
}

// Wrong is a value of another JSON type than schema sc's, which sc
// refuses whatever its other rules; false for a schema that leaves its
// type open. The conformance tests send it to see a field refused.
func (s *Spec) Wrong(sc *Schema) (any, bool) {
	for seen := 0; seen < 8; seen++ {
		sc = s.Resolve(sc)
		if sc == nil {
			return nil, false
		}
		if sc.Type != "" || len(sc.AllOf) != 1 {
			break
		}
		sc = sc.AllOf[0]
	}
	switch sc.Type {
	case "string":
		return 7, true
	case "integer", "number":
		return "7", true
	case "boolean":
		return "true", true
	case "array", "object":
		return "x", true
	}
	if len(sc.Properties) > 0 {
		return "x", true
	}
	return nil, false
}
