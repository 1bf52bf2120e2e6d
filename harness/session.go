package harness

import (
	"cmp"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// Config is a Plaid.create configuration: Key and Product in public-key
// mode, or Token alone with a link token from /link/token/create. The
// harness passes every callback as a function and records the calls; the
// zero values of the other fields are left out, as a page would leave them
// out.
type Config struct {
	ClientName   string
	Env          string // "sandbox" when empty, in public-key mode
	Key          string
	Product      []string
	Language     string
	CountryCodes []string
	Webhook      string
	// Token is a link token (link-sandbox-...) or, in update mode, a
	// public token.
	Token string
}

// JSON is the configuration as the bridge would send it to the engine.
func (c Config) JSON() json.RawMessage {
	fn := protocol.Function{Function: true}
	m := map[string]any{"onSuccess": fn, "onExit": fn, "onEvent": fn, "onLoad": fn}
	if !strings.HasPrefix(c.Token, "link-") {
		m["env"], m["key"], m["product"] = cmp.Or(c.Env, "sandbox"), c.Key, c.Product
	}
	for k, v := range map[string]string{"clientName": c.ClientName, "language": c.Language, "webhook": c.Webhook, "token": c.Token} {
		if v != "" {
			m[k] = v
		}
	}
	if len(c.CountryCodes) > 0 {
		m["countryCodes"] = c.CountryCodes
	}
	b, _ := json.Marshal(m)
	return b
}

// thinkTime is how far a session's virtual clock moves before each user
// action.
const thinkTime = time.Second

// Session is one Plaid.create handler driven from Go.
type Session struct {
	h  *Harness
	id int

	mu   sync.Mutex
	now  time.Time
	view *protocol.View
	// window is the window Link opened (an OAuth bank's page), if open.
	window *protocol.Window
	// location is the page the tab went to when Link navigated away from
	// the app (an OAuth bank's page in the redirect flow), and redirect
	// where the bank then sent the user back to.
	location, redirect string
	calls              []Call
	console            []protocol.Console
	timers             []timer
}

type timer struct {
	id  int
	due time.Time
}

// Create is Plaid.create(config).
func (h *Harness) Create(c Config) (*Session, error) {
	return h.CreateJSON(c.JSON())
}

// CreateJSON is Plaid.create with a configuration given as the bridge encodes
// it (functions as {"$function": true}), for configurations Config cannot
// express, such as invalid ones. null is Plaid.create().
func (h *Harness) CreateJSON(config json.RawMessage) (*Session, error) {
	s := h.newSession()
	if config == nil {
		config = json.RawMessage("null")
	}
	return s, s.send(protocol.Message{Type: protocol.TypeCreate, Config: config})
}

// CreateWebview is link.html, Link for webviews, opened with query as its
// query string: the whole configuration, as the engine reads it. The
// session reports by plaidlink:// navigations (see ParseNavigation).
func (h *Harness) CreateWebview(query url.Values) (*Session, error) {
	s := h.newSession()
	return s, s.send(protocol.Message{Type: protocol.TypeCreate, Query: "?" + query.Encode()})
}

// newSession numbers a new session, its clock starting now.
func (h *Harness) newSession() *Session {
	h.mu.Lock()
	h.sessions++
	id := h.sessions
	h.mu.Unlock()
	return &Session{h: h, id: id, now: time.Now().UTC().Truncate(time.Millisecond)}
}

// Open is handler.open().
func (s *Session) Open() error {
	return s.send(protocol.Message{Type: protocol.TypeOpen})
}

// Exit is handler.exit({force}), after the user's pause.
func (s *Session) Exit(force bool) error {
	if err := s.think(); err != nil {
		return err
	}
	return s.send(protocol.Message{Type: protocol.TypeExit, Force: force})
}

// Wait lets the user pause: the virtual clock moves on and the engine's
// timers that come due fire (a search is reported after a pause in typing).
func (s *Session) Wait() error { return s.think() }

// Escape is the Escape key: it activates the dialog's close control.
func (s *Session) Escape() error {
	v := s.View()
	if v == nil || v.Close == nil {
		return fmt.Errorf("%w: no close control to escape with", ErrNotShown)
	}
	return s.Press(v.Close.Label)
}

// Window returns the address (a path on the backend) of the window Link
// opened, an OAuth institution's page, while it is open.
func (s *Session) Window() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.window == nil {
		return "", false
	}
	return s.window.URL, true
}

// Location returns the page Link navigated the tab to, away from the app:
// the OAuth institution's page in the redirect flow.
func (s *Session) Location() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.location, s.location != ""
}

// Redirected returns where the OAuth institution's page sent the user
// back to, in the redirect flow: the app's redirect URI with
// oauth_state_id, where the app re-initialises Link.
func (s *Session) Redirected() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.redirect, s.redirect != ""
}

// Authorize answers at the OAuth institution's page, allowing or denying
// access: in the window Link opened, after which the page closes its
// window, as it does in a browser, or in the redirect flow on the page
// Link went to, which sends the user back to the app (see Redirected).
func (s *Session) Authorize(allow bool) error {
	decision := "deny"
	if allow {
		decision = "allow"
	}
	if _, ok := s.Location(); ok {
		return s.answerBank(decision)
	}
	target, ok := s.Window()
	if !ok {
		return fmt.Errorf("%w: no window is open", ErrNotShown)
	}
	if _, err := s.postBank(target, decision, http.StatusOK); err != nil {
		return err
	}
	return s.CloseWindow()
}

// answerBank answers on the bank's page Link navigated to, which
// redirects back to the app.
func (s *Session) answerBank(decision string) error {
	target, _ := s.Location()
	back, err := s.postBank(target, decision, http.StatusSeeOther)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.location, s.redirect = "", back
	s.mu.Unlock()
	return nil
}

// postBank submits the bank's form with a decision and checks the answer's
// status; it returns where the answer redirects to, if anywhere.
func (s *Session) postBank(target, decision string, status int) (string, error) {
	u, err := url.Parse(target)
	if err != nil {
		return "", err
	}
	form := url.Values{"oauth_state_id": {u.Query().Get("oauth_state_id")}, "decision": {decision}}
	w := s.h.serve(u.Path, "application/x-www-form-urlencoded", form.Encode())
	if w.Code != status {
		return "", fmt.Errorf("harness: the bank's page answered %d, not %d: %s", w.Code, status, w.Body.String())
	}
	return w.Header().Get("Location"), nil
}

// CloseWindow closes the window Link opened, as a user can before
// answering, after the user's pause. In the redirect flow the user cancels
// on the bank's page instead, which sends them back to the app
// undecided.
func (s *Session) CloseWindow() error {
	if _, ok := s.Location(); ok {
		return s.answerBank("cancel")
	}
	s.mu.Lock()
	w := s.window
	s.window = nil
	s.mu.Unlock()
	if w == nil {
		return fmt.Errorf("%w: no window is open", ErrNotShown)
	}
	if err := s.think(); err != nil {
		return err
	}
	return s.send(protocol.Message{Type: protocol.TypeWindowClosed, Window: w.ID})
}

// Destroy is handler.destroy().
func (s *Session) Destroy() error {
	return s.send(protocol.Message{Type: protocol.TypeDestroy})
}

// View returns the pane Link shows, or nil when Link is closed.
func (s *Session) View() *protocol.View {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.view
}

// Calls returns the callbacks fired so far, in order; in the webview
// integration, the plaidlink:// reports instead (see ParseNavigation).
func (s *Session) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Events returns the names of the onEvent calls so far, in order.
func (s *Session) Events() []string {
	var names []string
	for _, c := range s.Calls() {
		if c.Name == protocol.OnEvent && len(c.Args) > 0 {
			var name string
			json.Unmarshal(c.Args[0], &name)
			names = append(names, name)
		}
	}
	return names
}

// Console returns what Link printed on the console so far.
func (s *Session) Console() []protocol.Console {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.console)
}

// ErrNotShown is returned when no control has the accessible name asked for.
var ErrNotShown = errors.New("harness: not shown")

// Press activates the button, close control or list item whose accessible
// name is name, as a click does. A list item of a multiple-choice list is
// toggled.
func (s *Session) Press(name string) error {
	v := s.View()
	if v == nil {
		return fmt.Errorf("%w: %q: Link is closed", ErrNotShown, name)
	}
	id, err := findPressable(v, name)
	if err != nil {
		return err
	}
	if err := s.think(); err != nil {
		return err
	}
	return s.send(protocol.Message{Type: protocol.TypePress, Target: id})
}

// Fill types value into the field labelled label, replacing what it held.
func (s *Session) Fill(label, value string) error {
	v := s.View()
	if v == nil {
		return fmt.Errorf("%w: field %q: Link is closed", ErrNotShown, label)
	}
	for _, f := range v.Fields {
		if f.Label == label {
			if err := s.think(); err != nil {
				return err
			}
			return s.send(protocol.Message{Type: protocol.TypeChange, Target: f.ID, Value: value})
		}
	}
	return fmt.Errorf("%w: field %q on pane %s (fields: %s)", ErrNotShown, label, v.Pane, fieldLabels(v))
}

func findPressable(v *protocol.View, name string) (string, error) {
	var names []string
	for _, b := range v.Buttons {
		if b.Label == name {
			if b.Disabled {
				return "", fmt.Errorf("harness: button %q is disabled on pane %s", name, v.Pane)
			}
			return b.ID, nil
		}
		names = append(names, b.Label)
	}
	if v.Close != nil {
		if v.Close.Label == name {
			return v.Close.ID, nil
		}
		names = append(names, v.Close.Label)
	}
	if v.List != nil {
		for _, it := range v.List.Items {
			if it.Label == name {
				return it.ID, nil
			}
			names = append(names, it.Label)
		}
	}
	return "", fmt.Errorf("%w: %q on pane %s (shown: %s)", ErrNotShown, name, v.Pane, strings.Join(names, ", "))
}

func fieldLabels(v *protocol.View) string {
	var labels []string
	for _, f := range v.Fields {
		labels = append(labels, f.Label)
	}
	return strings.Join(labels, ", ")
}

// think moves the virtual clock on by the user's pause and fires the timers
// that came due meanwhile.
func (s *Session) think() error {
	s.mu.Lock()
	s.now = s.now.Add(thinkTime)
	var due []int
	s.timers = slices.DeleteFunc(s.timers, func(t timer) bool {
		if !t.due.After(s.now) {
			due = append(due, t.id)
			return true
		}
		return false
	})
	s.mu.Unlock()
	for _, id := range due {
		if err := s.send(protocol.Message{Type: protocol.TypeTimer, Timer: id}); err != nil {
			return err
		}
	}
	return nil
}

// send dispatches one message and carries out its effects; responses from the
// backend are dispatched in turn until the engine waits on nothing.
func (s *Session) send(m protocol.Message) error {
	queue := []protocol.Message{m}
	for len(queue) > 0 {
		m, queue = queue[0], queue[1:]
		s.mu.Lock()
		m.Session, m.Now = s.id, s.now.UnixMilli()
		s.mu.Unlock()
		m.Entropy = make([]byte, 32)
		rand.Read(m.Entropy)
		in, err := json.Marshal(m)
		if err != nil {
			return err
		}
		out, err := s.h.call(in)
		if err != nil {
			return err
		}
		var r protocol.Result
		if err := r.DecodeJSON(out); err != nil {
			return fmt.Errorf("harness: undecodable result: %w", err)
		}
		for _, e := range r.Effects {
			if next := s.apply(e); next != nil {
				queue = append(queue, *next)
			}
		}
	}
	return nil
}

// apply carries out one effect; a request's answer comes back as the message
// to dispatch next.
func (s *Session) apply(e protocol.Effect) *protocol.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch e.Kind {
	case protocol.KindCallback:
		s.calls = append(s.calls, Call{Name: e.Callback.Name, Args: e.Callback.Args})
	case protocol.KindRender:
		s.view = e.View
	case protocol.KindClose:
		s.view, s.window = nil, nil
	case protocol.KindWindow:
		s.window = e.Window
	case protocol.KindNavigate:
		if !strings.HasPrefix(e.Navigate.URL, "plaidlink:") {
			// The page leaves for the bank (the OAuth redirect flow): its
			// Link is gone with it.
			s.location, s.view = e.Navigate.URL, nil
			break
		}
		// The webview protocol: the reports an app's webview intercepts.
		c, err := ParseNavigation(e.Navigate.URL)
		if err != nil {
			arg, _ := json.Marshal(e.Navigate.URL)
			c = Call{Name: "navigate", Args: []json.RawMessage{arg}}
		}
		s.calls = append(s.calls, c)
	case protocol.KindConsole:
		s.console = append(s.console, *e.Console)
	case protocol.KindTimer:
		s.timers = append(s.timers, timer{id: e.Timer.ID, due: s.now.Add(time.Duration(e.Timer.DelayMS) * time.Millisecond)})
	case protocol.KindRequest:
		resp := s.h.roundTrip(e.Request)
		return &protocol.Message{Type: protocol.TypeResponse, Response: &resp}
	}
	return nil
}

// roundTrip serves a request effect with the backend handler, in process.
func (h *Harness) roundTrip(req *protocol.Request) protocol.Response {
	if h.backend == nil {
		return protocol.Response{ID: req.ID}
	}
	w := h.serve(req.Path, "application/json", string(req.Body))
	body := w.Body.Bytes()
	if !json.Valid(body) {
		body = nil
	}
	return protocol.Response{ID: req.ID, Status: w.Code, Body: body}
}

// Post sends body as JSON to path on the backend, in process, as an
// integrator's backend calls the Plaid API (/link/token/create,
// /item/public_token/exchange, ...) or the control API (/linkharness/...),
// and decodes the answer into out. Credentials go in body (client_id,
// secret). An answer other than 200 is an error that carries Plaid's error
// body.
func (h *Harness) Post(path string, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	w := h.serve(path, "application/json", string(raw))
	if w.Code != http.StatusOK {
		return fmt.Errorf("harness: %s answered %d: %s", path, w.Code, strings.TrimSpace(w.Body.String()))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(w.Body.Bytes(), out)
}

// serve POSTs body to path on the backend handler, in process.
func (h *Harness) serve(path, contentType, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	w := httptest.NewRecorder()
	h.backend.ServeHTTP(w, r)
	return w
}
