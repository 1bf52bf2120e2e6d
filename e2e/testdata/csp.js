// csp.js is the only script of csp.html besides record.js and Link's,
// since the page's Content-Security-Policy allows no inline script. It
// records every CSP violation the page reports into __csp, then creates
// the handler as link.html does.
'use strict';

window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});

document.addEventListener('DOMContentLoaded', function () {
  window.handler = Plaid.create(config('main', document.documentElement.getAttribute('data-key')));
  document.getElementById('open').addEventListener('click', function () { window.handler.open(); });
});
