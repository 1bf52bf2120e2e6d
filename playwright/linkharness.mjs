// linkharness.mjs: Playwright helpers for testing a page that uses Plaid
// Link against linkharness, an offline emulator of Link and the Plaid API.
//
// It imports nothing: every function takes the Page (or BrowserContext)
// of @playwright/test or playwright-core that the test already has.
//
//   import { routePlaid, completeLink, exitLink, waitForCallback } from './linkharness.mjs';
//
//   await routePlaid(context, 'http://127.0.0.1:8080'); // before page.goto
//   await page.goto('https://shop.example/checkout');
//   await page.getByRole('button', { name: 'Link account' }).click();
//   const { publicToken, metadata } = await completeLink(page, { accounts: ['Plaid Checking'] });
//
// routePlaid sends everything the page loads from Plaid's CDN to the
// emulator: link-initialize.js, link.wasm (which the script loads from its
// own origin) and the engine's requests (which go to the script's origin
// too). It also records the Link callbacks the page receives, so that
// waitForCallback and completeLink can read them.

/** Plaid's CDN, whose every URL routePlaid sends to the emulator. */
export const PLAID_CDN = 'https://cdn.plaid.com';

/**
 * Routes every request for Plaid's CDN (https://cdn.plaid.com/**) to the
 * emulator at emulatorURL, keeping path, query, method, headers and body,
 * and records the Link callbacks of every page in target.
 *
 * @param {import('playwright-core').BrowserContext | import('playwright-core').Page} target
 * @param {string} emulatorURL the emulator's origin, e.g. http://127.0.0.1:8080
 */
export async function routePlaid(target, emulatorURL) {
  const base = new URL(emulatorURL);
  await target.addInitScript(recordCallbacks);
  await target.route(PLAID_CDN + '/**', async (route) => {
    const from = new URL(route.request().url());
    const to = new URL(from.pathname + from.search, base);
    // The body is fetched uncompressed, so that the answer's headers
    // describe the bytes fulfilled.
    const headers = { ...route.request().headers(), 'accept-encoding': 'identity' };
    try {
      const response = await route.fetch({ url: to.toString(), headers });
      await route.fulfill({ response });
    } catch (err) {
      // The emulator is down: the page sees a network error, as it would
      // with Plaid's CDN unreachable.
      await route.abort('connectionrefused');
    }
  });
}

// recordCallbacks runs in the page before its scripts: it wraps
// Plaid.create, whoever defines Plaid, so that every callback of every
// handler is recorded in window.__linkharnessCalls as {name, args}, args
// JSON-cloned, before the page's own callback runs.
function recordCallbacks() {
  const calls = [];
  Object.defineProperty(window, '__linkharnessCalls', { value: calls });
  const wrap = (plaid) => {
    if (!plaid || typeof plaid.create !== 'function' || plaid.create.__linkharness) {
      return plaid;
    }
    const create = plaid.create;
    const wrapped = function (config) {
      const cfg = Object.assign({}, config);
      for (const name of ['onLoad', 'onSuccess', 'onExit', 'onEvent']) {
        const own = config && config[name];
        cfg[name] = function (...args) {
          calls.push({ name, args: JSON.parse(JSON.stringify(args === undefined ? [] : args)) });
          if (typeof own === 'function') {
            return own.apply(this, args);
          }
        };
      }
      return create.call(this, cfg);
    };
    wrapped.__linkharness = true;
    plaid.create = wrapped;
    return plaid;
  };
  let current;
  Object.defineProperty(window, 'Plaid', {
    configurable: true,
    enumerable: true,
    get() { return current; },
    set(v) { current = wrap(v); },
  });
}

/**
 * Captures the reports of Link for webviews (link.html?isWebview=true) in
 * page, as an app's webview delegate does: Link hands each plaidlink://
 * URL to window.linkharnessWebviewDelegate, which this defines, instead
 * of navigating. Chromium shows its external-protocol dialog for a
 * plaidlink:// navigation that follows user input, which blocks further
 * input to the page, so a test that clicks needs this. Call it before
 * page.goto; it returns a function that lists the URLs so far, in order.
 *
 * @param {import('playwright-core').Page} page
 * @returns {Promise<() => string[]>}
 */
export async function captureWebview(page) {
  const urls = [];
  await page.exposeBinding('linkharnessWebviewDelegate', (_source, url) => {
    urls.push(String(url));
  });
  return () => urls.slice();
}

/** How long each helper waits for Link by default, in milliseconds. */
export const DEFAULT_TIMEOUT = 15000;

/**
 * Waits until the page has received the n-th call (from 1) of the Link
 * callback name ('onLoad', 'onSuccess', 'onExit' or an event's name for
 * onEvent, e.g. 'HANDOFF') and returns its arguments.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} name a callback name, or an onEvent event name
 * @param {{n?: number, timeout?: number}} [options]
 * @returns {Promise<any[]>}
 */
export async function waitForCallback(page, name, { n = 1, timeout = DEFAULT_TIMEOUT } = {}) {
  const handle = await page.waitForFunction(({ name, n }) => {
    const calls = window.__linkharnessCalls || [];
    const hits = calls.filter((c) => c.name === name || (c.name === 'onEvent' && c.args[0] === name));
    return hits.length >= n ? hits[n - 1].args : null;
  }, { name, n }, { timeout });
  return handle.jsonValue();
}

/**
 * The Link callbacks the page received, in order, as {name, args}.
 *
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{name: string, args: any[]}[]>}
 */
export async function callbacks(page) {
  return page.evaluate(() => window.__linkharnessCalls || []);
}

/**
 * Completes an open Link the way a person does, by role and accessible
 * name: consent, the institution, the credentials, any MFA, the accounts,
 * the success pane. It returns onSuccess's public token and metadata.
 *
 * @param {import('playwright-core').Page} page
 * @param {{institution?: string, username?: string, password?: string,
 *   accounts?: string[], mfa?: {device?: string, code?: string, answers?: string[][]},
 *   webview?: boolean, timeout?: number}} [login] defaults: First Platypus Bank, user_good,
 *   pass_good, the accounts Link preselects, the code 1234; answers[i][j]
 *   answers question j+1 of MFA round i+1 (by default answer_i_j, as the
 *   sandbox's mfa_questions users want, and the first option of a
 *   selection); webview: true for Link for webviews, which reports by
 *   plaidlink:// (captureWebview) and returns {}
 * @returns {Promise<{publicToken: string, metadata: any}>}
 */
export async function completeLink(page, login = {}) {
  const {
    institution = 'First Platypus Bank',
    username = 'user_good',
    password = 'pass_good',
    accounts = [],
    mfa = {},
    timeout = DEFAULT_TIMEOUT,
  } = login;
  const dialog = await openDialog(page, timeout);
  let round = 0;
  for (let step = 0; step < 20; step++) {
    const pane = await currentPane(dialog, timeout);
    switch (pane) {
      case 'CONSENT':
        await press(dialog, 'Continue', timeout);
        break;
      case 'SELECT_INSTITUTION':
        await advance(dialog, dialog.getByRole('button', { name: institution, exact: true }), timeout);
        break;
      case 'CREDENTIAL':
        await dialog.getByLabel('Username', { exact: true }).fill(username, { timeout });
        await dialog.getByLabel('Password', { exact: true }).fill(password, { timeout });
        await press(dialog, 'Submit', timeout);
        break;
      case 'MFA':
        await answerMFA(dialog, mfa, round++, timeout);
        break;
      case 'SELECT_ACCOUNT':
        for (const name of accounts) {
          const box = dialog.getByRole('checkbox', { name, exact: true });
          if (await box.count()) {
            await box.check({ timeout });
          } else {
            await dialog.getByRole('button', { name, exact: true }).click({ timeout });
          }
        }
        await press(dialog, 'Continue', timeout);
        break;
      case 'CONNECTED': {
        await press(dialog, 'Continue', timeout);
        if (login.webview) {
          // Link for webviews reports by plaidlink://connected, not by
          // a callback.
          await dialog.waitFor({ state: 'detached', timeout });
          return {};
        }
        const [publicToken, metadata] = await waitForCallback(page, 'onSuccess', { timeout });
        return { publicToken, metadata };
      }
      case 'ERROR':
        throw new Error('linkharness: Link shows an error: ' + (await dialog.innerText()));
      default:
        throw new Error('linkharness: completeLink does not know the pane ' + JSON.stringify(pane));
    }
  }
  throw new Error('linkharness: completeLink went through 20 panes without finishing');
}

/**
 * Exits an open Link as a person does: the Close button, then Exit when
 * Link asks to confirm. It returns onExit's error and metadata.
 *
 * @param {import('playwright-core').Page} page
 * @param {{timeout?: number}} [options]
 * @returns {Promise<{error: any, metadata: any}>}
 */
export async function exitLink(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  const dialog = await openDialog(page, timeout);
  await press(dialog, 'Close', timeout);
  await page.waitForFunction(() => {
    const d = document.querySelector('[role=dialog]');
    return !d || d.getAttribute('aria-busy') !== 'true';
  }, null, { timeout });
  if ((await dialog.count()) && (await dialog.getAttribute('data-pane')) === 'EXIT') {
    await press(dialog, 'Exit', timeout);
  }
  const [error, metadata] = await waitForCallback(page, 'onExit', { timeout });
  return { error, metadata };
}

async function openDialog(page, timeout) {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor({ timeout });
  return dialog;
}

// currentPane waits until the dialog is not waiting on the backend and
// returns the pane it shows (its data-pane attribute).
async function currentPane(dialog, timeout) {
  await dialog.and(dialog.page().locator(':not([aria-busy=true])')).waitFor({ timeout });
  return dialog.getAttribute('data-pane', { timeout });
}

// advance clicks target, which moves Link on (a pane's last action), and
// waits until the dialog has changed: another pane, a busy dialog, a
// re-rendered one (MFA may follow MFA), or none.
async function advance(dialog, target, timeout) {
  const page = dialog.page();
  await target.waitFor({ timeout });
  await page.evaluate(() => {
    window.__linkharnessMoved = false;
    const d = document.querySelector('[role=dialog]');
    if (!d) {
      window.__linkharnessMoved = true;
      return;
    }
    const o = new MutationObserver(() => {
      window.__linkharnessMoved = true;
      o.disconnect();
    });
    o.observe(d, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-pane', 'aria-busy'] });
    o.observe(document.body, { childList: true });
  });
  await target.click({ timeout });
  await page.waitForFunction(() => window.__linkharnessMoved === true, null, { timeout });
}

async function press(dialog, name, timeout) {
  await advance(dialog, dialog.getByRole('button', { name, exact: true }), timeout);
}

// answerMFA answers one MFA round: a device to pick, a code, or questions
// (text fields or selections) named "Question 1", "Question 2", ...
async function answerMFA(dialog, mfa, round, timeout) {
  const code = dialog.getByLabel('Code', { exact: true });
  if (await code.count()) {
    await code.fill(mfa.code || '1234', { timeout });
    await press(dialog, 'Submit', timeout);
    return;
  }
  const questions = dialog.getByLabel(/^Question \d+$/);
  const n = await questions.count();
  if (n === 0) {
    // The device list: the one asked for, else the first.
    const devices = dialog.getByRole('list').getByRole('button');
    const device = mfa.device ? dialog.getByRole('button', { name: mfa.device, exact: true }) : devices.first();
    await advance(dialog, device, timeout);
    return;
  }
  for (let j = 0; j < n; j++) {
    const field = dialog.getByLabel('Question ' + (j + 1), { exact: true });
    const given = mfa.answers && mfa.answers[round] && mfa.answers[round][j];
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') {
      if (given) {
        await field.selectOption({ label: given }, { timeout });
      } else {
        await field.selectOption({ index: 1 }, { timeout }).catch(() => field.selectOption({ index: 0 }, { timeout }));
      }
    } else {
      await field.fill(given || 'answer_' + round + '_' + j, { timeout });
    }
  }
  await press(dialog, 'Submit', timeout);
}
