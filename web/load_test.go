package web_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/apiload"
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
	apiload.Run(b, srv.URL, alice.ClientID, alice.Secret, apiload.Bounds{Requests: 2000, Workers: 16, Limit: 30 * time.Second})
}
