package link

import (
	"fmt"
	"strconv"

	"github.com/linkharness/linkharness/internal/sandbox"
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

// deviceID is the list item ID of an MFA device.
func deviceID(device string) string { return "device:" + device }

// text is the wording in the session's language.
func (s *session) text() *messages {
	if m, ok := languages[s.cfg.Language]; ok {
		return m
	}
	return &english
}

// clientName is the name the panes show for the integrating app.
func (s *session) clientName() string {
	if s.cfg.ClientName != "" {
		return s.cfg.ClientName
	}
	return s.text().ThisApp
}

// render shows the current pane.
func (s *session) render(out *output) {
	v := s.view()
	out.add(protocol.Effect{Kind: protocol.KindRender, View: &v})
}

func (s *session) view() protocol.View {
	text := s.text()
	v := protocol.View{Pane: s.pane, Title: text.Title, Close: &protocol.Button{ID: idClose, Label: text.Close}}
	primary := func(id, label string) protocol.Button { return protocol.Button{ID: id, Label: label, Primary: true} }
	switch s.pane {
	case paneLoading:
		v.Heading, v.Busy = text.Loading, true
	case paneConsent:
		if p := s.cfg.Payment; p != nil {
			v.Heading = text.PaymentHeading
			v.Text = []string{fmt.Sprintf(text.PaymentBody, p.Amount, p.RecipientName), fmt.Sprintf(text.PaymentReference, p.Reference)}
		} else if s.cfg.european() {
			v.Heading = fmt.Sprintf(text.EUConsentHeading, s.clientName())
			v.Text = []string{fmt.Sprintf(text.EUConsentBody, s.clientName()), text.EUConsentBody2}
		} else {
			v.Heading = fmt.Sprintf(text.ConsentHeading, s.clientName())
			v.Text = []string{text.ConsentBody, fmt.Sprintf(text.ConsentBody2, s.clientName())}
		}
		v.Buttons = []protocol.Button{primary(idContinue, text.Continue)}
	case paneSelectInstitution:
		v.Heading = text.SelectHeading
		v.Fields = []protocol.Field{{ID: idSearch, Label: text.Search, Kind: protocol.FieldSearch, Value: s.query}}
		list := &protocol.List{Label: text.Institutions, Items: []protocol.Item{}}
		for _, in := range s.institutions() {
			list.Items = append(list.Items, protocol.Item{ID: in.ID, Label: in.Name})
		}
		if len(list.Items) == 0 {
			list.Empty = fmt.Sprintf(text.NoResults, s.query)
			v.Text = []string{text.NoResultsHint}
		}
		v.List = list
	case paneCredential:
		v.Heading = fmt.Sprintf(text.CredentialHeading, s.institution.Name)
		if s.institution.Health == sandbox.HealthDegraded {
			v.Text = []string{fmt.Sprintf(text.DegradedWarning, s.institution.Name)}
		}
		v.Error = s.formError
		v.Fields = []protocol.Field{
			{ID: idUsername, Label: text.Username, Kind: protocol.FieldText, Value: s.username},
			{ID: idPassword, Label: text.Password, Kind: protocol.FieldPassword, Value: s.password},
		}
		v.Buttons = []protocol.Button{primary(idSubmit, text.Submit)}
	case paneMFA:
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
	case paneError:
		v.Heading, v.Error = text.ErrorHeading, s.errorText()
		if s.institutionDown() {
			v.Heading = fmt.Sprintf(text.DownHeading, s.institution.Name)
			v.Error = fmt.Sprintf(text.DownBody, s.institution.Name)
			v.Buttons = []protocol.Button{primary(idChooseAnother, text.ChooseAnother)}
		} else if s.cfg.UpdateMode {
			// Update mode repairs one Item: there is no other bank.
			v.Buttons = []protocol.Button{primary(idRetry, text.Retry)}
		} else {
			v.Buttons = []protocol.Button{primary(idRetry, text.Retry), {ID: idChooseAnother, Label: text.ChooseAnother}}
		}
	case paneSelectAccount:
		v.Heading = text.AccountsHeading
		list := &protocol.List{Label: text.Accounts, Multiple: true, Items: []protocol.Item{}}
		for _, a := range s.accounts {
			detail := a.Subtype
			if a.Mask != nil {
				detail += " \u2022\u2022\u2022\u2022 " + *a.Mask
			}
			list.Items = append(list.Items, protocol.Item{ID: a.ID, Label: a.Name, Detail: detail, Selected: s.selected[a.ID]})
		}
		v.List = list
		cont := primary(idContinue, text.Continue)
		cont.Disabled = len(s.chosenAccounts()) == 0
		v.Buttons = []protocol.Button{cont}
	case paneConnected:
		v.Heading = text.ConnectedHeading
		if s.cfg.MultiItem {
			v.Text = []string{fmt.Sprintf(text.ItemLinked, s.institution.Name)}
			v.Buttons = []protocol.Button{primary(idFinish, text.Finish), {ID: idAddAnother, Label: text.AddAnother}}
		} else {
			v.Text = []string{fmt.Sprintf(text.Connected, s.clientName())}
			v.Buttons = []protocol.Button{primary(idContinue, text.Continue)}
		}
	case paneOAuth:
		if s.waitingOAuth {
			// Busy: Link waits on the bank's window, though the user may
			// still close it.
			v.Heading = fmt.Sprintf(text.OAuthWaitingHeading, s.institution.Name)
			v.Text, v.Busy = []string{text.OAuthWaitingBody}, true
		} else {
			v.Heading = fmt.Sprintf(text.OAuthHeading, s.institution.Name)
			v.Text = []string{fmt.Sprintf(text.OAuthBody, s.institution.Name)}
			v.Buttons = []protocol.Button{primary(idContinue, text.Continue)}
		}
	case paneExit:
		v.Heading = text.ExitHeading
		v.Text = []string{text.ExitBody}
		v.Buttons = []protocol.Button{primary(idExitConfirm, text.ExitConfirm), {ID: idExitCancel, Label: text.ExitCancel}}
	}
	return v
}

// mfaFields are the inputs of the current MFA round: none for a device
// choice, one for a code, one per question.
func (s *session) mfaFields() []protocol.Field {
	if s.mfa == nil {
		return nil
	}
	text := s.text()
	switch s.mfa.Type {
	case protocol.MFACode:
		return []protocol.Field{{ID: idCode, Label: text.Code, Kind: protocol.FieldText, Value: s.mfaInput[idCode]}}
	case protocol.MFAQuestions, protocol.MFASelections:
		var fields []protocol.Field
		for i, q := range s.mfa.Questions {
			id := "answer-" + strconv.Itoa(i+1)
			f := protocol.Field{ID: id, Label: fmt.Sprintf(text.Question, i+1), Kind: protocol.FieldText, Value: s.mfaInput[id]}
			if len(q.Options) > 0 {
				f.Kind, f.Options = protocol.FieldSelect, q.Options
			}
			fields = append(fields, f)
		}
		return fields
	}
	return nil
}

// errorText is the ERROR pane's message for the last error, in the
// session's language.
func (s *session) errorText() string {
	text := s.text()
	if s.lastErr == nil {
		return text.ErrorOther
	}
	switch s.lastErr.ErrorCode {
	case "INVALID_CREDENTIALS", "INSUFFICIENT_CREDENTIALS":
		return text.ErrorCredentials
	case "INVALID_MFA", "INVALID_SEND_METHOD":
		return text.ErrorMFA
	case "ITEM_LOCKED":
		return text.ErrorLocked
	case "NO_ACCOUNTS":
		return text.ErrorNoAccounts
	case "ACCESS_NOT_GRANTED":
		return text.ErrorOAuth
	}
	if s.lastErr.ErrorType == "INSTITUTION_ERROR" {
		return text.ErrorInstitution
	}
	if s.cfg.Language == "en" && s.lastErr.DisplayMessage != nil && *s.lastErr.DisplayMessage != "" {
		return *s.lastErr.DisplayMessage
	}
	return text.ErrorOther
}
