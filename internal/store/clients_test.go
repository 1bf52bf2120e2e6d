package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/sqlbatch"
)

// TestAdvanceClockConcurrently checks that advances made at once all
// count and each returns a different offset.
func TestAdvanceClockConcurrently(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			const n = 16
			offsets := make(chan time.Duration, n)
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					off, err := s.AdvanceClock(ctx, "c", time.Second, time.Hour)
					if err != nil {
						t.Error(err)
					}
					offsets <- off
				})
			}
			wg.Wait()
			close(offsets)
			var got []time.Duration
			for off := range offsets {
				got = append(got, off)
			}
			slices.Sort(got)
			for i, off := range got {
				if off != time.Duration(i+1)*time.Second {
					t.Fatalf("offsets %v, want 1s to %ds", got, n)
				}
			}
		})
	}
}

// TestAdvanceClockLimit checks that the offset never passes the limit,
// even under advances made at once: those that would pass it fail with
// sqlbatch.ErrGuard and change nothing.
func TestAdvanceClockLimit(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			const n, limit = 16, 10 * time.Second
			var ok, refused atomic.Int32
			var wg sync.WaitGroup
			for range n {
				wg.Go(func() {
					switch _, err := s.AdvanceClock(ctx, "c", time.Second, limit); {
					case err == nil:
						ok.Add(1)
					case errors.Is(err, sqlbatch.ErrGuard):
						refused.Add(1)
					default:
						t.Error(err)
					}
				})
			}
			wg.Wait()
			off, err := s.ClockOffset(ctx, "c")
			if err != nil {
				t.Fatal(err)
			}
			if off != limit || ok.Load() != 10 || refused.Load() != n-10 {
				t.Errorf("offset %v after %d advances and %d refusals, want %v after 10 and %d", off, ok.Load(), refused.Load(), limit, n-10)
			}
			if _, err := s.AdvanceClock(ctx, "other", limit+time.Millisecond, limit); !errors.Is(err, sqlbatch.ErrGuard) {
				t.Errorf("a first advance past the limit: %v, want ErrGuard", err)
			}
		})
	}
}
