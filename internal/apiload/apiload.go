// Package apiload measures the Plaid API emulator under load: requests per
// second and latency percentiles of /link/token/create and
// /item/public_token/exchange, sent concurrently to a server on loopback.
// The local server's benchmark (web) and the Worker's (e2e, under wrangler
// dev) run the same rounds, so their figures compare.
package apiload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Bounds are the size of one round: how many requests, from how many
// concurrent clients, stopping early after Limit.
type Bounds struct {
	Requests, Workers int
	Limit             time.Duration
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
	b.Run("link_token_create", func(b *testing.B) {
		for b.Loop() {
			round(b, bounds, func(int) error {
				_, err := post("/link/token/create", map[string]any{"client_name": "Load", "language": "en", "country_codes": []string{"US"},
					"user": map[string]any{"client_user_id": "load"}, "products": []string{"transactions"}})
				return err
			})
		}
	})
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

// round sends up to bounds.Requests requests with do from bounds.Workers
// goroutines, stopping early at bounds.Limit, and reports requests per
// second and the 50th- and 99th-percentile latencies.
func round(b *testing.B, bounds Bounds, do func(i int) error) {
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
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
}
