package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/linkharness/linkharness/internal/spec"
)

const schemaPrefix = "#/components/schemas/"

// prose are the keywords whose values are prose or presentation, dropped
// wherever they appear, as is every x- extension.
var prose = []string{"description", "summary", "title", "externalDocs", "tags", "operationId", "xml"}

func dropped(key string) bool {
	return strings.HasPrefix(key, "x-") || slices.Contains(prose, key)
}

// gen is one generation: the spec's components and the schemas reached so
// far.
type gen struct {
	schemas    *yaml.Node // components.schemas
	parameters *yaml.Node // components.parameters
	reached    map[string]bool
	queue      []string
}

// Generate reads an OpenAPI 3.0 file and returns its facts.
func Generate(raw []byte) (*spec.Spec, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not an OpenAPI document")
	}
	root := doc.Content[0]
	if err := unique(root); err != nil {
		return nil, err
	}
	if v := scalar(get(root, "openapi")); !strings.HasPrefix(v, "3.0.") {
		return nil, fmt.Errorf("openapi %q: only 3.0 is understood", v)
	}
	components := get(root, "components")
	g := &gen{schemas: get(components, "schemas"), parameters: get(components, "parameters"), reached: map[string]bool{}}
	if g.schemas == nil {
		return nil, fmt.Errorf("no components.schemas")
	}
	s := &spec.Spec{Version: scalar(get(get(root, "info"), "version")), Schemas: map[string]*spec.Schema{}}

	paths := get(root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("no paths")
	}
	for path, item := range pairs(paths) {
		s.Paths = append(s.Paths, path)
		for key, op := range pairs(item) {
			method := strings.ToUpper(key)
			switch {
			case slices.Contains([]string{"GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"}, method):
				o, err := g.operation(method, path, op)
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", method, path, err)
				}
				s.Operations = append(s.Operations, o)
			case dropped(key):
			default:
				return nil, fmt.Errorf("%s: %q is not understood", path, key)
			}
		}
	}

	// A webhook schema is a body with a webhook_type and a webhook_code
	// (SandboxItemFireWebhookRequest, a request, aside). That is every
	// schema whose name ends in "Webhook" but ItemStatusLastWebhook (an
	// Item's last webhook, a field of ItemStatus), and two more:
	// ProcessorTokenWebhookUpdate and BankTransfersEventsUpdateWebhookForAuth.
	// Every schema whose name ends in "Webhook" is kept.
	g.reach(spec.PlaidErrorName)
	for name, sc := range pairs(g.schemas) {
		props := get(sc, "properties")
		if get(props, "webhook_type") != nil && get(props, "webhook_code") != nil && !strings.HasSuffix(name, "Request") {
			s.Webhooks = append(s.Webhooks, name)
			g.reach(name)
		}
		if strings.HasSuffix(name, "Webhook") {
			g.reach(name)
		}
	}
	sort.Strings(s.Webhooks)
	for len(g.queue) > 0 {
		name := g.queue[0]
		g.queue = g.queue[1:]
		sc, err := g.schema(get(g.schemas, name), name)
		if err != nil {
			return nil, err
		}
		s.Schemas[name] = sc
	}
	return s, nil
}

// reach queues the component schema name, once.
func (g *gen) reach(name string) {
	if !g.reached[name] {
		g.reached[name] = true
		g.queue = append(g.queue, name)
	}
}

// ref is the component schema a "$ref" names, queued.
func (g *gen) ref(n *yaml.Node, at string) (string, error) {
	v := scalar(n)
	name, ok := strings.CutPrefix(v, schemaPrefix)
	if !ok || get(g.schemas, name) == nil {
		return "", fmt.Errorf("%s: $ref %q is not a component schema", at, v)
	}
	g.reach(name)
	return name, nil
}

func (g *gen) operation(method, path string, n *yaml.Node) (spec.Operation, error) {
	o := spec.Operation{Method: method, Path: path}
	for key, v := range pairs(n) {
		switch key {
		case "deprecated":
			o.Deprecated = scalar(v) == "true"
		case "security":
			o.Public = v.Kind == yaml.SequenceNode && len(v.Content) == 0
		case "parameters":
			for _, p := range v.Content {
				param, err := g.parameter(p)
				if err != nil {
					return o, err
				}
				o.Parameters = append(o.Parameters, param)
			}
		case "requestBody":
			content := get(v, "content")
			for media, c := range pairs(content) {
				switch media {
				case "application/json":
					sc := get(c, "schema")
					if get(sc, "$ref") == nil || len(sc.Content) != 2 {
						return o, fmt.Errorf("the request body's schema is not a reference")
					}
					name, err := g.ref(get(sc, "$ref"), "request")
					if err != nil {
						return o, err
					}
					o.Request = name
				case "examples": // misplaced, and empty where it occurs
				default:
					return o, fmt.Errorf("request body of type %q", media)
				}
			}
		case "responses":
			ok := get(v, "200")
			if ok == nil {
				return o, fmt.Errorf("no 200 response")
			}
			if err := g.response(&o, ok); err != nil {
				return o, err
			}
		case "callbacks", "servers", "requestBodies":
			return o, fmt.Errorf("%q is not understood", key)
		default:
			if !dropped(key) {
				return o, fmt.Errorf("%q is not understood", key)
			}
		}
	}
	return o, nil
}

func (g *gen) response(o *spec.Operation, n *yaml.Node) error {
	content := get(n, "content")
	if content == nil {
		return nil
	}
	if len(content.Content) != 2 {
		return fmt.Errorf("the 200 response has %d media types", len(content.Content)/2)
	}
	media, c := content.Content[0].Value, content.Content[1]
	o.ResponseType = media
	if media != "application/json" {
		return nil // a PDF or a ZIP: the schema says "binary"
	}
	for key, v := range pairs(c) {
		switch key {
		case "schema":
			if get(v, "$ref") == nil || len(v.Content) != 2 {
				return fmt.Errorf("the 200 response's schema is not a reference")
			}
			name, err := g.ref(get(v, "$ref"), "response")
			if err != nil {
				return err
			}
			o.Response = name
		case "example":
			raw, err := jsonOf(v)
			if err != nil {
				return err
			}
			o.Examples = append(o.Examples, spec.Example{Value: raw})
		case "examples":
			for name, e := range pairs(v) {
				raw, err := jsonOf(get(e, "value"))
				if err != nil {
					return fmt.Errorf("example %s: %w", name, err)
				}
				o.Examples = append(o.Examples, spec.Example{Name: name, Value: raw})
			}
		default:
			return fmt.Errorf("200 response: %q is not understood", key)
		}
	}
	return nil
}

func (g *gen) parameter(n *yaml.Node) (spec.Parameter, error) {
	if r := get(n, "$ref"); r != nil {
		v := scalar(r)
		name, ok := strings.CutPrefix(v, "#/components/parameters/")
		if !ok || get(g.parameters, name) == nil {
			return spec.Parameter{}, fmt.Errorf("parameter $ref %q is not a component parameter", v)
		}
		n = get(g.parameters, name)
	}
	var p spec.Parameter
	for key, v := range pairs(n) {
		switch key {
		case "name":
			p.Name = scalar(v)
		case "in":
			p.In = scalar(v)
		case "required":
			p.Required = scalar(v) == "true"
		case "schema":
			sc, err := g.schema(v, "parameter "+p.Name)
			if err != nil {
				return p, err
			}
			p.Schema = sc
		default:
			if !dropped(key) {
				return p, fmt.Errorf("parameter: %q is not understood", key)
			}
		}
	}
	return p, nil
}

// schema converts a schema object, at names where it is for errors.
func (g *gen) schema(n *yaml.Node, at string) (*spec.Schema, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not a schema", at)
	}
	s := &spec.Schema{}
	var err error
	for key, v := range pairs(n) {
		if err != nil {
			break
		}
		here := at + "." + key
		switch key {
		case "$ref":
			s.Ref, err = g.ref(v, at)
		case "type":
			s.Type = scalar(v)
		case "format":
			s.Format = scalar(v)
		case "pattern":
			s.Pattern = scalar(v)
		case "nullable":
			s.Nullable, err = boolean(v, here)
		case "deprecated":
			s.Deprecated, err = boolean(v, here)
		case "readOnly":
			s.ReadOnly, err = boolean(v, here)
		case "writeOnly":
			s.WriteOnly, err = boolean(v, here)
		case "uniqueItems":
			s.UniqueItems, err = boolean(v, here)
		case "exclusiveMinimum":
			s.ExclusiveMinimum, err = boolean(v, here)
		case "exclusiveMaximum":
			s.ExclusiveMaximum, err = boolean(v, here)
		case "enum":
			var raw []byte
			if raw, err = jsonOf(v); err == nil {
				err = json.Unmarshal(raw, &s.Enum)
			}
		case "default":
			s.Default, err = jsonOf(v)
		case "example":
			s.Example, err = jsonOf(v)
		case "required":
			for _, r := range deref(v).Content {
				s.Required = append(s.Required, scalar(r))
			}
		case "properties":
			s.Properties = map[string]*spec.Schema{}
			for name, p := range pairs(v) {
				if s.Properties[name], err = g.schema(p, at+"."+name); err != nil {
					break
				}
			}
		case "additionalProperties":
			if v = deref(v); v.Kind == yaml.ScalarNode {
				var allowed bool
				allowed, err = boolean(v, here)
				s.AdditionalProperties = &spec.AdditionalProperties{Allowed: allowed}
			} else {
				var sc *spec.Schema
				sc, err = g.schema(v, here)
				s.AdditionalProperties = &spec.AdditionalProperties{Allowed: true, Schema: sc}
			}
		case "items":
			s.Items, err = g.schema(v, at+"[]")
		case "not":
			s.Not, err = g.schema(v, here)
		case "allOf", "oneOf", "anyOf":
			var list []*spec.Schema
			for i, e := range deref(v).Content {
				var sc *spec.Schema
				if sc, err = g.schema(e, here+"["+strconv.Itoa(i)+"]"); err != nil {
					break
				}
				list = append(list, sc)
			}
			switch key {
			case "allOf":
				s.AllOf = list
			case "oneOf":
				s.OneOf = list
			default:
				s.AnyOf = list
			}
		case "minLength":
			s.MinLength, err = integer(v, here)
		case "maxLength":
			s.MaxLength, err = integer(v, here)
		case "minItems":
			s.MinItems, err = integer(v, here)
		case "maxItems":
			s.MaxItems, err = integer(v, here)
		case "minProperties":
			s.MinProperties, err = integer(v, here)
		case "maxProperties":
			s.MaxProperties, err = integer(v, here)
		case "minimum":
			s.Minimum, err = number(v, here)
		case "maximum":
			s.Maximum, err = number(v, here)
		case "multipleOf":
			s.MultipleOf, err = number(v, here)
		case "discriminator":
			s.Discriminator = &spec.Discriminator{PropertyName: scalar(get(v, "propertyName"))}
			for value, target := range pairs(get(v, "mapping")) {
				if s.Discriminator.Mapping == nil {
					s.Discriminator.Mapping = map[string]string{}
				}
				s.Discriminator.Mapping[value], err = g.ref(target, here)
			}
		default:
			if !dropped(key) {
				err = fmt.Errorf("%s: keyword %q is not understood", at, key)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	// OpenAPI 3.0 ignores a $ref's siblings: a spec that had some would
	// mean something a Schema cannot say.
	if s.Ref != "" && !reflect.DeepEqual(*s, spec.Schema{Ref: s.Ref}) {
		return nil, fmt.Errorf("%s: a $ref with other keywords", at)
	}
	return s, nil
}

func integer(n *yaml.Node, at string) (*int, error) {
	i, err := strconv.Atoi(scalar(n))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", at, err)
	}
	return &i, nil
}

func number(n *yaml.Node, at string) (*float64, error) {
	f, err := strconv.ParseFloat(scalar(n), 64)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", at, err)
	}
	return &f, nil
}

func boolean(n *yaml.Node, at string) (bool, error) {
	switch scalar(n) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%s: %q is not a boolean", at, scalar(n))
}

// deref follows YAML aliases.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// get is the value of key in mapping n, nil if absent.
func get(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return deref(n.Content[i+1])
		}
	}
	return nil
}

// pairs are the keys and values of mapping n in order.
func pairs(n *yaml.Node) func(func(string, *yaml.Node) bool) {
	return func(yield func(string, *yaml.Node) bool) {
		n = deref(n)
		if n == nil || n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !yield(n.Content[i].Value, deref(n.Content[i+1])) {
				return
			}
		}
	}
}

func scalar(n *yaml.Node) string {
	if n = deref(n); n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// jsonOf is a YAML value as compact JSON, its mappings' keys in their
// order.
func jsonOf(n *yaml.Node) (json.RawMessage, error) {
	var buf bytes.Buffer
	if err := writeJSON(&buf, n); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeJSON(buf *bytes.Buffer, n *yaml.Node) error {
	n = deref(n)
	if n == nil {
		buf.WriteString("null")
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				buf.WriteByte(',')
			}
			if k := n.Content[i]; k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				return fmt.Errorf("line %d: a key that is not a string", k.Line)
			}
			writeString(buf, n.Content[i].Value)
			buf.WriteByte(':')
			if err := writeJSON(buf, n.Content[i+1]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, e := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			buf.WriteString("null")
		case "!!bool", "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err != nil {
				return err
			}
			b, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("line %d: %w", n.Line, err)
			}
			buf.Write(b)
		default: // !!str, !!timestamp, !!binary: the text as written
			writeString(buf, n.Value)
		}
	default:
		return fmt.Errorf("line %d: an unexpected YAML node", n.Line)
	}
	return nil
}

func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	buf.Truncate(buf.Len() - 1)
}

// encode is the file internal/spec embeds, checked to decode to s.
func encode(s *spec.Spec) ([]byte, error) {
	gz, err := spec.Encode(s)
	if err != nil {
		return nil, err
	}
	if _, err := spec.Decode(gz); err != nil {
		return nil, err
	}
	return gz, nil
}

// unique fails on a mapping, anywhere under n, that repeats a key: YAML
// forbids it, and a parser that kept the last would lose a fact.
func unique(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if seen[k] {
				return fmt.Errorf("line %d: key %q repeated", n.Content[i].Line, k)
			}
			seen[k] = true
		}
	}
	for _, c := range n.Content {
		if err := unique(c); err != nil {
			return err
		}
	}
	return nil
}
