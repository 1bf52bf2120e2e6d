// record.js is loaded first by every e2e test page (from the page's own
// origin). It records what the tests assert on: every Link callback with its
// arguments, and every uncaught error or unhandled rejection on the page.
'use strict';

window.__calls = [];
window.__errors = [];

window.addEventListener('error', function (e) {
  window.__errors.push('error: ' + e.message);
});
window.addEventListener('unhandledrejection', function (e) {
  window.__errors.push('unhandledrejection: ' + String(e.reason));
});

// callbacks returns the four Plaid.create callbacks, recording into __calls
// as {handler, name, args, at}: args JSON-cloned, at in ms since navigation.
window.callbacks = function (handler) {
  function record(name) {
    return function () {
      window.__calls.push({
        handler: handler,
        name: name,
        args: JSON.parse(JSON.stringify(Array.prototype.slice.call(arguments))),
        at: performance.now()
      });
      // Kept for the page an OAuth redirect comes back to (restoreCalls).
      sessionStorage.setItem('linkharness-calls', JSON.stringify(window.__calls));
    };
  }
  return {
    onLoad: record('onLoad'),
    onSuccess: record('onSuccess'),
    onExit: record('onExit'),
    onEvent: record('onEvent')
  };
};

// config returns a valid legacy public-key configuration for the handler.
window.config = function (handler, key) {
  return Object.assign({
    clientName: 'linkharness e2e',
    env: 'sandbox',
    key: key,
    product: ['transactions'],
    countryCodes: ['US'],
    language: 'en'
  }, window.callbacks(handler));
};

// restoreCalls carries on the record of the page this tab showed before it
// went to the OAuth bank (oauth-return.html): one flow across two pages.
window.restoreCalls = function () {
  window.__calls = JSON.parse(sessionStorage.getItem('linkharness-calls') || '[]');
};
