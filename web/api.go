package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
)

// maxBody is the largest request body the server reads.
const maxBody = 1 << 20

// readBody reads a JSON request body of at most maxBody bytes into v, or
// says in Plaid's shape why it cannot: INVALID_BODY for what is not JSON or
// is too big (413), INVALID_FIELD for a field of the wrong type (the message
// names it), as Plaid's error reference sorts them.
func readBody(w http.ResponseWriter, r *http.Request, v any) ([]byte, *plaid.Error) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, plaid.BodyTooLarge(fmt.Sprintf("request body exceeds %d bytes", maxBody))
		}
		return nil, plaid.InvalidBody("request body could not be read: " + err.Error())
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return nil, plaid.InvalidField(fmt.Sprintf("%s must be %s, not %s", typeErr.Field, jsonKind(typeErr.Type), typeErr.Value))
		}
		return nil, plaid.InvalidBody("body could not be parsed as JSON: " + err.Error())
	}
	return raw, nil
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

// api adapts an engine-facing JSON endpoint: it decodes the body into Req,
// runs f and answers with its result or its error in Plaid's shape, every
// answer with a request_id.
func api[Req any, Resp any](f func(ctx context.Context, requestID string, req Req) (Resp, *plaid.Error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requestID := plaid.NewRequestID()
		var req Req
		if _, e := readBody(w, r, &req); e != nil {
			writeError(w, requestID, e)
			return
		}
		resp, e := f(r.Context(), requestID, req)
		if e != nil {
			writeError(w, requestID, e)
			return
		}
		writeJSON(w, http.StatusOK, resp)
	})
}

// credentials are the client_id and secret a Plaid API request may carry
// in its body; request types embed them.
type credentials struct {
	ClientID string `json:"client_id"`
	Secret   string `json:"secret"`
}

func (c *credentials) creds() *credentials { return c }

// authenticated is a request type that embeds credentials.
type authenticated interface{ creds() *credentials }

// call is what a Plaid API handler knows about its request beyond the body.
type call struct {
	requestID string
	client    Client
	// now is the client's emulator clock at the start of the request.
	now time.Time
	// body is the raw request body.
	body []byte
}

// plaidAPI adapts a Plaid API endpoint: it decodes the body into Req,
// authenticates the client by the credentials in the body or in the
// PLAID-CLIENT-ID / PLAID-SECRET headers, and answers with f's result or
// error in Plaid's shape. f sets the response's request_id from call.
func plaidAPI[Req any, P interface {
	*Req
	authenticated
}, Resp any](s *Server, f func(ctx context.Context, c *call, req P) (Resp, *plaid.Error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{requestID: plaid.NewRequestID()}
		req := P(new(Req))
		raw, e := readBody(w, r, req)
		if e != nil {
			writeError(w, c.requestID, e)
			return
		}
		c.body = raw
		cr := req.creds()
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
			writeError(w, c.requestID, plaid.MissingFields(missing...))
			return
		}
		client, ok := s.authenticate(cr.ClientID, cr.Secret)
		if !ok {
			writeError(w, c.requestID, plaid.InvalidAPIKeys())
			return
		}
		c.client = client
		now, err := s.clientNow(r.Context(), client.ClientID)
		if err != nil {
			writeError(w, c.requestID, plaid.Internal(err.Error()))
			return
		}
		c.now = now
		resp, e := f(r.Context(), c, req)
		if e != nil {
			writeError(w, c.requestID, e)
			return
		}
		writeJSON(w, http.StatusOK, resp)
	})
}

// optString is a nullable string: null when empty.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// tenant is who the call is for, as the service layer takes it.
func (c *call) tenant() service.Tenant {
	return service.Tenant{ClientID: c.client.ClientID, Now: c.now}
}

// nonNil is s, or an empty slice for nil: JSON arrays are never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// rawOrNull is m, or JSON null for nothing.
func rawOrNull(m json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return json.RawMessage("null")
	}
	return m
}
