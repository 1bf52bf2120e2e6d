package main

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/spec"
)

var update = flag.Bool("update", false, "rewrite testdata/mini.json")

// generate is the file generated from testdata/mini.yml, and its JSON.
func generate(t *testing.T) (gz, raw []byte) {
	t.Helper()
	in, err := os.ReadFile("testdata/mini.yml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Generate(in)
	if err != nil {
		t.Fatal(err)
	}
	gz, err = encode(s)
	if err != nil {
		t.Fatal(err)
	}
	raw, err = spec.Gunzip(gz)
	if err != nil {
		t.Fatal(err)
	}
	return gz, raw
}

// TestGolden pins the whole output for the small spec of testdata.
func TestGolden(t *testing.T) {
	_, raw := generate(t)
	if *update {
		if err := os.WriteFile("testdata/mini.json", raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/mini.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, want) {
		t.Errorf("the output differs from testdata/mini.json (go test -update rewrites it):\n%s", raw)
	}
}

func TestDeterministic(t *testing.T) {
	a, _ := generate(t)
	b, _ := generate(t)
	if !bytes.Equal(a, b) {
		t.Error("two generations differ")
	}
}

func TestNoProse(t *testing.T) {
	_, raw := generate(t)
	for _, word := range []string{"PROSE", "x-hidden", "x-examples", "description", "summary", "operationId", "thingCreate", "Unreached", "SandboxThingFireWebhookRequest"} {
		if bytes.Contains(raw, []byte(word)) {
			t.Errorf("the output holds %q", word)
		}
	}
}

func TestFacts(t *testing.T) {
	gz, _ := generate(t)
	s, err := spec.Decode(gz)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := s.Schema("ThingCreateRequest")
	create, _ := s.Operation("POST", "/thing/create")
	pdf, _ := s.Operation("POST", "/thing/pdf/get")
	get, _ := s.Operation("GET", "/thing/{id}")
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"version", s.Version, "1.2.3"},
		{"paths", strings.Join(s.Paths, " "), "/thing/create /thing/pdf/get /thing/{id} /nothing/here"},
		{"operations", len(s.Operations), 3},
		{"webhooks", strings.Join(s.Webhooks, " "), "ThingReadyWebhook ThingWebhookUpdate"},
		{"reached schemas", len(s.Schemas), 8},
		{"deprecated", create.Deprecated, true},
		{"request", create.Request, "ThingCreateRequest"},
		{"response", create.Response, "ThingCreateResponse"},
		{"example, in order, unescaped, dates as strings", string(create.Example()), `{"thing_id":"t-1","created":"2024-05-10","note":"<b>&</b>","request_id":"Req1"}`},
		{"example name", create.Examples[0].Name, "example-1"},
		{"public", pdf.Public, true},
		{"PDF", pdf.ResponseType + " " + pdf.Response, "application/pdf "},
		{"GET request", get.Request, ""},
		{"unnamed example", string(get.Example()), `{"thing_id":"t-2"}`},
		{"parameters", len(get.Parameters), 2},
		{"path parameter", get.Parameters[0].In + " " + get.Parameters[0].Name, "path id"},
		{"parameter by reference", get.Parameters[1].Name + " " + string(get.Parameters[1].Schema.Default), "Flag false"},
		{"required", strings.Join(req.Required, " "), "name"},
		{"closed object", *req.AdditionalProperties, spec.AdditionalProperties{}},
		{"maxLength", *req.Properties["name"].MaxLength, 30},
		{"minLength", *req.Properties["name"].MinLength, 1},
		{"pattern", req.Properties["name"].Pattern, "^[a-z]+$"},
		{"schema example", string(req.Properties["name"].Example), `"thing"`},
		{"minimum", *req.Properties["count"].Minimum, 1.0},
		{"maximum", *req.Properties["count"].Maximum, 100.5},
		{"exclusiveMinimum", req.Properties["count"].ExclusiveMinimum, true},
		{"minItems", *req.Properties["tags"].MinItems, 1},
		{"maxItems", *req.Properties["tags"].MaxItems, 3},
		{"uniqueItems", req.Properties["tags"].UniqueItems, true},
		{"items", req.Properties["tags"].Items.Ref, "Tag"},
		{"nullable allOf", req.Properties["owner"].Nullable && req.Properties["owner"].AllOf[0].Ref == "Owner", true},
		{"additionalProperties schema", req.Properties["extra"].AdditionalProperties.Schema.Type, "string"},
		{"oneOf", req.Properties["kind"].OneOf[0].Ref, "Tag"},
		{"enum with null", len(req.Properties["kind"].OneOf[1].Enum), 3},
		{"webhook reached", s.Schemas["ThingReadyWebhook"].Properties["thing"].Ref, "Owner"},
		{"every *Webhook kept", s.Schemas["ThingLastWebhook"].Properties["sent_at"].Format, "date-time"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %#v, want %#v", c.what, c.got, c.want)
		}
	}
}

// TestRefusals checks that the generator fails on what it would
// otherwise lose or misread.
func TestRefusals(t *testing.T) {
	base, err := os.ReadFile("testdata/mini.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, old, new, want string
	}{
		{"unknown keyword", "          pattern: ^[a-z]+$\n", "          pattern: ^[a-z]+$\n          const: x\n", `keyword "const"`},
		{"dangling reference", "items:\n            $ref: '#/components/schemas/Tag'", "items:\n            $ref: '#/components/schemas/Nope'", `"#/components/schemas/Nope"`},
		{"reference with siblings", "            $ref: '#/components/schemas/Tag'\n", "            $ref: '#/components/schemas/Tag'\n            nullable: true\n", "a $ref with other keywords"},
		{"inline request", "              $ref: '#/components/schemas/ThingCreateRequest'\n      responses:\n        \"200\":\n          description: OK\n          content:\n            application/json", "              type: object\n      responses:\n        \"200\":\n          description: OK\n          content:\n            application/json", "not a reference"},
		{"repeated key", "        thing_id:\n          type: string\n", "        thing_id:\n          type: string\n        thing_id:\n          type: string\n", `key "thing_id" repeated`},
		{"OpenAPI 3.1", "openapi: 3.0.0", "openapi: 3.1.0", "only 3.0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := strings.Replace(string(base), c.old, c.new, 1)
			if in == string(base) {
				t.Fatalf("%q is not in testdata/mini.yml", c.old)
			}
			_, err := Generate([]byte(in))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one with %q", err, c.want)
			}
		})
	}
}
