package processortokens_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/processortokens"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// stores are a fresh in-memory store and a fresh file store.
func stores(t *testing.T) map[string]*store.DB {
	t.Helper()
	out := map[string]*store.DB{}
	for name, path := range map[string]string{"memory": sqlite.Memory, "file": filepath.Join(t.TempDir(), "state.db")} {
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[name] = s
	}
	return out
}

// TestTokens stores processor tokens for accounts of an Item and
// checks tenancy, permissions, the token's webhook and its outbox entry,
// that a token outlives its Item, and that the client's reset forgets it.
func TestTokens(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			tokens := processortokens.New(s)
			now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", Accounts: []store.Account{{ID: "a"}, {ID: "b"}}, CreatedAt: now}); err != nil {
				t.Fatal(err)
			}
			pt := processortokens.Token{Token: "processor-1", ClientID: "c", ItemID: "item", AccountID: "b", Processor: "dwolla", CreatedAt: now}
			creates := []struct {
				name string
				pt   processortokens.Token
				want error
			}{
				{"an account of the Item", pt, nil},
				{"another account, another processor", processortokens.Token{Token: "processor-2", ClientID: "c", ItemID: "item", AccountID: "a", Processor: "moov"}, nil},
				{"an account of no Item", processortokens.Token{Token: "processor-3", ClientID: "c", ItemID: "item", AccountID: "z"}, store.ErrNotFound},
				{"another client's Item", processortokens.Token{Token: "processor-4", ClientID: "d", ItemID: "item", AccountID: "a"}, store.ErrNotFound},
			}
			for _, tt := range creates {
				if err := tokens.Create(ctx, tt.pt); !errors.Is(err, tt.want) {
					t.Errorf("create for %s: %v, want %v", tt.name, err, tt.want)
				}
			}
			got, err := tokens.Token(ctx, "c", "processor-1")
			if err != nil || got.ItemID != "item" || got.AccountID != "b" || got.Processor != "dwolla" || len(got.Permissions) != 0 || !got.CreatedAt.Equal(now) {
				t.Fatalf("token: %+v %v", got, err)
			}
			for _, q := range []struct{ client, token string }{{"d", "processor-1"}, {"c", "processor-3"}} {
				if _, err := tokens.Token(ctx, q.client, q.token); !errors.Is(err, store.ErrNotFound) {
					t.Errorf("token %s of client %s: %v, want ErrNotFound", q.token, q.client, err)
				}
			}

			if err := tokens.SetPermissions(ctx, "c", "processor-1", []string{"auth", "balance"}); err != nil {
				t.Fatal(err)
			}
			if err := tokens.SetPermissions(ctx, "d", "processor-1", nil); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("permissions of another client's token: %v", err)
			}
			if got, _ := tokens.Token(ctx, "c", "processor-1"); !slices.Equal(got.Permissions, []string{"auth", "balance"}) {
				t.Errorf("permissions %v", got.Permissions)
			}
			if err := tokens.SetPermissions(ctx, "c", "processor-1", nil); err != nil {
				t.Fatal(err)
			}
			if got, _ := tokens.Token(ctx, "c", "processor-1"); got.Permissions == nil || len(got.Permissions) != 0 {
				t.Errorf("permissions after reset %#v, want empty", got.Permissions)
			}

			hook := store.Webhook{ID: "w1", ClientID: "c", URL: "http://h/p", Type: "PROCESSOR_TOKEN", Code: "WEBHOOK_UPDATE_ACKNOWLEDGED", Body: []byte(`{}`), CreatedAt: now}
			if err := tokens.SetWebhook(ctx, "d", "processor-1", "http://h/d", hook); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("webhook of another client's token: %v", err)
			}
			if err := tokens.SetWebhook(ctx, "c", "processor-1", "http://h/p", hook); err != nil {
				t.Fatal(err)
			}
			if got, _ := tokens.Token(ctx, "c", "processor-1"); got.Webhook != "http://h/p" {
				t.Errorf("webhook %q", got.Webhook)
			}
			if hooks, err := s.Webhooks(ctx, "c", store.WebhookFilter{}); err != nil || len(hooks) != 1 || hooks[0].URL != "http://h/p" {
				t.Errorf("outbox %+v %v", hooks, err)
			}

			if err := s.RemoveItem(ctx, "c", "item", time.Now(), "test"); err != nil {
				t.Fatal(err)
			}
			if got, err := tokens.Token(ctx, "c", "processor-1"); err != nil || got.ItemID != "item" {
				t.Errorf("token after its Item's removal: %+v %v", got, err)
			}
			// The client's reset forgets its tokens too.
			if err := s.Reset(ctx, "c"); err != nil {
				t.Fatal(err)
			}
			if _, err := tokens.Token(ctx, "c", "processor-1"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("token after the client's reset: %v", err)
			}
		})
	}
}
