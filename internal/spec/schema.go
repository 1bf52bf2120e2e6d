package spec

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Schema is an OpenAPI 3.0 schema object with its facts only: the JSON
// names are the spec's keywords, except Ref. A schema is either a
// reference (Ref set, nothing else) or a schema of its own.
//
// OpenAPI 3.0's Nullable next to AllOf (a one-element AllOf, as Plaid's
// spec writes a nullable reference) means "this object or null".
type Schema struct {
	// Ref is the name of the component schema this one is, for the
	// spec's "$ref": "#/components/schemas/<Ref>".
	Ref string `json:"ref,omitempty"`

	// Type is "object", "array", "string", "integer", "number" or
	// "boolean"; "" when the schema leaves it open (an AllOf, say).
	Type string `json:"type,omitempty"`
	// Format refines Type: "date", "date-time", "double", "email", ...
	Format string `json:"format,omitempty"`
	// Nullable says null is a valid value too.
	Nullable bool `json:"nullable,omitempty"`
	// Deprecated says the spec marks the field deprecated.
	Deprecated bool `json:"deprecated,omitempty"`
	// ReadOnly says the field appears in responses only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// WriteOnly says the field appears in requests only.
	WriteOnly bool `json:"writeOnly,omitempty"`
	// Enum lists the valid values, if the schema restricts them.
	Enum []any `json:"enum,omitempty"`
	// Default is the value a server assumes when the field is absent.
	Default json.RawMessage `json:"default,omitempty"`
	// Example is the schema's example value.
	Example json.RawMessage `json:"example,omitempty"`

	// Properties are an object's fields, by name.
	Properties map[string]*Schema `json:"properties,omitempty"`
	// Required are the fields an object must have.
	Required []string `json:"required,omitempty"`
	// AdditionalProperties says whether an object may have fields
	// Properties does not name, and of which schema; nil when the spec
	// does not say (OpenAPI then allows any).
	AdditionalProperties *AdditionalProperties `json:"additionalProperties,omitempty"`
	// MinProperties and MaxProperties bound an object's number of fields.
	MinProperties *int `json:"minProperties,omitempty"`
	// MaxProperties is the most fields an object may have.
	MaxProperties *int `json:"maxProperties,omitempty"`

	// Items is an array's element schema.
	Items *Schema `json:"items,omitempty"`
	// MinItems is the fewest elements an array may have.
	MinItems *int `json:"minItems,omitempty"`
	// MaxItems is the most elements an array may have.
	MaxItems *int `json:"maxItems,omitempty"`
	// UniqueItems says an array's elements are distinct.
	UniqueItems bool `json:"uniqueItems,omitempty"`

	// MinLength is the shortest a string may be, in characters.
	MinLength *int `json:"minLength,omitempty"`
	// MaxLength is the longest a string may be, in characters.
	MaxLength *int `json:"maxLength,omitempty"`
	// Pattern is a regular expression a string matches (ECMA 262).
	Pattern string `json:"pattern,omitempty"`

	// Minimum is the least a number may be.
	Minimum *float64 `json:"minimum,omitempty"`
	// Maximum is the most a number may be.
	Maximum *float64 `json:"maximum,omitempty"`
	// ExclusiveMinimum says Minimum itself is not valid.
	ExclusiveMinimum bool `json:"exclusiveMinimum,omitempty"`
	// ExclusiveMaximum says Maximum itself is not valid.
	ExclusiveMaximum bool `json:"exclusiveMaximum,omitempty"`
	// MultipleOf is what a number must be a multiple of.
	MultipleOf *float64 `json:"multipleOf,omitempty"`

	// AllOf are schemas the value matches all of.
	AllOf []*Schema `json:"allOf,omitempty"`
	// OneOf are schemas the value matches exactly one of.
	OneOf []*Schema `json:"oneOf,omitempty"`
	// AnyOf are schemas the value matches at least one of.
	AnyOf []*Schema `json:"anyOf,omitempty"`
	// Not is a schema the value must not match.
	Not *Schema `json:"not,omitempty"`
	// Discriminator names the field whose value picks the OneOf or AnyOf
	// schema.
	Discriminator *Discriminator `json:"discriminator,omitempty"`
}

// Discriminator is OpenAPI's discriminator object.
type Discriminator struct {
	// PropertyName is the field whose value picks the schema.
	PropertyName string `json:"propertyName"`
	// Mapping maps that field's values to schema names.
	Mapping map[string]string `json:"mapping,omitempty"`
}

// AdditionalProperties is OpenAPI's additionalProperties: true, false, or a
// schema the other fields' values match.
type AdditionalProperties struct {
	// Allowed says an object may have fields its Properties do not name.
	Allowed bool
	// Schema, when Allowed, is the schema of their values; nil for any.
	Schema *Schema
}

// MarshalJSON writes true, false or the schema.
func (a AdditionalProperties) MarshalJSON() ([]byte, error) {
	if a.Schema != nil {
		return json.Marshal(a.Schema)
	}
	return json.Marshal(a.Allowed)
}

// UnmarshalJSON reads true, false or a schema.
func (a *AdditionalProperties) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("true")):
		*a = AdditionalProperties{Allowed: true}
	case bytes.Equal(b, []byte("false")):
		*a = AdditionalProperties{}
	case len(b) > 0 && b[0] == '{':
		var s Schema
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = AdditionalProperties{Allowed: true, Schema: &s}
	default:
		return errors.New("spec: additionalProperties is neither a boolean nor a schema")
	}
	return nil
}
