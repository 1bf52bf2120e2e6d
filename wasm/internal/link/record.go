package link

import "github.com/linkharness/linkharness/wasm/protocol"

// flush tells the server about the events and the end of the visit since
// the last flush, alongside each of Link's own requests and when the visit
// ends, so that a flow costs a few records rather than one per event. Link
// does not wait for the answer.
func (s *session) flush(out *output) {
	r := &s.record
	ended := r.Exit != nil || r.Success != nil
	if s.linkSessionID == "" || len(r.Events) == 0 && !ended {
		return // nothing to tell
	}
	if !s.requested && !ended && s.pane != nil {
		return // wait for Link's next request or the end
	}
	if s.opening() {
		return // the server learns of the session from the open request first
	}
	r.PublicKey, r.LinkToken, r.LinkSessionID = s.publicKey(), s.linkToken(), s.linkSessionID
	s.send(out, protocol.PathSessionRecord, r)
	s.record = protocol.SessionRecordRequest{}
}
