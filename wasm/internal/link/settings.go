package link

import (
	"fmt"
	"slices"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// applySettings takes the client's Dashboard settings from the answer to
// open, and prints the seed when they turn chaos ordering on, so that a
// failing run can be replayed.
func (s *session) applySettings(st protocol.LinkSettings, out *output) {
	s.settings = st
	if st.ChaosSeed != 0 {
		s.chaos = &splitmix{state: uint64(st.ChaosSeed)}
		out.console(protocol.LevelWarn, fmt.Sprintf("linkharness: chaos ordering is on with seed %d: onSuccess and onExit fire before, between or after the onEvent calls around them, as Plaid allows; set chaos_ordering.seed to %d to replay this order", st.ChaosSeed, st.ChaosSeed))
	}
}

// health is the institution's health in this session: the sandbox's,
// unless the client's settings make it another.
func (s *session) health(in sandbox.Institution) string {
	switch h := s.settings.InstitutionHealth[in.ID]; h {
	case "":
		return in.Health
	case sandbox.HealthHealthy:
		return ""
	default:
		return h
	}
}

// preselect checks the accounts the SELECT_ACCOUNT pane starts with: the
// only one, every one when Account Select is for all accounts, or those
// of the subtypes the settings preselect (the first of them when it is
// for one account).
func (s *session) preselect() {
	mode := s.settings.AccountSelect
	for _, a := range s.accounts {
		if mode == protocol.AccountSelectAll || slices.Contains(s.settings.Preselect, protocol.PreselectAll) ||
			slices.Contains(s.settings.Preselect, a.Subtype) {
			s.selected[a.ID] = true
			if mode == protocol.AccountSelectSingle {
				break
			}
		}
	}
	if len(s.accounts) == 1 {
		s.selected[s.accounts[0].ID] = true
	}
}

// splitmix is SplitMix64, the few-line generator that draws chaos
// ordering's choices from its seed.
type splitmix struct{ state uint64 }

func (g *splitmix) next() uint64 {
	g.state += 0x9e3779b97f4a7c15
	z := g.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// shuffle is chaos ordering: when the effects of one message hold onSuccess
// or onExit and onEvent calls, it moves the ending callback to another
// place among those calls, drawn from the seed, or, when Link stays open
// (onSuccess on the CONNECTED pane), holds it until the message that
// closes Link and calls it after that message's events (HANDOFF). The
// events keep their order and their timestamps, and no other effect
// moves, as Plaid allows: "onEvent callbacks may fire before, after, or
// surrounding the onSuccess or onExit callback".
func (s *session) shuffle(out *output) {
	if s.chaos == nil {
		return
	}
	var slots []int // indices of the onEvent, onSuccess and onExit effects
	end, before, closes := -1, 0, false
	for i, e := range out.effects {
		if e.Kind == protocol.KindClose {
			closes = true
		}
		if e.Kind != protocol.KindCallback {
			continue
		}
		switch e.Callback.Name {
		case protocol.OnSuccess, protocol.OnExit:
			if end >= 0 || s.held != nil {
				return // two endings: nothing to move among
			}
			end, before = len(slots), len(slots)
		case protocol.OnEvent:
		default:
			continue
		}
		slots = append(slots, i)
	}
	if s.held != nil {
		if closes {
			s.release(out)
		}
		return
	}
	events := len(slots) - 1
	if end < 0 {
		return
	}
	// Any place but the one it has: before the first event, between two,
	// after the last, or held until Link closes.
	places := events + 1
	if !closes {
		places++
	}
	if places < 2 {
		return
	}
	place := int(s.chaos.next() % uint64(places-1))
	if place >= before {
		place++
	}
	ending := out.effects[slots[end]]
	if place > events {
		s.held = &ending
		out.effects = slices.Delete(out.effects, slots[end], slots[end]+1)
		return
	}
	calls := make([]protocol.Effect, 0, len(slots))
	for j, i := range slots {
		if j != end {
			calls = append(calls, out.effects[i])
		}
	}
	calls = slices.Insert(calls, place, ending)
	for j, i := range slots {
		out.effects[i] = calls[j]
	}
}

// release calls the ending that chaos ordering held, in the message that
// closes Link: after its last onEvent call, or before the close.
func (s *session) release(out *output) {
	at := slices.IndexFunc(out.effects, func(e protocol.Effect) bool { return e.Kind == protocol.KindClose })
	for i, e := range out.effects {
		if e.Kind == protocol.KindCallback && e.Callback.Name == protocol.OnEvent {
			at = i + 1
		}
	}
	if at < 0 {
		at = len(out.effects)
	}
	out.effects = slices.Insert(out.effects, at, *s.held)
	s.held = nil
}
