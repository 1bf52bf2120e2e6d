package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/itemadditions"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// additions are n additions of kind whose documents are {"n": prefix-i}.
func additions(kind, prefix string, n int) []itemadditions.Addition {
	var out []itemadditions.Addition
	for i := range n {
		out = append(out, itemadditions.Addition{Kind: kind, Doc: []byte(fmt.Sprintf(`{"n":"%s-%d"}`, prefix, i)), CreatedAt: time.UnixMilli(1715335800000 + int64(i)).UTC()})
	}
	return out
}

// docs are the additions' kinds and documents, one a string.
func docs(adds []itemadditions.Addition) string {
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
			if err := itemadditions.New(s).Add(ctx, "c", "item", additions("a", "first", 2), hook); err != nil {
				t.Fatal(err)
			}
			if err := itemadditions.New(s).Add(ctx, "c", "item", additions("b", "second", 1)); err != nil {
				t.Fatal(err)
			}
			if err := itemadditions.New(s).Add(ctx, "c", "other", additions("a", "elsewhere", 1)); err != nil {
				t.Fatal(err)
			}
			got, err := itemadditions.New(s).List(ctx, "c", "item")
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
			if other, err := itemadditions.New(s).List(ctx, "someone else", "item"); err != nil || len(other) != 0 {
				t.Errorf("another client's view: %v %v", other, err)
			}
			if err := itemadditions.New(s).Add(ctx, "c", "nope", additions("a", "lost", 1)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("unknown Item: %v, want ErrNotFound", err)
			}
			if err := s.RemoveItem(ctx, "c", "item", time.Now(), "removed"); err != nil {
				t.Fatal(err)
			}
			if left, err := itemadditions.New(s).List(ctx, "c", "item"); err != nil || len(left) != 0 {
				t.Errorf("after /item/remove: %v %v", left, err)
			}
			if left, err := itemadditions.New(s).List(ctx, "c", "other"); err != nil || len(left) != 1 {
				t.Errorf("the other Item after /item/remove: %v %v", left, err)
			}
			if err := s.Reset(ctx, "c"); err != nil {
				t.Fatal(err)
			}
			if left, err := itemadditions.New(s).List(ctx, "c", "other"); err != nil || len(left) != 0 {
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
					if err := itemadditions.New(s).Add(ctx, "c", "item", additions("a", fmt.Sprint(i), 2)); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			got, err := itemadditions.New(s).List(ctx, "c", "item")
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

// TestMigrateFromVersion7 opens a data file made by schema version 7,
// which had no item_additions: it keeps its Items, and they can gain
// records.
func TestMigrateFromVersion7(t *testing.T) {
	ctx := context.Background()
	path := storeAt(t, 7, anItem...)
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Item(ctx, "c", "it"); err != nil {
		t.Fatalf("the version 7 Item: %v", err)
	}
	if err := itemadditions.New(s).Add(ctx, "c", "it", additions("a", "x", 1)); err != nil {
		t.Fatal(err)
	}
	if got, err := itemadditions.New(s).List(ctx, "c", "it"); err != nil || len(got) != 1 {
		t.Errorf("additions after the migration: %v %v", got, err)
	}
}
