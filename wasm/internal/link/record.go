package link

import "github.com/linkharness/linkharness/wasm/protocol"

// The server keeps what the engine reports of a session (its onEvent
// calls, and onSuccess or onExit) for /link/token/get and the session
// inspector. The events that led up to one of Link's own requests travel
// in its body (its Events), and the server records them before it
// handles the request; what no request carries goes in a
// /link/session/record: the end of the visit, as soon as onSuccess or
// onExit fires, and the events after the last request, once Link closes.

// carry hands over the events the server has not been told of, for the
// body of the request about to be sent, whose call keeps them (see call).
func (s *session) carry() []protocol.RecordedEvent {
	s.carried, s.record.Events = s.record.Events, nil
	return s.carried
}

// flush tells the server what no request carried: how the visit ended,
// in the message that fired onSuccess or onExit, so that a backend that
// hears of either from its page finds it in /link/token/get; and once
// Link has closed, the events since. Link does not wait for the answer.
func (s *session) flush(out *output) {
	r := &s.record
	ended := r.Exit != nil || r.Success != nil
	if s.linkSessionID == "" || len(r.Events) == 0 && !ended {
		return // nothing to tell
	}
	if s.pane != nil && !ended {
		return // Link is open: its next request carries the events
	}
	r.PublicKey, r.LinkToken, r.LinkSessionID = s.publicKey(), s.linkToken(), s.linkSessionID
	s.send(out, protocol.PathSessionRecord, r)
	s.record = protocol.SessionRecordRequest{}
}
