//go:build soak

package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/testkit"
)

// soakWorkers are the soak's concurrent clients; each pauses soakPause
// between rounds, so that the load is steady and leaves the machine
// usable.
const (
	soakWorkers = 4
	soakPause   = 20 * time.Millisecond
)

// TestSoak (make soak; the soak build tag keeps it out of go test ./...)
// runs `linkharness serve` on a SQLite file for SOAKTIME (10m by default)
// under a steady load of Link sessions, exchanges, Item and transactions
// reads, webhooks to a receiver, and resets of one of its two clients. It reports the process's
// memory (RSS and Go heap), open file descriptors and goroutines after a
// warm-up and at the end, and fails on a failed call or on growth that
// is a leak: goroutines or descriptors beyond the start's plus 25, a heap
// beyond three times the start's plus 64 MiB.
func TestSoak(t *testing.T) {
	length := 10 * time.Minute
	if v := os.Getenv("SOAKTIME"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("SOAKTIME %q: %v", v, err)
		}
		length = d
	}
	hooks := newReceiver()
	recv := httptest.NewServer(hooks)
	defer recv.Close()
	s := serve(t, "--data", filepath.Join(t.TempDir(), "soak.db"), "--client-id", crashClientID,
		"--secret", crashSecret, "--public-key", crashPublicKey, "--client", "resetting:resetting-secret:resetting-key")
	defer s.stop()
	base := strings.TrimSuffix(s.url, "/")

	ctx, cancel := context.WithTimeout(context.Background(), length)
	defer cancel()
	var ops, failures atomic.Int64
	var wg sync.WaitGroup
	for w := range soakWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Worker 0 resets its client now and then: a client of its own.
			c := testkit.New(base, crashClientID, crashSecret)
			if w == 0 {
				c = testkit.New(base, "resetting", "resetting-secret")
			}
			for i := 0; ctx.Err() == nil; i++ {
				// One webhook URL a worker: the receiver counts by URL, and
				// a map growing with the rounds would be the test's own
				// heap growth, not the server's.
				if err := soakRound(c, recv.URL+fmt.Sprintf("/hook/%d", w), w == 0 && i%500 == 499); err != nil {
					if ctx.Err() == nil {
						failures.Add(1)
						t.Errorf("worker %d round %d: %v", w, i, err)
					}
					return
				}
				ops.Add(1)
				time.Sleep(soakPause)
			}
		}()
	}
	warm := min(length/10, 30*time.Second)
	time.Sleep(warm)
	start := measure()
	startOps := ops.Load()
	t.Logf("after %v: %s; %d rounds", warm, start, startOps)
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-ctx.Done():
			done = true
		case <-tick.C:
			t.Logf("%s; %d rounds", measure(), ops.Load())
		}
	}
	end := measure() // under the same load as start, just before it stops
	if path := os.Getenv("SOAKHEAP"); path != "" {
		writeHeapProfile(t, path)
	}
	wg.Wait()
	rounds := ops.Load()
	fmt.Printf("soak %v, %d workers: %d rounds (%.1f/s); start %s; end %s; %d webhooks received\n",
		length, soakWorkers, rounds, float64(rounds-startOps)/(length-warm).Seconds(), start, end, hooks.total())
	if failures.Load() > 0 {
		t.Fatalf("%d failed rounds", failures.Load())
	}
	if end.goroutines > start.goroutines+25 || end.fds > start.fds+25 || end.heap > 3*start.heap+64<<20 {
		t.Fatalf("grew from %s to %s", start, end)
	}
}

// soakRound is one round of the load: a session completed with a
// webhook, its exchange, the Item and a transactions sync; reset, when
// set, forgets everything the client made afterwards.
func soakRound(c *testkit.Client, hook string, reset bool) error {
	var done struct {
		PublicToken string `json:"public_token"`
	}
	if err := c.Do("/linkharness/session/complete", map[string]any{"products": []string{"transactions"}, "webhook": hook}, &done); err != nil {
		return err
	}
	var ex struct {
		AccessToken string `json:"access_token"`
	}
	if err := c.Do("/item/public_token/exchange", map[string]any{"public_token": done.PublicToken}, &ex); err != nil {
		return err
	}
	for _, path := range []string{"/item/get", "/accounts/get", "/transactions/sync"} {
		if err := c.Do(path, map[string]any{"access_token": ex.AccessToken}, nil); err != nil {
			return err
		}
	}
	if reset {
		return c.Do("/linkharness/reset", map[string]any{}, nil)
	}
	return nil
}

// procUsage is what the process holds at a moment.
type procUsage struct {
	rss, heap       uint64
	fds, goroutines int
}

func (u procUsage) String() string {
	return fmt.Sprintf("RSS %.1f MiB, Go heap %.1f MiB, %d open fds, %d goroutines",
		float64(u.rss)/(1<<20), float64(u.heap)/(1<<20), u.fds, u.goroutines)
}

// measure reads the process's procUsage: the server runs in it, as serve's
// tests run it, beside the load's clients and the receiver, whose numbers
// are the same at start and end.
func measure() procUsage {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	u := procUsage{heap: m.HeapAlloc, goroutines: runtime.NumGoroutine()}
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		u.fds = len(fds)
	}
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(status), "\n") {
			if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				u.rss = kb << 10
			}
		}
	}
	return u
}

// writeHeapProfile writes the process's heap profile to path (SOAKHEAP),
// to read with go tool pprof when the heap grew.
func writeHeapProfile(t *testing.T, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		t.Fatal(err)
	}
}
