package link

import (
	"github.com/linkharness/linkharness/wasm/internal/wire"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// statusOK is the HTTP status of a successful backend answer.
const statusOK = 200

// decoder is a backend answer's body type: it decodes itself (see
// protocol's DecodeJSON methods).
type decoder[T any] interface {
	*T
	DecodeJSON(data []byte) error
}

// decode reads the body of a successful backend answer. An unsuccessful
// answer yields its error, and a body that does not decode is a failure of
// the backend.
func decode[T any, P decoder[T]](r *protocol.Response) (T, *protocol.PlaidError) {
	var body T
	if r.Status != statusOK {
		return body, responseError(r)
	}
	if err := P(&body).DecodeJSON(r.Body); err != nil {
		var zero T
		return zero, internalError("the server's answer could not be read: " + err.Error())
	}
	return body, nil
}

// encode is v's JSON encoding.
func encode(v wire.Appender) protocol.RawMessage {
	return v.AppendJSON(make([]byte, 0, 512))
}
