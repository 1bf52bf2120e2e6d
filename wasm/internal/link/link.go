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
	// effects is the list Dispatch collects a message's effects in, kept
	// for the next message once they are written.
	effects []protocol.Effect
	// arena holds the JSON the messages' effects carry.
	arena arena
}

// arena holds JSON the engine wrote (callback arguments, request bodies,
// event metadata) in chunks it never writes over, so that an encoding
// costs no allocation of its own and stays valid however long it is kept
// (the events for the session's record are kept across messages). Each
// value is written to scratch first, then copied at its exact size.
type arena struct{ chunk, scratch []byte }

// newArena returns an arena whose scratch has room for most encodings.
func newArena() arena { return arena{scratch: make([]byte, 0, chunkSize)} }

// chunkSize is the size of the arena's chunks (or of the one encoding
// they hold, if larger).
const chunkSize = 8 << 10

// encodeString is s as a JSON string, in the arena.
func (a *arena) encodeString(s string) protocol.RawMessage {
	a.scratch = wire.AppendString(a.scratch[:0], s)
	return a.keep()
}

// encode is v's JSON encoding, in the arena.
func (a *arena) encode(v wire.Appender) protocol.RawMessage {
	a.scratch = v.AppendJSON(a.scratch[:0])
	return a.keep()
}

// keep copies what scratch holds into the chunk.
func (a *arena) keep() protocol.RawMessage {
	n := len(a.scratch)
	if cap(a.chunk)-len(a.chunk) < n {
		a.chunk = make([]byte, 0, max(chunkSize, n))
	}
	start := len(a.chunk)
	a.chunk = append(a.chunk, a.scratch...)
	return a.chunk[start : start+n : start+n]
}

// New returns an Engine with no sessions.
func New() *Engine {
	return &Engine{sessions: map[int]*session{}, destroyed: map[int]bool{}, arena: newArena()}
}

// Dispatch decodes a JSON Message, handles it and returns the JSON Result.
// A message that cannot be decoded yields a console error, never a failure.
func (e *Engine) Dispatch(in []byte) []byte {
	return e.AppendDispatch(make([]byte, 0, 1024), in)
}

// AppendDispatch is Dispatch appending the Result to b, so that a host can
// hand in a buffer it reuses.
func (e *Engine) AppendDispatch(b, in []byte) []byte {
	var m protocol.Message
	var r protocol.Result
	if err := m.DecodeJSON(in); err != nil {
		r = protocol.Result{Effects: []protocol.Effect{consoleEffect(protocol.LevelError, "linkharness: undecodable message: "+err.Error())}}
	} else {
		r = e.handle(m, e.effects[:0])
	}
	b = r.AppendJSON(b)
	if r.Effects != nil && cap(r.Effects) <= maxKeptEffects {
		clear(r.Effects) // nothing of this message is kept through them
		e.effects = r.Effects[:0]
	}
	return b
}

// maxKeptEffects bounds the list of effects Dispatch keeps for the next
// message.
const maxKeptEffects = 64

// Handle runs one message and returns the effects it causes, in order.
func (e *Engine) Handle(m protocol.Message) protocol.Result {
	return e.handle(m, nil)
}

// handle is Handle collecting the effects in spare, which is empty, once
// there are any.
func (e *Engine) handle(m protocol.Message, spare []protocol.Effect) protocol.Result {
	out := &output{nowMS: m.Now, entropy: m.Entropy, spare: spare, arena: &e.arena}
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
	// spare is the list to collect the effects in once there are any
	// (while there are none, effects stays nil: a Result of null).
	spare []protocol.Effect
	// stamp is timestamp's result, once asked for.
	stamp string
	// arena is where encode writes.
	arena *arena
}

func (o *output) add(e protocol.Effect) {
	if o.effects == nil {
		o.effects = o.spare
	}
	o.effects = append(o.effects, e)
}

func (o *output) console(level, msg string) { o.add(consoleEffect(level, msg)) }

func consoleEffect(level, msg string) protocol.Effect {
	return protocol.Effect{Kind: protocol.KindConsole, Console: &protocol.Console{Level: level, Message: msg}}
}

// callback adds a call of the named callback with args encoded as JSON.
func (o *output) callback(name string, args ...wire.Appender) {
	raw := make([]protocol.RawMessage, len(args))
	for i, a := range args {
		raw[i] = o.encode(a)
	}
	o.add(protocol.Effect{Kind: protocol.KindCallback, Callback: &protocol.Callback{Name: name, Args: raw}})
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
	if o.stamp == "" {
		o.stamp = strfmt.Millis(o.nowMS)
	}
	return o.stamp
}

// encode is v's JSON encoding, in the engine's arena.
func (o *output) encode(v wire.Appender) protocol.RawMessage { return o.arena.encode(v) }
