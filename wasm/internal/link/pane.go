package link

import (
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// pane is one of Link's screens: what it shows, what its controls do, and
// what leaving it means. Panes are small values (the LOADING and EXIT
// panes remember the pane they stand in front of); what they show belongs
// to the visit. A new flow is new panes: the session's message handling
// does not change.
type pane interface {
	// name is the pane's view_name, as TRANSITION_VIEW reports it.
	name() string
	// view fills in what the pane shows.
	view(s *session, v *protocol.View)
	// press acts on a press of one of the pane's controls other than
	// close.
	press(s *session, target string, out *output)
	// change takes an edit of one of the pane's fields.
	change(s *session, target, value string, out *output)
	// exit is a graceful exit from the pane: exit(), the close control or
	// Escape.
	exit(s *session, out *output)
	// exitStatus is onExit's status for a user who leaves from the pane.
	exitStatus(s *session) string
}

// describer is a pane that adds to the metadata of the TRANSITION_VIEW
// event that shows it.
type describer interface {
	describe(s *session, md *metadata.Event)
}

// Exit statuses (onExit metadata.status, EXIT exit_status).
const (
	statusRequiresCredentials      = "requires_credentials"
	statusRequiresQuestions        = "requires_questions"
	statusRequiresSelections       = "requires_selections"
	statusRequiresCode             = "requires_code"
	statusChooseDevice             = "choose_device"
	statusRequiresAccountSelection = "requires_account_selection"
	statusInstitutionNotFound      = "institution_not_found"
	statusInstitutionNotSupported  = "institution_not_supported"
	statusRequiresOAuth            = "requires_oauth"
)

// noFields is part of the panes that have no fields to edit.
type noFields struct{}

func (noFields) change(*session, string, string, *output) {}

// confirmsExit is part of the panes past which a graceful exit asks for
// confirmation first, on the EXIT pane.
type confirmsExit struct{}

func (confirmsExit) exit(s *session, out *output) {
	s.transition(exitPane{back: s.pane}, out)
}

// exitsAtOnce is part of the panes a graceful exit leaves without asking.
type exitsAtOnce struct{}

func (exitsAtOnce) exit(s *session, out *output) { s.exitNow(out) }

// transition moves to a pane, reports it and shows it.
func (s *session) transition(p pane, out *output) {
	s.pane = p
	name := p.name()
	s.event(out, "TRANSITION_VIEW", func(md *metadata.Event) {
		md.ViewName = &name
		if d, ok := p.(describer); ok {
			d.describe(s, md)
		}
	})
	s.render(out)
}
