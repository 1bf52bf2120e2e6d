package link

import (
	"slices"
	"strconv"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/wasm/internal/chaos"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// applySettings takes the client's Dashboard settings from the answer to
// open, and prints the seed when they turn chaos ordering on, so that a
// failing run can be replayed.
func (s *session) applySettings(st protocol.LinkSettings, out *output) {
	s.settings = st
	if st.ChaosSeed != 0 {
		s.chaos = chaos.New(st.ChaosSeed)
		seed := strconv.FormatInt(st.ChaosSeed, 10)
		out.console(protocol.LevelWarn, "linkharness: chaos ordering is on with seed "+seed+": onSuccess and onExit fire before, between or after the onEvent calls around them, as Plaid allows; set chaos_ordering.seed to "+seed+" to replay this order")
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

// shuffle is chaos ordering of the message's effects, when the settings
// turn it on.
func (s *session) shuffle(out *output) {
	if s.chaos != nil {
		out.effects = s.chaos.Reorder(out.effects)
	}
}
