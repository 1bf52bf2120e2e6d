// Package sandbox holds Plaid's sandbox world as plain data: its institutions,
// the accounts every sandbox Item has, the test credentials and the errors
// they trigger. The Link engine and the backend both read it, so the list the
// user sees and the logins the server accepts never disagree. It does no I/O.
package sandbox

import (
	"slices"
	"strings"
)

// Institution is a sandbox financial institution.
type Institution struct {
	ID        string
	Name      string
	Countries []string
	Products  []string
	// OAuth institutions authenticate on the bank's own site.
	OAuth bool
}

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

var allUS = []string{"transactions", "auth", "identity", "assets", "investments", "liabilities"}

// Institutions is the sandbox institution list (plaid-facts.md, "Sandbox
// institutions"). The OAuth ones are listed for completeness; Link offers
// them only once the OAuth flow exists.
var Institutions = []Institution{
	{ID: "ins_109508", Name: "First Platypus Bank", Countries: []string{"US"}, Products: allUS},
	{ID: "ins_109509", Name: "First Gingham Credit Union", Countries: []string{"US"}, Products: allUS},
	{ID: "ins_109510", Name: "Tattersall Federal Credit Union", Countries: []string{"US"}, Products: allUS},
	{ID: "ins_109511", Name: "Tartan Bank", Countries: []string{"US"}, Products: allUS},
	{ID: "ins_109512", Name: "Houndstooth Bank", Countries: []string{"US"}, Products: []string{"transactions", "auth", "identity"}},
	{ID: "ins_43", Name: "Tartan-Dominion Bank of Canada", Countries: []string{"CA"}, Products: []string{"transactions", "auth", "identity"}},
	{ID: "ins_127287", Name: "Platypus OAuth Bank", Countries: []string{"US"}, Products: allUS, OAuth: true},
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
// them (plaid-facts.md, "Default sandbox accounts").
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

// productTypes are the account types each product can use.
var productTypes = map[string][]string{
	"transactions": {"depository", "credit"},
	"auth":         {"depository"},
	"identity":     {"depository", "credit", "investment", "loan"},
	"assets":       {"depository"},
	"investments":  {"investment"},
	"liabilities":  {"credit", "loan"},
}

// AccountFits reports whether an account of the given type and subtype can
// serve every product in products. Auth needs a checking or savings account.
func AccountFits(accountType, subtype string, products []string) bool {
	for _, p := range products {
		types, ok := productTypes[p]
		if ok && !slices.Contains(types, accountType) {
			return false
		}
		if p == "auth" && subtype != "checking" && subtype != "savings" {
			return false
		}
	}
	return true
}

// Error is a Plaid error as the sandbox raises it.
type Error struct {
	Type           string
	Code           string
	Message        string
	DisplayMessage string
}

// loginErrors are the codes a sandbox password error_<CODE> can raise.
var loginErrors = []Error{
	{"ITEM_ERROR", "INVALID_CREDENTIALS", "the provided credentials were not correct", "The provided credentials were not correct. Please try again."},
	{"INSTITUTION_ERROR", "COUNTRY_NOT_SUPPORTED", "this institution is not currently supported in the specified country", "This institution is not currently supported in your country."},
	{"INSTITUTION_ERROR", "INSTITUTION_DOWN", "this institution is not currently responding to this request. please try again soon", "This financial institution is not currently responding to requests. We apologize for the inconvenience."},
	{"INSTITUTION_ERROR", "INSTITUTION_NOT_RESPONDING", "this institution is not currently responding to this request. please try again soon", "This financial institution is not currently responding to requests. We apologize for the inconvenience."},
	{"INSTITUTION_ERROR", "INSTITUTION_NO_LONGER_SUPPORTED", "this institution is no longer supported", "This financial institution is no longer supported. We apologize for the inconvenience."},
	{"ITEM_ERROR", "INSUFFICIENT_CREDENTIALS", "insufficient authorization was provided to complete the request", "INSUFFICIENT_CREDENTIALS"},
	{"API_ERROR", "INTERNAL_SERVER_ERROR", "an unexpected error occurred", "Something went wrong. Please try again later."},
	{"ITEM_ERROR", "INVALID_MFA", "the provided MFA responses were not correct", "The provided MFA responses were not correct. Please try again."},
	{"ITEM_ERROR", "INVALID_SEND_METHOD", "the provided MFA send_method was invalid", ""},
	{"ITEM_ERROR", "ITEM_LOCKED", "the account is locked. prompt the user to visit the institution's site and unlock their account", "The given credentials belong to a locked account. Please reset your credentials with your financial institution and try again."},
	{"ITEM_ERROR", "ITEM_NOT_SUPPORTED", "this account is currently not supported", "The given account is not currently supported for this financial institution. We apologize for the inconvenience."},
	{"ITEM_ERROR", "MFA_NOT_SUPPORTED", "this account requires a currently unsupported MFA type", "The multi-factor security features enabled on this account are not currently supported for this financial institution. We apologize for the inconvenience."},
}

// LookupError returns the error the sandbox raises for code.
func LookupError(code string) (Error, bool) {
	for _, e := range loginErrors {
		if e.Code == code {
			return e, true
		}
	}
	return Error{}, false
}

// Login checks sandbox credentials and returns the error they raise, or nil
// when they log in: user_good / pass_good, or user_good with error_<CODE> to
// fail with CODE. Any other pair is INVALID_CREDENTIALS.
func Login(username, password string) *Error {
	if username == "user_good" {
		if password == "pass_good" {
			return nil
		}
		if code, ok := strings.CutPrefix(password, "error_"); ok {
			if e, ok := LookupError(code); ok {
				return &e
			}
		}
	}
	e, _ := LookupError("INVALID_CREDENTIALS")
	return &e
}
