package spec

import "testing"

func TestLeast(t *testing.T) {
	s := Load()
	sc, ok := s.Schema("LinkTokenCreateRequest")
	if !ok {
		t.Fatal("no LinkTokenCreateRequest")
	}
	v, ok := s.Least(sc).(map[string]any)
	if !ok {
		t.Fatalf("Least is %T, not an object", s.Least(sc))
	}
	for _, name := range s.Resolve(sc).Required {
		if _, ok := v[name]; !ok {
			t.Errorf("the required %s is missing from %v", name, v)
		}
	}
	tests := []struct {
		name string
		sc   *Schema
		want any
	}{
		{"nullable", &Schema{Type: "string", Nullable: true}, nil},
		{"enum", &Schema{Type: "string", Enum: []any{"b", "a"}}, "b"},
		{"date", &Schema{Type: "string", Format: "date"}, "2026-01-01"},
		{"minimum", &Schema{Type: "integer", Minimum: ptr(3.0)}, 3.0},
		{"array", &Schema{Type: "array", Items: &Schema{Type: "string"}}, nil},
	}
	for _, tt := range tests {
		got := s.Least(tt.sc)
		if tt.name == "array" {
			if a, ok := got.([]any); !ok || len(a) != 0 {
				t.Errorf("%s: %v", tt.name, got)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }
