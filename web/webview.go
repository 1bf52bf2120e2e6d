package web

// WebviewPath is where Plaid serves Link for webviews: the whole
// configuration in the query string, reports by plaidlink:// redirects.
// The page is static (bridge.WebviewPage): the engine reads the query, so
// a host that serves static files only (Workers assets) serves it too.
const WebviewPath = "/link/v2/stable/link.html"
