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

func errItem(code, msg string, display *string) *apiError {
	return &apiError{status: http.StatusBadRequest, ErrorType: "ITEM_ERROR", ErrorCode: code, ErrorMessage: msg, DisplayMessage: display}
}

// errProductsNotSupported is an Item, or its institution, that cannot
// serve a product: nothing is billed.
func errProductsNotSupported(msg string) *apiError {
	return errItem("PRODUCTS_NOT_SUPPORTED", msg, nil)
}

// errAccessNotGranted fails an OAuth Item creation whose consent withheld
// a product the Item needs; Link offers the OAuth flow again.
func errAccessNotGranted(products []string) *apiError {
	display := "There was an error connecting to your account. Try linking your account again by selecting the required information to share with this application."
	return errItem("ACCESS_NOT_GRANTED", "the user did not grant access to the products the Item needs: "+strings.Join(products, ", "), &display)
}

// errAdditionalConsentRequired is a product the user never consented to
// for the Item (Data Transparency Messaging): update mode must ask.
func errAdditionalConsentRequired(msg string) *apiError {
	return errItem("ADDITIONAL_CONSENT_REQUIRED", msg, nil)
}

// errInvalidProduct is a product that cannot be used this way at all.
func errInvalidProduct(msg string) *apiError { return errInvalidInput("INVALID_PRODUCT", msg) }
