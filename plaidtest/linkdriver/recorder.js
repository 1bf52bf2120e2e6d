// recorder.js runs in every document of a linkdriver Page before the
// page's own scripts. It wraps Plaid.create, once link-initialize.js
// defines window.Plaid, so that every handler's callbacks are recorded
// in order (the page's own callbacks still run), and reports the state
// of the topmost Link dialog. The page itself needs no change.
(function () {
  'use strict';
  if (window.__linkdriver) {
    return;
  }
  var rec = window.__linkdriver = { calls: [], errors: [] };

  window.addEventListener('error', function (e) {
    rec.errors.push('error: ' + e.message);
  });
  window.addEventListener('unhandledrejection', function (e) {
    rec.errors.push('unhandledrejection: ' + String(e.reason));
  });

  function wrap(config) {
    if (!config || typeof config !== 'object') {
      return config;
    }
    var wrapped = Object.assign({}, config);
    ['onLoad', 'onSuccess', 'onExit', 'onEvent'].forEach(function (name) {
      var own = config[name];
      wrapped[name] = function () {
        rec.calls.push({ name: name, args: JSON.parse(JSON.stringify(Array.prototype.slice.call(arguments))) });
        if (typeof own === 'function') {
          return own.apply(this, arguments);
        }
      };
    });
    return wrapped;
  }

  var plaid;
  Object.defineProperty(window, 'Plaid', {
    configurable: true,
    enumerable: true,
    get: function () { return plaid; },
    set: function (v) {
      if (v && typeof v.create === 'function') {
        var create = v.create;
        v.create = function (config) { return create.call(v, wrap(config)); };
      }
      plaid = v;
    }
  });

  // state is what a driver waits on: the topmost dialog's pane and
  // whether it is busy, and among the calls from the from-th on, how many
  // views Link has shown (TRANSITION_VIEW) and the last one, and the
  // first onSuccess or onExit with its index. Views after that ending
  // count too: Plaid may call onSuccess before the TRANSITION_VIEW to the
  // success pane (onEvent may fire before, after, or surrounding it).
  rec.state = function (from) {
    var dialogs = document.querySelectorAll('[role=dialog]');
    var top = dialogs[dialogs.length - 1];
    var s = { dialogs: dialogs.length, pane: '', busy: false, views: 0, view: '', done: '', doneAt: -1 };
    if (top) {
      s.pane = top.getAttribute('data-pane') || '';
      s.busy = top.getAttribute('aria-busy') === 'true';
    }
    rec.calls.slice(from || 0).forEach(function (c, i) {
      if (c.name === 'onEvent' && c.args[0] === 'TRANSITION_VIEW') {
        s.views++;
        s.view = (c.args[1] && c.args[1].view_name) || '';
      }
      if (s.done === '' && (c.name === 'onSuccess' || c.name === 'onExit')) {
        s.done = c.name;
        s.doneAt = (from || 0) + i;
      }
    });
    return s;
  };

  // describe is the topmost dialog's pane and text, for a failure message.
  rec.describe = function () {
    var d = document.querySelectorAll('[role=dialog]');
    if (d.length === 0) {
      return '(no Link dialog)';
    }
    var top = d[d.length - 1];
    return 'Link dialog, pane ' + top.getAttribute('data-pane') + ':\n' + top.innerText;
  };

  // controls lists the topmost dialog's labelled fields (inputs and
  // select boxes, in order), its list items and its checkboxes with
  // whether each is ticked.
  rec.controls = function () {
    var d = document.querySelectorAll('[role=dialog]');
    var top = d[d.length - 1];
    var out = { fields: [], items: [], checkboxes: [] };
    if (!top) {
      return out;
    }
    top.querySelectorAll('label[for]').forEach(function (l) {
      var e = document.getElementById(l.getAttribute('for'));
      if (!e || !top.contains(e)) {
        return;
      }
      var label = l.textContent.replace(/\s+/g, ' ').trim();
      if (e.tagName === 'SELECT') {
        out.fields.push({ label: label, select: true });
      } else if (e.type === 'checkbox') {
        out.checkboxes.push({ label: label, checked: e.checked });
      } else if (e.type !== 'search') {
        out.fields.push({ label: label, select: false });
      }
    });
    top.querySelectorAll('ul button').forEach(function (b) {
      out.items.push(b.getAttribute('aria-label') || b.textContent.replace(/\s+/g, ' ').trim());
    });
    return out;
  };
})();
