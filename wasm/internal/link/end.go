package link

import (
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// leave ends the visit at once: with HANDOFF once an Item is linked (after
// onSuccess, which Multi-Item Link fires only now, empty), otherwise with
// EXIT and onExit.
func (s *session) leave(out *output) {
	if _, linked := s.pane.(connectedPane); !linked {
		s.exitNow(out)
		return
	}
	if s.cfg.MultiItem {
		// Multi-Item Link's onSuccess is empty: the Items come by webhook.
		s.succeed(out, "", metadata.Success{Accounts: []protocol.Account{}, LinkSessionID: s.linkSessionID})
	}
	s.event(out, "HANDOFF", nil)
	s.finish(out)
}

// exitNow ends the visit without an Item: EXIT, then onExit.
func (s *session) exitNow(out *output) {
	status := s.pane.exitStatus(s)
	s.event(out, "EXIT", func(md *metadata.Event) {
		md.ExitStatus = &status
		md.SetError(s.lastErr)
	})
	s.finish(out)
	md := s.exitMetadata(&status)
	s.onExit(out, s.lastErr, md)
	s.record.Exit = &protocol.RecordedExit{Error: s.lastErr, Metadata: encode(md)}
}

// succeed calls onSuccess and keeps it for the server's record.
func (s *session) succeed(out *output, publicToken string, md metadata.Success) {
	s.onSuccess(out, publicToken, md)
	s.record.Success = &protocol.RecordedSuccess{PublicToken: publicToken, Metadata: encode(md)}
}

// finish closes the UI and forgets what Link waits for.
func (s *session) finish(out *output) {
	s.pane, s.calls, s.timers = nil, nil, nil
	s.oauth.waiting = false
	out.add(protocol.Effect{Kind: protocol.KindClose})
}

func (s *session) destroy(out *output) {
	if s.pane != nil {
		s.finish(out)
	}
	s.flush(out) // what Link had not told the server yet
}
