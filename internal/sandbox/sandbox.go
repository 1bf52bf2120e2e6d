// Package sandbox holds Plaid's sandbox world as plain data: its institutions,
// the accounts every sandbox Item has, the test credentials and the errors
// they trigger. The Link engine and the backend both read it, so the list the
// user sees and the logins the server accepts never disagree. It does no I/O.
package sandbox

import (
	"slices"
	"strconv"
	"strings"

	"github.com/linkharness/linkharness/internal/plaid"
)

// Institution is a sandbox financial institution.
type Institution struct {
	ID        string
	Name      string
	Countries []string
	Products  []string
	// OAuth institutions authenticate on the bank's own site.
	OAuth bool
	// Health is HealthDegraded or HealthDown for institutions with trouble;
	// empty means healthy.
	Health string
	// ProductConsent is set for an OAuth institution whose consent page
	// lets the user grant or withhold each product separately
	// (product-level OAuth consent).
	ProductConsent bool
	// NoInstantAuth is set where Auth works only through Instant Match or
	// micro-deposits: Auth is added there only when it is required (in
	// products or required_if_supported_products), never as an optional
	// product or post-Link, which take Instant Auth.
	NoInstantAuth bool
}

// Institution health states, as Plaid's institution status reports them.
const (
	HealthDegraded = "DEGRADED"
	HealthDown     = "DOWN"
)

// Supports reports whether the institution supports every product in products.
func (in Institution) Supports(products []string) bool {
	for _, p := range products {
		if !slices.Contains(in.Products, p) {
			return false
		}
	}
	return true
}

// InCountry reports whether the institution serves any of the countries.
func (in Institution) InCountry(countries []string) bool {
	for _, c := range countries {
		if slices.Contains(in.Countries, c) {
			return true
		}
	}
	return false
}

var allUS = []string{"transactions", "auth", "identity", "assets", "investments", "investments_auth", "liabilities", "income_verification",
	"signal", "statements", "transfer", "cra_base_report", "cra_income_insights", "cra_partner_insights"}

// ListedInstitutions are the institutions Link lists for a session with
// the given country codes and products: those serving one of the
// countries and supporting every product of the products array
// (required_if_supported, optional and additional consented products do
// not filter institutions). The engine and the server both use it.
func ListedInstitutions(countries, products []string) []Institution {
	var out []Institution
	for _, in := range Institutions {
		if in.InCountry(countries) && in.Supports(products) {
			out = append(out, in)
		}
	}
	return out
}

// Institutions is the sandbox institution list
// (https://plaid.com/docs/sandbox/institutions/), plus two that linkharness adds so that Link's health
// messages can be tested: Degraded Platypus Bank and Down Platypus Bank
// (Plaid's sandbox has no unhealthy institution). The OAuth ones
// authenticate on the bank's page. Houndstooth Bank has no Instant Auth; First Platypus OAuth
// App2App Bank asks for product-level consent on its OAuth page.
var Institutions = []Institution{
	{ID: "ins_109508", Name: "First Platypus Bank", Countries: []string{"US"}, Products: allUS},
	{ID: "ins_109509", Name: "First Gingham Credit Union", Countries: []string{"US"}, Products: allUS},
	{ID: "ins_109510", Name: "Tattersall Federal Credit Union", Countries: []string{"US"}, Products: allUS},
	{ID: "ins_109511", Name: "Tartan Bank", Countries: []string{"US"}, Products: allUS},
	{ID: "ins_109512", Name: "Houndstooth Bank", Countries: []string{"US"}, Products: []string{"transactions", "auth", "identity"}, NoInstantAuth: true},
	{ID: "ins_43", Name: "Tartan-Dominion Bank of Canada", Countries: []string{"CA"}, Products: []string{"transactions", "auth", "identity"}},
	{ID: "ins_130016", Name: "First Platypus Balance Bank", Countries: []string{"US"}, Products: []string{"transactions", "auth", "identity"}},
	{ID: "ins_117650", Name: "Royal Bank of Plaid", Countries: []string{"GB", "IE", "FR", "ES", "NL"}, Products: []string{"transactions", "auth", "identity", "assets", "payment_initiation"}},
	{ID: "ins_900001", Name: "Degraded Platypus Bank", Countries: []string{"US"}, Products: allUS, Health: HealthDegraded},
	{ID: "ins_900002", Name: "Down Platypus Bank", Countries: []string{"US"}, Products: allUS, Health: HealthDown},
	{ID: "ins_127287", Name: "Platypus OAuth Bank", Countries: []string{"US"}, Products: allUS, OAuth: true},
	{ID: "ins_116834", Name: "Flexible Platypus Open Banking", Countries: []string{"GB"}, Products: []string{"transactions", "auth", "identity", "payment_initiation"}, OAuth: true},
	{ID: "ins_132241", Name: "First Platypus OAuth App2App Bank", Countries: []string{"US"}, Products: allUS, OAuth: true, ProductConsent: true},
	{ID: "ins_117181", Name: "Flexible Platypus Open Banking (QR code)", Countries: []string{"GB"}, Products: []string{"transactions", "auth", "identity", "payment_initiation"}, OAuth: true},
}

// InstitutionByID returns the institution with the given ID.
func InstitutionByID(id string) (Institution, bool) {
	for _, in := range Institutions {
		if in.ID == id {
			return in, true
		}
	}
	return Institution{}, false
}

// Account is one of the accounts a sandbox Item holds.
type Account struct {
	Name    string
	Mask    string
	Type    string
	Subtype string
}

// Accounts are the accounts of every sandbox Item, in the order Plaid lists
// them (https://plaid.com/docs/sandbox/test-credentials/).
var Accounts = []Account{
	{Name: "Plaid Checking", Mask: "0000", Type: "depository", Subtype: "checking"},
	{Name: "Plaid Saving", Mask: "1111", Type: "depository", Subtype: "savings"},
	{Name: "Plaid CD", Mask: "2222", Type: "depository", Subtype: "cd"},
	{Name: "Plaid Credit Card", Mask: "3333", Type: "credit", Subtype: "credit card"},
	{Name: "Plaid Money Market", Mask: "4444", Type: "depository", Subtype: "money market"},
	{Name: "Plaid IRA", Mask: "5555", Type: "investment", Subtype: "ira"},
	{Name: "Plaid 401k", Mask: "6666", Type: "investment", Subtype: "401k"},
	{Name: "Plaid Student Loan", Mask: "7777", Type: "loan", Subtype: "student"},
	{Name: "Plaid Mortgage", Mask: "8888", Type: "loan", Subtype: "mortgage"},
}

// loginErrors are the codes a sandbox password error_<CODE> can raise;
// their messages are the error catalogue's.
var loginErrors = []string{
	"INVALID_CREDENTIALS", "COUNTRY_NOT_SUPPORTED", "INSTITUTION_DOWN", "INSTITUTION_NOT_RESPONDING",
	"INSTITUTION_NO_LONGER_SUPPORTED", "INSUFFICIENT_CREDENTIALS", "INTERNAL_SERVER_ERROR", "INVALID_MFA",
	"INVALID_SEND_METHOD", "ITEM_LOCKED", "ITEM_NOT_SUPPORTED", "INVALID_UPDATED_USERNAME", "MFA_NOT_SUPPORTED",
}

// LookupError returns the error the sandbox raises for code, as the error
// catalogue has it.
func LookupError(code string) (*plaid.Error, bool) {
	if !slices.Contains(loginErrors, code) {
		return nil, false
	}
	return plaid.Raise(code), true
}

// Challenge is one round of MFA the sandbox asks for. Type is "device",
// "code", "questions" or "selections".
type Challenge struct {
	Type      string
	Round     int
	Devices   []string
	Questions []Question
}

// Question is a question of an MFA round; a selection has Options. Its
// answer is known by its place in the round.
type Question struct {
	Options []string
}

// MFADevices are the devices the mfa_device login offers.
var MFADevices = []string{"Phone: xxx-xxx-5309", "Email: t..t@example.com"}

// MFACode is the one-time code of the mfa_device login.
const MFACode = "1234"

// Username is the username of every sandbox login: update mode must log in
// with it again, or fails with INVALID_UPDATED_USERNAME.
const Username = "user_good"

// Login checks sandbox credentials, with the MFA answers given so far (one
// slice per answered round), and returns the next MFA round to ask, or the
// error the login raises, or neither when the login succeeds
// (https://plaid.com/docs/sandbox/test-credentials/):
//
//   - user_good / pass_good logs in; so does credential_good, for
//     institutions that ask for a PIN.
//   - user_good / error_<CODE> fails with CODE.
//   - user_good / mfa_device: choose one of MFADevices, then the code 1234.
//   - user_good / mfa_questions_<n>_<m>: n rounds of m questions; the answer
//     to question j of round i is answer_<i>_<j>, both counted from 0 as
//     Plaid counts them (answer_1_0 is the first question of the second
//     round).
//   - user_good / mfa_selections: one question, answer Yes.
//   - user_good / mfa_selections_<n>_<m>_<o>: n rounds of m questions of o
//     options (0<n,m<10, 2<=o<10); question j of round i offers
//     answer_<i>_<j>_0 .. answer_<i>_<j>_<o-1>, and _0 is right.
//
// Any other pair is INVALID_CREDENTIALS; a wrong MFA answer is INVALID_MFA.
// The MFA passwords are an MFA each, which custom users configure too.
func Login(username, password string, answers [][]string) (*Challenge, *plaid.Error) {
	if username != Username {
		return nil, mustError("INVALID_CREDENTIALS")
	}
	switch {
	case password == "pass_good" || password == "credential_good":
		return nil, nil
	case strings.HasPrefix(password, "error_"):
		if e, ok := LookupError(strings.TrimPrefix(password, "error_")); ok {
			return nil, e
		}
	default:
		if m, ok := passwordMFA(password); ok {
			return m.Answer(answers)
		}
	}
	return nil, mustError("INVALID_CREDENTIALS")
}

// passwordMFA is the MFA an mfa_ password asks for.
func passwordMFA(password string) (MFA, bool) {
	switch {
	case password == "mfa_device":
		return MFA{Type: MFATypeDevice}, true
	case password == "mfa_selections":
		return MFA{Type: MFATypeSelections, Rounds: 1, Questions: 1}, true
	case strings.HasPrefix(password, "mfa_questions_"):
		if n, ok := digits(strings.TrimPrefix(password, "mfa_questions_"), 2); ok {
			return MFA{Type: MFATypeQuestions, Rounds: n[0], Questions: n[1]}, true
		}
	case strings.HasPrefix(password, "mfa_selections_"):
		if n, ok := digits(strings.TrimPrefix(password, "mfa_selections_"), 3); ok && n[2] >= 2 {
			return MFA{Type: MFATypeSelections, Rounds: n[0], Questions: n[1], Options: n[2]}, true
		}
	}
	return MFA{}, false
}

// MFA types: the kinds of challenge a sandbox login can ask for.
const (
	MFATypeDevice     = "device"
	MFATypeQuestions  = "questions"
	MFATypeSelections = "selections"
)

// MFA is the multi-factor authentication a sandbox login asks for: the
// device flow (choose one of MFADevices, then the code MFACode), or
// Rounds rounds of Questions questions each, answered answer_<i>_<j>
// (counted from 0), or of selections whose first option is right. A
// selection of no Options is mfa_selections' Yes/No question; otherwise
// question j of round i (counted from 1) offers answer_<i>_<j>_0 ..
// answer_<i>_<j>_<Options-1>.
type MFA struct {
	Type              string
	Rounds, Questions int
	Options           int
}

// Answer checks the MFA answers given so far (one slice per answered
// round) and returns the next round to ask, INVALID_MFA for a wrong answer
// (INVALID_SEND_METHOD for an unknown device), or neither when every
// round is answered.
func (m MFA) Answer(answers [][]string) (*Challenge, *plaid.Error) {
	switch {
	case m.Type == MFATypeDevice:
		return deviceLogin(answers)
	case m.Type == MFATypeQuestions:
		return roundsLogin(answers, m.Rounds, func(round int) Challenge {
			c := Challenge{Type: MFATypeQuestions, Round: round}
			for j := 1; j <= m.Questions; j++ {
				c.Questions = append(c.Questions, Question{})
			}
			return c
		}, func(round, j int) string { return "answer_" + strconv.Itoa(round-1) + "_" + strconv.Itoa(j-1) }, m.Questions)
	case m.Type == MFATypeSelections && m.Options == 0:
		return roundsLogin(answers, m.Rounds, func(round int) Challenge {
			c := Challenge{Type: MFATypeSelections, Round: round}
			for j := 1; j <= m.Questions; j++ {
				c.Questions = append(c.Questions, Question{Options: []string{"Yes", "No"}})
			}
			return c
		}, func(int, int) string { return "Yes" }, m.Questions)
	case m.Type == MFATypeSelections:
		return roundsLogin(answers, m.Rounds, func(round int) Challenge {
			c := Challenge{Type: MFATypeSelections, Round: round}
			for j := 1; j <= m.Questions; j++ {
				var q Question
				for k := 0; k < m.Options; k++ {
					q.Options = append(q.Options, "answer_"+strconv.Itoa(round)+"_"+strconv.Itoa(j)+"_"+strconv.Itoa(k))
				}
				c.Questions = append(c.Questions, q)
			}
			return c
		}, func(round, j int) string { return "answer_" + strconv.Itoa(round) + "_" + strconv.Itoa(j) + "_0" }, m.Questions)
	}
	return nil, mustError("INVALID_MFA")
}

// digits parses k underscore-separated digits 1-9, as in "2_3".
func digits(s string, k int) ([]int, bool) {
	parts := strings.Split(s, "_")
	if len(parts) != k {
		return nil, false
	}
	n := make([]int, k)
	for i, p := range parts {
		if len(p) != 1 || p[0] < '1' || p[0] > '9' {
			return nil, false
		}
		n[i] = int(p[0] - '0')
	}
	return n, true
}

// deviceLogin is mfa_device: a device round, then a code round.
func deviceLogin(answers [][]string) (*Challenge, *plaid.Error) {
	switch {
	case len(answers) == 0:
		return &Challenge{Type: "device", Round: 1, Devices: MFADevices}, nil
	case len(answers[0]) != 1 || !slices.Contains(MFADevices, answers[0][0]):
		return nil, mustError("INVALID_SEND_METHOD")
	case len(answers) == 1:
		return &Challenge{Type: "code", Round: 2}, nil
	case len(answers) == 2 && len(answers[1]) == 1 && answers[1][0] == MFACode:
		return nil, nil
	}
	return nil, mustError("INVALID_MFA")
}

// roundsLogin checks rounds of m answers each against want and asks the
// first round not answered yet.
func roundsLogin(answers [][]string, rounds int, ask func(round int) Challenge, want func(round, j int) string, m int) (*Challenge, *plaid.Error) {
	if len(answers) > rounds {
		return nil, mustError("INVALID_MFA")
	}
	for i, round := range answers {
		if len(round) != m {
			return nil, mustError("INVALID_MFA")
		}
		for j, a := range round {
			if a != want(i+1, j+1) {
				return nil, mustError("INVALID_MFA")
			}
		}
	}
	if len(answers) < rounds {
		c := ask(len(answers) + 1)
		return &c, nil
	}
	return nil, nil
}

func mustError(code string) *plaid.Error {
	e, ok := LookupError(code)
	if !ok {
		panic("sandbox: no error " + code)
	}
	return e
}
