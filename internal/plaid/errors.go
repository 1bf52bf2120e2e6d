package plaid

import (
	"slices"
	"strconv"
	"strings"
)

// Error is an error in Plaid's shape (https://plaid.com/docs/errors/),
// with the HTTP status Plaid answers it with. RequestID is set by whoever
// writes it out.
type Error struct {
	// Status is the HTTP status; it is not part of the JSON body.
	Status         int     `json:"-"`
	ErrorType      string  `json:"error_type"`
	ErrorCode      string  `json:"error_code"`
	ErrorMessage   string  `json:"error_message"`
	DisplayMessage *string `json:"display_message"`
	RequestID      string  `json:"request_id"`
}

// Error implements error.
func (e *Error) Error() string { return e.ErrorCode + ": " + e.ErrorMessage }

// Error types, as Plaid's error reference groups its codes.
const (
	TypeInvalidRequest = "INVALID_REQUEST"
	TypeInvalidInput   = "INVALID_INPUT"
	TypeItem           = "ITEM_ERROR"
	TypeInstitution    = "INSTITUTION_ERROR"
	TypeAPI            = "API_ERROR"
	TypeSandbox        = "SANDBOX_ERROR"
	TypePayment        = "PAYMENT_ERROR"
	TypeRecaptcha      = "RECAPTCHA_ERROR"
)

// HTTP statuses the catalogue uses (net/http's values, written out so that
// this package needs no HTTP import).
const (
	statusBadRequest = 400
	statusNotFound   = 404
	statusTooLarge   = 413
	statusInternal   = 500
)

// Entry is one code of the catalogue.
type Entry struct {
	Type string
	Code string
	// Status is the HTTP status the error travels with.
	Status int
	// Message is the error_message the code has when the emulator has
	// nothing more specific to say.
	Message string
	// Display is the display_message Link shows the user, "" for none.
	Display string
}

// catalogue holds every code the emulator raises. The messages of the
// sandbox's login errors are Plaid's; the rest are worded to say which
// rule a request broke.
var catalogue = []Entry{
	// INVALID_REQUEST
	{TypeInvalidRequest, "INVALID_BODY", statusBadRequest, "the request body is not valid JSON", ""},
	{TypeInvalidRequest, "MISSING_FIELDS", statusBadRequest, "the following required fields are missing", ""},
	{TypeInvalidRequest, "INVALID_FIELD", statusBadRequest, "one or more of the request fields is invalid", ""},
	{TypeInvalidRequest, "NOT_FOUND", statusNotFound, "no such endpoint", ""},
	{TypeInvalidRequest, "INVALID_HEADERS", statusBadRequest, "the request has a header whose value is not valid", ""},
	// INVALID_INPUT
	{TypeInvalidInput, "INVALID_API_KEYS", statusBadRequest, "invalid client_id or secret provided", ""},
	{TypeInvalidInput, "INVALID_LINK_TOKEN", statusBadRequest, "provided link token is in an invalid format or does not exist. expected format: link-<environment>-<identifier>", ""},
	{TypeInvalidInput, "INVALID_PUBLIC_TOKEN", statusBadRequest, "provided public token is in an invalid format or does not exist. expected format: public-<environment>-<identifier>", ""},
	{TypeInvalidInput, "INVALID_ACCESS_TOKEN", statusBadRequest, "provided access token is in an invalid format or does not exist. expected format: access-<environment>-<identifier>", ""},
	{TypeInvalidInput, "INVALID_PROCESSOR_TOKEN", statusBadRequest, "provided processor token is in an invalid format or does not exist. expected format: processor-<environment>-<identifier>", ""},
	{TypeInvalidInput, "INVALID_INSTITUTION", statusBadRequest, "invalid institution_id provided", ""},
	{TypeInvalidInput, "INVALID_ACCOUNT_ID", statusBadRequest, "one or more of the account IDs is invalid", ""},
	{TypeInvalidInput, "INVALID_PRODUCT", statusBadRequest, "the product cannot be used this way", ""},
	{TypeInvalidInput, "INVALID_WEBHOOK_VERIFICATION_KEY_ID", statusBadRequest, "invalid key_id provided", ""},
	// ITEM_ERROR
	{TypeItem, "INVALID_CREDENTIALS", statusBadRequest, "the provided credentials were not correct", "The provided credentials were not correct. Please try again."},
	{TypeItem, "INSUFFICIENT_CREDENTIALS", statusBadRequest, "insufficient authorization was provided to complete the request", "The credentials you provided were not sufficient to complete the request. Please try again."},
	{TypeItem, "INVALID_MFA", statusBadRequest, "the provided MFA responses were not correct", "The provided MFA responses were not correct. Please try again."},
	{TypeItem, "INVALID_SEND_METHOD", statusBadRequest, "the provided MFA send_method was invalid", ""},
	{TypeItem, "ITEM_LOCKED", statusBadRequest, "the account is locked. prompt the user to visit the institution's site and unlock their account", "The given credentials belong to a locked account. Please reset your credentials with your financial institution and try again."},
	{TypeItem, "ITEM_NOT_SUPPORTED", statusBadRequest, "this account is currently not supported", "The given account is not currently supported for this financial institution. We apologize for the inconvenience."},
	{TypeItem, "INVALID_UPDATED_USERNAME", statusBadRequest, "the username provided is not the one the item was created with", "The username you entered does not match the one this account was linked with. Please try again."},
	{TypeItem, "MFA_NOT_SUPPORTED", statusBadRequest, "this account requires a currently unsupported MFA type", "The multi-factor security features enabled on this account are not currently supported for this financial institution. We apologize for the inconvenience."},
	{TypeItem, "ITEM_NOT_FOUND", statusBadRequest, "the Item cannot be found: it does not exist or was removed", ""},
	{TypeItem, "ITEM_LOGIN_REQUIRED", statusBadRequest, "the login details of this item have changed (credentials, MFA, or required user action) and a user login is required to update this information. use Link's update mode to restore the item to a good state", ""},
	{TypeItem, "NO_ACCOUNTS", statusBadRequest, "no valid accounts were found for this item", "No valid accounts were found at the financial institution. Please visit your financial institution's website to confirm accounts are available."},
	{TypeItem, "USER_SETUP_REQUIRED", statusBadRequest, "the account has not been fully set up. prompt the user to visit the issuing institution's site and finish the setup process", "The given account has not been fully set up. Please visit your financial institution's website to complete the setup process."},
	{TypeItem, "USER_INPUT_TIMEOUT", statusBadRequest, "user must retry this operation", "The application timed out waiting for user input."},
	{TypeItem, "NO_AUTH_ACCOUNTS", statusBadRequest, "There are no valid checking or savings account(s) associated with this Item", ""},
	{TypeItem, "NO_INVESTMENT_ACCOUNTS", statusBadRequest, "There are no investment account(s) associated with this Item", ""},
	{TypeItem, "NO_LIABILITY_ACCOUNTS", statusBadRequest, "There are no liability account(s) associated with this Item", ""},
	{TypeItem, "PRODUCTS_NOT_SUPPORTED", statusBadRequest, "the Item or its institution does not support the product", ""},
	{TypeItem, "ACCESS_NOT_GRANTED", statusBadRequest, "the user did not grant access to the products the Item needs", "There was an error connecting to your account. Try linking your account again by selecting the required information to share with this application."},
	{TypeItem, "ADDITIONAL_CONSENT_REQUIRED", statusBadRequest, "the user has not consented to the product for this Item", ""},
	// INSTITUTION_ERROR
	{TypeInstitution, "COUNTRY_NOT_SUPPORTED", statusInternal, "this institution is not currently supported in the specified country", "This institution is not currently supported in your country."},
	{TypeInstitution, "INSTITUTION_DOWN", statusInternal, "this institution is not currently responding to this request. please try again soon", "This financial institution is not currently responding to requests. We apologize for the inconvenience."},
	{TypeInstitution, "INSTITUTION_NOT_RESPONDING", statusInternal, "this institution is not currently responding to this request. please try again soon", "This financial institution is not currently responding to requests. We apologize for the inconvenience."},
	{TypeInstitution, "INSTITUTION_NO_LONGER_SUPPORTED", statusInternal, "this institution is no longer supported", "This financial institution is no longer supported. We apologize for the inconvenience."},
	// API_ERROR
	{TypeAPI, "INTERNAL_SERVER_ERROR", statusInternal, "an unexpected error occurred", "Something went wrong. Please try again later."},
	// RECAPTCHA_ERROR
	{TypeRecaptcha, "RECAPTCHA_BAD", statusBadRequest, "the provided challenge response was denied", "The reCAPTCHA challenge was not passed. Please try again."},
	// SANDBOX_ERROR
	{TypeSandbox, "SANDBOX_PRODUCT_NOT_ENABLED", statusBadRequest, "the Item does not have the product this webhook belongs to", ""},
	{TypeSandbox, "SANDBOX_WEBHOOK_INVALID", statusBadRequest, "the webhook code is not one the sandbox can fire", ""},
}

// Lookup returns the catalogue's entry for code.
func Lookup(code string) (Entry, bool) {
	for _, e := range catalogue {
		if e.Code == code {
			return e, true
		}
	}
	return Entry{}, false
}

// Catalogue returns every entry, in the catalogue's order.
func Catalogue() []Entry { return append([]Entry(nil), catalogue...) }

// Raise is the catalogue's error for code as Plaid raises it, with its own
// message and display message. It panics on a code the catalogue does not
// hold: that is a bug of the emulator, not of a request.
func Raise(code string) *Error {
	e := mustLookup(code)
	err := &Error{Status: e.Status, ErrorType: e.Type, ErrorCode: e.Code, ErrorMessage: e.Message}
	if e.Display != "" {
		d := e.Display
		err.DisplayMessage = &d
	}
	return err
}

// New is the catalogue's error for code with the given message and no
// display message: what an API call answers when it can say which rule a
// request broke.
func New(code, message string) *Error {
	e := mustLookup(code)
	return &Error{Status: e.Status, ErrorType: e.Type, ErrorCode: e.Code, ErrorMessage: message}
}

func mustLookup(code string) Entry {
	e, ok := Lookup(code)
	if !ok {
		panic("plaid: the error catalogue has no code " + code)
	}
	return e
}

// WithStatus returns e answered with another HTTP status.
func (e *Error) WithStatus(status int) *Error { e.Status = status; return e }

// WithDisplay returns e with a display message.
func (e *Error) WithDisplay(display string) *Error { e.DisplayMessage = &display; return e }

// MissingFields is INVALID_REQUEST / MISSING_FIELDS naming the fields.
func MissingFields(fields ...string) *Error {
	return New("MISSING_FIELDS", "the following required fields are missing: "+strings.Join(fields, ", "))
}

// InvalidField is INVALID_REQUEST / INVALID_FIELD; the message names the
// field and the rule.
func InvalidField(message string) *Error { return New("INVALID_FIELD", message) }

// InvalidBody is INVALID_REQUEST / INVALID_BODY.
func InvalidBody(message string) *Error { return New("INVALID_BODY", message) }

// BodyTooLarge is INVALID_BODY answered with 413.
func BodyTooLarge(message string) *Error { return InvalidBody(message).WithStatus(statusTooLarge) }

// NotFound is the answer for a path the emulator does not serve.
func NotFound(what string) *Error { return New("NOT_FOUND", "no such endpoint: "+what) }

// InvalidAPIKeys is a client_id and secret that do not match.
func InvalidAPIKeys() *Error { return Raise("INVALID_API_KEYS") }

// InvalidPublicKey is a legacy public key that belongs to no client.
func InvalidPublicKey() *Error { return New("INVALID_API_KEYS", "invalid public_key provided") }

// InvalidLinkToken is INVALID_LINK_TOKEN; "" means the unknown-token
// message.
func InvalidLinkToken(message string) *Error { return withDefault("INVALID_LINK_TOKEN", message) }

// InvalidPublicToken is INVALID_PUBLIC_TOKEN; "" means the unknown-token
// message.
func InvalidPublicToken(message string) *Error { return withDefault("INVALID_PUBLIC_TOKEN", message) }

// InvalidAccessToken is an access token that is unknown to the client.
func InvalidAccessToken() *Error { return Raise("INVALID_ACCESS_TOKEN") }

// InvalidProcessorToken is a processor token that is unknown to the
// client: never issued, another client's, or a token of another kind.
func InvalidProcessorToken() *Error { return Raise("INVALID_PROCESSOR_TOKEN") }

// ItemNotFound is ITEM_NOT_FOUND: the Item a token names is gone.
func ItemNotFound(message string) *Error { return withDefault("ITEM_NOT_FOUND", message) }

// InvalidInstitution is an institution_id the sandbox does not have.
func InvalidInstitution() *Error { return Raise("INVALID_INSTITUTION") }

// InvalidAccountID names an account ID that is not the Item's.
func InvalidAccountID(id string) *Error {
	return New("INVALID_ACCOUNT_ID", "one or more of the account IDs is invalid: "+id)
}

// InvalidProduct is a product that cannot be used this way at all.
func InvalidProduct(message string) *Error { return New("INVALID_PRODUCT", message) }

// Internal is API_ERROR / INTERNAL_SERVER_ERROR with the emulator's reason.
func Internal(message string) *Error { return New("INTERNAL_SERVER_ERROR", message) }

// ProductsNotSupported is an Item, or its institution, that cannot serve a
// product: nothing is billed.
func ProductsNotSupported(message string) *Error { return New("PRODUCTS_NOT_SUPPORTED", message) }

// AccessNotGranted fails an OAuth Item creation whose consent withheld a
// product the Item needs; Link offers the OAuth flow again.
func AccessNotGranted(products []string) *Error {
	e := Raise("ACCESS_NOT_GRANTED")
	e.ErrorMessage += ": " + strings.Join(products, ", ")
	return e
}

// AdditionalConsentRequired is a product the user never consented to for
// the Item (Data Transparency Messaging): update mode must ask.
func AdditionalConsentRequired(message string) *Error {
	return New("ADDITIONAL_CONSENT_REQUIRED", message)
}

// ItemLoginRequired is the error of an Item whose login must be repaired
// in update mode.
func ItemLoginRequired() *Error { return Raise("ITEM_LOGIN_REQUIRED") }

func withDefault(code, message string) *Error {
	if message == "" {
		return Raise(code)
	}
	return New(code, message)
}

// CheckAll is INVALID_FIELD naming the first of values that is not in
// allowed, or nil.
func CheckAll(field string, values, allowed []string) *Error {
	for _, v := range values {
		if !slices.Contains(allowed, v) {
			return InvalidField(field + " contains an invalid value: " + strconv.Quote(v))
		}
	}
	return nil
}

// Required returns MISSING_FIELDS naming the fields whose values are empty,
// given as name, value pairs, or nil.
func Required(pairs ...any) *Error {
	var missing []string
	for i := 0; i+1 < len(pairs); i += 2 {
		name := pairs[i].(string)
		switch v := pairs[i+1].(type) {
		case string:
			if strings.TrimSpace(v) == "" {
				missing = append(missing, name)
			}
		case []string:
			if len(v) == 0 {
				missing = append(missing, name)
			}
		}
	}
	if len(missing) > 0 {
		return MissingFields(missing...)
	}
	return nil
}
