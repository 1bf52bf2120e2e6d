package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store/sqlite"
	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/web"
)

// TestConcurrentSessions completes 1,000 Link sessions through the control
// API from 64 concurrent clients across two tenants, on a SQLite file,
// and exchanges each public token, while the webhook worker delivers the
// webhooks of half of them: make test runs it under the race detector. No call may
// fail, no token or ID may come twice, and every access token is its own
// tenant's Item and no other's.
func TestConcurrentSessions(t *testing.T) {
	const sessions, workers = 1000, 64
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "concurrent.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := newAPI(t, web.Options{Store: st})
	var hits atomic.Int64
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer hooks.Close()
	results := make([]sessionResult, sessions)
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = oneSession(t, srv, []*web.Client{&alice, &bob}[i%2], i%4 < 2, hooks.URL)
			}
		}()
	}
	for i := range sessions {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("%d sessions from %d clients in %v", sessions, workers, time.Since(start).Round(time.Millisecond))
	seen := map[string]int{}
	for i, r := range results {
		for k, v := range []string{r.session, r.public, r.access, r.item, r.link} {
			if v == "" {
				if k == 4 && i%4 >= 2 {
					continue // no link token of its own
				}
				t.Fatalf("session %d: an empty token or ID: %+v", i, r)
			}
			if j, dup := seen[v]; dup {
				t.Fatalf("sessions %d and %d share %q", j, i, v)
			}
			seen[v] = i
		}
	}
	// Every tenant sees its own Items, and a sample of the other's is not
	// there for it.
	for i, r := range results {
		if i%10 != 0 {
			continue
		}
		got := must(t, srv, r.tenant, "/item/get", map[string]any{"access_token": r.access})
		if item, _ := got["item"].(map[string]any); item == nil || item["item_id"] != r.item {
			t.Fatalf("session %d: /item/get %v, want item %s", i, got, r.item)
		}
		other := []*web.Client{&bob, &alice}[i%2]
		if status, out := call(t, srv, other, "/item/get", map[string]any{"access_token": r.access}); status != 400 || out["error_code"] != "INVALID_ACCESS_TOKEN" {
			t.Fatalf("session %d: the other tenant's /item/get: %d %v", i, status, out)
		}
	}
	if want := 4*sessions + sessions/2; len(seen) != want {
		t.Fatalf("%d distinct tokens and IDs, want %d", len(seen), want)
	}
	// The sessions without a link token each sent a webhook, delivered
	// meanwhile by the server's worker.
	testkit.Eventually(t, 30*time.Second, "a webhook of every session with one", func() bool { return hits.Load() >= sessions/2 })
}

// sessionResult is what one session of TestConcurrentSessions got.
type sessionResult struct {
	tenant                              *web.Client
	session, public, access, item, link string
}

// oneSession completes a session as c (with a link token of its own when
// withToken) and exchanges its public token. It may run on any goroutine:
// a failure is an error of t, and what it got so far.
func oneSession(t *testing.T, srv *httptest.Server, c *web.Client, withToken bool, hook string) sessionResult {
	r := sessionResult{tenant: c}
	call := func(t *testing.T, _ *httptest.Server, _ *web.Client, path string, body any) (int, map[string]any) {
		status, out, err := as(srv, c).Post(path, body)
		if err != nil {
			t.Errorf("%s: %v", path, err)
		}
		return status, out
	}
	body := map[string]any{}
	if withToken {
		status, out := call(t, srv, c, "/link/token/create", map[string]any{"client_name": "App", "language": "en",
			"country_codes": []string{"US"}, "user": map[string]any{"client_user_id": "u"}, "products": []string{"auth"}})
		if r.link, _ = out["link_token"].(string); status != 200 {
			t.Errorf("/link/token/create: %d %v", status, out)
			return r
		}
		body["link_token"] = r.link
	} else {
		body["products"], body["webhook"] = []string{"transactions"}, hook
	}
	status, done := call(t, srv, c, "/linkharness/session/complete", body)
	if status != 200 {
		t.Errorf("session/complete: %d %v", status, done)
		return r
	}
	r.session, _ = done["link_session_id"].(string)
	r.public, _ = done["public_token"].(string)
	status, ex := call(t, srv, c, "/item/public_token/exchange", map[string]any{"public_token": r.public})
	if status != 200 {
		t.Errorf("exchange: %d %v", status, ex)
	}
	r.access, _ = ex["access_token"].(string)
	r.item, _ = ex["item_id"].(string)
	return r
}

// TestConcurrentOnce races 32 clients to use one token in a way that
// works once, for several tokens of each kind in turn: exchanging a public
// token, removing an Item, rotating an access token, removing an Asset
// Report. Exactly one of the racers succeeds; the others get the error a
// call after it gets, in Plaid's shape, never a 5xx.
func TestConcurrentOnce(t *testing.T) {
	const racers, rounds = 32, 4
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "once.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := newAPI(t, web.Options{Store: st})
	publicToken := func(products ...string) string {
		return must(t, srv, &alice, "/linkharness/session/complete", map[string]any{"products": products})["public_token"].(string)
	}
	accessToken := func(products ...string) string {
		return must(t, srv, &alice, "/item/public_token/exchange", map[string]any{"public_token": publicToken(products...)})["access_token"].(string)
	}
	tests := []struct {
		name, path string
		body       func() map[string]any
		loser      string // the others' status and error code
	}{
		{"exchange a public token", "/item/public_token/exchange",
			func() map[string]any { return map[string]any{"public_token": publicToken()} }, "400 INVALID_PUBLIC_TOKEN"},
		{"remove an Item", "/item/remove",
			func() map[string]any { return map[string]any{"access_token": accessToken()} }, "400 INVALID_ACCESS_TOKEN"},
		{"rotate an access token", "/item/access_token/invalidate",
			func() map[string]any { return map[string]any{"access_token": accessToken()} }, "400 INVALID_ACCESS_TOKEN"},
		{"remove an Asset Report", "/asset_report/remove", func() map[string]any {
			report := must(t, srv, &alice, "/asset_report/create", map[string]any{"access_tokens": []string{accessToken("assets")}, "days_requested": 30})
			return map[string]any{"asset_report_token": report["asset_report_token"]}
		}, "400 INVALID_FIELD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for round := range rounds {
				body := tc.body()
				ok, codes := raceOnce(t, srv, racers, tc.path, body)
				if ok != 1 || codes[tc.loser] != racers-1 {
					t.Fatalf("round %d: %d of %d calls of %s succeeded, the others %v", round, ok, racers, tc.path, codes)
				}
			}
		})
	}
}

// raceOnce sends body to path as alice from n clients at once and returns
// how many got a 200 and how many each other status and error code.
func raceOnce(t *testing.T, srv *httptest.Server, n int, path string, body map[string]any) (ok int, codes map[string]int) {
	codes = map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, out, err := as(srv, &alice).Post(path, body)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				t.Errorf("%s: %v", path, err)
			case status == http.StatusOK:
				ok++
			default:
				code, _ := out["error_code"].(string)
				codes[fmt.Sprint(status, " ", code)]++
			}
		}()
	}
	close(start)
	wg.Wait()
	return ok, codes
}

// TestConcurrentClock advances alice's clock from 32 clients at once:
// no advance is lost (the offset is their sum), and bob's clock does not
// move.
func TestConcurrentClock(t *testing.T) {
	const racers = 32
	srv := newAPI(t, web.Options{})
	ok, codes := raceOnce(t, srv, racers, "/linkharness/clock/advance", map[string]any{"seconds": 60})
	if ok != racers {
		t.Fatalf("%d of %d advances succeeded, the others %v", ok, racers, codes)
	}
	if got := must(t, srv, &alice, "/linkharness/clock/get", map[string]any{})["offset_seconds"]; got != float64(60*racers) {
		t.Fatalf("alice's offset %v after %d advances of 60 seconds", got, racers)
	}
	if got := must(t, srv, &bob, "/linkharness/clock/get", map[string]any{})["offset_seconds"]; got != float64(0) {
		t.Fatalf("bob's offset %v", got)
	}
}

// TestConcurrentReset resets alice now and then while 8 clients complete
// sessions (half with link tokens), exchange their public tokens and read
// their Items. Each call answers as if it ran before or after the reset:
// a 200, or the error for a token the reset forgot; never a 5xx.
func TestConcurrentReset(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "reset.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := newAPI(t, web.Options{Store: st})
	// What each call may answer besides a 200: the error for the token a
	// reset forgot.
	allowed := map[string]string{"/link/token/create": "", "/linkharness/session/complete": "400 INVALID_LINK_TOKEN",
		"/item/public_token/exchange": "400 INVALID_PUBLIC_TOKEN", "/item/get": "400 INVALID_ACCESS_TOKEN", "/transactions/sync": "400 INVALID_ACCESS_TOKEN",
		"/linkharness/reset": ""}
	var mu sync.Mutex
	counts := map[string]int{}
	post := func(path string, body map[string]any) map[string]any {
		status, out, err := as(srv, &alice).Post(path, body)
		answer := fmt.Sprint(status, " ", out["error_code"])
		mu.Lock()
		defer mu.Unlock()
		counts[path+" "+answer]++
		if err != nil || status != http.StatusOK && answer != allowed[path] {
			t.Errorf("%s: %s %v %v", path, answer, out, err)
		}
		if status != http.StatusOK {
			return nil
		}
		return out
	}
	stop := time.Now().Add(2 * time.Second)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				body := map[string]any{"products": []string{"transactions"}}
				if w%2 == 0 {
					tok := post("/link/token/create", map[string]any{"client_name": "App", "language": "en", "country_codes": []string{"US"},
						"user": map[string]any{"client_user_id": "u"}, "products": []string{"transactions"}})
					if tok == nil {
						continue
					}
					body = map[string]any{"link_token": tok["link_token"]}
				}
				done := post("/linkharness/session/complete", body)
				if done == nil {
					continue
				}
				ex := post("/item/public_token/exchange", map[string]any{"public_token": done["public_token"]})
				if ex == nil {
					continue
				}
				post("/item/get", map[string]any{"access_token": ex["access_token"]})
				post("/transactions/sync", map[string]any{"access_token": ex["access_token"]})
			}
		}()
	}
	for time.Now().Before(stop) {
		post("/linkharness/reset", map[string]any{})
		time.Sleep(20 * time.Millisecond)
	}
	wg.Wait()
	t.Logf("answers: %v", counts)
}
