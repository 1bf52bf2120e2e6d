// Package httpapi is what every JSON endpoint of the server shares: reading
// a body with Plaid's errors for what cannot be read, authenticating a
// Plaid API call down to its tenant, answering in Plaid's shape, and the
// route entries the server's route table is made of.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"slices"

	"github.com/linkharness/linkharness/internal/dataservice"
	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkbackend"
	"github.com/linkharness/linkharness/internal/paymentinitiation"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/processor"
	"github.com/linkharness/linkharness/internal/reqschema"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/settings"
)

// MaxBody is the largest request body the server reads.
const MaxBody = 1 << 20

// ReadBody reads a JSON request body of at most MaxBody bytes into v, or
// says in Plaid's shape why it cannot: INVALID_BODY for what is not JSON or
// is too big (413), INVALID_FIELD for a field of the wrong type (the message
// names it), as Plaid's error reference sorts them. Keys match field names
// exactly, as Plaid's do: a key that differs from a field's only in case
// is an unknown key.
func ReadBody(w http.ResponseWriter, r *http.Request, v any) ([]byte, *plaid.Error) {
	raw, e := readRaw(w, r)
	if e != nil {
		return nil, e
	}
	return raw, decode(raw, v, true)
}

// CheckBody reads a Plaid API request's body and checks it against its
// operation's request schema in Plaid's spec (package reqschema); it
// returns the body, and whether it may hold a key the schema does not
// name.
func CheckBody(w http.ResponseWriter, r *http.Request) ([]byte, bool, *plaid.Error) {
	raw, e := readRaw(w, r)
	if e != nil {
		return nil, true, e
	}
	unnamed, e := reqschema.Inspect(r.Method, r.URL.Path, raw)
	return raw, unnamed, e
}

// readRaw reads a request body of at most MaxBody bytes.
func readRaw(w http.ResponseWriter, r *http.Request) ([]byte, *plaid.Error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, plaid.BodyTooLarge(fmt.Sprintf("request body exceeds %d bytes", MaxBody))
		}
		return nil, plaid.InvalidBody("request body could not be read: " + err.Error())
	}
	return raw, nil
}

// decode decodes raw into v with exact keys; unnamed says raw may hold a
// key that is no field's name, which might differ from one only in case
// (when the request check found none, encoding/json's case-insensitive
// match cannot misread a key, and the pass that drops such keys is
// skipped).
func decode(raw []byte, v any, unnamed bool) *plaid.Error {
	if unnamed {
		if exact, dropped := exactKeys(raw, reflect.TypeOf(v)); dropped {
			raw = exact
		}
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return plaid.InvalidField(fmt.Sprintf("%s must be %s, not %s", typeErr.Field, jsonKind(typeErr.Type), typeErr.Value))
		}
		if typeErr != nil {
			// The body itself is not an object: say so as the request
			// check does, not with encoding/json's message, which names
			// the Go type it decodes into.
			var v any
			json.Unmarshal(raw, &v)
			return plaid.InvalidBody("body must be a JSON object, not " + valueKind(v))
		}
		return plaid.InvalidBody("body could not be parsed as JSON: " + err.Error())
	}
	return nil
}

// valueKind names the kind of a decoded JSON value as the request check's
// messages do.
func valueKind(v any) string {
	switch v := v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64:
		if v == math.Trunc(v) {
			return "an integer"
		}
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "null"
}

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "of another type"
}

// Engine adapts an engine-facing JSON endpoint: it decodes the body into
// Req, runs f and answers with its result or its error in Plaid's shape,
// every answer with a request_id.
func Engine[Req any, Resp any](f func(ctx context.Context, requestID string, req Req) (Resp, *plaid.Error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requestID := ids.NewRequestID()
		var req Req
		if _, e := ReadBody(w, r, &req); e != nil {
			WriteError(w, requestID, e)
			return
		}
		resp, e := f(r.Context(), requestID, req)
		respond(w, requestID, resp, e)
	})
}

// Credentials are the client_id and secret a Plaid API request may carry
// in its body; request types embed them.
type Credentials struct {
	ClientID string `json:"client_id"`
	Secret   string `json:"secret"`
}

// AccessTokenRequest is the body of an endpoint that takes only an access
// token.
type AccessTokenRequest struct {
	Credentials
	AccessToken string `json:"access_token"`
}

// Creds returns c, so that a request type that embeds Credentials is
// Authenticated.
func (c *Credentials) Creds() *Credentials { return c }

// Authenticated is a request type that embeds Credentials.
type Authenticated interface{ Creds() *Credentials }

// Authenticator checks a client's credentials: Authenticate returns its
// tenant at its emulator clock's now, Known only whether they are a
// client's, without reading its clock; false for credentials that are not
// a client's.
type Authenticator interface {
	Authenticate(ctx context.Context, clientID, secret string) (service.Tenant, bool, error)
	Known(clientID, secret string) bool
}

// NoClock is auth for an endpoint whose answer does not depend on the
// time: it knows the clients auth knows, but its tenants have no clock
// (Now is the zero time), which spares the request the read of the
// client's clock. (An Authenticator, not a second Plaid: each generic
// adapter is compiled once per endpoint, into the Worker's size.)
func NoClock(auth Authenticator) Authenticator { return noClock{auth} }

// noClock is NoClock's Authenticator.
type noClock struct{ Authenticator }

func (a noClock) Authenticate(_ context.Context, clientID, secret string) (service.Tenant, bool, error) {
	if !a.Known(clientID, secret) {
		return service.Tenant{}, false, nil
	}
	return service.Tenant{ClientID: clientID}, true, nil
}

// Call is what a Plaid API handler knows about its request beyond the
// body.
type Call struct {
	RequestID string
	// Tenant is the authenticated client at the start of the request.
	Tenant service.Tenant
}

// Plaid adapts a Plaid API endpoint: it checks the body against the
// operation's request schema in Plaid's spec, decodes it into Req,
// authenticates the client by the credentials in the body or in the
// PLAID-CLIENT-ID / PLAID-SECRET headers, and answers with f's result or
// error in Plaid's shape. f sets the response's request_id from call. A
// Plaid-Version header, when sent, must name a version of Plaid's API.
func Plaid[Req any, P interface {
	*Req
	Authenticated
}, Resp any](auth Authenticator, f func(ctx context.Context, c *Call, req P) (Resp, *plaid.Error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &Call{RequestID: ids.NewRequestID()}
		if e := CheckVersion(r); e != nil {
			WriteError(w, c.RequestID, e)
			return
		}
		req := P(new(Req))
		raw, unnamed, e := CheckBody(w, r)
		if e == nil {
			e = decode(raw, req, unnamed)
		}
		if e != nil {
			WriteError(w, c.RequestID, e)
			return
		}
		cr := req.Creds()
		if cr.ClientID == "" {
			cr.ClientID = r.Header.Get("PLAID-CLIENT-ID")
		}
		if cr.Secret == "" {
			cr.Secret = r.Header.Get("PLAID-SECRET")
		}
		var missing []string
		if cr.ClientID == "" {
			missing = append(missing, "client_id")
		}
		if cr.Secret == "" {
			missing = append(missing, "secret")
		}
		if len(missing) > 0 {
			WriteError(w, c.RequestID, plaid.MissingFields(missing...))
			return
		}
		t, ok, err := auth.Authenticate(r.Context(), cr.ClientID, cr.Secret)
		if err != nil {
			WriteError(w, c.RequestID, plaid.Internal(err.Error()))
			return
		}
		if !ok {
			WriteError(w, c.RequestID, plaid.InvalidAPIKeys())
			return
		}
		c.Tenant = t
		resp, e := f(r.Context(), c, req)
		if e != nil {
			WriteError(w, c.RequestID, e)
			return
		}
		if raw, ok := any(resp).(Raw); ok {
			ct, body := raw.Raw()
			w.Header().Set("Content-Type", ct)
			w.Write(body)
			return
		}
		WriteJSON(w, http.StatusOK, resp)
	})
}

// CheckVersion is INVALID_HEADERS for a Plaid-Version header that names
// no version of Plaid's API; nil without the header.
func CheckVersion(r *http.Request) *plaid.Error {
	if v := r.Header.Get("Plaid-Version"); v != "" && !slices.Contains(plaid.APIVersions, v) {
		return plaid.New("INVALID_HEADERS", fmt.Sprintf("Plaid-Version %q is not a version of the API: use %s", v, plaid.APIVersion))
	}
	return nil
}

// Public adapts a Plaid API endpoint that takes no credentials: the
// Plaid-Version check and the request check of Plaid, then f's answer or
// error in Plaid's shape, every answer with a request_id.
func Public[Req any, Resp any](f func(ctx context.Context, requestID string, req *Req) (Resp, *plaid.Error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requestID := ids.NewRequestID()
		e := CheckVersion(r)
		req := new(Req)
		if e == nil {
			var raw []byte
			var unnamed bool
			if raw, unnamed, e = CheckBody(w, r); e == nil {
				e = decode(raw, req, unnamed)
			}
		}
		if e != nil {
			WriteError(w, requestID, e)
			return
		}
		resp, e := f(r.Context(), requestID, req)
		respond(w, requestID, resp, e)
	})
}

// respond writes resp as JSON, or e in Plaid's shape when e is not nil.
func respond(w http.ResponseWriter, requestID string, resp any, e *plaid.Error) {
	if e != nil {
		WriteError(w, requestID, e)
		return
	}
	WriteJSON(w, http.StatusOK, resp)
}

// OptString is a nullable string: null when empty.
func OptString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// NonNil is s, or an empty slice for nil: JSON arrays are never null.
func NonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// RawOrNull is m, or JSON null for nothing.
func RawOrNull(m json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return json.RawMessage("null")
	}
	return m
}

// Route is one entry of the server's route table.
type Route struct {
	Method, Path string
	// Group is the part of the server it belongs to: GroupPlaid,
	// GroupEngine, GroupControl or GroupPage.
	Group   string
	Handler http.Handler
	// Doc says what the endpoint does, for the README's endpoint table.
	Doc string
}

// Route groups.
const (
	// GroupPlaid is Plaid's API, for backends, authenticated by client_id
	// and secret.
	GroupPlaid = "plaid"
	// GroupEngine is the Link engine's endpoints, CORS-open, by public key
	// or link token.
	GroupEngine = "engine"
	// GroupControl is linkharness's own control API, for tests.
	GroupControl = "control"
	// GroupPage is the HTML pages the server renders itself.
	GroupPage = "page"
)

// CheckURL returns INVALID_FIELD unless s is empty or an http(s) URL.
func CheckURL(field, s string) *plaid.Error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return plaid.InvalidField(field + " must be a valid http or https URL")
	}
	return nil
}

// Deps are what the handlers of the Plaid API and the control API work
// with: the service, the Link backend, the processor-partner operations,
// the product-data operations beyond the service's and the authenticator
// of their calls.
type Deps struct {
	Svc       *service.Service
	Settings  *settings.Service
	Link      *linkbackend.Backend
	Processor *processor.Backend
	Data      *dataservice.Service
	Payments  *paymentinitiation.Service
	Auth      Authenticator
}

// Raw is an answer that is not JSON (a PDF, say): Plaid writes it as it
// is.
type Raw interface {
	Raw() (contentType string, body []byte)
}

// RequestIDResponse is the answer of an endpoint that answers nothing but
// its request_id.
type RequestIDResponse struct {
	RequestID string `json:"request_id"`
}
