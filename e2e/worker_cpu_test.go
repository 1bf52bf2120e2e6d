//go:build worker && linux

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/benchgoal"
	"github.com/linkharness/linkharness/web/assets"
)

// cpuRounds rounds of cpuRequests requests of each endpoint make one
// measurement, after cpuWarmup more: the first requests of an isolate
// also pay for V8 compiling the hot wasm functions again, optimised.
// The lowest round counts: on a shared machine, other processes only
// ever add to a round's CPU time (caches, the other hyperthread).
const cpuRounds, cpuRequests, cpuWarmup = 3, 100, 50

// BenchmarkWorkerCPU measures the CPU time per request of
// /link/token/create and of /item/public_token/exchange under wrangler
// dev: the user and system time of the workerd processes (in the process
// group LINKHARNESS_TEST_WORKERD_PGID, which web/worker/devtest.sh
// exports) before and after cpuRequests requests sent one at a time,
// divided by cpuRequests, the lowest of cpuRounds rounds. An upper bound
// of what Cloudflare counts: besides the Worker's own JavaScript and Go
// it includes workerd's request path, which the static asset's figure
// (no Go) measures and the figures "above the floor" leave out, and the
// local D1 (SQLite in workerd, some 1.1-1.4 ms a query), which in
// production runs elsewhere. POSTs include their waitUntil task.
func BenchmarkWorkerCPU(b *testing.B) {
	w := theWorker(b)
	pgid, err := strconv.Atoi(os.Getenv("LINKHARNESS_TEST_WORKERD_PGID"))
	if err != nil {
		b.Fatal("BenchmarkWorkerCPU needs LINKHARNESS_TEST_WORKERD_PGID, wrangler dev's process group: run it with `make bench-worker`")
	}
	w.ok(b, w.a, "/linkharness/reset", nil)
	var floor time.Duration // the static asset's
	// measure reports the CPU per call of send, the lowest of cpuRounds
	// rounds of cpuRequests calls.
	// A goal's figure line is logged for the API's requests, the static
	// asset's is the floor.
	measure := func(b *testing.B, goal *benchgoal.Goal, prepare func(i int), send func(i int)) time.Duration {
		var low time.Duration
		for b.Loop() {
			n := cpuWarmup + cpuRounds*cpuRequests
			for i := range n {
				prepare(i)
			}
			for i := range cpuWarmup {
				send(i)
			}
			var rounds []string
			for r := range cpuRounds {
				before := workerdCPU(b, pgid)
				for i := range cpuRequests {
					send(cpuWarmup + r*cpuRequests + i)
				}
				per := (workerdCPU(b, pgid) - before) / cpuRequests
				if r == 0 || per < low {
					low = per
				}
				rounds = append(rounds, fmt.Sprintf("%.2f", ms(per)))
			}
			b.ReportMetric(ms(low), "cpu-ms/req")
			above := ""
			if floor > 0 {
				b.ReportMetric(ms(low-floor), "above-floor-ms/req")
				above = fmt.Sprintf(", %.2f ms above the static floor", ms(low-floor))
			}
			detail := fmt.Sprintf("workerd's CPU, the lowest of rounds of %d requests: %s ms%s", cpuRequests, strings.Join(rounds, ", "), above)
			if goal == nil {
				b.Log("the static floor: " + detail)
			} else {
				b.Log(goal.Line(ms(low), detail))
			}
		}
		return low
	}
	// The floor: a static asset, which workerd serves without starting Go.
	b.Run("static_asset", func(b *testing.B) {
		floor = measure(b, nil, func(int) {}, func(int) {
			resp, err := http.Get(w.url + assets.ScriptPath)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("GET %s: %s", assets.ScriptPath, resp.Status)
			}
		})
	})
	b.Run("link_token_create", func(b *testing.B) {
		goal := benchgoal.WorkerCPU.Of("/link/token/create")
		measure(b, &goal, func(int) {}, func(int) {
			w.ok(b, w.a, "/link/token/create", map[string]any{"client_name": "CPU", "language": "en", "country_codes": []string{"US"},
				"user": map[string]any{"client_user_id": "cpu"}, "products": []string{"transactions"}})
		})
	})
	b.Run("item_public_token_exchange", func(b *testing.B) {
		tokens := make([]string, cpuWarmup+cpuRounds*cpuRequests)
		goal := benchgoal.WorkerCPU.Of("/item/public_token/exchange")
		measure(b, &goal, func(i int) {
			out := w.ok(b, w.a, "/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"}})
			tokens[i] = out["public_token"].(string)
		}, func(i int) {
			w.ok(b, w.a, "/item/public_token/exchange", map[string]any{"public_token": tokens[i]})
		})
	})
	w.ok(b, w.a, "/linkharness/reset", nil)
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// workerdCPU is the user and system time so far of the processes named
// workerd in process group pgid, from /proc/PID/stat.
func workerdCPU(tb testing.TB, pgid int) time.Duration {
	tb.Helper()
	// USER_HZ, the unit of utime and stime: 100 on every Linux
	// architecture Go supports, whatever the kernel's own HZ.
	const userHZ = 100
	dirs, err := os.ReadDir("/proc")
	if err != nil {
		tb.Fatal(err)
	}
	var ticks int64
	found := 0
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		raw, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid pgrp session tty tpgid flags minflt
		// cminflt majflt cmajflt utime stime ...: comm may hold spaces.
		s := string(raw)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		f := strings.Fields(s[end+1:])
		if s[open+1:end] != "workerd" || len(f) < 13 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += utime + stime
		found++
	}
	if found == 0 {
		tb.Fatalf("no workerd process in process group %d", pgid)
	}
	return time.Duration(ticks) * time.Second / userHZ
}
