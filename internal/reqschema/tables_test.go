package reqschema

import (
	"bytes"
	"flag"
	"fmt"
	gofmt "go/format"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/spec"
)

var update = flag.Bool("update", false, "rewrite tables_gen.go from the embedded spec")

// TestTables compiles the embedded spec's request schemas and requires
// tables_gen.go to be what that gives; -update writes it.
func TestTables(t *testing.T) {
	src, err := generate(spec.Load())
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("tables_gen.go", src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile("tables_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, src) {
		t.Fatal("tables_gen.go is stale: run go test ./internal/reqschema -update")
	}
}

// overlays are limits Plaid documents for a request field that its spec
// leaves out, by schema and field: they are compiled as if the spec had
// them.
var overlays = map[string]map[string]func(*spec.Schema){
	// Plaid's API reference gives client_name 30 characters at most
	// (https://plaid.com/docs/api/link/#linktokencreate).
	"LinkTokenCreateRequest": {"client_name": func(s *spec.Schema) { s.MaxLength = ptr(30) }},
}

func ptr[T any](v T) *T { return &v }

// compiler turns the spec's request schemas into the tables: a node per
// named schema reached, and one per distinct inline schema.
type compiler struct {
	s        *spec.Spec
	nodes    []node
	limits   []limit
	byName   map[string]int32
	byKey    map[string]int32
	limitKey map[string]int32
}

func compile(s *spec.Spec) ([]operation, []node, []limit, error) {
	none := limit{minLength: -1, maxLength: -1, minItems: -1, maxItems: -1, minProps: -1, maxProps: -1}
	c := &compiler{s: s, nodes: []node{{}}, limits: []limit{none},
		byName: map[string]int32{}, byKey: map[string]int32{fmt.Sprintf("%#v", node{}): 0},
		limitKey: map[string]int32{fmt.Sprintf("%#v", none): 0}}
	var ops []operation
	for _, o := range s.Operations {
		if o.Request == "" {
			continue
		}
		i, err := c.named(o.Request)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s %s: %w", o.Method, o.Path, err)
		}
		ops = append(ops, operation{key: o.Method + " " + o.Path, body: i})
	}
	slices.SortFunc(ops, func(a, b operation) int { return strings.Compare(a.key, b.key) })
	for i := 1; i < len(ops); i++ {
		if ops[i].key == ops[i-1].key {
			return nil, nil, nil, fmt.Errorf("%s twice", ops[i].key)
		}
	}
	return ops, c.nodes, c.limits, nil
}

// named is the node of the named schema, compiled on first use; its index
// is taken before its fields are compiled, so that a schema may reach
// itself.
func (c *compiler) named(name string) (int32, error) {
	if i, ok := c.byName[name]; ok {
		return i, nil
	}
	sc, ok := c.s.Schema(name)
	if !ok {
		return 0, fmt.Errorf("no schema %s", name)
	}
	if sc.Ref != "" {
		i, err := c.named(sc.Ref)
		c.byName[name] = i
		return i, err
	}
	if fix := overlays[name]; fix != nil {
		sc = withOverlay(sc, fix)
	}
	i := int32(len(c.nodes))
	c.nodes = append(c.nodes, node{})
	c.byName[name] = i
	n, err := c.build(sc)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	c.nodes[i] = n
	return i, nil
}

// withOverlay is a copy of sc with its fields' overlays applied.
func withOverlay(sc *spec.Schema, fix map[string]func(*spec.Schema)) *spec.Schema {
	out := *sc
	out.Properties = maps.Clone(sc.Properties)
	for field, f := range fix {
		p := *out.Properties[field]
		f(&p)
		out.Properties[field] = &p
	}
	return &out
}

// schema is the node of an inline schema or a reference.
func (c *compiler) schema(sc *spec.Schema) (int32, error) {
	if sc == nil {
		return 0, nil
	}
	if sc.Ref != "" {
		return c.named(sc.Ref)
	}
	n, err := c.build(sc)
	if err != nil {
		return 0, err
	}
	key := fmt.Sprintf("%#v", n)
	if i, ok := c.byKey[key]; ok {
		return i, nil
	}
	i := int32(len(c.nodes))
	c.nodes = append(c.nodes, n)
	c.byKey[key] = i
	return i, nil
}

// types are the spec's type keywords.
var types = map[string]jsonType{"": anyType, "object": objectType, "array": arrayType, "string": stringType,
	"integer": integerType, "number": numberType, "boolean": booleanType}

// build compiles one schema. It fails on a keyword the check does not
// enforce, so that a newer spec cannot slip a rule past it.
func (c *compiler) build(sc *spec.Schema) (node, error) {
	if len(sc.OneOf) > 0 || len(sc.AnyOf) > 0 || sc.Not != nil || sc.Pattern != "" || sc.Discriminator != nil {
		return node{}, fmt.Errorf("oneOf, anyOf, not, pattern and discriminator are not compiled")
	}
	typ, ok := types[sc.Type]
	if !ok {
		return node{}, fmt.Errorf("type %q", sc.Type)
	}
	if typ == anyType && (len(sc.Properties) > 0 || len(sc.Required) > 0) {
		typ = objectType
	}
	n := node{typ: typ, nullable: sc.Nullable, required: slices.Clone(sc.Required)}
	switch sc.Format {
	case "date":
		n.format = dateFormat
	case "date-time":
		n.format = dateTimeFormat
	}
	if len(sc.Enum) > 0 && typ != stringType {
		return node{}, fmt.Errorf("an enum of type %q", sc.Type)
	}
	for _, e := range sc.Enum {
		switch e := e.(type) {
		case nil:
			n.nullable = true
		case string:
			n.enum = append(n.enum, e)
		case float64:
			// YAML reads an unquoted 4.1 as a number; the schema's
			// type says it is the string "4.1".
			n.enum = append(n.enum, strconv.FormatFloat(e, 'f', -1, 64))
		case bool:
			n.enum = append(n.enum, strconv.FormatBool(e))
		default:
			return node{}, fmt.Errorf("enum value %v", e)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(sc.Properties)) {
		i, err := c.schema(sc.Properties[name])
		if err != nil {
			return node{}, fmt.Errorf("%s: %w", name, err)
		}
		n.props = append(n.props, field{name: name, node: i})
	}
	var err error
	if n.items, err = c.schema(sc.Items); err != nil {
		return node{}, err
	}
	if ap := sc.AdditionalProperties; ap != nil && ap.Schema != nil {
		if n.extra, err = c.schema(ap.Schema); err != nil {
			return node{}, err
		}
	}
	for _, part := range sc.AllOf {
		i, err := c.schema(part)
		if err != nil {
			return node{}, err
		}
		n.allOf = append(n.allOf, i)
	}
	n.limits = c.limit(sc)
	return n, nil
}

// limit is the index of sc's limits in the limits table.
func (c *compiler) limit(sc *spec.Schema) int32 {
	count := func(p *int) int32 {
		if p == nil {
			return -1
		}
		return int32(*p)
	}
	l := limit{minLength: count(sc.MinLength), maxLength: count(sc.MaxLength),
		minItems: count(sc.MinItems), maxItems: count(sc.MaxItems),
		minProps: count(sc.MinProperties), maxProps: count(sc.MaxProperties),
		unique: sc.UniqueItems, exclMin: sc.ExclusiveMinimum, exclMax: sc.ExclusiveMaximum}
	if sc.Minimum != nil {
		l.hasMin, l.minimum = true, *sc.Minimum
	}
	if sc.Maximum != nil {
		l.hasMax, l.maximum = true, *sc.Maximum
	}
	if sc.MultipleOf != nil {
		l.multipleOf = *sc.MultipleOf
	}
	key := fmt.Sprintf("%#v", l)
	if i, ok := c.limitKey[key]; ok {
		return i
	}
	i := int32(len(c.limits))
	c.limits = append(c.limits, l)
	c.limitKey[key] = i
	return i
}

// generate is tables_gen.go for s.
func generate(s *spec.Spec) ([]byte, error) {
	ops, nodes, limits, err := compile(s)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by go test ./internal/reqschema -update; DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "// The request schemas of Plaid's OpenAPI spec %s, compiled.\n\n", s.Version)
	fmt.Fprintf(&b, "package reqschema\n\n")
	fmt.Fprintf(&b, "// operations are the operations that take a JSON body, by method and path.\n")
	fmt.Fprintf(&b, "var operations = [...]operation{\n")
	for _, o := range ops {
		fmt.Fprintf(&b, "\t{%q, %d},\n", o.key, o.body)
	}
	fmt.Fprintf(&b, "}\n\n// nodes are the compiled schemas.\nvar nodes = [...]node{\n")
	for i, n := range nodes {
		fmt.Fprintf(&b, "\t%d: {%s},\n", i, nodeFields(n))
	}
	fmt.Fprintf(&b, "}\n\n// limits are the schemas' bounds; limits[0] is none.\nvar limits = [...]limit{\n")
	for i, l := range limits {
		fmt.Fprintf(&b, "\t%d: {%s},\n", i, limitFields(l))
	}
	fmt.Fprintf(&b, "}\n")
	return gofmt.Source(b.Bytes())
}

var typeConst = [...]string{"anyType", "objectType", "arrayType", "stringType", "integerType", "numberType", "booleanType"}
var formatConst = [...]string{"noFormat", "dateFormat", "dateTimeFormat"}

func nodeFields(n node) string {
	var parts []string
	if n.typ != anyType {
		parts = append(parts, "typ: "+typeConst[n.typ])
	}
	if n.format != noFormat {
		parts = append(parts, "format: "+formatConst[n.format])
	}
	if n.nullable {
		parts = append(parts, "nullable: true")
	}
	if n.enum != nil {
		parts = append(parts, "enum: "+stringList(n.enum))
	}
	if n.props != nil {
		var fs []string
		for _, f := range n.props {
			fs = append(fs, fmt.Sprintf("{%q, %d}", f.name, f.node))
		}
		parts = append(parts, "props: []field{"+strings.Join(fs, ", ")+"}")
	}
	if len(n.required) > 0 {
		parts = append(parts, "required: "+stringList(n.required))
	}
	if n.items != 0 {
		parts = append(parts, fmt.Sprintf("items: %d", n.items))
	}
	if n.extra != 0 {
		parts = append(parts, fmt.Sprintf("extra: %d", n.extra))
	}
	if n.allOf != nil {
		var is []string
		for _, i := range n.allOf {
			is = append(is, strconv.Itoa(int(i)))
		}
		parts = append(parts, "allOf: []int32{"+strings.Join(is, ", ")+"}")
	}
	if n.limits != 0 {
		parts = append(parts, fmt.Sprintf("limits: %d", n.limits))
	}
	return strings.Join(parts, ", ")
}

func limitFields(l limit) string {
	parts := []string{fmt.Sprintf("minLength: %d, maxLength: %d, minItems: %d, maxItems: %d, minProps: %d, maxProps: %d",
		l.minLength, l.maxLength, l.minItems, l.maxItems, l.minProps, l.maxProps)}
	if l.unique {
		parts = append(parts, "unique: true")
	}
	if l.hasMin {
		parts = append(parts, "hasMin: true, minimum: "+num2s(l.minimum))
	}
	if l.hasMax {
		parts = append(parts, "hasMax: true, maximum: "+num2s(l.maximum))
	}
	if l.exclMin {
		parts = append(parts, "exclMin: true")
	}
	if l.exclMax {
		parts = append(parts, "exclMax: true")
	}
	if l.multipleOf != 0 {
		parts = append(parts, "multipleOf: "+num2s(l.multipleOf))
	}
	return strings.Join(parts, ", ")
}

func stringList(ss []string) string {
	var q []string
	for _, s := range ss {
		q = append(q, strconv.Quote(s))
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}
