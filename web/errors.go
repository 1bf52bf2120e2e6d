package web

import (
	"encoding/json"
	"net/http"
	"strings"
)

// apiError is an error in Plaid's shape, with the HTTP status Plaid sends
// it with. The request_id is added when it is written.
type apiError struct {
	status         int
	ErrorType      string  `json:"error_type"`
	ErrorCode      string  `json:"error_code"`
	ErrorMessage   string  `json:"error_message"`
	DisplayMessage *string `json:"display_message"`
	RequestID      string  `json:"request_id"`
}

func (e *apiError) Error() string { return e.ErrorCode + ": " + e.ErrorMessage }

func errInvalidRequest(code, msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, ErrorType: "INVALID_REQUEST", ErrorCode: code, ErrorMessage: msg}
}

func errInvalidInput(code, msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, ErrorType: "INVALID_INPUT", ErrorCode: code, ErrorMessage: msg}
}

func errMissingFields(fields ...string) *apiError {
	return errInvalidRequest("MISSING_FIELDS", "the following required fields are missing: "+strings.Join(fields, ", "))
}

func errInvalidField(msg string) *apiError { return errInvalidRequest("INVALID_FIELD", msg) }

func errInvalidAPIKeys() *apiError {
	return errInvalidInput("INVALID_API_KEYS", "invalid client_id or secret provided")
}

func errInvalidLinkToken(msg string) *apiError { return errInvalidInput("INVALID_LINK_TOKEN", msg) }

func errInvalidPublicToken(msg string) *apiError { return errInvalidInput("INVALID_PUBLIC_TOKEN", msg) }

func errInvalidAccessToken() *apiError {
	return errInvalidInput("INVALID_ACCESS_TOKEN", "provided access token is in an invalid format or does not exist. expected format: access-<environment>-<identifier>")
}

func errInvalidInstitution() *apiError {
	return errInvalidInput("INVALID_INSTITUTION", "invalid institution_id provided")
}

func errNotFound(what string) *apiError {
	e := errInvalidRequest("NOT_FOUND", "no such endpoint: "+what)
	e.status = http.StatusNotFound
	return e
}

func errInternal(msg string) *apiError {
	return &apiError{status: http.StatusInternalServerError, ErrorType: "API_ERROR", ErrorCode: "INTERNAL_SERVER_ERROR", ErrorMessage: msg}
}

// writeError answers with e in Plaid's shape.
func writeError(w http.ResponseWriter, requestID string, e *apiError) {
	e.RequestID = requestID
	writeJSON(w, e.status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
