// The session inspector of linkharness: a client's Link sessions and Items
// and, for one session, its timeline, read from the control API of the
// same origin (/linkharness/...) every second. The client's credentials
// stay in this tab (sessionStorage) and go in the PLAID-CLIENT-ID and
// PLAID-SECRET headers to this origin only. Every string the page shows
// is set as text, never as HTML, and nothing here is inline, so the page
// runs under a Content-Security-Policy of 'self'.
(function () {
  'use strict';

  var PREFIX = '/linkharness/';
  var POLL_MS = 1000;
  var KEY = 'linkharness-inspector';

  var creds = null;    // {client_id, secret}
  var selected = '';   // the link_session_id shown
  var timer = 0;
  var shown = {};      // what each part last drew, as JSON, to redraw on change only

  function $(id) { return document.getElementById(id); }

  // el makes an element with text (never HTML) and attributes.
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  function showError(message) {
    var p = $('error');
    p.textContent = message || '';
    p.hidden = !message;
  }

  // api POSTs body to a control route with the credentials in headers.
  function api(path, body) {
    return fetch(PREFIX + path, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', 'PLAID-CLIENT-ID': creds.client_id, 'PLAID-SECRET': creds.secret},
      body: JSON.stringify(body || {}),
      credentials: 'omit',
      cache: 'no-store'
    }).then(function (resp) {
      return resp.json().then(function (out) {
        if (!resp.ok) {
          var err = new Error((out && (out.error_code + ': ' + out.error_message)) || ('HTTP ' + resp.status));
          err.code = out && out.error_code;
          throw err;
        }
        return out;
      });
    });
  }

  // changed says whether part now differs from what was drawn.
  function changed(part, value) {
    var s = JSON.stringify(value);
    if (shown[part] === s) return false;
    shown[part] = s;
    return true;
  }

  function signIn(id, secret) {
    creds = {client_id: id, secret: secret};
    return api('clock/get').then(function (clock) {
      try { sessionStorage.setItem(KEY, JSON.stringify(creds)); } catch (e) { /* storage off: memory only */ }
      $('login').hidden = true;
      $('client').hidden = false;
      $('client-name').textContent = id;
      drawClock(clock);
      showError('');
      return refresh();
    }).then(function () {
      schedule();
    }, function (err) {
      creds = null;
      try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
      showError('Sign-in failed: ' + err.message);
    });
  }

  function signOut() {
    creds = null;
    selected = '';
    shown = {};
    clearTimeout(timer);
    try { sessionStorage.removeItem(KEY); } catch (e) { /* nothing kept */ }
    $('client').hidden = true;
    $('login').hidden = false;
    $('secret').value = '';
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (!creds) return;
      refresh().then(schedule, schedule);
    }, POLL_MS);
  }

  // refresh reads everything the page shows and redraws what changed.
  function refresh() {
    if (!creds) return Promise.resolve();
    var reads = [api('clock/get'), api('sessions/list'), api('items/list')];
    if (selected) {
      reads.push(api('session/timeline', {link_session_id: selected}).catch(function (err) {
        if (err.code === 'INVALID_FIELD') { selected = ''; return null; } // gone, after a reset
        throw err;
      }));
    }
    return Promise.all(reads).then(function (r) {
      drawClock(r[0]);
      drawSessions(r[1].sessions);
      drawItems(r[2].items);
      drawTimeline(selected ? r[3] : null);
      showError('');
    }, function (err) {
      showError(err.message);
    });
  }

  function drawClock(clock) {
    $('clock').textContent = clock.now;
    $('clock').setAttribute('datetime', clock.now);
    $('offset').textContent = (clock.offset_seconds >= 0 ? '+' : '') + clock.offset_seconds + ' s';
  }

  function drawSessions(sessions) {
    if (!changed('sessions', [sessions, selected])) return;
    var list = $('sessions');
    clear(list);
    $('no-sessions').hidden = sessions.length > 0;
    sessions.forEach(function (s) {
      var li = el('li');
      var b = el('button', s.link_session_id, {type: 'button'});
      if (s.link_session_id === selected) b.setAttribute('aria-current', 'true');
      b.addEventListener('click', function () { select(s.link_session_id); });
      li.appendChild(b);
      li.appendChild(el('span', s.status + ', ' + s.events + ' events, ' + s.items + ' Items, started ' + s.started_at, {'class': 'detail'}));
      list.appendChild(li);
    });
  }

  function drawItems(items) {
    if (!changed('items', items)) return;
    var list = $('items');
    clear(list);
    $('no-items').hidden = items.length > 0;
    items.forEach(function (it) {
      var li = el('li');
      li.appendChild(el('code', it.item_id));
      var text = ' ' + it.institution_id + ', ' + it.products.join(', ') + ', ' + it.accounts + ' accounts, session ' + it.link_session_id;
      if (it.error) text += ', error ' + it.error.error_code;
      li.appendChild(el('span', text, {'class': 'detail'}));
      list.appendChild(li);
    });
  }

  function select(id) {
    selected = id;
    return refresh();
  }

  function drawTimeline(out) {
    var section = $('session');
    if (!out) {
      section.hidden = true;
      changed('timeline', null);
      return;
    }
    section.hidden = false;
    if (!changed('timeline', out.timeline.concat([out.session]))) return;
    var s = out.session;
    $('session-summary').textContent = s.link_session_id + ': ' + s.status + ', started ' + s.started_at +
      (s.finished_at ? ', finished ' + s.finished_at : '') + (s.link_token ? ', link token ' + s.link_token : ', public key');
    var list = $('timeline');
    // Keep open what the reader opened.
    var open = {};
    list.querySelectorAll('details[open]').forEach(function (d) { open[d.dataset.key] = true; });
    clear(list);
    out.timeline.forEach(function (e, i) {
      var li = el('li', null, {'data-kind': e.kind});
      li.appendChild(el('span', e.kind, {'class': 'kind'}));
      li.appendChild(el('span', e.name, {'class': 'name'}));
      if (e.at) li.appendChild(el('time', e.at, {datetime: e.at}));
      if (e.request) drawRequest(li, e.request);
      if (e.webhook) drawWebhook(li, e.webhook);
      var detail = e.callback ? e.callback.args : e.webhook ? e.webhook.body : null;
      if (detail) {
        var key = e.kind + i;
        var d = el('details', null, {'data-key': key});
        if (open[key]) d.open = true;
        d.appendChild(el('summary', e.kind === 'webhook' ? 'Body' : e.kind === 'event' ? 'Metadata' : 'Arguments'));
        d.appendChild(el('pre', JSON.stringify(e.kind === 'event' ? detail[1] : detail, null, 2)));
        li.appendChild(d);
      }
      list.appendChild(li);
    });
  }

  function drawRequest(li, r) {
    li.appendChild(el('span', String(r.status) + (r.error_code ? ' ' + r.error_code : ''),
      {'class': 'status ' + (r.status < 400 ? 'ok' : 'bad')}));
    li.appendChild(el('span', r.duration_ms + ' ms, ' + r.request_id, {'class': 'detail'}));
  }

  function drawWebhook(li, w) {
    li.appendChild(el('span', w.status, {'class': 'status ' + (w.status === 'delivered' ? 'ok' : w.status === 'failed' ? 'bad' : 'wait')}));
    li.appendChild(el('span', w.webhook_id + ' to ' + w.url, {'class': 'detail'}));
    var label = 'Attempts of ' + w.webhook_type + ' ' + w.webhook_code;
    var attempts = el('ol', null, {'aria-label': label, 'class': 'attempts'});
    w.attempts.forEach(function (a) {
      var answer = a.status_code ? 'HTTP ' + a.status_code : 'no answer';
      if (a.error) answer += ' (' + a.error + ')';
      attempts.appendChild(el('li', 'Attempt ' + a.attempt + ': ' + answer + ', ' + a.duration_ms + ' ms, at ' + a.started_at));
    });
    li.appendChild(attempts);
    if (w.next_attempt_at) li.appendChild(el('p', 'Next attempt at ' + w.next_attempt_at, {'class': 'detail'}));
    var b = el('button', 'Resend', {type: 'button', 'aria-label': 'Resend ' + w.webhook_type + ' ' + w.webhook_code});
    b.disabled = w.status === 'pending';
    b.addEventListener('click', function () {
      b.disabled = true;
      act(api('webhooks/resend', {webhook_id: w.webhook_id}));
    });
    li.appendChild(b);
  }

  // act runs an action, then refreshes, showing its error if it fails.
  function act(p) {
    return p.then(refresh, function (err) { showError(err.message); });
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('login-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      signIn($('client-id').value.trim(), $('secret').value);
    });
    $('sign-out').addEventListener('click', signOut);
    $('advance').addEventListener('click', function () {
      var seconds = Number($('advance-seconds').value);
      act(api('clock/advance', {seconds: seconds}));
    });
    $('reset').addEventListener('click', function () {
      act(api('reset').then(function () { selected = ''; }));
    });
    var kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { kept = null; }
    if (kept && kept.client_id && kept.secret) {
      $('client-id').value = kept.client_id;
      signIn(kept.client_id, kept.secret);
    }
  });
})();
