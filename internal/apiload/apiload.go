// Package apiload measures the Plaid API emulator under load: requests per
// second and latency percentiles of /link/token/create (a write),
// /item/get (a read) and /item/public_token/exchange, sent concurrently to
// a server on loopback, and the same rounds against a bare net/http JSON
// handler in the same run, so that the emulator's figures read as ratios
// to what the machine and net/http manage alone. The local server's
// benchmark (web) and the Worker's (e2e, under wrangler dev) run the same
// rounds, so their figures compare.
package apiload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/benchgoal"
)

// Bounds are the size of one round: how many requests, from how many
// concurrent clients, stopping early after Limit.
type Bounds struct {
	Requests, Workers int
	Limit             time.Duration
	// Bare also measures a bare net/http JSON handler on loopback, and
	// the emulator's reads and writes as ratios to it.
	Bare bool
	// Steady, when set, also sends /item/get at this many requests per
	// second for SteadyFor and reports its latencies.
	Steady    int
	SteadyFor time.Duration
}

// Run benchmarks the server at url as the client with clientID and secret:
// one sub-benchmark per endpoint, each iteration one bounded round (run it
// with -benchtime 1x), reporting req/s, p50-ms and p99-ms.
func Run(b *testing.B, url, clientID, secret string, bounds Bounds) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: bounds.Workers}, Timeout: 30 * time.Second}
	post := func(path string, body map[string]any) (map[string]any, error) {
		body["client_id"], body["secret"] = clientID, secret
		raw, _ := json.Marshal(body)
		resp, err := client.Post(url+path, "application/json", bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return nil, err
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %d %v", path, resp.StatusCode, out)
		}
		return out, nil
	}
	var bare, read, write float64
	if bounds.Bare {
		srv := httptest.NewServer(http.HandlerFunc(bareJSON))
		defer srv.Close()
		b.Run("bare_handler", func(b *testing.B) {
			for b.Loop() {
				bare = round(b, bounds, func(int) error {
					resp, err := client.Post(srv.URL+"/item/get", "application/json", strings.NewReader(`{"client_id":"c","secret":"s","access_token":"a"}`))
					if err != nil {
						return err
					}
					io.Copy(io.Discard, resp.Body)
					return resp.Body.Close()
				})
			}
		})
	}
	b.Run("link_token_create", func(b *testing.B) {
		for b.Loop() {
			write = round(b, bounds, func(int) error {
				_, err := post("/link/token/create", map[string]any{"client_name": "Load", "language": "en", "country_codes": []string{"US"},
					"user": map[string]any{"client_user_id": "load"}, "products": []string{"transactions"}})
				return err
			})
		}
		if bare > 0 {
			b.ReportMetric(write/bare, "x-bare")
			b.Log(benchgoal.WriteRatio.Line(write/bare, fmt.Sprintf("%.0f req/s, the bare handler %.0f req/s", write, bare)))
		}
	})
	access := func() string {
		out, err := post("/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})
		if err != nil {
			b.Fatal(err)
		}
		ex, err := post("/item/public_token/exchange", map[string]any{"public_token": out["public_token"]})
		if err != nil {
			b.Fatal(err)
		}
		return ex["access_token"].(string)
	}
	b.Run("item_get", func(b *testing.B) {
		token := access()
		for b.Loop() {
			read = round(b, bounds, func(int) error {
				_, err := post("/item/get", map[string]any{"access_token": token})
				return err
			})
		}
		if bare > 0 {
			b.ReportMetric(read/bare, "x-bare")
			b.Log(benchgoal.ReadRatio.Line(read/bare, fmt.Sprintf("%.0f req/s, the bare handler %.0f req/s", read, bare)))
		}
	})
	if bounds.Steady > 0 {
		b.Run("item_get_steady", func(b *testing.B) {
			token := access()
			for b.Loop() {
				p99 := steady(b, bounds, func() error {
					_, err := post("/item/get", map[string]any{"access_token": token})
					return err
				})
				b.Log(benchgoal.SteadyP99.Line(float64(p99.Microseconds())/1000, fmt.Sprintf("%d req/s for %v", bounds.Steady, bounds.SteadyFor)))
			}
		})
	}
	b.Run("public_token_exchange", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			tokens := make([]string, bounds.Requests)
			for i := range tokens {
				out, err := post("/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})
				if err != nil {
					b.Fatal(err)
				}
				tokens[i] = out["public_token"].(string)
			}
			b.StartTimer()
			round(b, bounds, func(i int) error {
				_, err := post("/item/public_token/exchange", map[string]any{"public_token": tokens[i]})
				return err
			})
		}
	})
}

// bareJSON is the bare handler the emulator is compared with: it reads a
// JSON body, decodes it and answers a small JSON object, as an API
// endpoint does at the least.
func bareJSON(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"item": map[string]any{"item_id": body["access_token"]}, "request_id": "bare"})
}

// steady sends do at bounds.Steady requests per second for
// bounds.SteadyFor, each on its own goroutine at its due time, and
// reports the latencies' 50th and 99th percentiles; it returns the 99th.
func steady(b *testing.B, bounds Bounds, do func() error) time.Duration {
	n := int(float64(bounds.Steady) * bounds.SteadyFor.Seconds())
	interval := time.Second / time.Duration(bounds.Steady)
	latencies := make([]time.Duration, n)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
		wg.Go(func() {
			t0 := time.Now()
			if err := do(); err != nil {
				errs <- err
			}
			latencies[i] = time.Since(t0)
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	slices.Sort(latencies)
	p99 := latencies[n*99/100]
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "req/s")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(latencies[n/2].Microseconds())/1000, "p50-ms")
	return p99
}

// round sends up to bounds.Requests requests with do from bounds.Workers
// goroutines, stopping early at bounds.Limit, and reports requests per
// second and the 50th- and 99th-percentile latencies; it returns the
// requests per second.
func round(b *testing.B, bounds Bounds, do func(i int) error) float64 {
	var next atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	var firstErr error
	deadline := time.Now().Add(bounds.Limit)
	start := time.Now()
	var wg sync.WaitGroup
	for range bounds.Workers {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				i := int(next.Add(1)) - 1
				if i >= bounds.Requests {
					return
				}
				t0 := time.Now()
				err := do(i)
				d := time.Since(t0)
				mu.Lock()
				latencies = append(latencies, d)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		b.Fatal(firstErr)
	}
	slices.Sort(latencies)
	rate := float64(len(latencies)) / elapsed.Seconds()
	b.ReportMetric(rate, "req/s")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	return rate
}
