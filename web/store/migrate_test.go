package store_test

import (
	"context"
	"database/sql"
	_ "embed"
	"path/filepath"
	"slices"
	"testing"

	"github.com/linkharness/linkharness/web/store"
	"github.com/linkharness/linkharness/web/store/sqlite"
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
	for _, q := range []string{`DROP TABLE items`, `DROP TABLE oauth_states`, `DROP TABLE billing_events`, `UPDATE schema_version SET version = 1`} {
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
	if _, err := s.AddItemProduct(ctx, "c", "it", "identity", []store.BillingEvent{{ID: "e", ClientID: "c", ItemID: "it", Product: "identity", Billable: "identity", FeeModel: store.OneTimeFee}}); err != nil {
		t.Fatal(err)
	}
	if ev, err := s.BillingEvents(ctx, "c", ""); err != nil || len(ev) != 1 {
		t.Errorf("ledger %v %v", ev, err)
	}
}
