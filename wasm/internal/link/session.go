package link

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// Panes, by the view_name Plaid gives them in TRANSITION_VIEW events.
const (
	paneClosed            = ""
	paneLoading           = "LOADING"
	paneConsent           = "CONSENT"
	paneSelectInstitution = "SELECT_INSTITUTION"
	paneCredential        = "CREDENTIAL"
	paneMFA               = "MFA"
	paneSelectAccount     = "SELECT_ACCOUNT"
	paneConnected         = "CONNECTED"
	paneError             = "ERROR"
	paneExit              = "EXIT"
	paneOAuth             = "OAUTH"
)

// Exit statuses (onExit metadata.status, EXIT exit_status).
const (
	statusRequiresCredentials      = "requires_credentials"
	statusRequiresQuestions        = "requires_questions"
	statusRequiresSelections       = "requires_selections"
	statusRequiresCode             = "requires_code"
	statusChooseDevice             = "choose_device"
	statusRequiresAccountSelection = "requires_account_selection"
	statusInstitutionNotFound      = "institution_not_found"
	statusInstitutionNotSupported  = "institution_not_supported"
	statusRequiresOAuth            = "requires_oauth"
)

// mfaStatus is the exit status of each MFA type's pane.
var mfaStatus = map[string]string{
	protocol.MFADevice:     statusChooseDevice,
	protocol.MFACode:       statusRequiresCode,
	protocol.MFAQuestions:  statusRequiresQuestions,
	protocol.MFASelections: statusRequiresSelections,
}

// What a LOADING pane waits for.
const (
	waitOpen    = "open"
	waitOAuth   = "oauth"
	waitLogin   = "login"
	waitConnect = "connect"
	waitPayment = "payment"
)

// pollDelayMS is how often Link asks whether the user has finished at an
// OAuth bank's window.
const pollDelayMS = 1000

// searchDelayMS is how long the user must pause typing before a search is
// reported as SEARCH_INSTITUTION.
const searchDelayMS = 300

// statusOK is the HTTP status of a successful backend answer.
const statusOK = 200

// session is one Plaid.create handler. Everything from linkSessionID on is
// the state of one open(), reset by the next.
type session struct {
	cfg    config
	cfgErr *configError
	// base is the configuration as Plaid.create gave it; a link token's
	// configuration is applied to a copy at each open().
	base   config
	nextID int

	pane string
	// back is the pane the EXIT confirmation returns to.
	back string
	// waiting and from say what a LOADING pane waits for and which pane
	// asked; pending is the ID of that request.
	waiting, from string
	pending       int

	linkSessionID string
	requestID     string
	lastErr       *protocol.PlaidError

	institution *sandbox.Institution
	query       string
	searchTimer int
	username    string
	password    string
	formError   string
	mfa         *protocol.MFAChallenge
	mfaAnswers  [][]string
	mfaInput    map[string]string
	itemID      string
	accounts    []protocol.Account
	selected    map[string]bool

	// OAuth: the state the bank's window decides, the window, whether Link
	// waits on it, and the poll of its status (timer and request IDs).
	oauthStateID string
	window       int
	waitingOAuth bool
	windowClosed bool
	pollTimer    int
	statusReq    int

	// record holds what the server has not been told yet; requested says
	// the current message made a backend request, a moment to tell it.
	record    protocol.SessionRecordRequest
	requested bool
}

func newSession(raw json.RawMessage, out *output) *session {
	s := &session{}
	s.cfg, s.cfgErr = parseConfig(raw)
	s.base = s.cfg
	if s.cfgErr != nil {
		out.console(protocol.LevelError, s.cfgErr.Error())
	}
	if s.cfg.callbacks[protocol.OnLoad] {
		out.callback(protocol.OnLoad)
	}
	return s
}

func (s *session) handle(m protocol.Message, out *output) {
	s.requested = false
	switch m.Type {
	case protocol.TypeOpen:
		s.open(out)
	case protocol.TypeExit:
		switch {
		case s.pane == paneClosed:
			out.console(protocol.LevelWarn, "attempted to exit Link when it was not open")
		case m.Force:
			s.leave(out)
		default:
			s.askExit(out)
		}
	case protocol.TypePress:
		s.press(m.Target, out)
	case protocol.TypeChange:
		s.change(m.Target, m.Value, out)
	case protocol.TypeResponse:
		switch {
		case m.Response == nil:
		case s.pending != 0 && m.Response.ID == s.pending:
			s.pending = 0
			s.respond(m.Response, out)
		case s.statusReq != 0 && m.Response.ID == s.statusReq:
			s.statusReq = 0
			s.oauthStatus(m.Response, out)
		}
	case protocol.TypeTimer:
		switch {
		case m.Timer == s.searchTimer && s.pane == paneSelectInstitution && s.query != "":
			s.event(out, "SEARCH_INSTITUTION", func(md *eventMetadata) { md.InstitutionSearchQuery = &s.query })
		case m.Timer == s.pollTimer && s.waitingOAuth:
			s.pollOAuth(out)
		}
	case protocol.TypeWindowClosed:
		if m.Window == s.window && s.waitingOAuth {
			s.windowClosed = true
			if s.statusReq == 0 {
				s.pollOAuth(out) // one last look: the bank may have said yes
			}
		}
	default:
		out.console(protocol.LevelError, fmt.Sprintf("linkharness: unknown message type %q", m.Type))
	}
	s.flush(out)
}

func (s *session) open(out *output) {
	if s.pane != paneClosed {
		out.console(protocol.LevelWarn, "attempted to open Link when it was already open")
		return
	}
	*s = session{cfg: s.base, cfgErr: s.cfgErr, base: s.base, nextID: s.nextID}
	s.linkSessionID = out.uuid()
	if s.cfgErr != nil {
		// Link failed to initialize: there is no flow to show.
		s.lastErr = s.cfgErr.plaidError()
		if !s.cfg.callbacks[protocol.OnExit] && !s.cfg.Webview {
			out.console(protocol.LevelError, s.cfgErr.Error()+"; Link cannot open")
			return
		}
		s.onExit(out, s.lastErr, s.exitMetadata(nil))
		return
	}
	if !s.cfg.linkTokenMode() && !s.cfg.resuming() {
		// A legacy configuration says all Link needs: OPEN in real time. A
		// link token's says whether it is update mode once the server has
		// answered. Link re-initialised after an OAuth redirect carries on
		// the session that opened before.
		s.opened(out)
	}
	publicToken := s.cfg.legacyPayer()
	if s.cfg.legacyUpdate() {
		publicToken = s.cfg.Token
	}
	s.request(out, waitOpen, protocol.PathSessionOpen, protocol.SessionOpenRequest{
		PublicToken:         publicToken,
		PaymentToken:        s.cfg.PaymentToken,
		OAuthNonce:          s.cfg.OAuthNonce,
		OAuthRedirectURI:    s.cfg.OAuthRedirectURI,
		OAuthStateID:        s.cfg.OAuthStateID,
		ReceivedRedirectURI: s.cfg.ReceivedRedirectURI,
		PublicKey:           s.publicKey(),
		LinkToken:           s.linkToken(),
		Env:                 s.cfg.Env,
		ClientName:          s.cfg.ClientName,
		Products:            s.cfg.Products,
		CountryCodes:        s.cfg.CountryCodes,
		Language:            s.cfg.Language,
		Webhook:             s.cfg.Webhook,
		LinkSessionID:       s.linkSessionID,
	})
}

// opened reports OPEN.
func (s *session) opened(out *output) {
	update := "false"
	if s.cfg.UpdateMode || s.cfg.legacyUpdate() {
		update = "true"
	}
	s.event(out, "OPEN", func(md *eventMetadata) { md.IsUpdateMode = &update })
}

// publicKey and linkToken name the client to the backend: one of them is
// empty.
func (s *session) publicKey() string {
	if s.cfg.linkTokenMode() {
		return ""
	}
	return s.cfg.Key
}

func (s *session) linkToken() string {
	if s.cfg.linkTokenMode() {
		return s.cfg.Token
	}
	return ""
}

// request shows the LOADING pane and asks the host to call the backend.
func (s *session) request(out *output, waiting, path string, body any) {
	s.nextID++
	s.pending, s.requested = s.nextID, true
	s.waiting = waiting
	if s.pane != paneLoading {
		s.from = s.pane
	}
	s.pane = paneLoading
	out.add(protocol.Effect{Kind: protocol.KindRequest, Request: &protocol.Request{ID: s.pending, Path: path, Body: mustJSON(body)}})
	s.render(out)
}

func (s *session) respond(r *protocol.Response, out *output) {
	if r.Status != statusOK {
		s.fail(responseError(r), out)
		return
	}
	switch s.waiting {
	case waitOpen:
		var body protocol.SessionOpenResponse
		if !s.decode(r, &body, out) {
			return
		}
		s.requestID = body.RequestID
		if body.Config != nil {
			s.cfg.apply(body.Config)
		}
		if s.cfg.Resume != nil {
			s.resume(out)
			return
		}
		if s.cfg.linkTokenMode() {
			s.opened(out)
		}
		s.pane = paneConsent
		if in, ok := sandbox.InstitutionByID(s.cfg.UpdateInstitution); s.cfg.UpdateMode && ok {
			// Update mode opens straight on the Item's institution.
			s.institution, s.pane = &in, paneCredential
		}
		if s.cfg.Payment != nil {
			// Payment Initiation opens straight into the payment flow, at
			// the payer's institution when a public token named it.
			s.pane = paneSelectInstitution
			if in, ok := sandbox.InstitutionByID(s.cfg.Payment.InstitutionID); ok {
				s.institution, s.pane = &in, paneConsent
			}
		}
		s.render(out)
	case waitOAuth:
		var body protocol.OAuthStartResponse
		if !s.decode(r, &body, out) {
			return
		}
		s.requestID, s.oauthStateID = body.RequestID, body.OAuthStateID
		s.waitingOAuth, s.windowClosed = true, false
		s.pane = paneOAuth
		if s.cfg.oauthRedirect() {
			// The page goes to the bank, which sends the user back to the
			// app's redirect URI; the app re-initialises Link there.
			out.add(protocol.Effect{Kind: protocol.KindNavigate, Navigate: &protocol.Navigate{URL: body.AuthorizeURL}})
			s.render(out)
			return
		}
		s.nextID++
		s.window = s.nextID
		out.add(protocol.Effect{Kind: protocol.KindWindow, Window: &protocol.Window{ID: s.window, URL: body.AuthorizeURL}})
		s.render(out)
		s.schedulePoll(out)
	case waitLogin:
		var body protocol.ItemCreateResponse
		if !s.decode(r, &body, out) {
			return
		}
		s.requestID = body.RequestID
		if body.MFA != nil {
			s.mfa, s.mfaInput, s.formError = body.MFA, map[string]string{}, ""
			s.transition(paneMFA, out)
			return
		}
		s.itemID, s.accounts, s.selected = body.ItemID, nil, map[string]bool{}
		for _, a := range body.Accounts {
			if sandbox.AccountFits(a.Type, a.Subtype, s.cfg.Products) && s.cfg.showsAccount(a.Type, a.Subtype) {
				s.accounts = append(s.accounts, a)
			}
		}
		if len(s.accounts) == 0 {
			s.fail(noAccountsError(body.RequestID), out)
			return
		}
		if s.institution.OAuth || s.cfg.UpdateMode {
			// The user chose the accounts at the bank, or long ago.
			for _, a := range s.accounts {
				s.selected[a.ID] = true
			}
			s.connect(out)
			return
		}
		if len(s.accounts) == 1 {
			s.selected[s.accounts[0].ID] = true
		}
		s.transition(paneSelectAccount, out)
	case waitPayment:
		var body protocol.PaymentExecuteResponse
		if !s.decode(r, &body, out) {
			return
		}
		s.requestID = body.RequestID
		s.transition(paneConnected, out)
		s.succeed(out, body.PublicToken, successMetadata{Institution: s.institutionRef(), Accounts: []protocol.Account{}, LinkSessionID: s.linkSessionID})
	case waitConnect:
		var body protocol.ItemConnectResponse
		if !s.decode(r, &body, out) {
			return
		}
		s.requestID = body.RequestID
		s.transition(paneConnected, out)
		if s.cfg.MultiItem {
			// The tokens reach the integrator by webhook and
			// /link/token/get; onSuccess waits for the user to finish.
			return
		}
		chosen := s.chosenAccounts()
		var account any
		if len(chosen) == 1 {
			account = chosen[0]
		}
		s.succeed(out, body.PublicToken, successMetadata{
			Institution:   s.institutionRef(),
			Accounts:      chosen,
			Account:       account,
			LinkSessionID: s.linkSessionID,
		})
	}
}

// succeed calls onSuccess and keeps it for the server's record.
func (s *session) succeed(out *output, publicToken string, md successMetadata) {
	s.onSuccess(out, publicToken, md)
	s.record.Success = &protocol.RecordedSuccess{PublicToken: publicToken, Metadata: mustJSON(md)}
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

// fail shows an error. Before Link has shown its first pane there is no flow
// to return to, so the session ends in onExit.
func (s *session) fail(e *protocol.PlaidError, out *output) {
	if e.RequestID != "" {
		s.requestID = e.RequestID
	}
	s.lastErr = e
	if s.waiting == waitOpen {
		if s.cfg.linkTokenMode() {
			s.opened(out) // the user did open Link, though it cannot run
		}
		s.exitNow(out)
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

func noAccountsError(requestID string) *protocol.PlaidError {
	return &protocol.PlaidError{
		ErrorType:      "ITEM_ERROR",
		ErrorCode:      "NO_ACCOUNTS",
		ErrorMessage:   "no valid accounts were found for this item",
		DisplayMessage: ptr("No valid accounts were found at the financial institution. Please visit your financial institution's website to confirm accounts are available."),
		RequestID:      requestID,
	}
}

func (s *session) press(target string, out *output) {
	if s.pane == paneClosed {
		return
	}
	if target == idClose {
		s.askExit(out)
		return
	}
	switch s.pane {
	case paneConsent:
		switch {
		case target != idContinue:
		case s.cfg.Payment != nil && s.institution != nil:
			s.transition(paneOAuth, out) // the payment is agreed: on to the bank
		default:
			s.transition(paneSelectInstitution, out)
		}
	case paneSelectInstitution:
		if in, ok := s.offered(target); ok {
			s.selectInstitution(in, out)
		}
	case paneCredential:
		if target == idSubmit {
			s.submitCredentials(out)
		}
	case paneMFA:
		s.pressMFA(target, out)
	case paneSelectAccount:
		switch {
		case target == idContinue && len(s.chosenAccounts()) > 0:
			s.connect(out)
		case slices.ContainsFunc(s.accounts, func(a protocol.Account) bool { return a.ID == target }):
			s.selected[target] = !s.selected[target]
			s.render(out)
		}
	case paneConnected:
		switch {
		case target == idContinue && !s.cfg.MultiItem, target == idFinish && s.cfg.MultiItem:
			s.leave(out)
		case target == idAddAnother && s.cfg.MultiItem:
			s.institution, s.query, s.lastErr = nil, "", nil
			s.username, s.password, s.mfa, s.mfaAnswers = "", "", nil, nil
			s.itemID, s.accounts, s.selected = "", nil, nil
			s.transition(paneSelectInstitution, out)
		}
	case paneOAuth:
		if target == idContinue && !s.waitingOAuth {
			s.event(out, "OPEN_OAUTH", nil)
			s.request(out, waitOAuth, protocol.PathOAuthStart, protocol.OAuthStartRequest{
				PublicKey:     s.publicKey(),
				LinkToken:     s.linkToken(),
				LinkSessionID: s.linkSessionID,
				InstitutionID: s.institution.ID,
				ClientName:    s.cfg.ClientName,
			})
		}
	case paneError:
		switch {
		case target == idRetry && !s.institutionDown() && s.viaBank():
			s.transition(paneOAuth, out)
		case target == idRetry && !s.institutionDown():
			s.password, s.mfa, s.mfaAnswers = "", nil, nil
			s.transition(paneCredential, out)
		case target == idChooseAnother && !s.cfg.UpdateMode:
			s.institution, s.query = nil, ""
			s.transition(paneSelectInstitution, out)
		}
	case paneExit:
		switch target {
		case idExitConfirm:
			s.exitNow(out)
		case idExitCancel:
			s.transition(s.back, out)
		}
	}
}

// offered returns the listed institution with the given ID.
func (s *session) offered(id string) (sandbox.Institution, bool) {
	i := slices.IndexFunc(s.institutions(), func(in sandbox.Institution) bool { return in.ID == id })
	if i < 0 {
		return sandbox.Institution{}, false
	}
	return s.institutions()[i], true
}

func (s *session) selectInstitution(in sandbox.Institution, out *output) {
	s.institution = &in
	s.username, s.password, s.formError, s.oauthStateID = "", "", "", ""
	switch {
	case in.Health == sandbox.HealthDown:
		s.event(out, "SELECT_DOWN_INSTITUTION", nil)
		s.lastErr = institutionDownError()
		s.transition(paneError, out)
	case in.Health == sandbox.HealthDegraded:
		s.event(out, "SELECT_DEGRADED_INSTITUTION", nil)
		s.transition(paneCredential, out)
	case s.cfg.Payment != nil:
		s.event(out, "SELECT_INSTITUTION", nil)
		s.transition(paneConsent, out) // the payment, for the payer to agree to
	case in.OAuth:
		s.event(out, "SELECT_INSTITUTION", nil)
		s.transition(paneOAuth, out)
	default:
		s.event(out, "SELECT_INSTITUTION", nil)
		s.transition(paneCredential, out)
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

// connect keeps the chosen accounts and gets the public token.
func (s *session) connect(out *output) {
	var ids []string
	for _, a := range s.chosenAccounts() {
		ids = append(ids, a.ID)
	}
	s.request(out, waitConnect, protocol.PathItemConnect, protocol.ItemConnectRequest{
		PublicKey:     s.publicKey(),
		LinkToken:     s.linkToken(),
		LinkSessionID: s.linkSessionID,
		ItemID:        s.itemID,
		AccountIDs:    ids,
	})
}

func institutionDownError() *protocol.PlaidError {
	e, _ := sandbox.LookupError("INSTITUTION_DOWN")
	return &protocol.PlaidError{ErrorType: e.Type, ErrorCode: e.Code, ErrorMessage: e.Message, DisplayMessage: &e.DisplayMessage}
}

func (s *session) submitCredentials(out *output) {
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

// login asks the backend to log in with the credentials and the MFA answers
// so far or, at an OAuth institution, with the state the user approved at
// the bank.
func (s *session) login(out *output) {
	s.request(out, waitLogin, protocol.PathItemCreate, protocol.ItemCreateRequest{
		PublicKey:     s.publicKey(),
		LinkToken:     s.linkToken(),
		LinkSessionID: s.linkSessionID,
		InstitutionID: s.institution.ID,
		Products:      s.cfg.Products,
		Webhook:       s.cfg.Webhook,
		Username:      s.username,
		Password:      s.password,
		MFA:           s.mfaAnswers,
		OAuthStateID:  s.oauthStateID,
	})
}

// pressMFA answers an MFA round: a device by pressing it, the other kinds by
// Submit once every field is filled.
func (s *session) pressMFA(target string, out *output) {
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
	s.event(out, "SUBMIT_MFA", func(md *eventMetadata) { md.MFAType = &s.mfa.Type })
	s.login(out)
}

func (s *session) change(target, value string, out *output) {
	switch {
	case s.pane == paneCredential && target == idUsername:
		s.username = value
	case s.pane == paneCredential && target == idPassword:
		s.password = value
	case s.pane == paneMFA && slices.ContainsFunc(s.mfaFields(), func(f protocol.Field) bool { return f.ID == target }):
		s.mfaInput[target] = value
	case s.pane == paneSelectInstitution && target == idSearch:
		s.query = value
		s.nextID++
		s.searchTimer = s.nextID
		out.add(protocol.Effect{Kind: protocol.KindTimer, Timer: &protocol.Timer{ID: s.searchTimer, DelayMS: searchDelayMS}})
		s.render(out)
	}
}

// institutions are the institutions this session offers: those the server
// agrees Link lists for its countries and products, matching the search
// query.
func (s *session) institutions() []sandbox.Institution {
	q := strings.ToLower(strings.TrimSpace(s.query))
	return slices.DeleteFunc(sandbox.ListedInstitutions(s.cfg.CountryCodes, s.cfg.Products), func(in sandbox.Institution) bool {
		return q != "" && !strings.Contains(strings.ToLower(in.Name), q)
	})
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
	s.event(out, "TRANSITION_VIEW", func(md *eventMetadata) {
		md.ViewName = &s.pane
		if pane == paneMFA {
			md.MFAType = &s.mfa.Type
		}
	})
	s.render(out)
}

// askExit is a graceful exit: exit(), the close control or Escape. Past the
// consent pane Link asks for confirmation first.
func (s *session) askExit(out *output) {
	switch s.pane {
	case paneConsent, paneLoading, paneExit:
		s.exitNow(out)
	case paneConnected:
		s.leave(out)
	default:
		s.back = s.pane
		s.transition(paneExit, out)
	}
}

// leave ends the session at once: with HANDOFF once an Item is linked
// (after onSuccess, which Multi-Item Link fires only now, empty), otherwise
// with EXIT and onExit.
func (s *session) leave(out *output) {
	if s.pane != paneConnected {
		s.exitNow(out)
		return
	}
	if s.cfg.MultiItem {
		// Multi-Item Link's onSuccess is empty: the Items come by webhook.
		s.succeed(out, "", successMetadata{Accounts: []protocol.Account{}, LinkSessionID: s.linkSessionID})
	}
	s.event(out, "HANDOFF", nil)
	s.finish(out)
}

// exitNow ends the session without an Item: EXIT, then onExit.
func (s *session) exitNow(out *output) {
	status := s.exitStatus()
	s.event(out, "EXIT", func(md *eventMetadata) {
		md.ExitStatus = &status
		md.setError(s.lastErr)
	})
	s.finish(out)
	md := s.exitMetadata(&status)
	s.onExit(out, s.lastErr, md)
	s.record.Exit = &protocol.RecordedExit{Error: s.lastErr, Metadata: mustJSON(md)}
}

// finish closes the UI and forgets any request in flight.
func (s *session) finish(out *output) {
	s.pane, s.pending, s.searchTimer = paneClosed, 0, 0
	s.waitingOAuth, s.pollTimer, s.statusReq = false, 0, 0
	out.add(protocol.Effect{Kind: protocol.KindClose})
}

func (s *session) destroy(out *output) {
	if s.pane != paneClosed {
		s.finish(out)
	}
}

// exitStatus is where the user stands, as onExit's status names it.
func (s *session) exitStatus() string {
	pane := s.pane
	if pane == paneExit {
		pane = s.back
	}
	if pane == paneLoading {
		pane = s.from
	}
	switch pane {
	case paneSelectInstitution:
		if s.query != "" && len(s.institutions()) == 0 {
			return statusInstitutionNotFound
		}
	case paneMFA:
		return mfaStatus[s.mfa.Type]
	case paneSelectAccount:
		return statusRequiresAccountSelection
	case paneOAuth:
		return statusRequiresOAuth
	case paneError:
		if s.lastErr != nil && s.lastErr.ErrorCode == "INSTITUTION_NO_LONGER_SUPPORTED" {
			return statusInstitutionNotSupported
		}
		if s.institution != nil && s.viaBank() && s.itemID == "" {
			return statusRequiresOAuth
		}
	}
	return statusRequiresCredentials
}

// flush tells the server about the events and the end of the session since
// the last flush, alongside each of Link's own requests and when the session
// ends, so that a flow costs a few records rather than one per event. Link
// does not wait for the answer.
func (s *session) flush(out *output) {
	r := &s.record
	ended := r.Exit != nil || r.Success != nil
	if s.linkSessionID == "" || len(r.Events) == 0 && !ended {
		return // nothing to tell
	}
	if !s.requested && !ended && s.pane != paneClosed {
		return // wait for Link's next request or the end
	}
	if s.pending != 0 && s.waiting == waitOpen {
		return // the server learns of the session from the open request first
	}
	r.PublicKey, r.LinkToken, r.LinkSessionID = s.publicKey(), s.linkToken(), s.linkSessionID
	s.nextID++
	out.add(protocol.Effect{Kind: protocol.KindRequest, Request: &protocol.Request{ID: s.nextID, Path: protocol.PathSessionRecord, Body: mustJSON(r)}})
	s.record = protocol.SessionRecordRequest{}
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil { // unreachable: only plain structs are encoded
		panic(err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }
