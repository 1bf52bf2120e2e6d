package sandbox_test

import (
	"slices"
	"testing"

	"github.com/linkharness/linkharness/internal/sandbox"
)

func TestLogin(t *testing.T) {
	tests := []struct {
		name     string
		user     string
		password string
		answers  [][]string
		// want is the next challenge's type and round ("questions 2"), the
		// error code, or "ok".
		want string
	}{
		{"good", "user_good", "pass_good", nil, "ok"},
		{"pin", "user_good", "credential_good", nil, "ok"},
		{"wrong password", "user_good", "pass_bad", nil, "INVALID_CREDENTIALS"},
		{"wrong user", "user_bad", "pass_good", nil, "INVALID_CREDENTIALS"},
		{"error trigger", "user_good", "error_ITEM_LOCKED", nil, "ITEM_LOCKED"},
		{"unknown error trigger", "user_good", "error_NOPE", nil, "INVALID_CREDENTIALS"},
		{"device: choose", "user_good", "mfa_device", nil, "device 1"},
		{"device: code", "user_good", "mfa_device", [][]string{{sandbox.MFADevices[0]}}, "code 2"},
		{"device: unknown device", "user_good", "mfa_device", [][]string{{"pager"}}, "INVALID_SEND_METHOD"},
		{"device: right code", "user_good", "mfa_device", [][]string{{sandbox.MFADevices[1]}, {"1234"}}, "ok"},
		{"device: wrong code", "user_good", "mfa_device", [][]string{{sandbox.MFADevices[1]}, {"0000"}}, "INVALID_MFA"},
		{"questions: first round", "user_good", "mfa_questions_2_3", nil, "questions 1"},
		{"questions: second round", "user_good", "mfa_questions_2_3", [][]string{{"answer_0_0", "answer_0_1", "answer_0_2"}}, "questions 2"},
		{"questions: done", "user_good", "mfa_questions_2_1", [][]string{{"answer_0_0"}, {"answer_1_0"}}, "ok"},
		{"questions: wrong", "user_good", "mfa_questions_1_2", [][]string{{"answer_0_0", "answer_0_0"}}, "INVALID_MFA"},
		{"questions: counted from 1 is wrong", "user_good", "mfa_questions_1_1", [][]string{{"answer_1_1"}}, "INVALID_MFA"},
		{"questions: too few", "user_good", "mfa_questions_1_2", [][]string{{"answer_0_0"}}, "INVALID_MFA"},
		{"questions: zero rounds", "user_good", "mfa_questions_0_2", nil, "INVALID_CREDENTIALS"},
		{"questions: ten", "user_good", "mfa_questions_10_2", nil, "INVALID_CREDENTIALS"},
		{"selections", "user_good", "mfa_selections", nil, "selections 1"},
		{"selections: yes", "user_good", "mfa_selections", [][]string{{"Yes"}}, "ok"},
		{"selections: no", "user_good", "mfa_selections", [][]string{{"No"}}, "INVALID_MFA"},
		{"selections n m o", "user_good", "mfa_selections_2_2_3", [][]string{{"answer_1_1_0", "answer_1_2_0"}}, "selections 2"},
		{"selections n m o: done", "user_good", "mfa_selections_1_1_2", [][]string{{"answer_1_1_0"}}, "ok"},
		{"selections n m o: wrong option", "user_good", "mfa_selections_1_1_2", [][]string{{"answer_1_1_1"}}, "INVALID_MFA"},
		{"selections: one option", "user_good", "mfa_selections_1_1_1", nil, "INVALID_CREDENTIALS"},
		{"extra round", "user_good", "mfa_selections", [][]string{{"Yes"}, {"Yes"}}, "INVALID_MFA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, e := sandbox.Login(tt.user, tt.password, tt.answers)
			var got string
			switch {
			case e != nil:
				got = e.ErrorCode
			case c != nil:
				got = c.Type + " " + string(rune('0'+c.Round))
			default:
				got = "ok"
			}
			if got != tt.want {
				t.Fatalf("Login = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSelectionOptions(t *testing.T) {
	c, _ := sandbox.Login("user_good", "mfa_selections_1_2_4", nil)
	if len(c.Questions) != 2 || len(c.Questions[1].Options) != 4 || c.Questions[1].Options[0] != "answer_1_2_0" {
		t.Fatalf("challenge = %+v", c)
	}
}

func TestEveryErrorHasAType(t *testing.T) {
	for _, code := range []string{"COUNTRY_NOT_SUPPORTED", "INSTITUTION_DOWN", "INSTITUTION_NOT_RESPONDING",
		"INSTITUTION_NO_LONGER_SUPPORTED", "INSUFFICIENT_CREDENTIALS", "INTERNAL_SERVER_ERROR", "INVALID_CREDENTIALS",
		"INVALID_MFA", "INVALID_SEND_METHOD", "ITEM_LOCKED", "ITEM_NOT_SUPPORTED", "MFA_NOT_SUPPORTED"} {
		e, ok := sandbox.LookupError(code)
		if !ok || e.ErrorType == "" || e.ErrorMessage == "" {
			t.Errorf("%s: %+v", code, e)
		}
	}
}

func TestListedInstitutions(t *testing.T) {
	tests := []struct {
		name       string
		countries  []string
		products   []string
		has, hasNo string
	}{
		{"transactions in the US", []string{"US"}, []string{"transactions"}, "ins_109512", "ins_43"},
		{"investments exclude Houndstooth", []string{"US"}, []string{"investments"}, "ins_109508", "ins_109512"},
		{"Canada", []string{"CA"}, []string{"auth"}, "ins_43", "ins_109508"},
		{"payment initiation in Europe", []string{"GB"}, []string{"payment_initiation"}, "ins_117650", "ins_109508"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ids []string
			for _, in := range sandbox.ListedInstitutions(tt.countries, tt.products) {
				if !in.InCountry(tt.countries) || !in.Supports(tt.products) {
					t.Errorf("%s listed", in.ID)
				}
				ids = append(ids, in.ID)
			}
			if !slices.Contains(ids, tt.has) || slices.Contains(ids, tt.hasNo) {
				t.Errorf("listed %v: want %s, not %s", ids, tt.has, tt.hasNo)
			}
		})
	}
}
