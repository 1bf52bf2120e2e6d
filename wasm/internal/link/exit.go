package link

import "github.com/linkharness/linkharness/wasm/protocol"

// exitPane asks the user to confirm leaving; back is the pane to return to.
type exitPane struct {
	exitsAtOnce
	noFields
	back pane
}

func (exitPane) name() string { return "EXIT" }

func (exitPane) view(s *session, v *protocol.View) {
	text := s.text()
	v.Heading = text.ExitHeading
	v.Text = []string{text.ExitBody}
	v.Buttons = []protocol.Button{primary(idExitConfirm, text.ExitConfirm), {ID: idExitCancel, Label: text.ExitCancel}}
}

func (e exitPane) press(s *session, target string, out *output) {
	switch target {
	case idExitConfirm:
		s.exitNow(out)
	case idExitCancel:
		s.transition(e.back, out)
	}
}

// exitStatus is that of the pane the user would return to.
func (e exitPane) exitStatus(s *session) string { return e.back.exitStatus(s) }
