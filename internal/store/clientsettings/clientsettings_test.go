package clientsettings_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store/clientsettings"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// TestDocuments stores documents by client and scope and checks that a
// Put replaces, that one client never reads another's, and that the
// client's reset forgets its documents and no one else's.
func TestDocuments(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs := clientsettings.New(s)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, p := range []struct{ client, scope, doc string }{
		{"c", clientsettings.ClientScope, `{"a":1}`},
		{"c", clientsettings.ClientScope, `{"a":2}`},
		{"c", "link-sandbox-t", `{"b":1}`},
		{"d", clientsettings.ClientScope, `{"d":1}`},
	} {
		if err := docs.Put(ctx, p.client, p.scope, json.RawMessage(p.doc), now); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string, want map[[2]string]string) {
		t.Helper()
		for key, doc := range want {
			got, err := docs.Get(ctx, key[0], key[1])
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != doc {
				t.Errorf("%s: client %s scope %q: %s, want %q", when, key[0], key[1], got, doc)
			}
		}
	}
	check("stored", map[[2]string]string{{"c", ""}: `{"a":2}`, {"c", "link-sandbox-t"}: `{"b":1}`, {"d", ""}: `{"d":1}`,
		{"d", "link-sandbox-t"}: "", {"e", ""}: ""})
	if err := s.Reset(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	check("after c's reset", map[[2]string]string{{"c", ""}: "", {"c", "link-sandbox-t"}: "", {"d", ""}: `{"d":1}`})
}
