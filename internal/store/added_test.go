package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// additions are n additions of kind whose documents are {"n": prefix-i}.
func additions(kind, prefix string, n int) []store.Addition {
	var out []store.Addition
	for i := range n {
		out = append(out, store.Addition{Kind: kind, Doc: []byte(fmt.Sprintf(`{"n":"%s-%d"}`, prefix, i)), CreatedAt: time.UnixMilli(1715335800000 + int64(i)).UTC()})
	}
	return out
}

// docs are the additions' kinds and documents, one a string.
func docs(adds []store.Addition) string {
	var out string
	for _, a := range adds {
		out += a.Kind + string(a.Doc) + " "
	}
	return out
}

// TestItemAdditions checks that what an Item gains comes back as it went
// in, in the order of its batches and within them, with the webhooks of
// their batch, for its client only; that an unknown Item gains nothing;
// and that removing the Item or resetting the client forgets it.
func TestItemAdditions(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			for _, id := range []string{"item", "other"} {
				if err := s.CreateItem(ctx, store.Item{ID: id, ClientID: "c", CreatedAt: time.Now()}); err != nil {
					t.Fatal(err)
				}
			}
			hook := store.Webhook{ID: "w", ClientID: "c", ItemID: "item", URL: "http://x", Type: "TRANSACTIONS", Code: "DEFAULT_UPDATE", Body: []byte(`{}`), CreatedAt: time.Now()}
			if err := s.AddToItem(ctx, "c", "item", additions("a", "first", 2), hook); err != nil {
				t.Fatal(err)
			}
			if err := s.AddToItem(ctx, "c", "item", additions("b", "second", 1)); err != nil {
				t.Fatal(err)
			}
			if err := s.AddToItem(ctx, "c", "other", additions("a", "elsewhere", 1)); err != nil {
				t.Fatal(err)
			}
			got, err := s.ItemAdditions(ctx, "c", "item")
			if err != nil {
				t.Fatal(err)
			}
			if want := `a{"n":"first-0"} a{"n":"first-1"} b{"n":"second-0"} `; docs(got) != want {
				t.Fatalf("additions %s, want %s", docs(got), want)
			}
			if !got[1].CreatedAt.Equal(time.UnixMilli(1715335800001)) {
				t.Errorf("created at %v", got[1].CreatedAt)
			}
			if hooks, err := s.Webhooks(ctx, "c", store.WebhookFilter{ItemID: "item"}); err != nil || len(hooks) != 1 || hooks[0].Code != "DEFAULT_UPDATE" {
				t.Errorf("webhooks %+v %v, want the one of the first batch", hooks, err)
			}
			if other, err := s.ItemAdditions(ctx, "someone else", "item"); err != nil || len(other) != 0 {
				t.Errorf("another client's view: %v %v", other, err)
			}
			if err := s.AddToItem(ctx, "c", "nope", additions("a", "lost", 1)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("unknown Item: %v, want ErrNotFound", err)
			}
			if err := s.RemoveItem(ctx, "c", "item", time.Now(), "removed"); err != nil {
				t.Fatal(err)
			}
			if left, err := s.ItemAdditions(ctx, "c", "item"); err != nil || len(left) != 0 {
				t.Errorf("after /item/remove: %v %v", left, err)
			}
			if left, err := s.ItemAdditions(ctx, "c", "other"); err != nil || len(left) != 1 {
				t.Errorf("the other Item after /item/remove: %v %v", left, err)
			}
			if err := s.Reset(ctx, "c"); err != nil {
				t.Fatal(err)
			}
			if left, err := s.ItemAdditions(ctx, "c", "other"); err != nil || len(left) != 0 {
				t.Errorf("after reset: %v %v", left, err)
			}
		})
	}
}

// TestItemAdditionsAtOnce adds batches to one Item at once: none is lost,
// and each batch's records stay together and in order.
func TestItemAdditionsAtOnce(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Go(func() {
					if err := s.AddToItem(ctx, "c", "item", additions("a", fmt.Sprint(i), 2)); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			got, err := s.ItemAdditions(ctx, "c", "item")
			if err != nil || len(got) != 16 {
				t.Fatalf("%d additions (%v), want 16", len(got), err)
			}
			for i := 0; i < len(got); i += 2 {
				if a, b := string(got[i].Doc), string(got[i+1].Doc); a[:len(a)-4] != b[:len(b)-4] || a[len(a)-3] != '0' {
					t.Errorf("a batch split or out of order: %s, %s", a, b)
				}
			}
		})
	}
}

// TestMigrateFromVersion5 opens a data file made by schema version 5,
// which had no item_additions: it keeps its Items, and they can gain
// records.
func TestMigrateFromVersion5(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v5.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateItem(ctx, store.Item{ID: "it", ClientID: "c", InstitutionID: "ins_109508", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE item_additions`, `UPDATE schema_version SET version = 5`} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Item(ctx, "c", "it"); err != nil {
		t.Fatalf("the version 5 Item: %v", err)
	}
	if err := s.AddToItem(ctx, "c", "it", additions("a", "x", 1)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ItemAdditions(ctx, "c", "it"); err != nil || len(got) != 1 {
		t.Errorf("additions after the migration: %v %v", got, err)
	}
}
