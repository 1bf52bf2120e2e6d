package link

import (
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// event reports an event through onEvent, with the metadata every event
// carries and whatever fill adds, and keeps it for the server's record of
// the session (/link/token/get) whether or not the page listens.
func (s *session) event(out *output, name string, fill func(*metadata.Event)) {
	md := metadata.Event{
		LinkSessionID: s.linkSessionID,
		RequestID:     s.requestID,
		Timestamp:     out.timestamp(),
	}
	if s.institution != nil {
		md.InstitutionID, md.InstitutionName = &s.institution.ID, &s.institution.Name
	}
	if fill != nil {
		fill(&md)
	}
	raw := out.encode(&md)
	s.record.Events = append(s.record.Events, protocol.RecordedEvent{EventName: name, EventMetadata: raw, Timestamp: md.Timestamp})
	switch {
	case s.cfg.Webview:
		out.navigate(metadata.EventURL(name, md))
	case s.cfg.Has(protocol.OnEvent):
		// The call and its two arguments in one allocation.
		c := &struct {
			protocol.Callback
			args [2]protocol.RawMessage
		}{args: [2]protocol.RawMessage{out.arena.encodeString(name), raw}}
		c.Callback = protocol.Callback{Name: protocol.OnEvent, Args: c.args[:]}
		out.add(protocol.Effect{Kind: protocol.KindCallback, Callback: &c.Callback})
	}
}

func (s *session) institutionMetadata() *metadata.Institution {
	if s.institution == nil {
		return nil
	}
	return &metadata.Institution{Name: s.institution.Name, InstitutionID: s.institution.ID}
}

func (s *session) exitMetadata(status *string) metadata.Exit {
	return metadata.Exit{
		Institution:   s.institutionMetadata(),
		Status:        status,
		LinkSessionID: s.linkSessionID,
		RequestID:     s.requestID,
	}
}
