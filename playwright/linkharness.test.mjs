// The Playwright helper's own test, run by `go test ./playwright` (which
// starts the emulator and passes it in the environment) with Node's test
// runner, playwright-core and the machine's Chromium. The page loads
// Plaid's real CDN URL; routePlaid sends it to the emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { chromium } from 'playwright-core';
import { PLAID_CDN, routePlaid, completeLink, exitLink, waitForCallback, callbacks, captureWebview } from './linkharness.mjs';

const env = (name) => {
  const v = process.env[name];
  assert.ok(v, name + ' must be set (go test ./playwright sets it)');
  return v;
};
const emulator = env('LINKHARNESS_URL');
const publicKey = env('LINKHARNESS_PUBLIC_KEY');
const clientID = env('LINKHARNESS_CLIENT_ID');
const secret = env('LINKHARNESS_SECRET');
const chrome = env('LINKHARNESS_CHROME');

// The shop's page, on an origin of its own, loading Link from Plaid's CDN.
const checkout = (product) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<script src="${PLAID_CDN}/link/v2/stable/link-initialize.js"></script></head>
<body><h1>Checkout</h1><button id="open" type="button">Link account</button>
<script>
  const handler = Plaid.create({
    key: ${JSON.stringify(publicKey)}, env: 'sandbox', clientName: 'Playwright Shop',
    product: [${JSON.stringify(product)}], countryCodes: ['US'], language: 'en',
    onSuccess: (token, metadata) => { document.title = 'linked'; },
    onExit: (err, metadata) => { document.title = 'exited'; },
  });
  document.getElementById('open').addEventListener('click', () => handler.open());
</script></body></html>`;

let site, siteURL, browser;

before(async () => {
  site = http.createServer((req, res) => {
    const product = new URL(req.url, 'http://x').searchParams.get('product') || 'auth';
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(checkout(product));
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteURL = `http://127.0.0.1:${site.address().port}`;
  browser = await chromium.launch({ executablePath: chrome, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  site?.close();
});

// open routes a fresh context to the emulator, loads the checkout page and
// opens Link from its button; it returns the page and the URLs it asked
// Plaid's CDN for.
async function open(product = 'auth') {
  const context = await browser.newContext();
  await routePlaid(context, emulator);
  const page = await context.newPage();
  const cdn = [];
  page.on('request', (r) => { if (r.url().startsWith(PLAID_CDN)) cdn.push(r.url()); });
  await page.goto(`${siteURL}/checkout?product=${product}`);
  await waitForCallback(page, 'onLoad');
  await page.getByRole('button', { name: 'Link account' }).click();
  return { page, cdn, context };
}

async function api(path, body) {
  const res = await fetch(emulator + path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_id: clientID, secret, ...body }),
  });
  return { status: res.status, body: await res.json() };
}

test('completes Link with two accounts, through Plaid\'s CDN URL', async () => {
  const { page, cdn, context } = await open();
  const { publicToken, metadata } = await completeLink(page, { accounts: ['Plaid Checking', 'Plaid Saving'] });
  assert.match(publicToken, /^public-sandbox-/);
  assert.equal(metadata.institution.name, 'First Platypus Bank');
  assert.deepEqual(metadata.accounts.map((a) => a.name).sort(), ['Plaid Checking', 'Plaid Saving']);
  assert.equal(await page.title(), 'linked', "the page's own onSuccess ran");
  // Everything came through the CDN's URLs: the script, the engine, its requests.
  assert.ok(cdn.includes(`${PLAID_CDN}/link/v2/stable/link-initialize.js`), cdn.join('\n'));
  assert.ok(cdn.some((u) => new URL(u).pathname.endsWith('/link.wasm')), 'link.wasm from the CDN: ' + cdn.join('\n'));
  assert.ok(cdn.length > 3, 'the engine\'s requests go to the script\'s origin: ' + cdn.join('\n'));
  // The backend exchanges the public token with the emulator.
  const ex = await api('/item/public_token/exchange', { public_token: publicToken });
  assert.equal(ex.status, 200, JSON.stringify(ex.body));
  const accounts = await api('/accounts/get', { access_token: ex.body.access_token });
  assert.equal(accounts.body.accounts.length, 2);
  await context.close();
});

test('completes Link with MFA users: a device and its code, two rounds of questions', async () => {
  for (const [password, mfa] of [['mfa_device', { code: '1234' }], ['mfa_questions_2_2', {}]]) {
    const { page, context } = await open();
    const { publicToken, metadata } = await completeLink(page, { password, mfa, accounts: ['Plaid Checking'] });
    assert.match(publicToken, /^public-sandbox-/, password);
    assert.ok(metadata.accounts.some((a) => a.name === 'Plaid Checking'), password + ': ' + JSON.stringify(metadata.accounts));
    const events = (await callbacks(page)).filter((c) => c.name === 'onEvent').map((c) => c.args[0]);
    assert.ok(events.includes('SUBMIT_MFA'), password + ': events ' + events.join(' '));
    await context.close();
  }
});

test('exits Link, on consent at once and past it after confirming', async () => {
  let { page, context } = await open();
  let { error, metadata } = await exitLink(page);
  assert.equal(error, null);
  assert.ok(metadata.link_session_id, JSON.stringify(metadata));
  await context.close();

  ({ page, context } = await open());
  await page.getByRole('dialog').getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'First Platypus Bank' }).click();
  await page.getByRole('dialog').getByLabel('Username').waitFor();
  ({ error, metadata } = await exitLink(page));
  assert.equal(metadata.status, 'requires_credentials', JSON.stringify(metadata));
  assert.equal(await page.title(), 'exited');
  await context.close();
});

test('drives Link for webviews with real clicks and captures every plaidlink:// report', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const reports = await captureWebview(page);
  const query = new URLSearchParams({ isWebview: 'true', key: publicKey, env: 'sandbox', clientName: 'Playwright App',
    product: 'auth', countryCodes: 'US', language: 'en' });
  await page.goto(`${emulator}/link/v2/stable/link.html?${query}`);
  await completeLink(page, { accounts: ['Plaid Checking', 'Plaid Saving'], webview: true });
  const deadline = Date.now() + 5000;
  // The reports leave one per task, HANDOFF after plaidlink://connected:
  // wait for both.
  const done = () => reports().some((u) => u.startsWith('plaidlink://connected')) &&
    reports().some((u) => u.startsWith('plaidlink://event') && new URL(u).searchParams.get('event_name') === 'HANDOFF');
  while (!done() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const urls = reports().map((u) => new URL(u));
  const events = urls.filter((u) => u.host === 'event').map((u) => u.searchParams.get('event_name'));
  assert.deepEqual(events.slice(0, 2), ['OPEN', 'TRANSITION_VIEW'], events.join(' '));
  for (const e of ['SELECT_INSTITUTION', 'SUBMIT_CREDENTIALS', 'HANDOFF']) {
    assert.ok(events.includes(e), e + ' in ' + events.join(' '));
  }
  const connected = urls.find((u) => u.host === 'connected');
  assert.ok(connected, 'plaidlink://connected among ' + urls.map(String).join('\n'));
  assert.match(connected.searchParams.get('public_token'), /^public-sandbox-/);
  assert.deepEqual(JSON.parse(connected.searchParams.get('accounts')).map((a) => a.name).sort(), ['Plaid Checking', 'Plaid Saving']);
  await context.close();
});
