package store_test

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/processortokens"
	"github.com/linkharness/linkharness/internal/store/sessionlog"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// schemaV1 is schema.sql as version 1 had it.
//
//go:embed testdata/schema_v1.sql
var schemaV1 string

// TestMigrateFromVersion1 opens a data file made by schema version 1 and
// finds its Items billed and consented for the products they had, and
// the billing ledger ready.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	old, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	// Rebuild the file as version 1 left it.
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE items`, `DROP TABLE accounts`, `DROP TABLE oauth_states`, `DROP TABLE billing_events`, `UPDATE schema_version SET version = 1`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, schemaV1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO items (item_id, client_id, access_token, institution_id, products, webhook,
		link_session_id, link_token, connected, error, created_at) VALUES ('it', 'c', 'access', 'ins_109508', '["auth"]', '', '', '', 1, NULL, 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	it, err := s.Item(ctx, "c", "it")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(it.BilledProducts, []string{"auth"}) || !slices.Equal(it.ConsentedProducts, []string{"auth"}) {
		t.Errorf("migrated item %+v", it)
	}
	if _, err := s.AddItemProduct(ctx, "c", "it", "identity", []store.BillingEvent{{ID: "e", ClientID: "c", ItemID: "it", Product: "identity", Billable: "identity", FeeModel: product.OneTime}}); err != nil {
		t.Fatal(err)
	}
	if ev, err := s.BillingEvents(ctx, "c", ""); err != nil || len(ev) != 1 {
		t.Errorf("ledger %v %v", ev, err)
	}
}

// TestMigrateFromVersion6 opens a data file of schema version 6, whose
// items and accounts have no custom column: its Items read as they were,
// and a custom user's Item keeps its configuration.
func TestMigrateFromVersion6(t *testing.T) {
	ctx := context.Background()
	path := storeAt(t, 6, anItem...)
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	it, err := s.Item(ctx, "c", "it")
	if err != nil {
		t.Fatal(err)
	}
	if it.Custom != nil || len(it.Accounts) != 1 || it.Accounts[0].Custom != nil {
		t.Errorf("migrated item %+v", it)
	}
	custom := store.Item{ID: "new", ClientID: "c", InstitutionID: "ins_109508", Custom: []byte(`{"seed":"s"}`),
		Accounts: []store.Account{{ID: "b", Name: "Mine", Mask: "12", Type: "depository", Subtype: "checking", Custom: []byte(`{"type":"depository"}`)}}}
	if err := s.CreateItem(ctx, custom); err != nil {
		t.Fatal(err)
	}
	got, err := s.Item(ctx, "c", "new")
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Custom) != `{"seed":"s"}` || string(got.Accounts[0].Custom) != `{"type":"depository"}` {
		t.Errorf("custom item read back as %s, %s", got.Custom, got.Accounts[0].Custom)
	}
}

// TestMigrateFromVersion10 opens a data file of schema version 10, made
// before Transfer: its accounts read with nothing moved, and the transfer
// tables are there.
func TestMigrateFromVersion10(t *testing.T) {
	ctx := context.Background()
	path := storeAt(t, 10, anItem...)
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	it, err := s.Item(ctx, "c", "it")
	if err != nil {
		t.Fatal(err)
	}
	if len(it.Accounts) != 1 || it.Accounts[0].Moved != 0 {
		t.Errorf("migrated item %+v", it)
	}
	for _, table := range []string{"transfer_authorizations", "transfers", "transfer_events", "transfer_sweeps", "transfer_test_clocks"} {
		if _, err := s.Batches().Exec(ctx, `DELETE FROM `+table+` WHERE client_id = 'c'`); err != nil {
			t.Errorf("%s after the migration: %v", table, err)
		}
	}
	if err := s.Reset(ctx, "c"); err != nil {
		t.Errorf("reset after the migration: %v", err)
	}
}

// TestOpenUpToDate checks that opening a store at the current schema
// version runs none of schema.sql (at the edge every request opens the
// store): a table dropped behind its back stays dropped.
func TestOpenUpToDate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `DROP TABLE link_tokens`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.LinkToken(ctx, "link-x"); err == nil || errors.Is(err, store.ErrNotFound) {
		t.Fatalf("link token lookup after the table was dropped: %v, want no such table", err)
	}
}

// TestOpenAtOnce checks that stores opening one empty database at once
// all open it, the schema made once.
func TestOpenAtOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "state.db")
	// An empty file in WAL mode: switching to WAL needs the file to
	// itself, which stores opening it at once would not give each other.
	empty, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empty.ExecContext(ctx, `PRAGMA journal_mode = wal`); err != nil {
		t.Fatal(err)
	}
	empty.Close()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			s, err := sqlite.Open(ctx, path)
			if err != nil {
				t.Error(err)
				return
			}
			s.Close()
		})
	}
	wg.Wait()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_version`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("%d schema_version rows (%v), want 1", rows, err)
	}
}

// TestMigrateAddsProcessorTokens opens a data file made before processor
// tokens (schema version 4, or 5) and finds their table ready. A D1
// database that a Worker's migrations made with an older schema.sql gets
// it the same way, when the store opens it.
func TestMigrateAddsProcessorTokens(t *testing.T) {
	for _, version := range []int{4, 5} {
		ctx := context.Background()
		path := storeAt(t, version, anItem...)
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if err := processortokens.New(s).Create(ctx, processortokens.Token{Token: "processor-x", ClientID: "c", ItemID: "it", AccountID: "acc", Processor: "dwolla"}); err != nil {
			t.Errorf("from version %d: %v", version, err)
		}
		s.Close()
	}
}

// TestMigrateAddsLinkRequests opens a data file made before the engine's
// requests were recorded (schema version 11) and records one in a session
// it kept.
func TestMigrateAddsLinkRequests(t *testing.T) {
	ctx := context.Background()
	path := storeAt(t, 11, `INSERT INTO link_sessions (client_id, link_session_id, link_token, started_at, finished_at, config)
		VALUES ('c', 'ls', 'tok', 1, NULL, '{}')`)
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	log := sessionlog.New(s)
	if err := log.Record(ctx, sessionlog.Caller{LinkSessionID: "ls", LinkToken: "tok"}, sessionlog.Request{Path: "/link/item/create", Status: 200}); err != nil {
		t.Fatal(err)
	}
	if got, err := log.Requests(ctx, "c", "ls"); err != nil || len(got) != 1 || got[0].Seq != 1 {
		t.Errorf("requests after the migration: %+v, %v", got, err)
	}
}

// undo are, by schema version from 5, the statements that take away what
// the version added to schema.sql.
var undo = map[int][]string{
	5:  {`DROP TABLE billed_requests`, `DROP TABLE billing_ends`},
	6:  {`DROP TABLE processor_tokens`},
	7:  {`ALTER TABLE items DROP COLUMN custom`, `ALTER TABLE accounts DROP COLUMN custom`},
	8:  {`DROP TABLE item_additions`},
	9:  {`DROP TABLE asset_reports`},
	10: {`DROP TABLE signal_transactions`},
	11: {`DROP TABLE transfer_authorizations`, `DROP TABLE transfers`, `DROP TABLE transfer_events`, `DROP TABLE transfer_sweeps`,
		`DROP TABLE transfer_test_clocks`, `ALTER TABLE accounts DROP COLUMN moved`},
	12: {`DROP TABLE link_requests`},
	13: {`DROP TABLE client_settings`},
}

// storeAt makes a data file as schema version v (4 or later) left it, with
// the rows of the statements rows in it, and returns its path: a store of
// today's schema less what every later version added.
func storeAt(t *testing.T, v int, rows ...string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("v%d.db", v))
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stmts []string
	versions := slices.Sorted(maps.Keys(undo))
	slices.Reverse(versions)
	for _, later := range versions {
		if later > v {
			stmts = append(stmts, undo[later]...)
		}
	}
	stmts = append(stmts, fmt.Sprintf(`UPDATE schema_version SET version = %d`, v))
	for _, q := range append(stmts, rows...) {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(q, err)
		}
	}
	return path
}

// anItem are rows of an Item with one checking account, as every schema
// version from 4 keeps them.
var anItem = []string{`INSERT INTO items (item_id, client_id, institution_id, products, webhook, link_session_id, link_token, connected, created_at)
	VALUES ('it', 'c', 'ins_109508', '[]', '', '', '', 1, 1)`,
	`INSERT INTO accounts (account_id, item_id, position, name, mask, type, subtype) VALUES ('acc', 'it', 0, 'Plaid Checking', '0000', 'depository', 'checking')`}
