package link

import (
	"github.com/linkharness/linkharness/wasm/internal/wire"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// waitLoad is the request the LOADING pane waits on. Keys like it name
// what Link waits for in visit.calls and visit.timers; each flow declares
// its own.
const waitLoad = "load"

// call is a backend request in flight, what Link does with the answer, and
// the events its body carries (see carry), told again if it never arrives.
type call struct {
	id      int
	then    func(r *protocol.Response, out *output)
	carried []protocol.RecordedEvent
}

// timer is a timer set and what Link does when it comes due. It stays set
// after it fires, until it is replaced or Link closes.
type timer struct {
	id   int
	then func(out *output)
}

// newID numbers a request, timer or window.
func (s *session) newID() int {
	s.nextID++
	return s.nextID
}

// send asks the host to POST body to the backend at path, and returns the
// request's ID.
func (s *session) send(out *output, path string, body wire.Appender) int {
	id := s.newID()
	out.add(protocol.Effect{Kind: protocol.KindRequest, Request: &protocol.Request{ID: id, Path: path, Body: out.encode(body)}})
	return id
}

// call sends a request and runs then with its answer, unless a later call
// for the same thing (what) replaces it first.
func (s *session) call(out *output, what, path string, body wire.Appender, then func(*protocol.Response, *output)) {
	if s.calls == nil {
		s.calls = map[string]call{}
	}
	s.calls[what] = call{id: s.send(out, path, body), then: then, carried: s.carried}
	s.carried = nil
}

// load shows the LOADING pane while the backend answers a request; leaving
// meanwhile reports the pane that asked.
func (s *session) load(out *output, path string, body wire.Appender, then func(*protocol.Response, *output)) {
	if _, ok := s.pane.(loadingPane); !ok {
		s.pane = loadingPane{from: s.pane}
	}
	s.call(out, waitLoad, path, body, then)
	s.render(out)
}

// answered runs what waits for the response, if anything still does.
func (s *session) answered(r *protocol.Response, out *output) {
	for what, c := range s.calls {
		if c.id == r.ID {
			delete(s.calls, what)
			if r.Status == 0 { // never arrived: the next request tells its events first
				s.record.Events = append(c.carried, s.record.Events...)
			}
			c.then(r, out)
			return
		}
	}
}

// setTimer asks the host for a timer, replacing the last one for the same
// thing (what), and runs then when it comes due.
func (s *session) setTimer(out *output, what string, delayMS int, then func(*output)) {
	if s.timers == nil {
		s.timers = map[string]timer{}
	}
	id := s.newID()
	s.timers[what] = timer{id: id, then: then}
	out.add(protocol.Effect{Kind: protocol.KindTimer, Timer: &protocol.Timer{ID: id, DelayMS: delayMS}})
}

// due runs what waits for the timer, if anything does.
func (s *session) due(id int, out *output) {
	for _, t := range s.timers {
		if t.id == id {
			t.then(out)
			return
		}
	}
}
