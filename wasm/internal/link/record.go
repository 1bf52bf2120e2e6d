package link

import "github.com/linkharness/linkharness/wasm/protocol"

// The server keeps what the engine reports of a session (its onEvent
// calls, and onSuccess or onExit) for /link/token/get and the session
// inspector. The events that led up to one of Link's own requests travel
// in its body (its Events), and the server records them before it
// handles the request; what no request carries, the end of the visit and
// the events with or after it, goes in one /link/session/record once Link
// closes.

// carry hands over the events the server has not been told of, for the
// body of the request about to be sent.
func (s *session) carry() []protocol.RecordedEvent {
	events := s.record.Events
	s.record.Events = nil
	return events
}

// flush tells the server, once Link has closed, what no request carried:
// how the visit ended and the events since the last request. Link does
// not wait for the answer.
func (s *session) flush(out *output) {
	r := &s.record
	if s.linkSessionID == "" || s.pane != nil || len(r.Events) == 0 && r.Exit == nil && r.Success == nil {
		return // Link is open, or there is nothing to tell
	}
	r.PublicKey, r.LinkToken, r.LinkSessionID = s.publicKey(), s.linkToken(), s.linkSessionID
	s.send(out, protocol.PathSessionRecord, r)
	s.record = protocol.SessionRecordRequest{}
}
