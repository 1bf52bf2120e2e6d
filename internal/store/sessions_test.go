package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
)

// TestRecordSessionConcurrently checks that callbacks recorded at once
// into one session are all kept, numbered 1, 2, 3, ... without a gap or
// a repeat, each record's callbacks together and in order; and that of
// records finishing the session at once exactly one queues the webhooks
// of the finish, for the public tokens the session issued.
func TestRecordSessionConcurrently(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			sess := store.Session{ID: "sess", ClientID: "c", LinkToken: "link", StartedAt: now}
			const n, per = 16, 3
			record := func(i int, finishedAt time.Time, finish store.FinishHook) {
				var cbs []store.Callback
				for j := range per {
					cbs = append(cbs, store.Callback{Name: store.OnEvent, EventName: fmt.Sprintf("E%d-%d", i, j), Payload: json.RawMessage(`{}`)})
				}
				if err := s.RecordSession(ctx, sess, cbs, finishedAt, finish); err != nil {
					t.Error(err)
				}
			}
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { record(i, time.Time{}, nil) })
			}
			wg.Wait()

			if err := s.CreateItem(ctx, store.Item{ID: "item", ClientID: "c", LinkSessionID: "sess", CreatedAt: now}); err != nil {
				t.Fatal(err)
			}
			if err := s.CreatePublicToken(ctx, store.PublicToken{Token: "pt", ClientID: "c", ItemID: "item", LinkSessionID: "sess",
				CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
				t.Fatal(err)
			}
			var made atomic.Int64
			finish := func(tokens []string) []store.Webhook {
				body, _ := json.Marshal(tokens)
				return []store.Webhook{{ID: fmt.Sprintf("w%d", made.Add(1)), ClientID: "c", LinkSessionID: "sess", URL: "http://x",
					Type: "LINK", Code: "SESSION_FINISHED", Body: body, CreatedAt: now}}
			}
			for i := range n {
				wg.Go(func() { record(n+i, now, finish) })
			}
			wg.Wait()

			got, err := s.Session(ctx, "c", "sess")
			if err != nil {
				t.Fatal(err)
			}
			if got.FinishedAt.IsZero() {
				t.Error("session not finished")
			}
			if len(got.Callbacks) != 2*n*per {
				t.Fatalf("%d callbacks, want %d", len(got.Callbacks), 2*n*per)
			}
			for k, c := range got.Callbacks {
				if c.Seq != k+1 {
					t.Fatalf("callback %d has seq %d", k, c.Seq)
				}
				var i, j int
				fmt.Sscanf(c.EventName, "E%d-%d", &i, &j)
				if j != k%per {
					t.Fatalf("callback %d is %s: a record's callbacks are split", k, c.EventName)
				}
			}
			hooks, err := s.Webhooks(ctx, "c", store.WebhookFilter{LinkSessionID: "sess"})
			if err != nil {
				t.Fatal(err)
			}
			if len(hooks) != 1 || string(hooks[0].Body) != `["pt"]` {
				t.Fatalf("finish webhooks %+v, want one for [pt]", hooks)
			}
		})
	}
}

// TestSessionConfig checks the one-read configuration of a session: the
// one it started with, kept when a record starts it again, and
// ErrNotFound for a session never started or another client's.
func TestSessionConfig(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			if err := s.StartSession(ctx, store.Session{ID: "s1", ClientID: "c", StartedAt: now, Config: json.RawMessage(`{"v":1}`)}); err != nil {
				t.Fatal(err)
			}
			if err := s.RecordSession(ctx, store.Session{ID: "s1", ClientID: "c", StartedAt: now, Config: json.RawMessage(`{}`)},
				[]store.Callback{{Name: store.OnEvent, EventName: "OPEN"}}, time.Time{}, nil); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				name, client, id, want string
				err                    error
			}{
				{"started", "c", "s1", `{"v":1}`, nil},
				{"never started", "c", "s2", "", store.ErrNotFound},
				{"another client's", "d", "s1", "", store.ErrNotFound},
			} {
				got, err := s.SessionConfig(ctx, tc.client, tc.id)
				if !errors.Is(err, tc.err) || string(got) != tc.want {
					t.Errorf("%s: %s, %v; want %s, %v", tc.name, got, err, tc.want, tc.err)
				}
			}
		})
	}
}
