package link

import (
	"github.com/linkharness/linkharness/wasm/internal/metadata"
	"strconv"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/wasm/internal/config"
	"github.com/linkharness/linkharness/wasm/internal/wording"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// errorPane shows the last error, with the ways on: try again, or choose
// another institution.
type errorPane struct {
	confirmsExit
	noFields
}

func (errorPane) name() string { return "ERROR" }

func (errorPane) view(s *session, v *protocol.View) {
	text := s.text()
	v.Heading, v.Error = text.ErrorHeading, s.errorText()
	if s.institutionDown() {
		v.Heading = wording.Fill(text.DownHeading, s.institution.Name)
		v.Error = wording.Fill(text.DownBody, s.institution.Name)
		v.Buttons = []protocol.Button{primary(idChooseAnother, text.ChooseAnother)}
	} else if s.cfg.UpdateMode {
		// Update mode repairs one Item: there is no other bank.
		v.Buttons = []protocol.Button{primary(idRetry, text.Retry)}
	} else {
		v.Buttons = []protocol.Button{primary(idRetry, text.Retry), {ID: idChooseAnother, Label: text.ChooseAnother}}
	}
}

func (errorPane) press(s *session, target string, out *output) {
	switch {
	case target == idRetry && !s.institutionDown() && s.viaBank():
		s.transition(oauthPane{}, out)
	case target == idRetry && !s.institutionDown():
		s.password, s.mfa, s.mfaAnswers = "", nil, nil
		s.transition(credentialPane{}, out)
	case target == idChooseAnother && !s.cfg.UpdateMode:
		s.institution, s.query = nil, ""
		s.transition(institutionPane{}, out)
	}
}

func (errorPane) exitStatus(s *session) string {
	if s.lastErr != nil && s.lastErr.ErrorCode == "INSTITUTION_NO_LONGER_SUPPORTED" {
		return statusInstitutionNotSupported
	}
	if s.viaBank() && s.itemID == "" {
		return statusRequiresOAuth
	}
	return statusRequiresCredentials
}

// fail shows an error on the ERROR pane.
func (s *session) fail(e *protocol.PlaidError, out *output) {
	s.failed(e)
	s.transition(errorPane{}, out)
	s.event(out, "ERROR", func(md *metadata.Event) { md.SetError(e) })
}

// failed keeps an error, for the ERROR pane and onExit.
func (s *session) failed(e *protocol.PlaidError) {
	if e.RequestID != "" {
		s.requestID = e.RequestID
	}
	s.lastErr = e
}

// errorText is the ERROR pane's message for the last error, in the
// session's language.
func (s *session) errorText() string {
	text := s.text()
	if s.lastErr == nil {
		return text.ErrorOther
	}
	switch s.lastErr.ErrorCode {
	case "INVALID_CREDENTIALS", "INSUFFICIENT_CREDENTIALS":
		return text.ErrorCredentials
	case "INVALID_MFA", "INVALID_SEND_METHOD":
		return text.ErrorMFA
	case "ITEM_LOCKED":
		return text.ErrorLocked
	case "NO_ACCOUNTS":
		return text.ErrorNoAccounts
	case "ACCESS_NOT_GRANTED":
		return text.ErrorOAuth
	}
	if s.lastErr.ErrorType == plaid.TypeInstitution {
		return text.ErrorInstitution
	}
	if s.cfg.Language == "en" && s.lastErr.DisplayMessage != nil && *s.lastErr.DisplayMessage != "" {
		return *s.lastErr.DisplayMessage
	}
	return text.ErrorOther
}

// responseError is the error of an unsuccessful backend answer: the one it
// carries, or one that says what went wrong.
func responseError(r *protocol.Response) *protocol.PlaidError {
	if r.Status == 0 {
		return internalError("the linkharness server could not be reached")
	}
	var e protocol.PlaidError
	if e.DecodeJSON(r.Body) != nil || e.ErrorCode == "" {
		return internalError("the server answered with HTTP status " + strconv.Itoa(r.Status))
	}
	return &e
}

// The engine's own errors are the error catalogue's (internal/plaid), so
// their types, codes and texts are the server's.

// configError is the error onExit receives for a configuration Link
// refused.
func configError(e *config.Error) *protocol.PlaidError {
	return plaidError(plaid.New(e.Code, e.Message()))
}

// internalError is API_ERROR / INTERNAL_SERVER_ERROR, saying what went
// wrong between Link and its server, with the catalogue's display message.
func internalError(msg string) *protocol.PlaidError {
	e := plaid.Raise("INTERNAL_SERVER_ERROR")
	e.ErrorMessage = msg
	return plaidError(e)
}

// noAccountsError is an Item with no account the products and the
// accountSubtypes filter let Link offer.
func noAccountsError(requestID string) *protocol.PlaidError {
	e := plaid.Raise("NO_ACCOUNTS")
	e.RequestID = requestID
	return plaidError(e)
}

// institutionDownError is the error of a down institution the user chose.
func institutionDownError() *protocol.PlaidError { return plaidError(plaid.Raise("INSTITUTION_DOWN")) }

// accessNotGrantedError is an OAuth login at which the user refused Link
// access to the accounts. The catalogue's message and display message are
// those of a consent that withheld a product the Item needs (the server's
// case), so Link says what happened at the bank instead.
func accessNotGrantedError(requestID string) *protocol.PlaidError {
	e := plaid.New("ACCESS_NOT_GRANTED", "access to the requested accounts was not granted at the institution").
		WithDisplay("The user did not grant access to their accounts at their financial institution.")
	e.RequestID = requestID
	return plaidError(e)
}

// plaidError is a catalogue error as the engine reports it.
func plaidError(e *plaid.Error) *protocol.PlaidError {
	return &protocol.PlaidError{
		ErrorType: e.ErrorType, ErrorCode: e.ErrorCode, ErrorMessage: e.ErrorMessage,
		DisplayMessage: e.DisplayMessage, RequestID: e.RequestID,
	}
}
