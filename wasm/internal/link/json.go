package link

import (
	"encoding/json"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// statusOK is the HTTP status of a successful backend answer.
const statusOK = 200

// decode reads the body of a successful backend answer. An unsuccessful
// answer yields its error, and a body that does not decode is a failure of
// the backend.
func decode[T any](r *protocol.Response) (T, *protocol.PlaidError) {
	var body T
	if e := decodeInto(r, &body); e != nil {
		var zero T
		return zero, e
	}
	return body, nil
}

// decodeInto is decode's work, shared by all its instances.
func decodeInto(r *protocol.Response, v any) *protocol.PlaidError {
	if r.Status != statusOK {
		return responseError(r)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		return internalError("the server's answer could not be read: " + err.Error())
	}
	return nil
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil { // unreachable: only plain structs are encoded
		panic(err)
	}
	return b
}
