// Package layers checks the shape of the repository: the domain packages
// import neither net/http nor database/sql (nor the store), package web and
// its HTTP packages use no database/sql, and no package holds more than
// about 2,000 lines of hand-written, non-test code, and the Link engine
// (link.wasm) links none of the server-only packages. Its test reads the
// sources with go/parser, so it needs nothing but the repository.
package layers

// Domain are the domain packages: pure Go, usable by the engine and the
// server alike (but those of ServerOnly, which the engine does not link).
var Domain = []string{
	"internal/plaid",
	"internal/product",
	"internal/sandbox",
	"internal/sandboxdata",
	"internal/customuser",
	"internal/linkconfig",
	"internal/payment",
	"internal/spec",
	"internal/reqschema",
	"internal/identitymatch",
	"internal/pdf",
}

// ServerOnly are packages the Link engine must not link, because link.wasm
// would carry what it never runs: the sandbox Items' generated data, the
// custom users' configurations, crypto/rand's IDs, Plaid's API contract
// and its compiled request schemas.
var ServerOnly = []string{
	"internal/sandboxdata",
	"internal/customuser",
	"internal/ids",
	"internal/spec",
	"internal/reqschema",
	"internal/pdf",
}

// Engine is the main package that becomes link.wasm.
const Engine = "wasm/reactor"

// HTTPOnly are the packages that hold HTTP and nothing below it.
var HTTPOnly = []string{
	"web",
	"web/internal/httpapi",
	"web/internal/plaidapi",
	"web/internal/processorapi",
	"web/internal/assetsapi",
	"web/internal/identityapi",
	"web/internal/signalapi",
	"web/internal/transferapi",
	"web/internal/statementsapi",
	"web/internal/referenceapi",
	"web/internal/transactionsapi",
	"web/internal/investmentsapi",
	"web/internal/control",
	"web/assets",
}

// MaxLines is the most non-test, hand-written lines one package may hold.
const MaxLines = 2000
