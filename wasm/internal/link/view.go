package link

import (
	"github.com/linkharness/linkharness/wasm/internal/wording"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// IDs of the view's controls, as the host sends them back.
const (
	idClose         = "close"
	idContinue      = "continue"
	idSubmit        = "submit"
	idRetry         = "retry"
	idChooseAnother = "choose-another"
	idExitConfirm   = "exit-confirm"
	idExitCancel    = "exit-cancel"
	idAddAnother    = "add-another"
	idFinish        = "finish"
	idUsername      = "username"
	idPassword      = "password"
	idSearch        = "search"
	idCode          = "code"
)

// text is the wording in the session's language.
func (s *session) text() *wording.Messages { return wording.For(s.cfg.Language) }

// clientName is the name the panes show for the integrating app.
func (s *session) clientName() string {
	if s.cfg.ClientName != "" {
		return s.cfg.ClientName
	}
	return s.text().ThisApp
}

// render shows the current pane.
func (s *session) render(out *output) {
	text := s.text()
	// The view and its close button in one allocation.
	r := &struct {
		protocol.View
		close protocol.Button
	}{close: protocol.Button{ID: idClose, Label: text.Close}}
	v := &r.View
	*v = protocol.View{Pane: s.pane.name(), Title: text.Title, Close: &r.close}
	s.pane.view(s, v)
	if h := s.settings.Headings[v.Pane]; h != "" && s.cfg.Payment == nil {
		v.Heading = h // a Link customization's text string
	}
	out.add(protocol.Effect{Kind: protocol.KindRender, View: v})
}

// primary is the button a pane leads the user to.
func primary(id, label string) protocol.Button {
	return protocol.Button{ID: id, Label: label, Primary: true}
}
