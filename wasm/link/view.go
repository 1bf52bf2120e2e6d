package link

import (
	"fmt"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// IDs of the view's controls, as the host sends them back.
const (
	idClose    = "close"
	idContinue = "continue"
	idSubmit   = "submit"
	idRetry    = "retry"
	idUsername = "username"
	idPassword = "password"
	idSearch   = "search"
)

// text is the English wording of the panes.
var text = struct {
	title, close, continue_, submit, retry                 string
	loading, consentHeading, consentBody, consentBody2     string
	selectHeading, search, institutions, noResults         string
	credentialHeading, username, password                  string
	credentialsMissing                                     string
	accountsHeading, accounts, connectedHeading, connected string
	errorHeading                                           string
}{
	title:              "Plaid Link",
	close:              "Close",
	continue_:          "Continue",
	submit:             "Submit",
	retry:              "Try again",
	loading:            "Loading",
	consentHeading:     "%s uses Plaid to connect your account",
	consentBody:        "Plaid lets you securely connect your financial accounts in seconds.",
	consentBody2:       "Your credentials will never be made accessible to %s.",
	selectHeading:      "Select your bank",
	search:             "Search",
	institutions:       "Institutions",
	noResults:          "No results for \u201c%s\u201d",
	credentialHeading:  "Enter your %s credentials",
	username:           "Username",
	password:           "Password",
	credentialsMissing: "Enter your username and password.",
	accountsHeading:    "Select account",
	accounts:           "Accounts",
	connectedHeading:   "Success",
	connected:          "Your account has been successfully linked to %s.",
	errorHeading:       "Something went wrong",
}

// clientName is the name the panes show for the integrating app.
func (s *session) clientName() string {
	if s.cfg.ClientName != "" {
		return s.cfg.ClientName
	}
	return "This app"
}

// render shows the current pane.
func (s *session) render(out *output) {
	v := s.view()
	out.add(protocol.Effect{Kind: protocol.KindRender, View: &v})
}

func (s *session) view() protocol.View {
	v := protocol.View{Pane: s.pane, Title: text.title, Close: &protocol.Button{ID: idClose, Label: text.close}}
	continueButton := protocol.Button{ID: idContinue, Label: text.continue_, Primary: true}
	switch s.pane {
	case paneLoading:
		v.Heading, v.Busy = text.loading, true
	case paneConsent:
		v.Heading = fmt.Sprintf(text.consentHeading, s.clientName())
		v.Text = []string{text.consentBody, fmt.Sprintf(text.consentBody2, s.clientName())}
		v.Buttons = []protocol.Button{continueButton}
	case paneSelectInstitution:
		v.Heading = text.selectHeading
		v.Fields = []protocol.Field{{ID: idSearch, Label: text.search, Kind: protocol.FieldSearch, Value: s.query}}
		list := &protocol.List{Label: text.institutions, Items: []protocol.Item{}}
		for _, in := range s.institutions() {
			list.Items = append(list.Items, protocol.Item{ID: in.ID, Label: in.Name})
		}
		if len(list.Items) == 0 {
			list.Empty = fmt.Sprintf(text.noResults, s.query)
		}
		v.List = list
	case paneCredential:
		v.Heading = fmt.Sprintf(text.credentialHeading, s.institution.Name)
		v.Error = s.formError
		v.Fields = []protocol.Field{
			{ID: idUsername, Label: text.username, Kind: protocol.FieldText, Value: s.username},
			{ID: idPassword, Label: text.password, Kind: protocol.FieldPassword, Value: s.password},
		}
		v.Buttons = []protocol.Button{{ID: idSubmit, Label: text.submit, Primary: true}}
	case paneError:
		v.Heading = text.errorHeading
		if s.lastErr != nil && s.lastErr.DisplayMessage != nil && *s.lastErr.DisplayMessage != "" {
			v.Error = *s.lastErr.DisplayMessage
		} else if s.lastErr != nil {
			v.Error = s.lastErr.ErrorMessage
		}
		v.Buttons = []protocol.Button{{ID: idRetry, Label: text.retry, Primary: true}}
	case paneSelectAccount:
		v.Heading = text.accountsHeading
		list := &protocol.List{Label: text.accounts, Multiple: true, Items: []protocol.Item{}}
		for _, a := range s.accounts {
			detail := a.Subtype
			if a.Mask != nil {
				detail += " \u2022\u2022\u2022\u2022 " + *a.Mask
			}
			list.Items = append(list.Items, protocol.Item{ID: a.ID, Label: a.Name, Detail: detail, Selected: s.selected[a.ID]})
		}
		v.List = list
		continueButton.Disabled = len(s.chosenAccounts()) == 0
		v.Buttons = []protocol.Button{continueButton}
	case paneConnected:
		v.Heading = text.connectedHeading
		v.Text = []string{fmt.Sprintf(text.connected, s.clientName())}
		v.Buttons = []protocol.Button{continueButton}
	}
	return v
}
