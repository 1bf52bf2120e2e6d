package customuser

import (
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
)

// Login logs in as user_custom with password, with the MFA answers given
// so far, the way package sandbox's credentials log in: it returns the
// next MFA round to ask, or the error the login fails with, or the
// configuration of the Item to make when it succeeds.
//
//   - A password that is not a configuration Parse accepts fails with
//     INVALID_CREDENTIALS, as at Plaid, its error_message naming what is
//     wrong.
//   - recaptcha "bad" fails with RECAPTCHA_BAD ("good" logs in: there is
//     no reCAPTCHA to solve).
//   - mfa asks its rounds as sandbox.MFA does: device (then the code
//     1234), questions (answer_<i>_<j>), selections (the first option).
//   - force_error fails the Item's creation, after any MFA, with its code
//     (PLAID_ERROR as INTERNAL_SERVER_ERROR).
func Login(password string, answers [][]string) (*sandbox.Challenge, Config, *plaid.Error) {
	c, e := parseLogin(password)
	if e != nil {
		return nil, Config{}, e
	}
	if c.MFA != nil {
		challenge, e := c.MFA.sandbox().Answer(answers)
		if e != nil || challenge != nil {
			return challenge, Config{}, e
		}
	} else if len(answers) > 0 {
		return nil, Config{}, plaid.Raise("INVALID_MFA")
	}
	if e := ForcedError(c.ForceError); e != nil {
		return nil, Config{}, e
	}
	return nil, c, nil
}

// LoginWithoutMFA is Login without asking the MFA, as
// /sandbox/public_token/create logs in: a malformed configuration,
// recaptcha "bad" and force_error fail it all the same.
func LoginWithoutMFA(password string) (Config, *plaid.Error) {
	c, e := parseLogin(password)
	if e == nil {
		e = ForcedError(c.ForceError)
	}
	if e != nil {
		return Config{}, e
	}
	return c, nil
}

// parseLogin is the configuration of a password, or the error a login
// with it fails with before any MFA.
func parseLogin(password string) (Config, *plaid.Error) {
	c, err := Parse(password)
	if err != nil {
		e := plaid.Raise("INVALID_CREDENTIALS")
		e.ErrorMessage += ": the " + Username + " password is not a valid configuration: " + err.Error()
		return Config{}, e
	}
	if c.Recaptcha == "bad" {
		return Config{}, plaid.Raise("RECAPTCHA_BAD")
	}
	return c, nil
}

// ForcedError is the error force_error names, nil for none.
func ForcedError(code string) *plaid.Error {
	switch code {
	case "":
		return nil
	case "PLAID_ERROR":
		return plaid.Raise("INTERNAL_SERVER_ERROR")
	}
	return plaid.Raise(code)
}

// sandbox is the MFA as package sandbox asks it.
func (m MFA) sandbox() sandbox.MFA {
	switch m.Type {
	case sandbox.MFATypeQuestions:
		return sandbox.MFA{Type: m.Type, Rounds: m.QuestionRounds, Questions: m.QuestionsPerRound}
	case sandbox.MFATypeSelections:
		return sandbox.MFA{Type: m.Type, Rounds: m.SelectionRounds, Questions: m.QuestionsPerRound, Options: m.SelectionsPerQuestion}
	}
	return sandbox.MFA{Type: sandbox.MFATypeDevice}
}
