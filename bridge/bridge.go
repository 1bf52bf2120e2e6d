// Package bridge carries link-initialize.js, the browser side of linkharness:
// the script a page loads by a script tag in place of Plaid's. It defines the
// Plaid global, loads link.wasm from its own directory through a small WASI
// shim, and carries out the engine's effects (page callbacks, a modal dialog
// drawn from the view model, backend requests, timers, console lines). It
// holds no Link logic; wasm/protocol is its contract with the engine.
package bridge

import _ "embed"

// Script is the source of link-initialize.js, served as is (no build step)
// next to link.wasm, at the path where Plaid's CDN serves its own script.
//
//go:embed link-initialize.js
var Script []byte

// WebviewPage is link.html, Link for webviews: a static page, served next
// to link-initialize.js, whose query string is the whole configuration
// (the engine reads it).
//
//go:embed link.html
var WebviewPage []byte
