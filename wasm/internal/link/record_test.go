package link_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// sent is a request the engine made: its path, the names of the events
// its body carries, and whether it carries onSuccess or onExit.
type sent struct {
	path   string
	events []string
	end    string
}

// requests lists the requests among the driver's effects.
func (d *driver) requests() []sent {
	var out []sent
	for _, e := range d.effects {
		if e.Kind != protocol.KindRequest {
			continue
		}
		var body protocol.SessionRecordRequest
		if err := json.Unmarshal(e.Request.Body, &body); err != nil {
			d.t.Fatalf("%s body %s: %v", e.Request.Path, e.Request.Body, err)
		}
		s := sent{path: e.Request.Path}
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

// TestEventsTravelWithRequests checks that the events that led up to each
// of Link's own requests travel in its body, that one
// /link/session/record tells the end of the visit once Link closes, and
// that every event reaches the server once, in order.
func TestEventsTravelWithRequests(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps func(d *driver)
		want  []sent
	}{
		{"success", func(d *driver) {
			d.press("continue")
			d.press("ins_109508")
			d.change("username", "user_good")
			d.change("password", "pass_good")
			d.press("submit")
			d.press("continue")
			d.press("continue")
		}, []sent{
			{path: protocol.PathSessionOpen},
			{path: protocol.PathItemCreate, events: []string{"OPEN", "TRANSITION_VIEW", "SELECT_INSTITUTION", "TRANSITION_VIEW", "SUBMIT_CREDENTIALS"}},
			{path: protocol.PathItemConnect, events: []string{"TRANSITION_VIEW"}},
			{path: protocol.PathSessionRecord, events: []string{"TRANSITION_VIEW", "HANDOFF"}, end: protocol.OnSuccess},
		}},
		{"exit before any request", func(d *driver) {
			d.press("continue")
			d.send(protocol.Message{Type: protocol.TypeExit, Force: true})
		}, []sent{
			{path: protocol.PathSessionOpen},
			{path: protocol.PathSessionRecord, events: []string{"OPEN", "TRANSITION_VIEW", "EXIT"}, end: protocol.OnExit},
		}},
		{"destroyed after onSuccess", func(d *driver) {
			d.press("continue")
			d.press("ins_109508")
			d.change("username", "user_good")
			d.change("password", "pass_good")
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
			if !reflect.DeepEqual(got, tc.want) {
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
				told = append(told, r.events...)
			}
			if !reflect.DeepEqual(told, called) {
				t.Errorf("events told %q, called %q", told, called)
			}
		})
	}
}
