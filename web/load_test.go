package web_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/apiload"
	"github.com/linkharness/linkharness/internal/reqschema"
	"github.com/linkharness/linkharness/internal/store/sqlite"
	"github.com/linkharness/linkharness/web"
)

// BenchmarkAPILoad measures requests per second and the 99th-percentile
// latency of /link/token/create and /item/public_token/exchange under
// concurrent load on loopback (2,000 requests from 16 clients), against a
// server on a SQLite file as `linkharness serve` runs it. Each iteration is
// one bounded round; run it with -benchtime 1x.
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
	apiload.Run(b, srv.URL, alice.ClientID, alice.Secret, apiload.Bounds{Requests: 2000, Workers: 16, Limit: 30 * time.Second,
		Bare: true, Steady: 1000, SteadyFor: 3 * time.Second})
}

// BenchmarkRequestCheck measures what checking a body against its request
// schema (package reqschema) costs one request: each iteration serves
// /link/token/create (stateful) and /identity_verification/create (spec-shaped) on a
// SQLite file, and apart from that runs the check alone on the same body.
// check-share-% is the check's part of the request's time. The request's
// net slowdown is less: a body whose every key the schema names needs no
// exact-keys pass before it is decoded (see the README's Performance
// section for the same run's figures against the server before the check).
func BenchmarkRequestCheck(b *testing.B) {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "check.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s := web.New(web.Options{Clients: []web.Client{alice}, Store: st})
	defer s.Close()
	bodies := map[string]string{
		"/link/token/create": `{"client_id":"alice","secret":"alice-secret","client_name":"Load","language":"en","country_codes":["US"],` +
			`"user":{"client_user_id":"load","email_address":"a@example.com"},"products":["transactions"],"webhook":"https://app.example/hook",` +
			`"transactions":{"days_requested":90},"account_filters":{"depository":{"account_subtypes":["checking","savings"]}}}`,
		"/identity_verification/create": `{"client_id":"alice","secret":"alice-secret","is_shareable":true,"template_id":"idvtmp_52xR9LKo77r1Np","gave_consent":true,` +
			`"user":{"client_user_id":"load","email_address":"a@example.com","phone_number":"+14155550123","date_of_birth":"1990-05-29"}}`,
	}
	for path, body := range bodies {
		b.Run(path[1:], func(b *testing.B) {
			var serve, check time.Duration
			for b.Loop() {
				t0 := time.Now()
				w := httptest.NewRecorder()
				s.ServeHTTP(w, httptest.NewRequest("POST", path, strings.NewReader(body)))
				t1 := time.Now()
				if w.Code != 200 {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
				t2 := time.Now()
				if e := reqschema.Check("POST", path, []byte(body)); e != nil {
					b.Fatal(e.ErrorMessage)
				}
				serve, check = serve+t1.Sub(t0), check+time.Since(t2)
			}
			n := float64(b.N)
			b.ReportMetric(float64(serve.Microseconds())/n, "serve-µs")
			b.ReportMetric(float64(check.Nanoseconds())/n/1000, "check-µs")
			b.ReportMetric(100*float64(check)/float64(serve), "check-share-%")
		})
	}
}

// BenchmarkItemGet measures one /item/get served in process (no network)
// on a SQLite file as `linkharness serve` runs it, for the Item of a
// sandbox public token; run with -cpuprofile to see where a read's time
// goes. It reports the time ServeHTTP took per request and the process's
// CPU time per request (the benchmark's own work included).
func BenchmarkItemGet(b *testing.B) {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "read.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s := web.New(web.Options{Clients: []web.Client{alice}, Store: st})
	defer s.Close()
	post := func(path, body string) string {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("POST", path, strings.NewReader(body)))
		if w.Code != 200 {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
		return w.Body.String()
	}
	field := func(body, key string) string {
		_, rest, ok := strings.Cut(body, `"`+key+`": "`)
		v, _, _ := strings.Cut(rest, `"`)
		if !ok || v == "" {
			b.Fatalf("no %s in %s", key, body)
		}
		return v
	}
	creds := `"client_id":"alice","secret":"alice-secret"`
	pub := field(post("/sandbox/public_token/create", `{`+creds+`,"institution_id":"ins_109508","initial_products":["auth"]}`), "public_token")
	access := field(post("/item/public_token/exchange", `{`+creds+`,"public_token":"`+pub+`"}`), "access_token")
	body := `{` + creds + `,"access_token":"` + access + `"}`
	var serve time.Duration
	cpu0 := cpuTime()
	for b.Loop() {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/item/get", strings.NewReader(body))
		t0 := time.Now()
		s.ServeHTTP(w, r)
		serve += time.Since(t0)
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(serve.Microseconds())/n, "serve-µs")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/n, "cpu-µs")
}
