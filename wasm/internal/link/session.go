package link

import (
	"strconv"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/wasm/internal/chaos"
	"github.com/linkharness/linkharness/wasm/internal/config"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// session is one Plaid.create handler: its configuration, and the Link it
// shows while open.
type session struct {
	// base is the configuration as Plaid.create gave it; a link token's
	// configuration is applied to a copy at each open().
	base   config.Config
	cfgErr *config.Error
	// nextID numbers the requests, timers and windows of every open().
	nextID int
	// listing is the institutions listed for the configuration.
	listing listing
	visit
}

// visit is the state of one open(), from OPEN to onSuccess or onExit; the
// next open() starts a new one.
type visit struct {
	// cfg is the base configuration with a link token's applied.
	cfg  config.Config
	pane pane // nil while Link is closed

	linkSessionID string
	requestID     string

	// calls and timers are what Link waits for, by what it waits for
	// them: a request or timer replaces the last one for the same thing.
	calls  map[string]call
	timers map[string]timer

	// record holds what the server has not been told yet (see flush);
	// carried, the events of the request being built (see carry).
	record  protocol.SessionRecordRequest
	carried []protocol.RecordedEvent

	// settings are the client's Dashboard settings, from the answer to
	// open; chaos draws the order of chaos ordering when they turn it on.
	settings protocol.LinkSettings
	chaos    *chaos.Orderer

	attempt
}

// attempt is the user's way to one Item: the institution, what the user
// entered and what the backend answered. Multi-Item Link starts a new one
// for each Item.
type attempt struct {
	institution *sandbox.Institution
	query       string
	username    string
	password    string
	// formError is the complaint of the CREDENTIAL or MFA pane about what
	// the user submitted.
	formError  string
	mfa        *protocol.MFAChallenge
	mfaAnswers [][]string
	mfaInput   map[string]string
	itemID     string
	accounts   []protocol.Account
	selected   map[string]bool
	oauth      oauthLogin
	lastErr    *protocol.PlaidError
}

// newSession makes the handler of a Plaid.create call.
func newSession(raw protocol.RawMessage, out *output) *session {
	s := &session{}
	s.base, s.cfgErr = config.Parse(raw)
	if s.cfgErr != nil {
		out.console(protocol.LevelError, s.cfgErr.Error())
	}
	if s.base.Has(protocol.OnLoad) {
		out.callback(protocol.OnLoad)
	}
	return s
}

// handle runs a message for the session: the panes take the user's actions,
// what Link waits for takes the host's answers.
func (s *session) handle(m protocol.Message, out *output) {
	switch m.Type {
	case protocol.TypeOpen:
		s.open(out)
	case protocol.TypeExit:
		switch {
		case s.pane == nil:
			out.console(protocol.LevelWarn, "attempted to exit Link when it was not open")
		case m.Force:
			s.leave(out)
		default:
			s.pane.exit(s, out)
		}
	case protocol.TypePress:
		switch {
		case s.pane == nil:
		case m.Target == idClose:
			s.pane.exit(s, out)
		default:
			s.pane.press(s, m.Target, out)
		}
	case protocol.TypeChange:
		if s.pane != nil {
			s.pane.change(s, m.Target, m.Value, out)
		}
	case protocol.TypeResponse:
		if m.Response != nil {
			s.answered(m.Response, out)
		}
	case protocol.TypeTimer:
		s.due(m.Timer, out)
	case protocol.TypeWindowClosed:
		s.windowClosed(m.Window, out)
	default:
		out.console(protocol.LevelError, "linkharness: unknown message type "+strconv.Quote(m.Type))
	}
	s.flush(out)
	s.shuffle(out)
}

// publicKey and linkToken name the client to the backend: one of them is
// empty.
func (s *session) publicKey() string {
	if s.cfg.LinkTokenMode() {
		return ""
	}
	return s.cfg.Key
}

func (s *session) linkToken() string {
	if s.cfg.LinkTokenMode() {
		return s.cfg.Token
	}
	return ""
}
