package spec

import _ "embed"

// spec.json.gz holds the facts of Plaid's OpenAPI file (the 2020-09-14.yml
// of github.com/plaid/plaid-openapi), as internal/specgen wrote them from
// it. To regenerate it from a copy of that file:
//
//	make spec SPEC=/path/to/2020-09-14.yml
//
// which runs, in internal/specgen (a module of its own),
//
//	go run . -spec /path/to/2020-09-14.yml -out ../spec/spec.json.gz
//
// and commit the result. The same file gives the same bytes.

//go:embed spec.json.gz
var data []byte
