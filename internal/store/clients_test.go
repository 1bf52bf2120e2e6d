package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
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
					off, err := s.AdvanceClock(ctx, "c", time.Second)
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
