package link

import (
	"strings"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/wasm/internal/wording"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// credentialPane asks for the username and password at the institution.
type credentialPane struct{ confirmsExit }

func (credentialPane) name() string { return "CREDENTIAL" }

func (credentialPane) view(s *session, v *protocol.View) {
	text := s.text()
	v.Heading = wording.Fill(text.CredentialHeading, s.institution.Name)
	if s.institution.Health == sandbox.HealthDegraded {
		v.Text = []string{wording.Fill(text.DegradedWarning, s.institution.Name)}
	}
	v.Error = s.formError
	v.Fields = []protocol.Field{
		{ID: idUsername, Label: text.Username, Kind: protocol.FieldText, Value: s.username},
		{ID: idPassword, Label: text.Password, Kind: protocol.FieldPassword, Value: s.password},
	}
	v.Buttons = []protocol.Button{primary(idSubmit, text.Submit)}
}

// press submits the credentials, once both are given.
func (credentialPane) press(s *session, target string, out *output) {
	if target != idSubmit {
		return
	}
	if strings.TrimSpace(s.username) == "" || s.password == "" {
		s.formError = s.text().CredentialsMissing
		s.render(out)
		return
	}
	s.formError = ""
	s.mfa, s.mfaAnswers = nil, nil
	s.event(out, "SUBMIT_CREDENTIALS", nil)
	s.login(out)
}

func (credentialPane) change(s *session, target, value string, _ *output) {
	switch target {
	case idUsername:
		s.username = value
	case idPassword:
		s.password = value
	}
}

func (credentialPane) exitStatus(*session) string { return statusRequiresCredentials }
