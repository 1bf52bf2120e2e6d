package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/web"
)

// flowEvent is an onEvent of the success flow's records, with the
// metadata link.wasm sends.
const flowEvent = `{"event_name":"$NAME","event_metadata":{"account_number_mask":null,"error_code":null,"error_message":null,` +
	`"error_type":null,"exit_status":null,"institution_id":"ins_109508","institution_name":"First Platypus Bank",` +
	`"institution_search_query":null,"is_update_mode":null,"link_session_id":"$SESSION","match_reason":null,"mfa_type":null,` +
	`"request_id":"NffodVITDru7QWK","routing_number":null,"selection":null,"timestamp":"2026-12-02T13:05:21.367Z",` +
	`"view_name":"SELECT_ACCOUNT"},"timestamp":"2026-12-02T13:05:21.367Z"}`

// cpuTime is the CPU time the process has used, user and system: on a
// shared machine a steadier figure than the time a request takes.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLinkFlow measures the backend's part of one Link success flow
// as the harness (package harness) plays it in process: the five requests
// link.wasm makes (/link/session/open, /link/item/create and
// /link/item/connect with the events that led up to them, a
// /link/session/record with the end as onSuccess fires and one with
// HANDOFF as Link closes), with the bodies it sends, against
// web.New's in-memory store. It reports the time the requests took per
// flow, per request and per path (µs/item/create and so on), and the CPU
// time the process used per flow (also what the benchmark itself costs,
// JSON of the answers and the like).
func BenchmarkLinkFlow(b *testing.B) {
	s := web.New(web.Options{Clients: []web.Client{alice}})
	defer s.Close()
	events := func(names ...string) string {
		var out []string
		for _, n := range names {
			out = append(out, strings.ReplaceAll(flowEvent, "$NAME", n))
		}
		return `,"events":[` + strings.Join(out, ",") + `]`
	}
	var serve time.Duration
	byPath := map[string]time.Duration{}
	post := func(path, body string, out any) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("POST", path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		t0 := time.Now()
		s.ServeHTTP(w, r)
		took := time.Since(t0)
		serve += took
		byPath[path] += took
		if w.Code != 200 {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
		if out != nil {
			if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
				b.Fatal(err)
			}
		}
	}
	cpu0 := cpuTime()
	for b.Loop() {
		session := ids.NewUUID()
		head := `{"public_key":"` + alice.PublicKey + `","link_session_id":"` + session + `"`
		fill := func(body string) string { return strings.ReplaceAll(head+","+body+"}", "$SESSION", session) }
		post("/link/session/open", fill(`"env":"sandbox","client_name":"Bench App","products":["transactions"],"country_codes":["US"],"language":"en"`), nil)
		var item struct {
			ItemID   string `json:"item_id"`
			Accounts []struct {
				ID string `json:"id"`
			} `json:"accounts"`
		}
		post("/link/item/create", fill(`"institution_id":"ins_109508","products":["transactions"],"username":"user_good","password":"pass_good"`+
			events("OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS")), &item)
		if item.ItemID == "" || len(item.Accounts) == 0 {
			b.Fatalf("item/create made %+v", item)
		}
		var connected struct {
			PublicToken string `json:"public_token"`
		}
		post("/link/item/connect", fill(`"item_id":"`+item.ItemID+`","account_ids":["`+item.Accounts[0].ID+`"]`+events("TRANSITION_VIEW")), &connected)
		post("/link/session/record", fill(`"success":{"public_token":"`+connected.PublicToken+
			`","metadata":{"institution":{"name":"First Platypus Bank","institution_id":"ins_109508"},"link_session_id":"`+session+`"}}`+
			events("TRANSITION_VIEW")), nil)
		post("/link/session/record", fill(strings.TrimPrefix(events("HANDOFF"), ",")), nil)
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/flow")
	b.ReportMetric(float64(serve.Microseconds())/float64(b.N), "backend-µs/flow")
	b.ReportMetric(float64(serve.Microseconds())/float64(5*b.N), "µs/request")
	for path, took := range byPath {
		b.ReportMetric(float64(took.Microseconds())/float64(b.N), "µs/"+path[strings.LastIndex(path[:strings.LastIndex(path, "/")], "/")+1:])
	}
}
