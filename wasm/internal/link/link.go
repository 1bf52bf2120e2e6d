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
	"encoding/json"
	"fmt"
	"time"

	"github.com/linkharness/linkharness/wasm/internal/config"
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
	if err := json.Unmarshal(in, &m); err != nil {
		r = protocol.Result{Effects: []protocol.Effect{consoleEffect(protocol.LevelError, "linkharness: undecodable message: "+err.Error())}}
	} else {
		r = e.Handle(m)
	}
	out, err := json.Marshal(r)
	if err != nil { // unreachable: Result holds only encodable values
		panic(err)
	}
	return out
}

// Handle runs one message and returns the effects it causes, in order.
func (e *Engine) Handle(m protocol.Message) protocol.Result {
	out := &output{nowMS: m.Now, entropy: m.Entropy}
	s := e.sessions[m.Session]
	switch {
	case m.Type == protocol.TypeCreate:
		if s != nil {
			out.console(protocol.LevelError, fmt.Sprintf("linkharness: session %d already exists", m.Session))
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
			out.console(protocol.LevelWarn, fmt.Sprintf("attempted to %s Link after destroy() was called; create a new handler with Plaid.create", m.Type))
		}
	case s == nil:
		out.console(protocol.LevelWarn, fmt.Sprintf("linkharness: %s for unknown session %d ignored", m.Type, m.Session))
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
	// nowMS is the message's clock in Unix milliseconds. A time.Time here
	// would cost link.wasm some 100 KB: the panes' methods take *output,
	// and the linker then keeps time.Time's methods (its parser with them).
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
func (o *output) callback(name string, args ...any) {
	raw := make([]json.RawMessage, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil { // unreachable: arguments are plain structs
			panic(err)
		}
		raw[i] = b
	}
	o.add(protocol.Effect{Kind: protocol.KindCallback, Callback: &protocol.Callback{Name: name, Args: raw}})
}

// uuid makes a version 4 UUID from the message's entropy, or "" when the
// host sent too little.
func (o *output) uuid() string {
	if len(o.entropy) < 16 {
		return ""
	}
	b := make([]byte, 16)
	copy(b, o.entropy)
	o.entropy = o.entropy[16:]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// timestamp is the message's clock as Plaid formats event timestamps.
func (o *output) timestamp() string {
	return time.UnixMilli(o.nowMS).UTC().Format("2006-01-02T15:04:05.000Z")
}
