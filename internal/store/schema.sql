-- The one schema of linkharness's state. Plain SQL that SQLite and
-- Cloudflare D1 both run: no AUTOINCREMENT, no RETURNING, times as integer
-- milliseconds since the Unix epoch, JSON documents as TEXT. Every statement
-- is idempotent, so opening a store at an older version (or none) runs the
-- whole file. Every row that belongs to an API client carries its
-- client_id: clients are tenants.

CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER NOT NULL
);

-- Always empty. D1 has no interactive transactions, so the store changes
-- several records at once in one atomic batch of statements; a statement
-- of a batch that must run only in some state is preceded by a guard,
-- which inserts a NULL here when that state does not hold: the insert
-- fails and the whole batch with it (schema version 4 added it).
CREATE TABLE IF NOT EXISTS guards (
  ok INTEGER NOT NULL
);

-- The emulator clock of each client: how far it runs ahead of the server's.
CREATE TABLE IF NOT EXISTS clocks (
  client_id TEXT PRIMARY KEY,
  offset_ms INTEGER NOT NULL
);

-- Users of /user/create.
CREATE TABLE IF NOT EXISTS users (
  user_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  client_user_id TEXT NOT NULL,
  user_token TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  UNIQUE (client_id, client_user_id)
);

-- Link tokens of /link/token/create; config is the request less credentials.
CREATE TABLE IF NOT EXISTS link_tokens (
  link_token TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  item_id TEXT NOT NULL,
  config TEXT NOT NULL
);

-- Link sessions, as the engine opens them. link_token is empty for a
-- public-key session, whose Plaid.create configuration is then in config.
CREATE TABLE IF NOT EXISTS link_sessions (
  client_id TEXT NOT NULL,
  link_session_id TEXT NOT NULL,
  link_token TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  config TEXT NOT NULL,
  PRIMARY KEY (client_id, link_session_id)
);
CREATE INDEX IF NOT EXISTS link_sessions_by_token ON link_sessions (link_token, started_at);

-- The callbacks a session made, in order: onEvent (event_* set, payload is
-- the event metadata), onExit ({error, metadata}) and onSuccess
-- ({public_token, metadata}).
CREATE TABLE IF NOT EXISTS link_callbacks (
  client_id TEXT NOT NULL,
  link_session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_name TEXT NOT NULL,
  timestamp TEXT NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (client_id, link_session_id, seq)
);

-- Items. access_token is set by the first exchange of a public token;
-- connected says the user chose the accounts; error is a Plaid error
-- (ITEM_LOGIN_REQUIRED after /sandbox/item/reset_login). products,
-- billed_products and consented_products are JSON arrays, as /item/get
-- shows them (schema version 2 added the last two). custom is the
-- normalized configuration of a custom sandbox user's Item (user_custom),
-- NULL for the other Items (schema version 7 added it).
CREATE TABLE IF NOT EXISTS items (
  item_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  access_token TEXT UNIQUE,
  institution_id TEXT NOT NULL,
  products TEXT NOT NULL,
  billed_products TEXT NOT NULL DEFAULT '[]',
  consented_products TEXT NOT NULL DEFAULT '[]',
  webhook TEXT NOT NULL,
  link_session_id TEXT NOT NULL,
  link_token TEXT NOT NULL,
  connected INTEGER NOT NULL,
  error TEXT,
  created_at INTEGER NOT NULL,
  custom TEXT
);

-- An Item's accounts; custom is a custom user's account as configured,
-- NULL for a sandbox account (schema version 7 added it); moved is the
-- net amount settled transfers moved into the account, added to its
-- balances (schema version 11 added it).
CREATE TABLE IF NOT EXISTS accounts (
  account_id TEXT PRIMARY KEY,
  item_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  mask TEXT NOT NULL,
  type TEXT NOT NULL,
  subtype TEXT NOT NULL,
  custom TEXT,
  moved REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS accounts_by_item ON accounts (item_id, position);

-- Public tokens; link_session_id is set for those Link issued.
CREATE TABLE IF NOT EXISTS public_tokens (
  public_token TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  link_session_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  exchanged_at INTEGER
);
CREATE INDEX IF NOT EXISTS public_tokens_by_session ON public_tokens (client_id, link_session_id, created_at);

-- The webhook outbox, written in the batch of the change that caused each
-- webhook. status is pending, delivered or failed; a worker claims a
-- due row by setting lease_until, so two servers on one file never both
-- deliver it.
CREATE TABLE IF NOT EXISTS webhooks (
  webhook_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  link_session_id TEXT NOT NULL,
  url TEXT NOT NULL,
  webhook_type TEXT NOT NULL,
  webhook_code TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX IF NOT EXISTS webhooks_due ON webhooks (status, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhooks_by_client ON webhooks (client_id, created_at);

-- Every delivery attempt of a webhook; status_code 0 means no answer.
CREATE TABLE IF NOT EXISTS webhook_attempts (
  webhook_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  status_code INTEGER NOT NULL,
  error TEXT NOT NULL,
  PRIMARY KEY (webhook_id, attempt)
);

-- The ES256 keys that sign webhooks (SEC 1 DER, base64); the newest signs.
CREATE TABLE IF NOT EXISTS signing_keys (
  kid TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  private_key TEXT NOT NULL
);

-- API clients that serve generated: their credentials outlive a restart.
CREATE TABLE IF NOT EXISTS clients (
  client_id TEXT PRIMARY KEY,
  secret TEXT NOT NULL,
  public_key TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- OAuth logins in progress: the bank's page decides the status (pending,
-- approved, denied); an approved state creates one Item, then is used.
-- products are those a bank with product-level consent asks about (JSON
-- array); granted_products those the user left ticked, NULL for all
-- (schema version 2 added both). A login in the redirect flow keeps the
-- redirect_uri the bank sends the user back to, the legacy nonce or the
-- link token it must come back with, and whether a re-initialised Link
-- has resumed it already; in a Payment Initiation session, payment_id is
-- the payment the bank's page authorises (schema version 3 added these
-- five).
CREATE TABLE IF NOT EXISTS oauth_states (
  oauth_state_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  link_session_id TEXT NOT NULL,
  institution_id TEXT NOT NULL,
  client_name TEXT NOT NULL,
  status TEXT NOT NULL,
  used INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  products TEXT NOT NULL DEFAULT '[]',
  granted_products TEXT,
  redirect_uri TEXT NOT NULL DEFAULT '',
  nonce TEXT NOT NULL DEFAULT '',
  link_token TEXT NOT NULL DEFAULT '',
  resumed INTEGER NOT NULL DEFAULT 0,
  payment_id TEXT NOT NULL DEFAULT ''
);

-- The billing ledger: each product billed on an Item, once per billable
-- (auth, identity, transactions, liabilities, investments_holdings,
-- investments_transactions, ...), with its fee model (one_time or
-- subscription), why it was billed and by which call. Rows outlive
-- /item/remove, as a bill does.
CREATE TABLE IF NOT EXISTS billing_events (
  event_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  product TEXT NOT NULL,
  billable TEXT NOT NULL,
  fee_model TEXT NOT NULL,
  reason TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  billed_at INTEGER NOT NULL,
  UNIQUE (client_id, item_id, billable)
);
CREATE INDEX IF NOT EXISTS billing_events_by_item ON billing_events (client_id, item_id, billed_at);

-- The rest of the billing ledger: each billed call of a product billed
-- per request (Balance's /accounts/balance/get), one row a call, with its
-- request_id. Rows outlive the Item too (schema version 5 added the
-- table).
CREATE TABLE IF NOT EXISTS billed_requests (
  event_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  product TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  request_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  billed_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS billed_requests_by_item ON billed_requests (client_id, item_id, billed_at);

-- Items whose billing ended, when and why: their subscriptions are billed
-- no more after /item/remove or /item/products/terminate (schema version
-- 5 added the table).
CREATE TABLE IF NOT EXISTS billing_ends (
  client_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  ended_at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (client_id, item_id)
);

-- Processor tokens: each hands one account of an Item to a processor
-- partner. permissions is the JSON array of products the partner may reach
-- with it, [] for all; webhook is the token's own webhook URL, '' for none.
-- A token outlives its Item, so that using it then says the Item is gone.
-- Package store/processortokens keeps it (schema version 6 added the
-- table).
CREATE TABLE IF NOT EXISTS processor_tokens (
  processor_token TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  processor TEXT NOT NULL,
  permissions TEXT NOT NULL DEFAULT '[]',
  webhook TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);

-- What an Item gained after it was created: the transactions of
-- /transactions/refresh and /sandbox/transactions/create, the investment
-- transactions of /investments/refresh, ... in the order it gained them
-- (seq counts from 1 per Item). kind says what doc, a JSON document, is;
-- the package that adds a kind decides its shape (schema version 8 added
-- the table).
CREATE TABLE IF NOT EXISTS item_additions (
  client_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  doc TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, item_id, seq)
);

-- The transactions a client evaluated with /signal/evaluate, by its
-- client_transaction_id, with the evaluation and what
-- /signal/decision/report and /signal/return/report said of them (JSON
-- documents; decision and return_report NULL until reported). A row
-- outlives its Item: a return is reported days after the evaluation.
CREATE TABLE IF NOT EXISTS signal_transactions (
  client_id TEXT NOT NULL,
  client_transaction_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  amount REAL NOT NULL,
  evaluation TEXT NOT NULL,
  decision TEXT,
  return_report TEXT,
  evaluated_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, client_transaction_id)
);

-- Plaid Transfer (package store/transfers; schema version 11 added the
-- tables). Each record is a JSON document of package transfer, with the
-- columns its lookups need. An authorization's idempotency_key is NULL
-- when it has none (or its decision was user_action_required, to which
-- idempotency does not apply); used_by is the transfer made from it.
CREATE TABLE IF NOT EXISTS transfer_authorizations (
  client_id TEXT NOT NULL,
  authorization_id TEXT NOT NULL,
  idempotency_key TEXT,
  created_at INTEGER NOT NULL,
  used_by TEXT,
  doc TEXT NOT NULL,
  PRIMARY KEY (client_id, authorization_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS transfer_authorizations_by_key ON transfer_authorizations (client_id, idempotency_key);

-- Transfers; idempotency_key is NULL when none was sent.
CREATE TABLE IF NOT EXISTS transfers (
  client_id TEXT NOT NULL,
  transfer_id TEXT NOT NULL,
  authorization_id TEXT NOT NULL,
  idempotency_key TEXT,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (client_id, transfer_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS transfers_by_key ON transfers (client_id, idempotency_key);
CREATE INDEX IF NOT EXISTS transfers_by_created ON transfers (client_id, created_at);

-- Transfer events, numbered from 1 per client in the order they happened.
CREATE TABLE IF NOT EXISTS transfer_events (
  client_id TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  transfer_id TEXT NOT NULL,
  happened_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (client_id, event_id)
);

-- Sweeps of /sandbox/transfer/sweep/simulate.
CREATE TABLE IF NOT EXISTS transfer_sweeps (
  client_id TEXT NOT NULL,
  sweep_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (client_id, sweep_id)
);

-- Test clocks; virtual_time only moves forward.
CREATE TABLE IF NOT EXISTS transfer_test_clocks (
  client_id TEXT NOT NULL,
  test_clock_id TEXT NOT NULL,
  virtual_time INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, test_clock_id)
);

-- Payment Initiation (UK and Europe). Recipients have an iban, bacs
-- ({account, sort_code}) or both, and maybe an address ({street, city,
-- postal_code, country}); bacs and address are JSON objects, and each of
-- the three is NULL when absent.
CREATE TABLE IF NOT EXISTS payment_recipients (
  recipient_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  name TEXT NOT NULL,
  iban TEXT,
  bacs TEXT,
  address TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS payment_recipients_by_client ON payment_recipients (client_id, created_at);

-- Payments to a client's recipients: amount is in the currency's minor
-- unit (pence, cents); status is Plaid's PAYMENT_STATUS_*.
CREATE TABLE IF NOT EXISTS payments (
  payment_id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  reference TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_status_update INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_by_client ON payments (client_id, created_at);

-- Payment tokens, which open Link for a payment once; used_at is set when
-- Link used one.
CREATE TABLE IF NOT EXISTS payment_tokens (
  payment_token TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX IF NOT EXISTS payment_tokens_by_payment ON payment_tokens (client_id, payment_id, created_at);

-- Asset Reports and their audit copies, by token: kind is 'report' or
-- 'audit_copy', doc the JSON record package store/assetreports keeps
-- (schema version 9 added the table). A removed one stays, with
-- removed_at set, so that using it can say it is gone.
CREATE TABLE IF NOT EXISTS asset_reports (
  token TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  doc TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  removed_at INTEGER
);

-- The requests the Link engine made of the backend in a session, numbered
-- in the order they came (package store/sessionlog; schema version 12
-- added the table), for the session inspector's timeline: the path, the
-- HTTP status, the Plaid error_code (empty on success), the request_id,
-- when the server received it and how long it took (the server's clock,
-- in milliseconds), and callbacks, the seq of the session's last recorded
-- callback once it was answered (which places the events a
-- /link/session/record carried).
CREATE TABLE IF NOT EXISTS link_requests (
  client_id TEXT NOT NULL,
  link_session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  error_code TEXT NOT NULL,
  request_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  callbacks INTEGER NOT NULL,
  PRIMARY KEY (client_id, link_session_id, seq)
);

-- Each client's Dashboard settings (schema version 13 added the table), a
-- JSON document package store/clientsettings keeps: scope '' holds the
-- client's own, a link token's the settings of that token's sessions
-- only, which go on top of the client's.
CREATE TABLE IF NOT EXISTS client_settings (
  client_id TEXT NOT NULL,
  scope TEXT NOT NULL,
  doc TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, scope)
);
