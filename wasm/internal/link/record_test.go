package link_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// sent is a request the engine made: its path, the names of the events
// its body carries, and whether it carries onSuccess or onExit.
type sent struct {
	path   string
	events []string
	end    string
	// dispatch numbers the Handle call that made it (see driver), and
	// lost says it never reached the server; neither is compared.
	dispatch int
	lost     bool
}

// requests lists the requests among the driver's effects.
func (d *driver) requests() []sent {
	var out []sent
	for i, e := range d.effects {
		if e.Kind != protocol.KindRequest {
			continue
		}
		var body protocol.SessionRecordRequest
		if err := json.Unmarshal(e.Request.Body, &body); err != nil {
			d.t.Fatalf("%s body %s: %v", e.Request.Path, e.Request.Body, err)
		}
		s := sent{path: e.Request.Path, dispatch: d.dispatches[i], lost: d.lost[e.Request.ID]}
		for _, ev := range body.Events {
			s.events = append(s.events, ev.EventName)
		}
		switch {
		case body.Success != nil:
			s.end = protocol.OnSuccess
		case body.Exit != nil:
			s.end = protocol.OnExit
		}
		out = append(out, s)
	}
	return out
}

// logIn goes from consent to the filled-in credentials of First Platypus
// Bank, ready to submit.
func logIn(d *driver) {
	d.press("continue")
	d.press("ins_109508")
	d.change("username", "user_good")
	d.change("password", "pass_good")
}

// TestEventsTravelWithRequests checks that the events that led up to each
// of Link's own requests travel in its body, that a /link/session/record
// tells the end of the visit in the message that fired onSuccess or
// onExit (so that a backend its page tells finds it in /link/token/get)
// and another the events after it once Link closes, and that every event
// reaches the server once, in order.
func TestEventsTravelWithRequests(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps func(d *driver)
		want  []sent
	}{
		{"success", func(d *driver) {
			logIn(d)
			d.press("submit")
			d.press("continue")
			d.press("continue")
		}, []sent{
			{path: protocol.PathSessionOpen},
			{path: protocol.PathItemCreate, events: []string{"OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS"}},
			{path: protocol.PathItemConnect, events: []string{"TRANSITION_VIEW"}},
			{path: protocol.PathSessionRecord, events: []string{"TRANSITION_VIEW"}, end: protocol.OnSuccess},
			{path: protocol.PathSessionRecord, events: []string{"HANDOFF"}},
		}},
		{"exit before any request", func(d *driver) {
			d.press("continue")
			d.send(protocol.Message{Type: protocol.TypeExit, Force: true})
		}, []sent{
			{path: protocol.PathSessionOpen},
			{path: protocol.PathSessionRecord, events: []string{"OPEN", "TRANSITION_VIEW", "EXIT"}, end: protocol.OnExit},
		}},
		{"a login that never reaches the server", func(d *driver) {
			logIn(d)
			d.unreachable = true
			d.press("submit")
			d.unreachable = false
			d.press("retry")
			d.change("username", "user_good")
			d.change("password", "pass_good")
			d.press("submit")
			d.press("continue")
			d.press("continue")
		}, []sent{
			{path: protocol.PathSessionOpen},
			{path: protocol.PathItemCreate, events: []string{"OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS"}},
			{path: protocol.PathItemCreate, events: []string{"OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS",
				"TRANSITION_VIEW", "ERROR", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS"}},
			{path: protocol.PathItemConnect, events: []string{"TRANSITION_VIEW"}},
			{path: protocol.PathSessionRecord, events: []string{"TRANSITION_VIEW"}, end: protocol.OnSuccess},
			{path: protocol.PathSessionRecord, events: []string{"HANDOFF"}},
		}},
		{"destroyed after onSuccess", func(d *driver) {
			logIn(d)
			d.press("submit")
			d.press("continue")
			d.send(protocol.Message{Type: protocol.TypeDestroy})
		}, []sent{
			{path: protocol.PathSessionOpen},
			{path: protocol.PathItemCreate, events: []string{"OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS"}},
			{path: protocol.PathItemConnect, events: []string{"TRANSITION_VIEW"}},
			{path: protocol.PathSessionRecord, events: []string{"TRANSITION_VIEW"}, end: protocol.OnSuccess},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newDriver(t)
			d.create(goodConfig(""))
			d.send(protocol.Message{Type: protocol.TypeOpen})
			tc.steps(d)
			got := d.requests()
			// The end goes to the server in the message whose answer
			// fired its callback.
			for _, r := range got {
				if r.end == "" {
					continue
				}
				i := slices.IndexFunc(d.effects, func(e protocol.Effect) bool {
					return e.Kind == protocol.KindCallback && e.Callback.Name == r.end
				})
				if i < 0 || d.dispatches[i] != r.dispatch {
					t.Errorf("the record of %s came in dispatch %d, not in the one that called it", r.end, r.dispatch)
				}
			}
			compared := slices.Clone(got)
			for i := range compared {
				compared[i].dispatch, compared[i].lost = 0, false
			}
			if !reflect.DeepEqual(compared, tc.want) {
				t.Fatalf("requests:\n got %+v\nwant %+v", got, tc.want)
			}
			// Every onEvent call reaches the server once, in order.
			var called, told []string
			for _, e := range d.effects {
				if e.Kind == protocol.KindCallback && e.Callback.Name == protocol.OnEvent {
					var name string
					json.Unmarshal(e.Callback.Args[0], &name)
					called = append(called, name)
				}
			}
			for _, r := range got {
				if !r.lost {
					told = append(told, r.events...)
				}
			}
			if !reflect.DeepEqual(told, called) {
				t.Errorf("events told %q, called %q", told, called)
			}
		})
	}
}
