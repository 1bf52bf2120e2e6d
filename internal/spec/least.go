package spec

// Least is a value that schema sc accepts, the least one: its required
// fields with the least values their types take, null where nullable,
// an enum's first value. Spec-shaped answers without an example are made
// of it, and so are the requests the conformance tests send.
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
		out := map[string]any{}
		for _, part := range sc.AllOf {
			if m, ok := s.least(part, depth+1).(map[string]any); ok {
				for k, v := range m {
					out[k] = v
				}
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
			out[name] = s.least(sc.Properties[name], depth+1)
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
