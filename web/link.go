package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/wasm/sandbox"
	"github.com/linkharness/linkharness/web/store"
)

// maxBody is the largest request body the server reads.
const maxBody = 1 << 20

// publicTokenLifetime is how long a public token can be exchanged.
const publicTokenLifetime = 30 * time.Minute

// api adapts a JSON endpoint: it decodes the body into Req, runs f and
// answers with its result or its error in Plaid's shape, every answer with
// a request_id.
func api[Req any, Resp any](f func(ctx context.Context, requestID string, req Req) (Resp, *apiError)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requestID := newRequestID()
		var req Req
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
		if err := dec.Decode(&req); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				e := errInvalidRequest("INVALID_BODY", fmt.Sprintf("request body exceeds %d bytes", maxBody))
				e.status = http.StatusRequestEntityTooLarge
				writeError(w, requestID, e)
				return
			}
			writeError(w, requestID, errInvalidRequest("INVALID_BODY", "body could not be parsed as JSON: "+err.Error()))
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

func errInvalidPublicKey() *apiError {
	return &apiError{status: http.StatusBadRequest, ErrorType: "INVALID_INPUT", ErrorCode: "INVALID_API_KEYS", ErrorMessage: "invalid public_key provided"}
}

func (s *Server) sessionOpen(_ context.Context, requestID string, req protocol.SessionOpenRequest) (protocol.SessionOpenResponse, *apiError) {
	if _, ok := s.clientByPublicKey(req.PublicKey); !ok {
		return protocol.SessionOpenResponse{}, errInvalidPublicKey()
	}
	return protocol.SessionOpenResponse{RequestID: requestID}, nil
}

func (s *Server) itemCreate(ctx context.Context, requestID string, req protocol.ItemCreateRequest) (protocol.ItemCreateResponse, *apiError) {
	client, ok := s.clientByPublicKey(req.PublicKey)
	if !ok {
		return protocol.ItemCreateResponse{}, errInvalidPublicKey()
	}
	in, ok := sandbox.InstitutionByID(req.InstitutionID)
	if !ok {
		return protocol.ItemCreateResponse{}, &apiError{status: http.StatusBadRequest, ErrorType: "INVALID_INPUT", ErrorCode: "INVALID_INSTITUTION", ErrorMessage: "invalid institution_id provided"}
	}
	challenge, e := sandbox.Login(req.Username, req.Password, req.MFA)
	if e != nil {
		return protocol.ItemCreateResponse{}, loginError(e)
	}
	if challenge != nil {
		return protocol.ItemCreateResponse{RequestID: requestID, MFA: mfaChallenge(challenge)}, nil
	}
	it := store.Item{
		ID:            newOpaqueID(),
		ClientID:      client.ClientID,
		InstitutionID: in.ID,
		Products:      req.Products,
		Webhook:       req.Webhook,
		LinkSessionID: req.LinkSessionID,
		CreatedAt:     s.now(),
	}
	resp := protocol.ItemCreateResponse{RequestID: requestID, ItemID: it.ID, Accounts: []protocol.Account{}}
	for _, a := range sandbox.Accounts {
		acc := store.Account{ID: newOpaqueID(), Name: a.Name, Mask: a.Mask, Type: a.Type, Subtype: a.Subtype}
		it.Accounts = append(it.Accounts, acc)
		resp.Accounts = append(resp.Accounts, linkAccount(acc))
	}
	if err := s.store.CreateItem(ctx, it); err != nil {
		return protocol.ItemCreateResponse{}, errInternal("could not store the item: " + err.Error())
	}
	return resp, nil
}

func (s *Server) itemConnect(ctx context.Context, requestID string, req protocol.ItemConnectRequest) (protocol.ItemConnectResponse, *apiError) {
	client, ok := s.clientByPublicKey(req.PublicKey)
	if !ok {
		return protocol.ItemConnectResponse{}, errInvalidPublicKey()
	}
	it, err := s.store.Item(ctx, req.ItemID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (it.ClientID != client.ClientID || it.LinkSessionID != req.LinkSessionID)) {
		return protocol.ItemConnectResponse{}, errInvalidRequest("INVALID_FIELD", "item_id does not belong to this Link session")
	}
	if err != nil {
		return protocol.ItemConnectResponse{}, errInternal(err.Error())
	}
	if len(req.AccountIDs) == 0 {
		return protocol.ItemConnectResponse{}, errInvalidRequest("MISSING_FIELDS", "account_ids must name at least one account")
	}
	for _, id := range req.AccountIDs {
		if !slices.ContainsFunc(it.Accounts, func(a store.Account) bool { return a.ID == id }) {
			return protocol.ItemConnectResponse{}, errInvalidRequest("INVALID_FIELD", "account_ids names an account that is not on the item: "+id)
		}
	}
	pt := store.PublicToken{Token: newToken("public", "sandbox"), ItemID: it.ID, ExpiresAt: s.now().Add(publicTokenLifetime)}
	err = s.store.ConnectItem(ctx, it.ID, req.AccountIDs, pt)
	if errors.Is(err, store.ErrConnected) {
		return protocol.ItemConnectResponse{}, errInvalidRequest("INVALID_FIELD", "the item's accounts were chosen already")
	}
	if err != nil {
		return protocol.ItemConnectResponse{}, errInternal("could not store the item: " + err.Error())
	}
	return protocol.ItemConnectResponse{RequestID: requestID, PublicToken: pt.Token}, nil
}

// loginError is a sandbox login error with the HTTP status Plaid sends it
// with: 400 for the user's mistakes, 500 for the institution's and Plaid's.
func loginError(e *sandbox.Error) *apiError {
	status := http.StatusBadRequest
	if e.Type == "API_ERROR" || e.Type == "INSTITUTION_ERROR" {
		status = http.StatusInternalServerError
	}
	var display *string
	if e.DisplayMessage != "" {
		display = &e.DisplayMessage
	}
	return &apiError{status: status, ErrorType: e.Type, ErrorCode: e.Code, ErrorMessage: e.Message, DisplayMessage: display}
}

func mfaChallenge(c *sandbox.Challenge) *protocol.MFAChallenge {
	out := &protocol.MFAChallenge{Type: c.Type, Round: c.Round, Devices: c.Devices}
	for _, q := range c.Questions {
		out.Questions = append(out.Questions, protocol.MFAQuestion{Text: q.Text, Options: q.Options})
	}
	return out
}

// linkAccount is an account as Link's metadata shows it.
func linkAccount(a store.Account) protocol.Account {
	mask := a.Mask
	return protocol.Account{ID: a.ID, Name: a.Name, Mask: &mask, Type: a.Type, Subtype: a.Subtype}
}
