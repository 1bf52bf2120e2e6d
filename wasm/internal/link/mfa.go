package link

import (
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"slices"
	"strconv"
	"strings"

	"github.com/linkharness/linkharness/wasm/internal/wording"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// mfaStatus is the exit status of each MFA type's pane.
var mfaStatus = map[string]string{
	protocol.MFADevice:     statusChooseDevice,
	protocol.MFACode:       statusRequiresCode,
	protocol.MFAQuestions:  statusRequiresQuestions,
	protocol.MFASelections: statusRequiresSelections,
}

// mfaPane asks for a round of multi-factor authentication: a device to
// send a code to, the code, or answers to questions.
type mfaPane struct{ confirmsExit }

func (mfaPane) name() string { return "MFA" }

func (mfaPane) describe(s *session, md *metadata.Event) { md.MFAType = &s.mfa.Type }

func (mfaPane) view(s *session, v *protocol.View) {
	text := s.text()
	v.Error = s.formError
	switch s.mfa.Type {
	case protocol.MFADevice:
		v.Heading = text.DeviceHeading
		v.List = &protocol.List{Label: text.Devices}
		for _, d := range s.mfa.Devices {
			v.List.Items = append(v.List.Items, protocol.Item{ID: deviceID(d), Label: d})
		}
	case protocol.MFACode:
		v.Heading = text.CodeHeading
	case protocol.MFAQuestions:
		v.Heading = text.QuestionsHeading
	case protocol.MFASelections:
		v.Heading = text.SelectionsHeading
	}
	v.Fields = s.mfaFields()
	if len(v.Fields) > 0 {
		v.Buttons = []protocol.Button{primary(idSubmit, text.Submit)}
	}
}

// press answers the round: a device by pressing it, the other kinds by
// Submit once every field is filled.
func (mfaPane) press(s *session, target string, out *output) {
	var answers []string
	switch {
	case s.mfa.Type == protocol.MFADevice:
		i := slices.IndexFunc(s.mfa.Devices, func(d string) bool { return deviceID(d) == target })
		if i < 0 {
			return
		}
		answers = []string{s.mfa.Devices[i]}
	case target == idSubmit:
		for _, f := range s.mfaFields() {
			v := strings.TrimSpace(s.mfaInput[f.ID])
			if v == "" {
				s.formError = s.text().AnswersMissing
				s.render(out)
				return
			}
			answers = append(answers, v)
		}
	default:
		return
	}
	s.formError = ""
	s.mfaAnswers = append(s.mfaAnswers, answers)
	s.event(out, "SUBMIT_MFA", func(md *metadata.Event) { md.MFAType = &s.mfa.Type })
	s.login(out)
}

func (mfaPane) change(s *session, target, value string, _ *output) {
	if slices.ContainsFunc(s.mfaFields(), func(f protocol.Field) bool { return f.ID == target }) {
		s.mfaInput[target] = value
	}
}

func (mfaPane) exitStatus(s *session) string { return mfaStatus[s.mfa.Type] }

// deviceID is the list item ID of an MFA device.
func deviceID(device string) string { return "device:" + device }

// mfaFields are the inputs of the current MFA round: none for a device
// choice, one for a code, one per question.
func (s *session) mfaFields() []protocol.Field {
	text := s.text()
	switch s.mfa.Type {
	case protocol.MFACode:
		return []protocol.Field{{ID: idCode, Label: text.Code, Kind: protocol.FieldText, Value: s.mfaInput[idCode]}}
	case protocol.MFAQuestions, protocol.MFASelections:
		var fields []protocol.Field
		for i, q := range s.mfa.Questions {
			id := "answer-" + strconv.Itoa(i+1)
			f := protocol.Field{ID: id, Label: wording.Fill(text.Question, strconv.Itoa(i+1)), Kind: protocol.FieldText, Value: s.mfaInput[id]}
			if len(q.Options) > 0 {
				f.Kind, f.Options = protocol.FieldSelect, q.Options
			}
			fields = append(fields, f)
		}
		return fields
	}
	return nil
}
