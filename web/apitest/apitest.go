// Package apitest holds the integration tests that drive linkharness's
// Plaid API emulator with Plaid's official Go client,
// github.com/plaid/plaid-go/v20, pointed at an httptest server, and check
// each response field the client decodes. It is a module of its own so
// that the client stays out of linkharness's dependencies; it has no
// non-test code.
package apitest
