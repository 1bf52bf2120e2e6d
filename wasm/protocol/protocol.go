// Package protocol is the contract between the Link engine in link.wasm and
// every host that runs it: the browser bridge (bridge/link-initialize.js), the
// wazero harness (harness/) and native Go tests of the engine.
//
// # The ABI
//
// link.wasm is a WASI preview 1 reactor (GOOS=wasip1, -buildmode=c-shared). A
// host instantiates it, calls its `_initialize` export once, and then talks to
// it only through three exports, all on 32-bit linear-memory offsets:
//
//	alloc(size u32) -> ptr u32        reserve size bytes the host may write
//	dispatch(ptr u32, len u32) -> u64 run one Message; the result packs
//	                                  (outPtr << 32 | outLen) of a Result
//	free(ptr u32)                     release a buffer from alloc or dispatch
//
// The host writes one JSON-encoded [Message] into a buffer from alloc, calls
// dispatch, frees the input buffer, reads the JSON-encoded [Result] at outPtr,
// and frees outPtr. Nothing else crosses the boundary: the module imports only
// WASI functions that the Go runtime and standard library link in (clock,
// random, stdio; the file-system ones are never used), and
// bridge/link-initialize.js provides exactly those in a browser.
//
// # Determinism
//
// Every Message carries the host's clock (Now) and fresh randomness (Entropy).
// The engine reads no other clock and no other source of randomness and never
// sleeps: a delay is a [Timer] effect that the host schedules and answers with a
// [TypeTimer] message. The same messages therefore give the same effects.
//
// # Sessions
//
// One module instance holds any number of sessions, one per Plaid.create call.
// The host picks the Session number in [TypeCreate]; every later message names
// it. A session's effects never touch another's.
package protocol

import "strconv"

// Message types a host sends to the engine.
const (
	// TypeCreate starts a session from a Plaid.create configuration.
	TypeCreate = "create"
	// TypeOpen is handler.open().
	TypeOpen = "open"
	// TypeExit is handler.exit(options).
	TypeExit = "exit"
	// TypeDestroy is handler.destroy(): the session is forgotten.
	TypeDestroy = "destroy"
	// TypePress is the user activating a button or a list item, by its ID.
	TypePress = "press"
	// TypeChange is the user changing a field's value, by its ID.
	TypeChange = "change"
	// TypeResponse is the answer to a Request effect.
	TypeResponse = "response"
	// TypeTimer is a Timer effect coming due.
	TypeTimer = "timer"
	// TypeWindowClosed reports that a window a Window effect opened was
	// closed, by the user or by itself.
	TypeWindowClosed = "window_closed"
)

// Message is one input to the engine.
type Message struct {
	// Type is one of the Type constants.
	Type string `json:"type"`
	// Session is the host-chosen number of the session the message is for.
	Session int `json:"session"`
	// Now is the host's clock, in milliseconds since the Unix epoch.
	Now int64 `json:"now"`
	// Entropy is at least 16 bytes of fresh randomness from the host's
	// cryptographic source, base64-encoded.
	Entropy []byte `json:"entropy"`

	// Config is the Plaid.create argument (TypeCreate). The host encodes
	// functions as {"$function": true}, drops undefined values and sends null
	// when Plaid.create was called without an argument.
	Config RawMessage `json:"config,omitempty"`
	// Query, instead of Config, is the query string of link.html, Link for
	// webviews, which carries the whole configuration (TypeCreate).
	Query string `json:"query,omitempty"`
	// Force is exit({force}) (TypeExit).
	Force bool `json:"force,omitempty"`
	// Target is the ID of a Button, Item or Field (TypePress, TypeChange).
	Target string `json:"target,omitempty"`
	// Value is a field's new value (TypeChange).
	Value string `json:"value,omitempty"`
	// Response answers a Request effect (TypeResponse).
	Response *Response `json:"response,omitempty"`
	// Timer is the ID of the Timer effect that came due (TypeTimer).
	Timer int `json:"timer,omitempty"`
	// Window is the ID of the Window effect whose window closed
	// (TypeWindowClosed).
	Window int `json:"window,omitempty"`
}

// Function is how a host encodes a JavaScript function inside Config.
type Function struct {
	Function bool `json:"$function"`
}

// Result is what one dispatch returns: the effects, in the order the host must
// carry them out.
type Result struct {
	Effects []Effect `json:"effects"`
}

// Effect kinds.
const (
	// KindCallback asks the host to call one of the page's callbacks.
	KindCallback = "callback"
	// KindRender asks the host to show a View.
	KindRender = "render"
	// KindClose asks the host to remove the Link UI from the page.
	KindClose = "close"
	// KindRequest asks the host to call the linkharness backend.
	KindRequest = "request"
	// KindTimer asks the host to send a TypeTimer message after a delay.
	KindTimer = "timer"
	// KindConsole asks the host to print a message on the page's console.
	KindConsole = "console"
	// KindNavigate asks the host to navigate the page to URL: the webview
	// protocol's plaidlink:// redirects, which the app intercepts.
	KindNavigate = "navigate"
	// KindWindow asks the host to open a page of the backend in a new
	// window (a popup) and to report with TypeWindowClosed when it closes.
	// A KindClose effect closes it too.
	KindWindow = "window"
)

// Effect is one thing the engine asks its host to do. Exactly the field named
// by Kind is set.
type Effect struct {
	Kind     string    `json:"kind"`
	Callback *Callback `json:"callback,omitempty"`
	View     *View     `json:"view,omitempty"`
	Request  *Request  `json:"request,omitempty"`
	Timer    *Timer    `json:"timer,omitempty"`
	Console  *Console  `json:"console,omitempty"`
	Window   *Window   `json:"window,omitempty"`
	Navigate *Navigate `json:"navigate,omitempty"`
}

// Navigate asks the host to navigate the page to URL.
type Navigate struct {
	URL string `json:"url"`
}

// Callback names, as in Plaid.create's configuration.
const (
	OnLoad    = "onLoad"
	OnSuccess = "onSuccess"
	OnExit    = "onExit"
	OnEvent   = "onEvent"
)

// Callback is a call of one of the page's callbacks with its arguments,
// already in the shape Plaid documents.
type Callback struct {
	Name string       `json:"name"`
	Args []RawMessage `json:"args"`
}

// Request is an HTTP call to the linkharness backend: POST Path with Body as
// JSON, against the origin the host loaded link.wasm from. The host answers
// with a TypeResponse message carrying the same ID.
type Request struct {
	ID   int        `json:"id"`
	Path string     `json:"path"`
	Body RawMessage `json:"body"`
}

// Response is the backend's answer to a Request. Status 0 means the request
// never got an answer (network failure); Body is then null.
type Response struct {
	ID     int        `json:"id"`
	Status int        `json:"status"`
	Body   RawMessage `json:"body"`
}

// Timer asks for a TypeTimer message with this ID after DelayMS milliseconds.
type Timer struct {
	ID      int `json:"id"`
	DelayMS int `json:"delay_ms"`
}

// Window asks for URL, a path on the backend's origin, in a new window.
type Window struct {
	ID  int    `json:"id"`
	URL string `json:"url"`
}

// Console levels.
const (
	LevelWarn  = "warn"
	LevelError = "error"
)

// Console is a message for the page's console, as the real SDK prints.
type Console struct {
	Level   string `json:"level"`
	Message string `json:"message"`
}

// View is the whole of what the Link modal shows, as generic parts. A host
// renders it without knowing anything about Link: every accessible name comes
// from here, and every activation goes back as a TypePress or TypeChange
// message naming an ID.
type View struct {
	// Pane is the engine's name for the pane (CONSENT, CREDENTIAL, ...), for
	// hosts to expose as a data attribute; it carries no meaning for them.
	Pane string `json:"pane"`
	// Title is the accessible name of the dialog.
	Title string `json:"title"`
	// Heading is the pane's visible heading.
	Heading string `json:"heading"`
	// Text holds paragraphs shown under the heading.
	Text []string `json:"text,omitempty"`
	// Error is a banner with an error message, if any.
	Error string `json:"error,omitempty"`
	// Busy says the pane is waiting on the backend (a spinner).
	Busy bool `json:"busy,omitempty"`
	// Fields are text inputs.
	Fields []Field `json:"fields,omitempty"`
	// List is a selectable list, if the pane has one.
	List *List `json:"list,omitempty"`
	// Buttons are the pane's actions, in order.
	Buttons []Button `json:"buttons,omitempty"`
	// Close is the dialog's close control, if it has one.
	Close *Button `json:"close,omitempty"`
}

// Field kinds.
const (
	FieldText     = "text"
	FieldPassword = "password"
	FieldSearch   = "search"
	// FieldSelect is a choice among Options (a select box).
	FieldSelect = "select"
)

// Field is a labelled text input. Its value lives in the engine: the host sends
// a TypeChange message on every edit and shows Value when it renders.
type Field struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Kind  string `json:"kind"`
	Value string `json:"value"`
	// Options are the choices of a FieldSelect; Value is one of them or
	// empty (nothing chosen yet).
	Options []string `json:"options,omitempty"`
}

// List is a labelled list of items. With Multiple the items are checkboxes,
// otherwise each is a button that picks it.
type List struct {
	Label    string `json:"label"`
	Multiple bool   `json:"multiple,omitempty"`
	Items    []Item `json:"items"`
	// Empty is shown when Items is empty.
	Empty string `json:"empty,omitempty"`
}

// Item is one entry of a List. Label is its accessible name.
type Item struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Detail   string `json:"detail,omitempty"`
	Selected bool   `json:"selected,omitempty"`
}

// Button is an action. Label is its accessible name.
type Button struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Primary  bool   `json:"primary,omitempty"`
	Disabled bool   `json:"disabled,omitempty"`
}

// The backend paths the engine sends Request effects to. They are served by
// web/ with CORS, next to link-initialize.js, and answer with the bodies below
// or with a PlaidError and a 4xx/5xx status.
//
// Every body names the client by its legacy PublicKey or, in link-token mode,
// by the LinkToken: the browser never holds a secret or an access token.
// The bodies of the requests after open carry the events that led up to
// them (Events), which the server records before it handles the request.
const (
	// PathSessionOpen validates the public key or link token as Link opens;
	// for a link token it returns the configuration the token was made with.
	PathSessionOpen = "/link/session/open"
	// PathItemCreate logs in to an institution: it answers with an MFA
	// challenge, or creates an Item.
	PathItemCreate = "/link/item/create"
	// PathItemConnect keeps the chosen accounts and issues the public_token.
	PathItemConnect = "/link/item/connect"
	// PathSessionRecord records the end of a session (onSuccess or onExit)
	// and the events with or after it, for /link/token/get, once Link
	// closes: the events before travel in the engine's other requests
	// (their Events). The engine does not wait for its answer.
	PathSessionRecord = "/link/session/record"
	// PathOAuthStart begins an OAuth login at an OAuth institution: it
	// answers with the page of the bank where the user allows or denies
	// access (served at PathOAuthAuthorize).
	PathOAuthStart = "/link/oauth/start"
	// PathOAuthStatus tells whether the user has allowed or denied access.
	PathOAuthStatus = "/link/oauth/status"
	// PathOAuthAuthorize is the bank's authorization page (GET) and the
	// user's decision (POST, a form with oauth_state_id and decision).
	PathOAuthAuthorize = "/link/oauth/authorize"
	// PathPaymentExecute initiates the payment of a Payment Initiation
	// session once the user has authorised it at the bank: the payment
	// moves on and the payer's Item gets a public token.
	PathPaymentExecute = "/link/payment/execute"
)

// OAuth decisions and statuses.
const (
	OAuthPending  = "pending"
	OAuthApproved = "approved"
	OAuthDenied   = "denied"
)

// OAuthStartRequest is the body of PathOAuthStart.
type OAuthStartRequest struct {
	PublicKey     string `json:"public_key,omitempty"`
	LinkToken     string `json:"link_token,omitempty"`
	LinkSessionID string `json:"link_session_id"`
	InstitutionID string `json:"institution_id"`
	ClientName    string `json:"client_name,omitempty"`
	// Events are the onEvent calls since the engine last told the server
	// of them, which the server records before it handles the request.
	Events []RecordedEvent `json:"events,omitempty"`
}

// OAuthStartResponse answers PathOAuthStart.
type OAuthStartResponse struct {
	RequestID    string `json:"request_id"`
	OAuthStateID string `json:"oauth_state_id"`
	// AuthorizeURL is the bank's page, a path on the backend's origin.
	AuthorizeURL string `json:"authorize_url"`
}

// OAuthStatusRequest is the body of PathOAuthStatus.
type OAuthStatusRequest struct {
	PublicKey     string `json:"public_key,omitempty"`
	LinkToken     string `json:"link_token,omitempty"`
	LinkSessionID string `json:"link_session_id"`
	OAuthStateID  string `json:"oauth_state_id"`
	// Events are the onEvent calls since the engine last told the server
	// of them, which the server records before it handles the request.
	Events []RecordedEvent `json:"events,omitempty"`
}

// OAuthStatusResponse answers PathOAuthStatus: OAuthPending, OAuthApproved
// or OAuthDenied.
type OAuthStatusResponse struct {
	RequestID string `json:"request_id"`
	Status    string `json:"status"`
}

// SessionOpenRequest is the body of PathSessionOpen.
type SessionOpenRequest struct {
	PublicKey     string   `json:"public_key,omitempty"`
	LinkToken     string   `json:"link_token,omitempty"`
	Env           string   `json:"env,omitempty"`
	ClientName    string   `json:"client_name,omitempty"`
	Products      []string `json:"products,omitempty"`
	CountryCodes  []string `json:"country_codes,omitempty"`
	Language      string   `json:"language,omitempty"`
	Webhook       string   `json:"webhook,omitempty"`
	LinkSessionID string   `json:"link_session_id"`
	// LinkCustomizationName is a legacy linkCustomizationName (a link
	// token brings its own link_customization_name).
	LinkCustomizationName string `json:"link_customization_name,omitempty"`
	// PublicToken opens a legacy session in update mode for the Item it
	// stands for (Plaid.create({key, token: public_token})); with a
	// PaymentToken it names the payer's Item, whose institution Link
	// opens at.
	PublicToken string `json:"public_token,omitempty"`
	// PaymentToken opens a legacy Payment Initiation session; the server
	// uses it up.
	PaymentToken string `json:"payment_token,omitempty"`
	// OAuthNonce, OAuthRedirectURI and OAuthStateID are the legacy OAuth
	// redirect options. With a redirect URI, the session's OAuth logins
	// use the redirect flow (a link token brings its own redirect_uri);
	// with OAuthStateID the session resumes the OAuth login the user came
	// back from.
	OAuthNonce       string `json:"oauth_nonce,omitempty"`
	OAuthRedirectURI string `json:"oauth_redirect_uri,omitempty"`
	OAuthStateID     string `json:"oauth_state_id,omitempty"`
	// ReceivedRedirectURI is link-token mode's receivedRedirectUri: the
	// redirect URI with the oauth_state_id the bank sent the user back with.
	ReceivedRedirectURI string `json:"received_redirect_uri,omitempty"`
}

// SessionOpenResponse answers PathSessionOpen. Config is set in link-token
// mode, and in legacy update mode, where only UpdateMode and InstitutionID
// matter.
type SessionOpenResponse struct {
	RequestID string         `json:"request_id"`
	Config    *SessionConfig `json:"config,omitempty"`
	// Settings are the client's Dashboard settings as they apply to the
	// session, in either mode; nil means Plaid's defaults.
	Settings *LinkSettings `json:"settings,omitempty"`
}

// Account Select modes (LinkSettings.AccountSelect), as Plaid's Dashboard
// names them: "Enabled for one account", "Enabled for multiple accounts"
// and "Enabled for all accounts".
const (
	AccountSelectSingle   = "single"
	AccountSelectMultiple = "multiple"
	AccountSelectAll      = "all"
)

// PreselectAll in LinkSettings.Preselect preselects every account.
const PreselectAll = "all"

// Panes whose heading a Link customization's text strings may replace
// (LinkSettings.Headings).
const (
	HeadingConsent           = "CONSENT"
	HeadingSelectInstitution = "SELECT_INSTITUTION"
	HeadingConnected         = "CONNECTED"
)

// LinkSettings are what the client's Dashboard settings (and the Link
// customization the session runs with) change in Link.
type LinkSettings struct {
	// AccountSelect is AccountSelectSingle, AccountSelectMultiple (also
	// the empty default) or AccountSelectAll.
	AccountSelect string `json:"account_select,omitempty"`
	// Preselect are the account subtypes the SELECT_ACCOUNT pane checks
	// at first (PreselectAll for every account).
	Preselect []string `json:"preselect,omitempty"`
	// Headings replace the headings of the panes named by the Heading
	// constants, as a Link customization's text strings do.
	Headings map[string]string `json:"headings,omitempty"`
	// InstitutionHealth overrides the sandbox institutions' health, by
	// institution ID: HEALTHY, DEGRADED or DOWN.
	InstitutionHealth map[string]string `json:"institution_health,omitempty"`
	// ChaosSeed, when not 0, turns on chaos ordering: the engine moves
	// onSuccess or onExit among the onEvent calls of the same moment, in
	// an order drawn from this seed (at most 2^53-1, so that JavaScript
	// carries it exactly), and prints the seed on the console.
	ChaosSeed int64 `json:"chaos_seed,omitempty"`
}

// SessionConfig is what a link token was created with (/link/token/create),
// as far as Link needs it.
type SessionConfig struct {
	ClientName   string   `json:"client_name"`
	Products     []string `json:"products"`
	CountryCodes []string `json:"country_codes"`
	Language     string   `json:"language"`
	Webhook      string   `json:"webhook,omitempty"`
	// AccountFilters is Plaid's account_filters:
	// {"depository": {"account_subtypes": ["checking"]}}.
	AccountFilters map[string]map[string][]string `json:"account_filters,omitempty"`
	RedirectURI    string                         `json:"redirect_uri,omitempty"`
	// MultiItem is a token created with enable_multi_item_link: the user may
	// add several Items, and onSuccess is empty.
	MultiItem bool `json:"multi_item,omitempty"`
	// UpdateMode is set for a token created with an access_token; the Item's
	// institution is then InstitutionID.
	UpdateMode    bool   `json:"update_mode,omitempty"`
	InstitutionID string `json:"institution_id,omitempty"`
	// Payment is set for a Payment Initiation session: Link opens straight
	// into the payment flow.
	Payment *Payment `json:"payment,omitempty"`
	// Resume is set when the session continues an OAuth login after the
	// redirect back from the bank.
	Resume *OAuthResume `json:"resume,omitempty"`
}

// OAuthResume is where an OAuth login stands when Link is re-initialised
// after the bank's redirect.
type OAuthResume struct {
	// LinkSessionID is the session the login began in: the re-initialised
	// Link carries it on.
	LinkSessionID string `json:"link_session_id"`
	InstitutionID string `json:"institution_id"`
	OAuthStateID  string `json:"oauth_state_id"`
	// Status is OAuthApproved, OAuthDenied, or OAuthPending when the user
	// came back without deciding.
	Status string `json:"status"`
}

// Payment is the payment a Payment Initiation session authorises, as Link
// shows it to the payer.
type Payment struct {
	PaymentID     string        `json:"payment_id"`
	Amount        PaymentAmount `json:"amount"`
	Reference     string        `json:"reference"`
	RecipientName string        `json:"recipient_name"`
	// InstitutionID is the institution of the payer's Item when a
	// public_token named one: Link opens there.
	InstitutionID string `json:"institution_id,omitempty"`
}

// PaymentAmount is an amount of money: Currency is GBP or EUR.
type PaymentAmount struct {
	Currency string  `json:"currency"`
	Value    float64 `json:"value"`
}

// currencySymbols are the symbols of the currencies payments are in.
var currencySymbols = map[string]string{"GBP": "£", "EUR": "€"}

// String shows the amount as people read it, as Link and the bank's page
// show it: £12.34, or 12.34 USD for a currency without a symbol here.
func (a PaymentAmount) String() string {
	if sym, ok := currencySymbols[a.Currency]; ok {
		return sym + strconv.FormatFloat(a.Value, 'f', 2, 64)
	}
	return strconv.FormatFloat(a.Value, 'f', 2, 64) + " " + a.Currency
}

// PaymentExecuteRequest is the body of PathPaymentExecute: the approved
// OAuth state stands for the payer's authorisation at InstitutionID.
type PaymentExecuteRequest struct {
	PublicKey     string `json:"public_key,omitempty"`
	LinkToken     string `json:"link_token,omitempty"`
	LinkSessionID string `json:"link_session_id"`
	InstitutionID string `json:"institution_id"`
	OAuthStateID  string `json:"oauth_state_id"`
	// Events are the onEvent calls since the engine last told the server
	// of them, which the server records before it handles the request.
	Events []RecordedEvent `json:"events,omitempty"`
}

// PaymentExecuteResponse answers PathPaymentExecute with the public token
// of the payer's Item and the payment's new status.
type PaymentExecuteResponse struct {
	RequestID   string `json:"request_id"`
	PublicToken string `json:"public_token"`
	Status      string `json:"status"`
}

// SessionRecordRequest is the body of PathSessionRecord: the events since
// the last request and, once, how the session ended.
type SessionRecordRequest struct {
	PublicKey     string          `json:"public_key,omitempty"`
	LinkToken     string          `json:"link_token,omitempty"`
	LinkSessionID string          `json:"link_session_id"`
	Events        []RecordedEvent `json:"events,omitempty"`
	// Exit is onExit's arguments, when the session ended so.
	Exit *RecordedExit `json:"exit,omitempty"`
	// Success is onSuccess's arguments, when the session ended so.
	Success *RecordedSuccess `json:"success,omitempty"`
}

// RecordedEvent is one onEvent call.
type RecordedEvent struct {
	EventName     string     `json:"event_name"`
	EventMetadata RawMessage `json:"event_metadata"`
	Timestamp     string     `json:"timestamp"`
}

// RecordedExit is one onExit call.
type RecordedExit struct {
	Error    *PlaidError `json:"error"`
	Metadata RawMessage  `json:"metadata"`
}

// RecordedSuccess is one onSuccess call.
type RecordedSuccess struct {
	PublicToken string     `json:"public_token"`
	Metadata    RawMessage `json:"metadata"`
}

// SessionRecordResponse answers PathSessionRecord.
type SessionRecordResponse struct {
	RequestID string `json:"request_id"`
}

// ItemCreateRequest is the body of PathItemCreate. The login is stateless:
// each attempt sends the credentials again with the MFA answers of every
// round answered so far.
type ItemCreateRequest struct {
	PublicKey     string     `json:"public_key,omitempty"`
	LinkToken     string     `json:"link_token,omitempty"`
	LinkSessionID string     `json:"link_session_id"`
	InstitutionID string     `json:"institution_id"`
	Products      []string   `json:"products,omitempty"`
	Webhook       string     `json:"webhook,omitempty"`
	Username      string     `json:"username,omitempty"`
	Password      string     `json:"password,omitempty"`
	MFA           [][]string `json:"mfa,omitempty"`
	// OAuthStateID replaces the credentials at an OAuth institution: the
	// state the user approved at the bank. It can create one Item.
	OAuthStateID string `json:"oauth_state_id,omitempty"`
	// Events are the onEvent calls since the engine last told the server
	// of them, which the server records before it handles the request.
	Events []RecordedEvent `json:"events,omitempty"`
}

// ItemCreateResponse answers PathItemCreate: either the next MFA challenge
// (MFA set, no Item yet) or the new Item and its accounts.
type ItemCreateResponse struct {
	RequestID string        `json:"request_id"`
	MFA       *MFAChallenge `json:"mfa,omitempty"`
	ItemID    string        `json:"item_id,omitempty"`
	Accounts  []Account     `json:"accounts,omitempty"`
}

// MFA types, as onEvent's mfa_type names them.
const (
	MFADevice     = "device"
	MFACode       = "code"
	MFAQuestions  = "questions"
	MFASelections = "selections"
)

// MFAChallenge is one round of multi-factor authentication. The answer to a
// device round is the chosen device; to a code round, the code; to questions
// and selections, one answer per question in order.
type MFAChallenge struct {
	Type      string        `json:"type"`
	Round     int           `json:"round"`
	Devices   []string      `json:"devices,omitempty"`
	Questions []MFAQuestion `json:"questions,omitempty"`
}

// MFAQuestion is a question of a questions or selections round; selections
// have Options to choose from. Link words the questions itself, in the
// session's language.
type MFAQuestion struct {
	Options []string `json:"options,omitempty"`
}

// Account is an account as Link's onSuccess metadata shows it.
type Account struct {
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	Mask               *string `json:"mask"`
	Type               string  `json:"type"`
	Subtype            string  `json:"subtype"`
	VerificationStatus *string `json:"verification_status"`
	ClassType          *string `json:"class_type"`
}

// ItemConnectRequest is the body of PathItemConnect.
type ItemConnectRequest struct {
	PublicKey     string   `json:"public_key,omitempty"`
	LinkToken     string   `json:"link_token,omitempty"`
	LinkSessionID string   `json:"link_session_id"`
	ItemID        string   `json:"item_id"`
	AccountIDs    []string `json:"account_ids"`
	// Events are the onEvent calls since the engine last told the server
	// of them, which the server records before it handles the request.
	Events []RecordedEvent `json:"events,omitempty"`
}

// ItemConnectResponse answers PathItemConnect.
type ItemConnectResponse struct {
	RequestID   string `json:"request_id"`
	PublicToken string `json:"public_token"`
}

// PlaidError is Plaid's error object, on the wire and in onExit.
type PlaidError struct {
	ErrorType      string  `json:"error_type"`
	ErrorCode      string  `json:"error_code"`
	ErrorMessage   string  `json:"error_message"`
	DisplayMessage *string `json:"display_message"`
	RequestID      string  `json:"request_id,omitempty"`
}
