// Package chaos is the Link engine's chaos ordering: it moves onSuccess or
// onExit among the onEvent calls around it, in an order Plaid's docs
// allow ("callback ordering is not guaranteed; onEvent callbacks may fire
// before, after, or surrounding the onSuccess or onExit callback"), drawn
// from a seed, so that an integration that depends on the order fails in
// the emulator instead of in production. The events keep their order and
// their timestamps, and no other effect moves. It is pure and uses no
// math/rand, whose size link.wasm would carry: SplitMix64 is a few lines.
package chaos

import (
	"slices"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// Orderer reorders the effects of one Link session's messages. Its
// choices follow from its seed and the messages alone, so a seed replays
// an order.
type Orderer struct {
	state uint64
	// held is an ending kept until the message that closes Link.
	held *protocol.Effect
}

// New returns the Orderer of seed.
func New(seed int64) *Orderer { return &Orderer{state: uint64(seed)} }

// next is SplitMix64's next value.
func (o *Orderer) next() uint64 {
	o.state += 0x9e3779b97f4a7c15
	z := o.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Reorder returns the effects of one message in chaos order. When they
// hold onSuccess or onExit and onEvent calls, the ending moves to another
// place among those calls: before the first, between two, after the
// last, or, when Link stays open (onSuccess on the CONNECTED pane), held
// until the message that closes Link and called after that message's
// events (HANDOFF). With nothing to move among, the effects stay as they
// are.
func (o *Orderer) Reorder(effects []protocol.Effect) []protocol.Effect {
	closes := slices.ContainsFunc(effects, func(e protocol.Effect) bool { return e.Kind == protocol.KindClose })
	if o.held != nil {
		if closes {
			return o.release(effects)
		}
		return effects
	}
	var slots []int // indices of the onEvent, onSuccess and onExit effects
	end := -1
	for i, e := range effects {
		if e.Kind != protocol.KindCallback {
			continue
		}
		switch e.Callback.Name {
		case protocol.OnSuccess, protocol.OnExit:
			if end >= 0 {
				return effects // two endings: leave them be
			}
			end = len(slots)
		case protocol.OnEvent:
		default:
			continue
		}
		slots = append(slots, i)
	}
	if end < 0 {
		return effects
	}
	events := len(slots) - 1
	places := events + 1 // before, between and after the events
	if !closes {
		places++ // held until Link closes
	}
	if places < 2 {
		return effects
	}
	// Any place but the one it has (end events come before it).
	place := int(o.next() % uint64(places-1))
	if place >= end {
		place++
	}
	ending := effects[slots[end]]
	if place > events {
		o.held = &ending
		return slices.Delete(effects, slots[end], slots[end]+1)
	}
	calls := make([]protocol.Effect, 0, len(slots))
	for j, i := range slots {
		if j != end {
			calls = append(calls, effects[i])
		}
	}
	calls = slices.Insert(calls, place, ending)
	for j, i := range slots {
		effects[i] = calls[j]
	}
	return effects
}

// release puts the held ending in the message that closes Link: after its
// last onEvent call, or before the close.
func (o *Orderer) release(effects []protocol.Effect) []protocol.Effect {
	at := slices.IndexFunc(effects, func(e protocol.Effect) bool { return e.Kind == protocol.KindClose })
	for i, e := range effects {
		if e.Kind == protocol.KindCallback && e.Callback.Name == protocol.OnEvent {
			at = i + 1
		}
	}
	held := *o.held
	o.held = nil
	return slices.Insert(effects, at, held)
}
