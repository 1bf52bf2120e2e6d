// Command specgen writes the facts of Plaid's OpenAPI file, the file
// internal/spec embeds:
//
//	go run . -spec /path/to/2020-09-14.yml -out ../spec/spec.json.gz
//
// (make spec SPEC=/path/to/2020-09-14.yml from the repository's root). It
// keeps, for every path, its method, parameters, request schema, 200
// response schema and response examples, and every component schema they
// reach, with PlaidError and the webhook schemas: types, fields, required
// fields, enums, formats, nullability, limits, patterns, compositions,
// references and examples. It drops Plaid's prose (descriptions,
// summaries, titles, external docs) and the x- extensions, and it fails on
// a keyword it does not know, so that a newer spec cannot lose a fact
// silently.
//
// It is a module of its own so that its YAML parser stays out of the
// repository's module: nothing the emulator ships parses YAML.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	in := flag.String("spec", "", "Plaid's OpenAPI file (2020-09-14.yml)")
	out := flag.String("out", "", "the file to write (internal/spec/spec.json.gz)")
	flag.Parse()
	if *in == "" || *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "specgen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	s, err := Generate(raw)
	if err != nil {
		return err
	}
	gz, err := encode(s)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, gz, 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d paths, %d operations, %d schemas, %d webhooks; %d bytes\n",
		out, len(s.Paths), len(s.Operations), len(s.Schemas), len(s.Webhooks), len(gz))
	return nil
}
