package linkdriver

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// Login is what a person enters to link an account.
type Login struct {
	// Institution is the name of the institution to choose, as Link lists
	// it; empty means "First Platypus Bank".
	Institution string
	// Username and Password are the credentials; empty means user_good
	// and pass_good, the sandbox's.
	Username, Password string
	// MFA are the answers to multi-factor questions, in the order Link
	// asks them: a device's name (when the next answer names none, the
	// first device is chosen), a one-time code, the answers to each
	// question or the value of each selection.
	MFA []string
	// Accounts are the names of the accounts to tick on account
	// selection (one, when Account Select is for one account); empty
	// ticks the first. (At an OAuth institution the bank
	// chooses them, and Link shows no account selection.)
	Accounts []string
}

// Success is what onSuccess received.
type Success struct {
	// PublicToken is the public token, for /item/public_token/exchange
	// (empty in Multi-Item Link, whose tokens come by webhook).
	PublicToken string
	// Metadata is onSuccess's metadata, decoded in part; Raw is all of it.
	Metadata SuccessMetadata
	Raw      json.RawMessage
}

// SuccessMetadata is the part of onSuccess's metadata most tests read.
type SuccessMetadata struct {
	Institution *Institution `json:"institution"`
	Accounts    []Account    `json:"accounts"`
	// LinkSessionID is the session's link_session_id.
	LinkSessionID string `json:"link_session_id"`
}

// Institution is an institution as Link's metadata names it.
type Institution struct {
	Name          string `json:"name"`
	InstitutionID string `json:"institution_id"`
}

// Account is an account as onSuccess's metadata lists it.
type Account struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Mask    string `json:"mask"`
	Type    string `json:"type"`
	Subtype string `json:"subtype"`
}

// Exit is what onExit received.
type Exit struct {
	// Error is onExit's error, nil when the user left without one.
	Error *LinkError
	// Metadata is onExit's metadata, decoded in part; Raw is all of it.
	Metadata ExitMetadata
	Raw      json.RawMessage
}

// LinkError is the error object of onExit.
type LinkError struct {
	ErrorType      string `json:"error_type"`
	ErrorCode      string `json:"error_code"`
	ErrorMessage   string `json:"error_message"`
	DisplayMessage string `json:"display_message"`
}

// ExitMetadata is the part of onExit's metadata most tests read.
type ExitMetadata struct {
	// Status is the exit status, such as requires_credentials.
	Status        string       `json:"status"`
	Institution   *Institution `json:"institution"`
	LinkSessionID string       `json:"link_session_id"`
	RequestID     string       `json:"request_id"`
}

// maxPanes bounds the panes CompleteLink goes through, so that a Link
// that keeps asking fails the test instead of looping.
const maxPanes = 30

// state is the recorder's state of Link on the page.
type state struct {
	Dialogs int    `json:"dialogs"`
	Pane    string `json:"pane"`
	Busy    bool   `json:"busy"`
	Views   int    `json:"views"`
	View    string `json:"view"`
	Done    string `json:"done"`
	DoneAt  int    `json:"doneAt"`
}

// ended reports whether Link has ended: onExit, or onSuccess and the
// dialog closed.
func (s state) ended() bool {
	return s.Done == "onExit" || s.Done == "onSuccess" && s.Dialogs == 0
}

// CompleteLink links an account with login in the Link dialog that is
// open, or opening, on the page, as a person does: it answers each pane
// Link shows (consent, institution, credentials, MFA, accounts, the
// success pane; at an OAuth institution, Allow in the bank's window that
// Link opens) until onSuccess, and returns what onSuccess received. It
// fails the test on an error pane, an onExit, a pane it cannot answer
// (such as the OAuth redirect flow's, where the whole tab goes to the
// bank and back to the app) or a step that times out, with what Link
// showed. It returns once Link has closed. In Multi-Item Link it links
// one Item and presses Finish; onSuccess's public token is then empty,
// and the Item's comes by webhook.
func (p *Page) CompleteLink(login Login) Success {
	p.t.Helper()
	mfa := slices.Clone(login.MFA)
	acted := -1 // the views count when CompleteLink last acted
	for range maxPanes {
		st := p.next(acted)
		if st.ended() {
			break
		}
		acted = st.Views
		switch st.Pane {
		case "CONSENT":
			p.Press("Continue")
		case "SELECT_INSTITUTION":
			p.Choose(cmp.Or(login.Institution, "First Platypus Bank"))
		case "CREDENTIAL":
			p.Fill("Username", cmp.Or(login.Username, "user_good"))
			p.Fill("Password", cmp.Or(login.Password, "pass_good"))
			p.Press("Submit")
		case "MFA":
			mfa = p.answerMFA(mfa)
		case "SELECT_ACCOUNT":
			p.selectAccounts(login.Accounts)
			p.Press("Continue")
		case "OAUTH":
			p.allowOAuth()
		case "CONNECTED":
			p.pressFirst("Continue", "Finish")
		case "ERROR":
			p.t.Fatalf("linkdriver: CompleteLink: Link shows an error\n%s", p.Describe())
		default:
			p.t.Fatalf("linkdriver: CompleteLink cannot answer pane %s\n%s", st.Pane, p.Describe())
		}
	}
	return p.WaitSuccess()
}

// next waits until Link has ended (onExit, or onSuccess and the dialog
// closed: onSuccess comes as the success pane shows), or shows a view
// after the acted-th, idle, and returns the state then.
func (p *Page) next(acted int) state {
	p.t.Helper()
	var st state
	deadline := time.Now().Add(StepTimeout)
	for {
		err := p.evalErr(fmt.Sprintf(`window.__linkdriver.state(%d)`, p.ended), &st)
		if err == nil && (st.ended() ||
			st.Dialogs > 0 && !st.Busy && st.Views > acted && (st.Views == 0 || st.Pane == st.View)) {
			return st
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("linkdriver: CompleteLink: waiting for Link's next pane: %v (state %+v)\n%s", err, st, p.Describe())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// controls are the recorder's list of the dialog's controls.
type controls struct {
	Fields []struct {
		Label  string `json:"label"`
		Select bool   `json:"select"`
	} `json:"fields"`
	Items      []string `json:"items"`
	Checkboxes []struct {
		Label   string `json:"label"`
		Checked bool   `json:"checked"`
	} `json:"checkboxes"`
}

func (p *Page) controls() controls {
	p.t.Helper()
	var c controls
	p.eval(`window.__linkdriver.controls()`, &c)
	return c
}

// answerMFA answers the MFA pane with the first answers, and returns the
// answers left.
func (p *Page) answerMFA(answers []string) []string {
	p.t.Helper()
	c := p.controls()
	switch {
	case len(c.Fields) > 0:
		for _, f := range c.Fields {
			if len(answers) == 0 {
				p.t.Fatalf("linkdriver: CompleteLink: Login.MFA has no answer left for %q\n%s", f.Label, p.Describe())
			}
			p.Fill(f.Label, answers[0])
			answers = answers[1:]
		}
		p.Press("Submit")
	case len(c.Items) > 0: // a device to send the code to
		device := c.Items[0]
		if len(answers) > 0 && slices.Contains(c.Items, answers[0]) {
			device, answers = answers[0], answers[1:]
		}
		p.Choose(device)
	default:
		p.t.Fatalf("linkdriver: CompleteLink: an MFA pane with nothing to answer\n%s", p.Describe())
	}
	return answers
}

// selectAccounts ticks exactly the accounts named (the first when none
// is) or, when Account Select is for one account (a list that picks
// one), picks the one named.
func (p *Page) selectAccounts(names []string) {
	p.t.Helper()
	c := p.controls()
	if len(c.Checkboxes) == 0 && len(c.Items) > 0 {
		if len(names) > 1 {
			p.t.Fatalf("linkdriver: CompleteLink: Account Select is for one account, and Login.Accounts names %d\n%s", len(names), p.Describe())
		}
		name := c.Items[0]
		if len(names) == 1 {
			if !slices.Contains(c.Items, names[0]) {
				p.t.Fatalf("linkdriver: CompleteLink: no account %q to pick; Link offers %q\n%s", names[0], c.Items, p.Describe())
			}
			name = names[0]
		}
		p.Choose(name)
		return
	}
	if len(c.Checkboxes) == 0 {
		p.t.Fatalf("linkdriver: CompleteLink: account selection offers no account\n%s", p.Describe())
	}
	var labels []string
	for _, b := range c.Checkboxes {
		labels = append(labels, b.Label)
	}
	if len(names) == 0 {
		names = labels[:1]
	}
	for _, n := range names {
		if !slices.Contains(labels, n) {
			p.t.Fatalf("linkdriver: CompleteLink: no account %q to select; Link offers %q\n%s", n, labels, p.Describe())
		}
	}
	for _, b := range c.Checkboxes {
		if b.Checked != slices.Contains(names, b.Label) {
			p.Check(b.Label)
		}
	}
}

// pressFirst presses the first of the buttons that the dialog shows.
func (p *Page) pressFirst(names ...string) {
	p.t.Helper()
	var xs []string
	for _, n := range names {
		xs = append(xs, Button(n))
	}
	p.step("pressing "+strings.Join(names, " or "), chromedp.Click(chromedp.Search("("+strings.Join(xs, " | ")+")[1]"), chromedp.NodeVisible))
}

// WaitSuccess waits until Link calls onSuccess and returns what it got. It
// fails the test if Link calls onExit instead, with onExit's error. Each
// of WaitSuccess, WaitExit and CompleteLink takes the first end of Link
// (an onSuccess or onExit) after the one the last of them took, so that a
// page may link one account after another.
func (p *Page) WaitSuccess() Success {
	p.t.Helper()
	var s Success
	s.Raw = p.waitEnd("onSuccess", &s.PublicToken, &s.Metadata)
	return s
}

// WaitExit waits until Link calls onExit and returns what it got. It
// fails the test if Link calls onSuccess instead.
func (p *Page) WaitExit() Exit {
	p.t.Helper()
	var e Exit
	e.Raw = p.waitEnd("onExit", &e.Error, &e.Metadata)
	return e
}

// waitEnd waits for the next end of Link, fails the test unless it is the
// callback want, decodes its two arguments into first and metadata, and
// returns the metadata as it came.
func (p *Page) waitEnd(want string, first, metadata any) json.RawMessage {
	p.t.Helper()
	c := p.waitDone()
	if c.Name != want {
		p.t.Fatalf("linkdriver: Link called %s, want %s\n%s", c, want, p.Describe())
	}
	if len(c.Args) < 2 || json.Unmarshal(c.Args[0], first) != nil || json.Unmarshal(c.Args[1], metadata) != nil {
		p.t.Fatalf("linkdriver: %s's arguments are not what Plaid documents: %s", want, c)
	}
	return c.Args[1]
}

// waitDone waits for the first onSuccess or onExit after the one it
// returned last, and returns it.
func (p *Page) waitDone() Call {
	p.t.Helper()
	from := p.ended
	p.poll("onSuccess or onExit", fmt.Sprintf(`window.__linkdriver && window.__linkdriver.state(%d).done !== ''`, from))
	var st state
	p.eval(fmt.Sprintf(`window.__linkdriver.state(%d)`, from), &st)
	calls := p.Calls()
	if st.DoneAt < from || st.DoneAt >= len(calls) {
		p.t.Fatalf("linkdriver: the recorder reported a callback it does not hold\n%s", p.Describe())
	}
	p.ended = st.DoneAt + 1
	return calls[st.DoneAt]
}
