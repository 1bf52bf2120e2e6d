// Package layers checks the shape of the repository: the domain packages
// import neither net/http nor database/sql (nor the store), package web and
// its HTTP packages use no database/sql, and no package holds more than
// about 2,000 lines of hand-written, non-test code. Its test reads the
// sources with go/parser, so it needs nothing but the repository.
package layers

// Domain are the domain packages: pure Go, usable by the engine and the
// server alike.
var Domain = []string{
	"internal/plaid",
	"internal/product",
	"internal/sandbox",
	"internal/sandboxdata",
	"internal/linkconfig",
	"internal/payment",
}

// HTTPOnly are the packages that hold HTTP and nothing below it.
var HTTPOnly = []string{
	"web",
	"web/internal/httpapi",
	"web/internal/plaidapi",
	"web/internal/control",
	"web/assets",
}

// MaxLines is the most non-test, hand-written lines one package may hold.
const MaxLines = 2000
