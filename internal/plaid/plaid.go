// Package plaid is the vocabulary every layer of linkharness shares with
// Plaid: its error catalogue (type, code, messages and the HTTP status each
// error travels with), its token kinds with their formats and lifetimes, and
// the way it writes times. The server, the service layer and the Link engine
// all read it; it does no I/O and imports neither net/http nor database/sql.
package plaid

// Environment is what every token, ID and webhook names as Plaid's
// environment: the emulator is always the sandbox.
const Environment = "sandbox"

// APIVersion is the version of Plaid's API the emulator answers in, as the
// Plaid-Version header names it (https://plaid.com/docs/api/versioning/).
const APIVersion = "2020-09-14"

// APIVersions are every version of Plaid's API a Plaid-Version header may
// name; the emulator answers all of them in APIVersion's shape.
var APIVersions = []string{"2017-03-08", "2018-05-22", "2019-05-29", APIVersion}
