package linkbackend

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/linkharness/linkharness/internal/ids"
	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/product"
	"github.com/linkharness/linkharness/internal/sandbox"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
)

// Completion is a Link session to finish without a browser. With a
// LinkToken it runs with the token's products and webhook; without one it
// is a public-key session with the Products and Webhook given. The login
// defaults to user_good / pass_good at First Platypus Bank, and the
// accounts to every sandbox account that fits the products; Accounts
// picks by name or mask instead. The caller has checked the request's
// fields (Products against the registry, Webhook as a URL).
type Completion struct {
	LinkToken     string
	InstitutionID string
	Username      string
	Password      string
	Accounts      []string
	Products      []string
	Webhook       string
	// Endpoint is the call that completes it, as billing names it.
	Endpoint string
}

// Completed is a session Complete finished: its ID, the public token a UI
// flow would have given onSuccess, and the Item it added.
type Completed struct {
	LinkSessionID string
	PublicToken   string
	Result        service.ItemAddResult
}

// completeTries bounds how often Complete starts again after resets that
// forgot its session midway. Resets every 20 ms against completions slowed
// by the race detector interrupted three tries in a row about once in five
// runs of web's TestConcurrentReset; each try is interrupted only when a
// reset lands inside it, so ten in a row do not happen.
const completeTries = 10

// Complete does what a successful Link flow does on the server: it starts
// a session, logs in, creates the Item with the chosen accounts, issues
// the public token and records onSuccess, so that /link/token/get and the
// webhooks look as after a UI flow (no onEvent calls are recorded: the
// engine makes those).
//
// A /linkharness/reset of the client while a completion runs forgets its
// session midway, and a later step finds nothing to go on with; the
// completion then runs again, as if it came after the reset: a link-token
// session fails as its token is gone, a public-key session succeeds. It
// runs at most completeTries times.
func (s *Backend) Complete(ctx context.Context, t service.Tenant, req Completion) (Completed, *plaid.Error) {
	for tries := 1; ; tries++ {
		done, started, e := s.complete(ctx, t, req)
		if e == nil || e.Status < 500 || started == "" || tries == completeTries {
			return done, e
		}
		if _, err := s.store.Session(ctx, t.ClientID, started); !errors.Is(err, store.ErrNotFound) {
			return done, e
		}
	}
}

// complete is one try of Complete; started is the ID of the session it
// starts, once it gets that far ("" when it fails before).
func (s *Backend) complete(ctx context.Context, t service.Tenant, req Completion) (_ Completed, started string, _ *plaid.Error) {
	cfg := linkconfig.Config{Products: req.Products, Webhook: req.Webhook}
	plan := cfg.Plan()
	sess := store.Session{ID: ids.NewUUID(), ClientID: t.ClientID, StartedAt: t.Now}
	if req.LinkToken != "" {
		tok, err := s.store.LinkToken(ctx, req.LinkToken)
		if errors.Is(err, store.ErrNotFound) || (err == nil && tok.ClientID != t.ClientID) {
			return Completed{}, "", plaid.InvalidLinkToken("provided link token is in an invalid format or does not exist")
		}
		if err != nil {
			return Completed{}, "", service.StoreError(err)
		}
		if tok.Expired(t.Now) {
			return Completed{}, "", plaid.InvalidLinkToken("provided link token has expired")
		}
		if tok.ItemID != "" {
			return Completed{}, "", plaid.InvalidField("completing an update-mode session without a browser is not emulated yet")
		}
		var e *plaid.Error
		c := Caller{Tenant: t, token: &tok}
		if cfg, e = s.tokenConfig(c); e != nil {
			return Completed{}, "", e
		}
		if plan, e = s.plan(ctx, c, cfg); e != nil {
			return Completed{}, "", e
		}
		sess.LinkToken = tok.Token
	}
	sess.Config = cfg.Encode()
	insID := req.InstitutionID
	if insID == "" {
		insID = "ins_109508"
	}
	in, ok := sandbox.InstitutionByID(insID)
	if !ok {
		return Completed{}, "", plaid.InvalidInstitution()
	}
	username, password := req.Username, req.Password
	if username == "" && password == "" {
		username, password = "user_good", "pass_good"
	}
	st, e := s.settings.Get(ctx, t.ClientID, req.LinkToken)
	if e != nil {
		return Completed{}, "", e
	}
	in.Health = st.Health(in)
	if e := service.InstitutionDown(in); e != nil {
		return Completed{}, "", e
	}
	if !in.Supports(plan.Products) {
		return Completed{}, "", plaid.ProductsNotSupported(fmt.Sprintf("%s does not support the products %v", in.Name, plan.Products))
	}
	challenge, custom, e := service.LogIn(in, username, password, nil)
	if e != nil {
		return Completed{}, "", e
	}
	if challenge != nil {
		return Completed{}, "", plaid.InvalidField("MFA logins need the Link UI (a browser or the harness)")
	}
	keep := func(a store.Account) bool {
		if len(req.Accounts) > 0 {
			return slices.Contains(req.Accounts, a.Name) || slices.Contains(req.Accounts, a.Mask)
		}
		return product.Fits(a.Type, a.Subtype, plan.Products)
	}
	if err := s.store.StartSession(ctx, sess); err != nil {
		return Completed{}, sess.ID, service.StoreError(err)
	}
	pt, e := s.svc.AddItem(ctx, t, service.NewItem{InstitutionID: in.ID, Webhook: cfg.Webhook, LinkSessionID: sess.ID, LinkToken: sess.LinkToken,
		Plan: plan, Keep: keep, Endpoint: req.Endpoint, MultiItem: cfg.MultiItem, Custom: custom})
	if e != nil {
		return Completed{}, sess.ID, e
	}
	done, err := s.store.Session(ctx, t.ClientID, sess.ID)
	if err != nil || len(done.Results) != 1 {
		return Completed{}, sess.ID, plaid.Internal(fmt.Sprintf("the completed session has no result: %v", err))
	}
	res := service.ItemAddResultOf(done.Results[0])
	metadata, _ := json.Marshal(map[string]any{"institution": res.Institution, "accounts": res.Accounts,
		"link_session_id": sess.ID, "transfer_status": nil})
	successToken := pt.Token
	if cfg.MultiItem {
		// Multi-Item Link's onSuccess is empty.
		successToken = ""
		metadata, _ = json.Marshal(map[string]any{"institution": nil, "accounts": []any{}, "link_session_id": sess.ID})
	}
	payload, _ := json.Marshal(service.SessionSuccess{PublicToken: successToken, Metadata: metadata})
	finish := service.MultiItemHook(cfg, t.ClientID, sess.ID, sess.LinkToken, sessionSuccess)
	if err := s.Commit(func() error {
		return s.store.RecordSession(ctx, sess, []store.Callback{{Name: store.OnSuccess, Payload: payload}}, t.Now, finish)
	}); err != nil {
		return Completed{}, sess.ID, service.StoreError(err)
	}
	return Completed{LinkSessionID: sess.ID, PublicToken: pt.Token, Result: res}, sess.ID, nil
}
