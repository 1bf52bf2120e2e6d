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

// messages is the wording of the panes in one language.
type messages struct {
	Title, Close, Continue, Submit, Retry              string
	Loading, ConsentHeading, ConsentBody, ConsentBody2 string
	SelectHeading, Search, Institutions, NoResults     string
	CredentialHeading, Username, Password              string
	CredentialsMissing                                 string
	AccountsHeading, Accounts                          string
	ConnectedHeading, Connected, ErrorHeading          string
}

// english is the English wording; the other languages Link supports come
// with the rest of the panes (issue 3).
var english = messages{
	Title:              "Plaid Link",
	Close:              "Close",
	Continue:           "Continue",
	Submit:             "Submit",
	Retry:              "Try again",
	Loading:            "Loading",
	ConsentHeading:     "%s uses Plaid to connect your account",
	ConsentBody:        "Plaid lets you securely connect your financial accounts in seconds.",
	ConsentBody2:       "Your credentials will never be made accessible to %s.",
	SelectHeading:      "Select your bank",
	Search:             "Search",
	Institutions:       "Institutions",
	NoResults:          "No results for \u201c%s\u201d",
	CredentialHeading:  "Enter your %s credentials",
	Username:           "Username",
	Password:           "Password",
	CredentialsMissing: "Enter your username and password.",
	AccountsHeading:    "Select account",
	Accounts:           "Accounts",
	ConnectedHeading:   "Success",
	Connected:          "Your account has been successfully linked to %s.",
	ErrorHeading:       "Something went wrong",
}

// text is the wording in the session's language.
func (s *session) text() *messages { return &english }

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
	text := s.text()
	v := protocol.View{Pane: s.pane, Title: text.Title, Close: &protocol.Button{ID: idClose, Label: text.Close}}
	continueButton := protocol.Button{ID: idContinue, Label: text.Continue, Primary: true}
	switch s.pane {
	case paneLoading:
		v.Heading, v.Busy = text.Loading, true
	case paneConsent:
		v.Heading = fmt.Sprintf(text.ConsentHeading, s.clientName())
		v.Text = []string{text.ConsentBody, fmt.Sprintf(text.ConsentBody2, s.clientName())}
		v.Buttons = []protocol.Button{continueButton}
	case paneSelectInstitution:
		v.Heading = text.SelectHeading
		v.Fields = []protocol.Field{{ID: idSearch, Label: text.Search, Kind: protocol.FieldSearch, Value: s.query}}
		list := &protocol.List{Label: text.Institutions, Items: []protocol.Item{}}
		for _, in := range s.institutions() {
			list.Items = append(list.Items, protocol.Item{ID: in.ID, Label: in.Name})
		}
		if len(list.Items) == 0 {
			list.Empty = fmt.Sprintf(text.NoResults, s.query)
		}
		v.List = list
	case paneCredential:
		v.Heading = fmt.Sprintf(text.CredentialHeading, s.institution.Name)
		v.Error = s.formError
		v.Fields = []protocol.Field{
			{ID: idUsername, Label: text.Username, Kind: protocol.FieldText, Value: s.username},
			{ID: idPassword, Label: text.Password, Kind: protocol.FieldPassword, Value: s.password},
		}
		v.Buttons = []protocol.Button{{ID: idSubmit, Label: text.Submit, Primary: true}}
	case paneError:
		v.Heading = text.ErrorHeading
		if s.lastErr != nil && s.lastErr.DisplayMessage != nil && *s.lastErr.DisplayMessage != "" {
			v.Error = *s.lastErr.DisplayMessage
		} else if s.lastErr != nil {
			v.Error = s.lastErr.ErrorMessage
		}
		v.Buttons = []protocol.Button{{ID: idRetry, Label: text.Retry, Primary: true}}
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
		continueButton.Disabled = len(s.chosenAccounts()) == 0
		v.Buttons = []protocol.Button{continueButton}
	case paneConnected:
		v.Heading = text.ConnectedHeading
		v.Text = []string{fmt.Sprintf(text.Connected, s.clientName())}
		v.Buttons = []protocol.Button{continueButton}
	}
	return v
}
