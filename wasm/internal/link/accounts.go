package link

import (
	"slices"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// accountsPane lets the user choose the Item's accounts to share.
type accountsPane struct {
	confirmsExit
	noFields
}

func (accountsPane) name() string { return "SELECT_ACCOUNT" }

func (accountsPane) view(s *session, v *protocol.View) {
	text := s.text()
	v.Heading = text.AccountsHeading
	// Account Select for one account is a list that picks one; for all
	// accounts, every account is checked.
	single := s.settings.AccountSelect == protocol.AccountSelectSingle
	list := &protocol.List{Label: text.Accounts, Multiple: !single, Items: make([]protocol.Item, 0, len(s.accounts))}
	for _, a := range s.accounts {
		detail := a.Subtype
		if a.Mask != nil {
			detail += " \u2022\u2022\u2022\u2022 " + *a.Mask
		}
		list.Items = append(list.Items, protocol.Item{ID: a.ID, Label: a.Name, Detail: detail, Selected: s.selected[a.ID]})
	}
	v.List = list
	cont := primary(idContinue, text.Continue)
	cont.Disabled = !s.anyChosen()
	v.Buttons = []protocol.Button{cont}
}

// press toggles an account, or goes on with those chosen.
func (accountsPane) press(s *session, target string, out *output) {
	switch {
	case target == idContinue && s.anyChosen():
		s.connect(out)
	case s.settings.AccountSelect == protocol.AccountSelectAll:
		// Every account is shared: a checkbox the user unchecks is
		// checked again.
		s.render(out)
	case !slices.ContainsFunc(s.accounts, func(a protocol.Account) bool { return a.ID == target }):
	case s.settings.AccountSelect == protocol.AccountSelectSingle:
		s.selected = map[string]bool{target: true}
		s.render(out)
	default:
		s.selected[target] = !s.selected[target]
		s.render(out)
	}
}

func (accountsPane) exitStatus(*session) string { return statusRequiresAccountSelection }

// anyChosen reports whether the user chose an account.
func (s *session) anyChosen() bool {
	return slices.ContainsFunc(s.accounts, func(a protocol.Account) bool { return s.selected[a.ID] })
}

func (s *session) chosenAccounts() []protocol.Account {
	var chosen []protocol.Account
	for _, a := range s.accounts {
		if s.selected[a.ID] {
			chosen = append(chosen, a)
		}
	}
	return chosen
}
