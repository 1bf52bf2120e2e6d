// Package playwright holds linkharness's Playwright helper, linkharness.mjs:
// an ES module for tests written with @playwright/test or playwright-core,
// which routes everything a page loads from Plaid's CDN to a running
// emulator and drives Link by role and name (completeLink, exitLink,
// waitForCallback). The README's "Testing your integration with
// Playwright" shows it.
//
// The package has no Go code of its own: its test starts the emulator
// and runs linkharness.test.mjs under Node's test runner with
// playwright-core and the machine's Chromium (`make playwright-tools`
// installs Node 22 and playwright-core into node_modules). Without them
// the test skips on a developer machine and fails on CI (CI=true).
package playwright
