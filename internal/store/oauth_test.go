package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
)

// TestOAuthStateOnce checks that an OAuth login is decided, used and
// resumed once each, also when many try at once, and the errors of the
// others.
func TestOAuthStateOnce(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now()
			for _, id := range []string{"st", "pending"} {
				if err := s.CreateOAuthState(ctx, store.OAuthState{ID: id, ClientID: "c", LinkSessionID: "sess", InstitutionID: "ins_1",
					Status: "pending", RedirectURI: "https://app.example/oauth", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			onlyOneWins(t, store.ErrUsed, func(int) error { return s.DecideOAuthState(ctx, "st", "approved", []string{"auth"}) })
			onlyOneWins(t, store.ErrUsed, func(int) error {
				_, err := s.UseOAuthState(ctx, "c", "st")
				return err
			})
			onlyOneWins(t, store.ErrUsed, func(int) error {
				_, err := s.ResumeOAuthState(ctx, "c", "st")
				return err
			})
			st, err := s.OAuthState(ctx, "st")
			if err != nil || !st.Used || !st.Resumed || st.Status != "approved" || !slices.Equal(st.GrantedProducts, []string{"auth"}) {
				t.Fatalf("state after all: %+v %v", st, err)
			}
			tests := []struct {
				name string
				f    func() error
				want error
			}{
				{"decide unknown", func() error { return s.DecideOAuthState(ctx, "nope", "approved", nil) }, store.ErrNotFound},
				{"use unknown", func() error { _, err := s.UseOAuthState(ctx, "c", "nope"); return err }, store.ErrNotFound},
				{"use another client's", func() error { _, err := s.UseOAuthState(ctx, "d", "st"); return err }, store.ErrNotFound},
				{"use pending", func() error { _, err := s.UseOAuthState(ctx, "c", "pending"); return err }, store.ErrNotFound},
				{"resume another client's", func() error { _, err := s.ResumeOAuthState(ctx, "d", "pending"); return err }, store.ErrNotFound},
				{"resume unknown", func() error { _, err := s.ResumeOAuthState(ctx, "c", "nope"); return err }, store.ErrNotFound},
			}
			for _, tt := range tests {
				if err := tt.f(); !errors.Is(err, tt.want) {
					t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
				}
			}
		})
	}
}
