package web_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/web"
)

// TestDeliverOnRequest: with DeliverOnRequest nothing goes out by itself;
// DeliverDue tries what is due, a failed delivery waits for its backoff,
// and a later call (a cron run) delivers it.
func TestDeliverOnRequest(t *testing.T) {
	s := web.New(web.Options{Clients: []web.Client{alice}, DeliverOnRequest: true, Webhooks: fastWebhooks})
	srv := httptest.NewServer(s)
	t.Cleanup(func() { srv.Close(); s.Close() })
	rcv := testkit.NewReceiver(t, as(srv, &alice), testkit.FailFirst(1))
	ctx := context.Background()

	must(t, srv, &alice, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508",
		"initial_products": []string{"transactions"}, "options": map[string]any{"webhook": rcv.URL + "/hook"}})
	time.Sleep(100 * time.Millisecond)
	if n := rcv.Attempts(); n != 0 {
		t.Fatalf("%d deliveries before DeliverDue, want none", n)
	}
	steps := []struct {
		name            string
		wait            time.Duration
		tried, received int
	}{
		{"first try fails", 0, 1, 0},
		{"not due before its backoff", 0, 0, 0},
		{"retried after its backoff", 50 * time.Millisecond, 1, 1},
		{"nothing left", 0, 0, 1},
	}
	for _, st := range steps {
		time.Sleep(st.wait)
		n, err := s.DeliverDue(ctx)
		if err != nil || n != st.tried || rcv.Count() != st.received {
			t.Fatalf("%s: tried %d (%v), received %d; want %d and %d", st.name, n, err, rcv.Count(), st.tried, st.received)
		}
	}
}
