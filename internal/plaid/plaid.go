// Package plaid is the vocabulary every layer of linkharness shares with
// Plaid: its error catalogue (type, code, messages and the HTTP status each
// error travels with), its token kinds with their formats and lifetimes, and
// the way it writes times. The server, the service layer and the Link engine
// all read it; it does no I/O and imports neither net/http nor database/sql.
package plaid

// Environment is what every token, ID and webhook names as Plaid's
// environment: the emulator is always the sandbox.
const Environment = "sandbox"
