package service

import (
	"encoding/json"

	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// Link's records: what a session reports of its Items and of its end,
// as /link/token/get, onSuccess's metadata and the control API show it.

// LinkAccount is an account as Link's metadata shows it.
func LinkAccount(a store.Account) protocol.Account {
	mask := a.Mask
	return protocol.Account{ID: a.ID, Name: a.Name, Mask: &mask, Type: a.Type, Subtype: a.Subtype}
}

// LinkAccounts are accounts as Link's metadata shows them, never null.
func LinkAccounts(accounts []store.Account) []protocol.Account {
	out := []protocol.Account{}
	for _, a := range accounts {
		out = append(out, LinkAccount(a))
	}
	return out
}

// ItemAddResult is an Item a Link session added, as /link/token/get and
// onSuccess's metadata show it.
type ItemAddResult struct {
	PublicToken string             `json:"public_token"`
	Accounts    []protocol.Account `json:"accounts"`
	Institution Institution        `json:"institution"`
}

// Institution is an institution as Link's metadata names it.
type Institution struct {
	Name          string `json:"name"`
	InstitutionID string `json:"institution_id"`
}

// ItemAddResultOf is a stored result as Link's metadata shows it.
func ItemAddResultOf(res store.ItemAddResult) ItemAddResult {
	out := ItemAddResult{PublicToken: res.PublicToken, Accounts: LinkAccounts(res.Item.Accounts)}
	if in, ok := sandbox.InstitutionByID(res.Item.InstitutionID); ok {
		out.Institution = Institution{Name: in.Name, InstitutionID: in.ID}
	}
	return out
}

// SessionSuccess and SessionExit are onSuccess's and onExit's arguments as
// a session's record keeps them and /link/token/get shows them.
type SessionSuccess struct {
	PublicToken string          `json:"public_token"`
	Metadata    json.RawMessage `json:"metadata"`
}

// SessionExit is onExit's arguments; see SessionSuccess.
type SessionExit struct {
	Error    *protocol.PlaidError `json:"error"`
	Metadata json.RawMessage      `json:"metadata"`
}
