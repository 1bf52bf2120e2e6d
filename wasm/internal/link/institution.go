package link

import (
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/wasm/internal/wording"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// searchDelayMS is how long the user must pause typing before a search is
// reported as SEARCH_INSTITUTION.
const searchDelayMS = 300

// waitSearch is the pause in typing that reports a search.
const waitSearch = "search"

// institutionPane lists the institutions to choose from, with a search.
type institutionPane struct{ confirmsExit }

func (institutionPane) name() string { return "SELECT_INSTITUTION" }

func (institutionPane) view(s *session, v *protocol.View) {
	text := s.text()
	v.Heading = text.SelectHeading
	v.Fields = []protocol.Field{{ID: idSearch, Label: text.Search, Kind: protocol.FieldSearch, Value: s.query}}
	listed := s.institutions()
	list := &protocol.List{Label: text.Institutions, Items: make([]protocol.Item, 0, len(listed))}
	for _, in := range listed {
		list.Items = append(list.Items, protocol.Item{ID: in.ID, Label: in.Name})
	}
	if len(list.Items) == 0 {
		list.Empty = wording.Fill(text.NoResults, s.query)
		v.Text = []string{text.NoResultsHint}
	}
	v.List = list
}

func (institutionPane) press(s *session, target string, out *output) {
	if in, ok := s.offered(target); ok {
		s.selectInstitution(in, out)
	}
}

// change takes the search query, reported once the user pauses typing.
func (institutionPane) change(s *session, target, value string, out *output) {
	if target != idSearch {
		return
	}
	s.query = value
	s.setTimer(out, waitSearch, searchDelayMS, func(out *output) {
		if _, ok := s.pane.(institutionPane); ok && s.query != "" {
			s.event(out, "SEARCH_INSTITUTION", func(md *metadata.Event) { md.InstitutionSearchQuery = &s.query })
		}
	})
	s.render(out)
}

func (institutionPane) exitStatus(s *session) string {
	if s.query != "" && len(s.institutions()) == 0 {
		return statusInstitutionNotFound
	}
	return statusRequiresCredentials
}

// institutions are the institutions this session offers: those the server
// agrees Link lists for its countries and products, matching the search
// query. The list is shared: callers must not change it.
func (s *session) institutions() []sandbox.Institution {
	listed := s.listed()
	q := strings.ToLower(strings.TrimSpace(s.query))
	if q == "" {
		return listed
	}
	var out []sandbox.Institution
	for _, in := range listed {
		if strings.Contains(strings.ToLower(in.Name), q) {
			out = append(out, in)
		}
	}
	return out
}

// listing is sandbox.ListedInstitutions for the countries and products it
// was made for, kept while the session's stay the same.
type listing struct {
	countries, products []string
	list                []sandbox.Institution
}

// listed is sandbox.ListedInstitutions for the session's configuration.
func (s *session) listed() []sandbox.Institution {
	l := &s.listing
	if l.list == nil || !slices.Equal(l.countries, s.cfg.CountryCodes) || !slices.Equal(l.products, s.cfg.Products) {
		*l = listing{countries: slices.Clone(s.cfg.CountryCodes), products: slices.Clone(s.cfg.Products),
			list: sandbox.ListedInstitutions(s.cfg.CountryCodes, s.cfg.Products)}
		if l.list == nil {
			l.list = []sandbox.Institution{}
		}
	}
	return l.list
}

// offered returns the listed institution with the given ID.
func (s *session) offered(id string) (sandbox.Institution, bool) {
	list := s.institutions()
	i := slices.IndexFunc(list, func(in sandbox.Institution) bool { return in.ID == id })
	if i < 0 {
		return sandbox.Institution{}, false
	}
	return list[i], true
}

// selectInstitution goes on with the chosen institution: to the ERROR pane
// when it is down, to the payment's consent, to the bank's own login or to
// Link's.
func (s *session) selectInstitution(in sandbox.Institution, out *output) {
	in.Health = s.health(in)
	s.institution = &in
	s.username, s.password, s.formError, s.oauth.stateID = "", "", "", ""
	switch {
	case in.Health == sandbox.HealthDown:
		s.event(out, "SELECT_DOWN_INSTITUTION", nil)
		s.lastErr = institutionDownError()
		s.transition(errorPane{}, out)
	case in.Health == sandbox.HealthDegraded:
		s.event(out, "SELECT_DEGRADED_INSTITUTION", nil)
		s.transition(credentialPane{}, out)
	case s.cfg.Payment != nil:
		s.event(out, "SELECT_INSTITUTION", nil)
		s.transition(consentPane{}, out) // the payment, for the payer to agree to
	case in.OAuth:
		s.event(out, "SELECT_INSTITUTION", nil)
		s.transition(oauthPane{}, out)
	default:
		s.event(out, "SELECT_INSTITUTION", nil)
		s.transition(credentialPane{}, out)
	}
}

// viaBank reports whether the user logs in at the bank's own page rather
// than in Link: at OAuth institutions, and to authorise a payment.
func (s *session) viaBank() bool {
	return s.institution != nil && (s.institution.OAuth || s.cfg.Payment != nil)
}

// institutionDown reports whether the chosen institution is down: Link
// then shows it on the ERROR pane and never asks for credentials.
func (s *session) institutionDown() bool {
	return s.institution != nil && s.institution.Health == sandbox.HealthDown
}
