package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/store/sqlite"
)

// Load generator bounds: requests per round, concurrent clients, and the
// longest a round may run.
const (
	loadRequests = 2000
	loadWorkers  = 16
	loadLimit    = 30 * time.Second
)

// BenchmarkAPILoad measures requests per second and the 99th-percentile
// latency of /link/token/create and /item/public_token/exchange under
// concurrent load on loopback, against a server on a SQLite file as
// `linkharness serve` runs it. Each iteration is one bounded round; run it
// with -benchtime 1x.
func BenchmarkAPILoad(b *testing.B) {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "load.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s := web.New(web.Options{Clients: []web.Client{alice}, Store: st})
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadWorkers}}
	post := func(path string, body map[string]any) (map[string]any, error) {
		body["client_id"], body["secret"] = alice.ClientID, alice.Secret
		raw, _ := json.Marshal(body)
		resp, err := client.Post(srv.URL+path, "application/json", bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return nil, err
		}
		if resp.StatusCode != 200 {
			return nil, fmt.Errorf("%s: %d %v", path, resp.StatusCode, out)
		}
		return out, nil
	}

	b.Run("link_token_create", func(b *testing.B) {
		for b.Loop() {
			load(b, func(int) error {
				_, err := post("/link/token/create", map[string]any{"client_name": "Load", "language": "en", "country_codes": []string{"US"},
					"user": map[string]any{"client_user_id": "load"}, "products": []string{"transactions"}})
				return err
			})
		}
	})
	b.Run("public_token_exchange", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			tokens := make([]string, loadRequests)
			for i := range tokens {
				out, err := post("/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})
				if err != nil {
					b.Fatal(err)
				}
				tokens[i] = out["public_token"].(string)
			}
			b.StartTimer()
			load(b, func(i int) error {
				_, err := post("/item/public_token/exchange", map[string]any{"public_token": tokens[i]})
				return err
			})
		}
	})
}

// load sends loadRequests requests with do from loadWorkers goroutines,
// stopping early at loadLimit, and reports requests per second and the
// 99th-percentile latency.
func load(b *testing.B, do func(i int) error) {
	var next atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	var firstErr error
	deadline := time.Now().Add(loadLimit)
	start := time.Now()
	var wg sync.WaitGroup
	for range loadWorkers {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				i := int(next.Add(1)) - 1
				if i >= loadRequests {
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
	p99 := latencies[len(latencies)*99/100]
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
}
