package sandbox_test

import (
	"fmt"
	"testing"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandbox"
)

// FuzzLogin logs in with arbitrary sandbox credentials and MFA answers.
// Login must never panic; it answers a challenge, an error in Plaid's
// shape (a type, a code, an HTTP status of 4xx or 5xx) or neither, never
// both; another username than user_good is INVALID_CREDENTIALS; and the
// MFA passwords of the grammar log in once their rounds are answered as
// the grammar says (the round trip of challenge and answers).
func FuzzLogin(f *testing.F) {
	for _, pw := range []string{"pass_good", "credential_good", "error_ITEM_LOCKED", "error_NOPE", "mfa_device",
		"mfa_questions_2_3", "mfa_questions_0_0", "mfa_questions_9_99", "mfa_selections", "mfa_selections_1_2_3",
		"mfa_selections_1_1_1", "mfa_questions_-1_2", "mfa_questions_1_2_3"} {
		f.Add("user_good", pw, "answer_0_0")
	}
	f.Add("user_bad", "pass_good", "")
	f.Add("user_good", "mfa_device", "Phone: xxx-xxx-5309")
	f.Fuzz(func(t *testing.T, username, password, answer string) {
		challenge, e := sandbox.Login(username, password, nil)
		checkAnswer(t, challenge, e)
		if username != sandbox.Username && (e == nil || e.ErrorCode != "INVALID_CREDENTIALS") {
			t.Fatalf("%q/%q: %v %v, want INVALID_CREDENTIALS", username, password, challenge, e)
		}
		// An arbitrary answer to the first round: a challenge, an error
		// or a login, never a panic.
		if challenge != nil {
			c2, e2 := sandbox.Login(username, password, [][]string{{answer}})
			checkAnswer(t, c2, e2)
			if ok := solve(t, username, password, challenge); !ok {
				t.Fatalf("%q/%q: the grammar's answers do not log in", username, password)
			}
		}
	})
}

// checkAnswer fails unless at most one of challenge and e is set and e
// is in Plaid's shape.
func checkAnswer(t *testing.T, challenge *sandbox.Challenge, e *plaid.Error) {
	t.Helper()
	if challenge != nil && e != nil {
		t.Fatalf("both a challenge %v and an error %v", challenge, e)
	}
	if e != nil && (e.ErrorType == "" || e.ErrorCode == "" || e.ErrorMessage == "" || e.Status < 400 || e.Status > 599) {
		t.Fatalf("error not in Plaid's shape: %+v", e)
	}
}

// solve answers every round of a login as the grammar says (the device
// flow: the first device, then the code; questions answer_<i>_<j>;
// selections their first option) and reports whether it logs in.
func solve(t *testing.T, username, password string, c *sandbox.Challenge) bool {
	t.Helper()
	var answers [][]string
	for round := 0; c != nil; round++ {
		if round > 100 {
			t.Fatalf("%q: more than 100 rounds", password)
		}
		var a []string
		switch c.Type {
		case sandbox.MFATypeDevice:
			a = []string{c.Devices[0]}
		case "code":
			a = []string{sandbox.MFACode}
		case sandbox.MFATypeQuestions:
			for j := range c.Questions {
				a = append(a, fmt.Sprintf("answer_%d_%d", len(answers), j))
			}
		case sandbox.MFATypeSelections:
			for _, q := range c.Questions {
				a = append(a, q.Options[0])
			}
		default:
			t.Fatalf("challenge of type %q", c.Type)
		}
		answers = append(answers, a)
		var e *plaid.Error
		c, e = sandbox.Login(username, password, answers)
		checkAnswer(t, c, e)
		if e != nil {
			return false
		}
	}
	return true
}
