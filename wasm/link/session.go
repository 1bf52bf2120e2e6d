package link

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/wasm/sandbox"
)

// Panes, by the view_name Plaid gives them in TRANSITION_VIEW events.
const (
	paneClosed            = ""
	paneLoading           = "LOADING"
	paneConsent           = "CONSENT"
	paneSelectInstitution = "SELECT_INSTITUTION"
	paneCredential        = "CREDENTIAL"
	paneSelectAccount     = "SELECT_ACCOUNT"
	paneConnected         = "CONNECTED"
	paneError             = "ERROR"
)

// Exit statuses (onExit metadata.status, EXIT exit_status).
const (
	statusRequiresCredentials      = "requires_credentials"
	statusRequiresAccountSelection = "requires_account_selection"
)

// searchDelayMS is how long the user must pause typing before a search is
// reported as SEARCH_INSTITUTION.
const searchDelayMS = 300

// statusOK is the HTTP status of a successful backend answer.
const statusOK = 200

// session is one Plaid.create handler.
type session struct {
	cfg    config
	cfgErr *configError

	pane string
	// resume is the pane a LOADING pane stands in for, for the exit status.
	resume string
	// pending is the ID of the request the session waits on, 0 if none.
	pending int
	nextID  int

	linkSessionID string
	requestID     string
	lastErr       *protocol.PlaidError

	institution *sandbox.Institution
	query       string
	searchTimer int
	username    string
	password    string
	formError   string
	itemID      string
	accounts    []protocol.Account
	selected    map[string]bool
}

func newSession(raw json.RawMessage, out *output) *session {
	s := &session{}
	s.cfg, s.cfgErr = parseConfig(raw)
	if s.cfgErr != nil {
		out.console(protocol.LevelError, s.cfgErr.Error())
	}
	if s.cfg.callbacks[protocol.OnLoad] {
		out.callback(protocol.OnLoad)
	}
	return s
}

func (s *session) handle(m protocol.Message, out *output) {
	switch m.Type {
	case protocol.TypeOpen:
		s.open(out)
	case protocol.TypeExit:
		switch s.pane {
		case paneClosed:
			out.console(protocol.LevelWarn, "attempted to exit Link when it was not open")
		case paneConnected:
			s.handoff(out)
		default:
			s.exit(out)
		}
	case protocol.TypePress:
		s.press(m.Target, out)
	case protocol.TypeChange:
		s.change(m.Target, m.Value, out)
	case protocol.TypeResponse:
		if m.Response != nil && m.Response.ID == s.pending && s.pending != 0 {
			s.pending = 0
			s.respond(m.Response, out)
		}
	case protocol.TypeTimer:
		if m.Timer == s.searchTimer && s.pane == paneSelectInstitution && s.query != "" {
			s.event(out, "SEARCH_INSTITUTION", func(md *eventMetadata) { md.InstitutionSearchQuery = &s.query })
		}
	default:
		out.console(protocol.LevelError, fmt.Sprintf("linkharness: unknown message type %q", m.Type))
	}
}

func (s *session) open(out *output) {
	if s.pane != paneClosed {
		out.console(protocol.LevelWarn, "attempted to open Link when it was already open")
		return
	}
	*s = session{cfg: s.cfg, cfgErr: s.cfgErr, nextID: s.nextID}
	s.linkSessionID = out.uuid()
	if s.cfgErr != nil {
		// Link failed to initialize: there is no flow to show.
		s.lastErr = s.cfgErr.plaidError()
		if !s.cfg.callbacks[protocol.OnExit] {
			out.console(protocol.LevelError, s.cfgErr.Error()+"; Link cannot open")
			return
		}
		out.callback(protocol.OnExit, s.lastErr, s.exitMetadata(nil))
		return
	}
	s.request(out, paneConsent, protocol.PathSessionOpen, protocol.SessionOpenRequest{
		PublicKey:     s.cfg.Key,
		Env:           s.cfg.Env,
		ClientName:    s.cfg.ClientName,
		Products:      s.cfg.Products,
		CountryCodes:  s.cfg.CountryCodes,
		Language:      s.cfg.Language,
		Webhook:       s.cfg.Webhook,
		LinkSessionID: s.linkSessionID,
	})
}

// request shows the LOADING pane in place of resume and asks the host to
// call the backend.
func (s *session) request(out *output, resume, path string, body any) {
	b, err := json.Marshal(body)
	if err != nil { // unreachable: bodies are plain structs
		panic(err)
	}
	s.nextID++
	s.pending = s.nextID
	s.pane, s.resume = paneLoading, resume
	out.add(protocol.Effect{Kind: protocol.KindRequest, Request: &protocol.Request{ID: s.pending, Path: path, Body: b}})
	s.render(out)
}

func (s *session) respond(r *protocol.Response, out *output) {
	path := s.resume
	if r.Status != statusOK {
		s.fail(responseError(r), out)
		return
	}
	switch path {
	case paneConsent:
		var body protocol.SessionOpenResponse
		if !s.decode(r, &body, out) {
			return
		}
		s.requestID = body.RequestID
		s.pane = paneConsent
		s.event(out, "OPEN", func(md *eventMetadata) { md.IsUpdateMode = ptr("false") })
		s.render(out)
	case paneCredential:
		var body protocol.ItemCreateResponse
		if !s.decode(r, &body, out) {
			return
		}
		s.requestID, s.itemID = body.RequestID, body.ItemID
		s.accounts = s.accounts[:0]
		for _, a := range body.Accounts {
			if sandbox.AccountFits(a.Type, a.Subtype, s.cfg.Products) {
				s.accounts = append(s.accounts, a)
			}
		}
		s.selected = map[string]bool{}
		if len(s.accounts) == 1 {
			s.selected[s.accounts[0].ID] = true
		}
		s.transition(paneSelectAccount, out)
	case paneSelectAccount:
		var body protocol.ItemConnectResponse
		if !s.decode(r, &body, out) {
			return
		}
		s.requestID = body.RequestID
		s.transition(paneConnected, out)
		chosen := s.chosenAccounts()
		var account any
		if len(chosen) == 1 {
			account = chosen[0]
		}
		out.callback(protocol.OnSuccess, body.PublicToken, successMetadata{
			Institution:   s.institutionRef(),
			Accounts:      chosen,
			Account:       account,
			LinkSessionID: s.linkSessionID,
		})
	}
}

// decode reads a successful response body; a body that does not decode is a
// failure of the backend, shown as such.
func (s *session) decode(r *protocol.Response, v any, out *output) bool {
	if err := json.Unmarshal(r.Body, v); err != nil {
		s.fail(internalError("the server's answer could not be read: "+err.Error()), out)
		return false
	}
	return true
}

// fail shows an error from the backend. Before Link has opened there is no
// flow to return to, so the session ends in onExit.
func (s *session) fail(e *protocol.PlaidError, out *output) {
	if e.RequestID != "" {
		s.requestID = e.RequestID
	}
	s.lastErr = e
	if s.resume == paneConsent {
		s.finish(out)
		if s.cfg.callbacks[protocol.OnExit] {
			out.callback(protocol.OnExit, e, s.exitMetadata(nil))
		}
		return
	}
	s.transition(paneError, out)
	s.event(out, "ERROR", func(md *eventMetadata) { md.setError(e) })
}

func responseError(r *protocol.Response) *protocol.PlaidError {
	if r.Status == 0 {
		return internalError("the linkharness server could not be reached")
	}
	var e protocol.PlaidError
	if json.Unmarshal(r.Body, &e) != nil || e.ErrorCode == "" {
		return internalError(fmt.Sprintf("the server answered with HTTP status %d", r.Status))
	}
	return &e
}

func internalError(msg string) *protocol.PlaidError {
	return &protocol.PlaidError{
		ErrorType:      "API_ERROR",
		ErrorCode:      "INTERNAL_SERVER_ERROR",
		ErrorMessage:   msg,
		DisplayMessage: ptr("Something went wrong. Please try again later."),
	}
}

func (s *session) press(target string, out *output) {
	if s.pane == paneClosed || s.pane == paneLoading {
		return
	}
	if target == idClose {
		if s.pane == paneConnected {
			s.handoff(out)
		} else {
			s.exit(out)
		}
		return
	}
	switch s.pane {
	case paneConsent:
		if target == idContinue {
			s.transition(paneSelectInstitution, out)
		}
	case paneSelectInstitution:
		in, ok := sandbox.InstitutionByID(target)
		if !ok || !slices.ContainsFunc(s.institutions(), func(i sandbox.Institution) bool { return i.ID == in.ID }) {
			return
		}
		s.institution = &in
		s.event(out, "SELECT_INSTITUTION", nil)
		s.username, s.password, s.formError = "", "", ""
		s.transition(paneCredential, out)
	case paneCredential:
		if target != idSubmit {
			return
		}
		if strings.TrimSpace(s.username) == "" || s.password == "" {
			s.formError = s.text().CredentialsMissing
			s.render(out)
			return
		}
		s.formError = ""
		s.event(out, "SUBMIT_CREDENTIALS", nil)
		s.request(out, paneCredential, protocol.PathItemCreate, protocol.ItemCreateRequest{
			PublicKey:     s.cfg.Key,
			LinkSessionID: s.linkSessionID,
			InstitutionID: s.institution.ID,
			Products:      s.cfg.Products,
			Webhook:       s.cfg.Webhook,
			Username:      s.username,
			Password:      s.password,
		})
	case paneError:
		if target == idRetry {
			s.password = ""
			s.transition(paneCredential, out)
		}
	case paneSelectAccount:
		switch {
		case target == idContinue && len(s.chosenAccounts()) > 0:
			ids := make([]string, 0, len(s.selected))
			for _, a := range s.chosenAccounts() {
				ids = append(ids, a.ID)
			}
			s.request(out, paneSelectAccount, protocol.PathItemConnect, protocol.ItemConnectRequest{
				PublicKey:     s.cfg.Key,
				LinkSessionID: s.linkSessionID,
				ItemID:        s.itemID,
				AccountIDs:    ids,
			})
		case slices.ContainsFunc(s.accounts, func(a protocol.Account) bool { return a.ID == target }):
			s.selected[target] = !s.selected[target]
			s.render(out)
		}
	case paneConnected:
		if target == idContinue {
			s.handoff(out)
		}
	}
}

func (s *session) change(target, value string, out *output) {
	switch {
	case s.pane == paneCredential && target == idUsername:
		s.username = value
	case s.pane == paneCredential && target == idPassword:
		s.password = value
	case s.pane == paneSelectInstitution && target == idSearch:
		s.query = value
		s.nextID++
		s.searchTimer = s.nextID
		out.add(protocol.Effect{Kind: protocol.KindTimer, Timer: &protocol.Timer{ID: s.searchTimer, DelayMS: searchDelayMS}})
		s.render(out)
	}
}

// institutions are the institutions this session offers: in one of its
// countries, supporting all its products, matching the search query.
func (s *session) institutions() []sandbox.Institution {
	var list []sandbox.Institution
	q := strings.ToLower(strings.TrimSpace(s.query))
	for _, in := range sandbox.Institutions {
		if in.OAuth || !in.InCountry(s.cfg.CountryCodes) || !in.Supports(s.cfg.Products) {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(in.Name), q) {
			continue
		}
		list = append(list, in)
	}
	return list
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

// transition moves to pane, reports it and shows it.
func (s *session) transition(pane string, out *output) {
	s.pane = pane
	s.event(out, "TRANSITION_VIEW", func(md *eventMetadata) { md.ViewName = &s.pane })
	s.render(out)
}

// handoff ends a session that linked an Item: onSuccess has fired already.
func (s *session) handoff(out *output) {
	s.event(out, "HANDOFF", nil)
	s.finish(out)
}

// exit ends the session without an Item: EXIT, then onExit.
func (s *session) exit(out *output) {
	status := s.exitStatus()
	s.event(out, "EXIT", func(md *eventMetadata) {
		md.ExitStatus = &status
		md.setError(s.lastErr)
	})
	s.finish(out)
	if s.cfg.callbacks[protocol.OnExit] {
		out.callback(protocol.OnExit, s.lastErr, s.exitMetadata(&status))
	}
}

// finish closes the UI and forgets any request in flight.
func (s *session) finish(out *output) {
	s.pane, s.resume, s.pending, s.searchTimer = paneClosed, "", 0, 0
	out.add(protocol.Effect{Kind: protocol.KindClose})
}

func (s *session) destroy(out *output) {
	if s.pane != paneClosed {
		s.finish(out)
	}
}

func (s *session) exitStatus() string {
	pane := s.pane
	if pane == paneLoading {
		pane = s.resume
	}
	if pane == paneSelectAccount {
		return statusRequiresAccountSelection
	}
	return statusRequiresCredentials
}

func ptr[T any](v T) *T { return &v }
