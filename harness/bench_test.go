package harness_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/internal/benchgoal"
	"github.com/linkharness/linkharness/internal/scenario"
)

// BenchmarkSuccessFlow runs whole success flows (open to HANDOFF) through
// link.wasm in wazero against the in-process server and reports flows per
// second: one_harness runs them one after another on one harness, and
// also reports the server's share of a flow and its requests;
// replayed_answers the same with the server's answers to one flow
// replayed, link.wasm and the harness alone; parallel on one harness per
// goroutine (GOMAXPROCS of them, sharing the server), as a test binary
// with parallel tests does. The parallel figure
// is the one measured against the goal.
func BenchmarkSuccessFlow(b *testing.B) {
	success := scenarioNamed(b, "success")
	b.Run("one_harness", func(b *testing.B) {
		timed := &timedHandler{next: api}
		flows(b, timed, success)
		b.ReportMetric(float64(timed.spent.Load())/float64(b.N)/1e6, "server-ms/flow")
		b.ReportMetric(float64(timed.requests.Load())/float64(b.N), "requests/flow")
	})
	// link.wasm and the harness alone: the server's answers to one flow,
	// replayed, cost next to nothing, so this is the most flows a second
	// the harness could run with a server that took no time.
	b.Run("replayed_answers", func(b *testing.B) {
		rec := &recorder{next: api, answers: map[string]*httptest.ResponseRecorder{}}
		if err := successFlow(harness.New(rec), success); err != nil {
			b.Fatal(err)
		}
		flows(b, replay(rec.answers), success)
	})
	b.Run("parallel", func(b *testing.B) {
		cpu0 := cpuTime()
		b.RunParallel(func(pb *testing.PB) {
			hh := harness.New(api)
			defer hh.Close()
			for pb.Next() {
				if err := successFlow(hh, success); err != nil {
					b.Error(err)
					return
				}
			}
		})
		rate := float64(b.N) / b.Elapsed().Seconds()
		b.ReportMetric(rate, "flows/s")
		b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/flow")
		b.Log(benchgoal.HarnessFlows.Line(rate, fmt.Sprintf("%d flows, one harness per goroutine, GOMAXPROCS %d", b.N, runtime.GOMAXPROCS(0))))
	})
}

// flows runs b.N success flows one after another on a harness against
// backend and reports flows per second and the CPU time per flow.
func flows(b *testing.B, backend http.Handler, success scenario.Scenario) {
	hh := harness.New(backend)
	defer hh.Close()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := successFlow(hh, success); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "flows/s")
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/flow")
}

// timedHandler adds up the time next takes to answer, so that a flow's
// time splits into the server's part and the rest (link.wasm in wazero and
// the harness).
type timedHandler struct {
	next     http.Handler
	spent    atomic.Int64 // nanoseconds
	requests atomic.Int64
}

func (t *timedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t0 := time.Now()
	t.next.ServeHTTP(w, r)
	t.spent.Add(int64(time.Since(t0)))
	t.requests.Add(1)
}

// cpuTime is the CPU time the process has used, user and system: on a
// shared machine a steadier figure than the time a flow takes, and with
// the wall time it shows how much of the machine the flows kept busy.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// recorder keeps the last answer next gave on each path.
type recorder struct {
	next    http.Handler
	mu      sync.Mutex
	answers map[string]*httptest.ResponseRecorder
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rec := httptest.NewRecorder()
	r.next.ServeHTTP(rec, req)
	r.mu.Lock()
	r.answers[req.URL.Path] = rec
	r.mu.Unlock()
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

// replay answers each path with the answer recorded for it.
func replay(answers map[string]*httptest.ResponseRecorder) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec, ok := answers[req.URL.Path]
		if !ok {
			http.NotFound(w, req)
			return
		}
		maps.Copy(w.Header(), rec.Header())
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// successFlow plays the success scenario on hh and checks that it ended.
func successFlow(hh *harness.Harness, success scenario.Scenario) error {
	p, err := playOn(hh, success)
	if err != nil {
		return err
	}
	s := p.last()
	defer s.Destroy()
	if len(s.Calls()) == 0 || s.View() != nil {
		return fmt.Errorf("the flow did not finish")
	}
	return nil
}
