// Package link is the Link session engine: everything a Plaid Link session
// does, as a pure function of the messages its host sends.
//
// An [Engine] takes [protocol.Message] values (a Plaid.create configuration,
// open, exit, presses and edits in the view, answers from the backend, timers
// coming due) and returns [protocol.Effect] values (callbacks to call, views to
// render, backend requests to make, timers to set, console lines to print). It
// does no I/O, reads no clock and no random source of its own and never
// sleeps, so the browser bridge, the wazero harness and native tests all see
// the same behaviour for the same messages.
package link

import (
	"strconv"

	"github.com/linkharness/linkharness/wasm/internal/config"
	"github.com/linkharness/linkharness/wasm/internal/strfmt"
	"github.com/linkharness/linkharness/wasm/internal/wire"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// Engine holds the Link sessions of one page (one module instance). It is
// not safe for concurrent use; hosts serialise their messages.
type Engine struct {
	sessions map[int]*session
	// destroyed remembers destroyed sessions, to warn about their use.
	destroyed map[int]bool
}

// New returns an Engine with no sessions.
func New() *Engine {
	return &Engine{sessions: map[int]*session{}, destroyed: map[int]bool{}}
}

// Dispatch decodes a JSON Message, handles it and returns the JSON Result.
// A message that cannot be decoded yields a console error, never a failure.
func (e *Engine) Dispatch(in []byte) []byte {
	var m protocol.Message
	var r protocol.Result
	if err := m.DecodeJSON(in); err != nil {
		r = protocol.Result{Effects: []protocol.Effect{consoleEffect(protocol.LevelError, "linkharness: undecodable message: "+err.Error())}}
	} else {
		r = e.Handle(m)
	}
	return r.AppendJSON(make([]byte, 0, 1024))
}

// Handle runs one message and returns the effects it causes, in order.
func (e *Engine) Handle(m protocol.Message) protocol.Result {
	out := &output{nowMS: m.Now, entropy: m.Entropy}
	s := e.sessions[m.Session]
	switch {
	case m.Type == protocol.TypeCreate:
		if s != nil {
			out.console(protocol.LevelError, "linkharness: session "+strconv.Itoa(m.Session)+" already exists")
			break
		}
		raw := m.Config
		if m.Query != "" {
			raw = config.FromWebviewQuery(m.Query)
		}
		s = newSession(raw, out)
		e.sessions[m.Session] = s
	case s == nil && e.destroyed[m.Session]:
		if m.Type == protocol.TypeOpen || m.Type == protocol.TypeExit {
			out.console(protocol.LevelWarn, "attempted to "+m.Type+" Link after destroy() was called; create a new handler with Plaid.create")
		}
	case s == nil:
		out.console(protocol.LevelWarn, "linkharness: "+m.Type+" for unknown session "+strconv.Itoa(m.Session)+" ignored")
	case m.Type == protocol.TypeDestroy:
		s.destroy(out)
		s.shuffle(out) // an ending chaos ordering held
		delete(e.sessions, m.Session)
		e.destroyed[m.Session] = true
	default:
		s.handle(m, out)
	}
	return protocol.Result{Effects: out.effects}
}

// output collects the effects of one message, with the message's clock and
// randomness.
type output struct {
	// nowMS is the message's clock in Unix milliseconds (link.wasm links
	// no package time: see strfmt.Millis).
	nowMS   int64
	entropy []byte
	effects []protocol.Effect
}

func (o *output) add(e protocol.Effect) { o.effects = append(o.effects, e) }

func (o *output) console(level, msg string) { o.add(consoleEffect(level, msg)) }

func consoleEffect(level, msg string) protocol.Effect {
	return protocol.Effect{Kind: protocol.KindConsole, Console: &protocol.Console{Level: level, Message: msg}}
}

// callback adds a call of the named callback with args encoded as JSON.
func (o *output) callback(name string, args ...wire.Appender) {
	raw := make([]protocol.RawMessage, len(args))
	for i, a := range args {
		raw[i] = encode(a)
	}
	o.callbackJSON(name, raw...)
}

// callbackJSON adds a call of the named callback with args in JSON.
func (o *output) callbackJSON(name string, args ...protocol.RawMessage) {
	o.add(protocol.Effect{Kind: protocol.KindCallback, Callback: &protocol.Callback{Name: name, Args: append([]protocol.RawMessage{}, args...)}})
}

// uuid makes a version 4 UUID from the message's entropy, or "" when the
// host sent too little.
func (o *output) uuid() string {
	if len(o.entropy) < 16 {
		return ""
	}
	var b [16]byte
	copy(b[:], o.entropy)
	o.entropy = o.entropy[16:]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return strfmt.UUID(b)
}

// timestamp is the message's clock as Plaid formats event timestamps:
// 2006-01-02T15:04:05.000Z, in UTC.
func (o *output) timestamp() string {
	return strfmt.Millis(o.nowMS)
}
