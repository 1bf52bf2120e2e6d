package link

import "github.com/linkharness/linkharness/wasm/protocol"

// loadingPane waits for the backend. from is the pane that asked, nil while
// Link opens.
type loadingPane struct {
	exitsAtOnce
	noFields
	from pane
}

func (loadingPane) name() string { return "LOADING" }

func (loadingPane) view(s *session, v *protocol.View) {
	v.Heading, v.Busy = s.text().Loading, true
}

func (loadingPane) press(*session, string, *output) {}

// exitStatus is that of the pane that asked. When the bank's approval
// comes in while the EXIT pane asks the user to confirm, that pane asks
// for the login; leaving then reports requires_credentials.
func (l loadingPane) exitStatus(s *session) string {
	switch l.from.(type) {
	case nil, exitPane:
		return statusRequiresCredentials
	}
	return l.from.exitStatus(s)
}
