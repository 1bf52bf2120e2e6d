// Package spec is Plaid's OpenAPI description of its API, as facts: every
// path with its method, parameters, request schema, 200 response schema
// and response examples, and every schema those reach (with the PlaidError
// schema and the webhook schemas), with their types, fields,
// required fields, enums, formats, limits and examples, and none of
// Plaid's prose. It is the contract the emulator's API answers to.
//
// The facts are generated from Plaid's spec file by internal/specgen (a
// module of its own; see data.go for how to regenerate them) and embedded,
// gzipped JSON, and decoded once, on first use. The package is pure Go on
// the standard library; the Link engine does not import it.
package spec

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sync"
)

// Spec is Plaid's API as its OpenAPI file describes it.
type Spec struct {
	// Version is the spec's info.version, e.g. "2020-09-14_1.697.4".
	Version string `json:"version"`
	// Paths is every path of the spec, in its order, including those
	// that declare no operation.
	Paths []string `json:"paths"`
	// Operations is every operation, in the spec's order of paths.
	Operations []Operation `json:"operations"`
	// Schemas is every schema of the spec's components that an
	// operation reaches, with PlaidError and the webhook schemas and
	// every schema they reach, by name.
	Schemas map[string]*Schema `json:"schemas"`
	// Webhooks is the names of the webhook schemas, sorted: the bodies
	// with a webhook_type and a webhook_code, which are the schemas whose
	// names end in "Webhook" (but ItemStatusLastWebhook, a field of
	// ItemStatus) and ProcessorTokenWebhookUpdate and
	// BankTransfersEventsUpdateWebhookForAuth.
	Webhooks []string `json:"webhooks"`

	ops map[string]int // method + " " + path -> index in Operations
}

// Operation is one method of one path.
type Operation struct {
	// Method is the HTTP method, upper case: "POST" or "GET".
	Method string `json:"method"`
	// Path is the path as the spec writes it, e.g. "/link/token/create"
	// or "/fdx/recipient/{recipientId}".
	Path string `json:"path"`
	// Deprecated says the spec marks the operation deprecated.
	Deprecated bool `json:"deprecated,omitempty"`
	// Public says the operation takes no client credentials (the spec's
	// `security: []`).
	Public bool `json:"public,omitempty"`
	// Parameters are the operation's path, query and header parameters.
	Parameters []Parameter `json:"parameters,omitempty"`
	// Request is the name of the schema of the JSON request body, "" if
	// the operation takes none.
	Request string `json:"request,omitempty"`
	// Response is the name of the schema of the 200 response's JSON body,
	// "" if the 200 response is not JSON.
	Response string `json:"response,omitempty"`
	// ResponseType is the media type of the 200 response
	// ("application/json", "application/pdf", "application/zip"), "" if
	// it declares no body.
	ResponseType string `json:"response_type,omitempty"`
	// Examples are the 200 response's examples, in the spec's order.
	Examples []Example `json:"examples,omitempty"`
}

// Parameter is a parameter outside the body: in the path, the query or a
// header.
type Parameter struct {
	// Name is the parameter's name.
	Name string `json:"name"`
	// In is where it goes: "path", "query" or "header".
	In string `json:"in"`
	// Required says it must be present.
	Required bool `json:"required,omitempty"`
	// Schema is its value's schema.
	Schema *Schema `json:"schema,omitempty"`
}

// Example is one example value of a response.
type Example struct {
	// Name is the example's name in the spec ("example-1"), "" for an
	// operation's single unnamed example.
	Name string `json:"name,omitempty"`
	// Value is the example body, JSON with the spec's order of fields.
	Value json.RawMessage `json:"value"`
}

// Example is the operation's first response example, nil if it has none.
func (o *Operation) Example() json.RawMessage {
	if len(o.Examples) == 0 {
		return nil
	}
	return o.Examples[0].Value
}

// Load returns the embedded spec, decoded on the first call. Every call
// returns the same value: treat it as read-only.
func Load() *Spec {
	return load()
}

var load = sync.OnceValue(func() *Spec {
	s, err := Decode(data)
	if err != nil {
		panic("spec: the embedded spec does not decode: " + err.Error())
	}
	return s
})

// Decode decodes a spec file as internal/specgen writes it: gzipped JSON.
func Decode(gz []byte) (*Spec, error) {
	raw, err := Gunzip(gz)
	if err != nil {
		return nil, err
	}
	var s Spec
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	s.ops = make(map[string]int, len(s.Operations))
	for i, o := range s.Operations {
		s.ops[o.Method+" "+o.Path] = i
	}
	for _, name := range append(slices.Clone(s.Webhooks), PlaidErrorName) {
		if s.Schemas[name] == nil {
			return nil, fmt.Errorf("spec: no schema %s", name)
		}
	}
	return &s, nil
}

// Gunzip returns the JSON a spec file holds.
func Gunzip(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	return raw, nil
}

// Operation returns the operation of method (upper case) on path.
func (s *Spec) Operation(method, path string) (*Operation, bool) {
	i, ok := s.ops[method+" "+path]
	if !ok {
		return nil, false
	}
	return &s.Operations[i], true
}

// Schema returns the schema of that name.
func (s *Spec) Schema(name string) (*Schema, bool) {
	sc, ok := s.Schemas[name]
	return sc, ok
}

// PlaidErrorName is the name of the schema of Plaid's error body.
const PlaidErrorName = "PlaidError"

// PlaidError returns the schema of Plaid's error body.
func (s *Spec) PlaidError() *Schema {
	return s.Schemas[PlaidErrorName]
}

// Resolve follows sc's reference, if it is one, to the named schema, and
// the named schema's own, until a schema that is not a bare reference. It
// returns nil for a reference to no schema.
func (s *Spec) Resolve(sc *Schema) *Schema {
	for seen := 0; sc != nil && sc.Ref != ""; seen++ {
		if seen > len(s.Schemas) {
			return nil // a cycle of bare references
		}
		sc = s.Schemas[sc.Ref]
	}
	return sc
}

// Encode writes s as a spec file, gzipped JSON, the form Decode reads:
// compact, fields in the types' order, maps by sorted key, no HTML
// escaping, gzip without name or time, so the same Spec gives the same
// bytes.
func Encode(s *Spec) ([]byte, error) {
	raw, err := marshal(s)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// marshal is the JSON of a spec file.
func marshal(s *Spec) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	return buf.Bytes(), nil
}
