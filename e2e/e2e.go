// Package e2e tests linkharness end to end in a real browser: pages on one
// origin load link-initialize.js by a script tag from a linkharness server on
// another origin, as integrations load Plaid's script from its CDN, and the
// tests drive Link the way a person does, by role and accessible name, in
// headless Chromium through chromedp.
//
// The package has no code of its own; everything is in its tests. Run them
// with `go test ./e2e/`. They look for a browser in $LINKHARNESS_CHROME, then
// for chromium, chromium-browser or google-chrome on the PATH, and skip when
// there is none, except on CI (CI=true), where a missing browser fails them.
// Install one with `apt-get install -y chromium`. The benchmarks
// (BenchmarkOnLoad, BenchmarkSuccessFlow) run with `make bench`.
package e2e
