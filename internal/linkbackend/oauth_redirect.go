package linkbackend

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/url"
	"strings"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// The OAuth redirect flow (https://plaid.com/docs/link/oauth/): on mobile web and in webviews the bank cannot be a popup, so
// Link hands the whole page to the bank, the bank sends the user back to
// the app's redirect URI with oauth_state_id, and the app re-initialises
// Link with it (legacy: oauthNonce + oauthStateId; link token:
// receivedRedirectUri). These rules keep it from being abused: the
// redirect URI must be on the client's allowed list and must not carry
// the nonce; the nonce has at least 16 characters; a state is resumed
// once, only with its own nonce or link token, and before it expires.

// minNonce is the shortest oauthNonce Plaid accepts.
const minNonce = 16

// redirectAllowed reports whether uri is on the allowed list. Entries
// match the URI's scheme, host and path (its query, such as the user_id
// the docs suggest for re-authenticating the user, is the app's own); an
// entry's host may start with "*." to allow any subdomain.
func redirectAllowed(allowed []string, uri string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.Host == "" {
		return false
	}
	for _, a := range allowed {
		p, err := url.Parse(a)
		if err != nil || p.Scheme != u.Scheme || p.Path != u.Path {
			continue
		}
		if p.Host == u.Host {
			return true
		}
		if sub, ok := strings.CutPrefix(p.Host, "*."); ok && strings.HasSuffix(u.Host, "."+sub) {
			return true
		}
	}
	return false
}

// checkLegacyRedirect checks a legacy configuration's oauthNonce and
// oauthRedirectUri against the client's allowed list.
func checkLegacyRedirect(c service.Client, nonce, redirectURI string) *plaid.Error {
	switch {
	case redirectURI == "":
		return nil
	case len(nonce) < minNonce:
		return plaid.InvalidField("oauthNonce must be at least 16 characters long: the OAuth redirect flow needs one, unique to each login")
	case !redirectAllowed(c.RedirectURIs, redirectURI):
		return plaid.InvalidField("oauthRedirectUri " + redirectURI + " is not one of the client's allowed redirect URIs")
	case strings.Contains(redirectURI, nonce):
		return plaid.InvalidField("oauthRedirectUri must not contain the oauthNonce")
	}
	return nil
}

// CheckTokenRedirect checks /link/token/create's redirect_uri against the
// tenant's allowed list.
func (s *Backend) CheckTokenRedirect(t service.Tenant, redirectURI string) *plaid.Error {
	c, _ := s.clientByID(t.ClientID)
	switch {
	case redirectURI == "":
		return nil
	case strings.Contains(redirectURI, "?"):
		return plaid.InvalidField("redirect_uri must not contain any query parameters")
	case !redirectAllowed(c.RedirectURIs, redirectURI):
		return plaid.InvalidField("redirect_uri " + redirectURI + " is not one of the client's allowed redirect URIs")
	}
	return nil
}

// RedirectBack is where the bank sends the user once they have answered:
// the login's redirect URI with oauth_state_id added to its own query.
func RedirectBack(st store.OAuthState) string {
	u, err := url.Parse(st.RedirectURI)
	if err != nil { // checked when the login began
		return st.RedirectURI
	}
	q := u.Query()
	q.Set("oauth_state_id", st.ID)
	u.RawQuery = q.Encode()
	return u.String()
}

// resumeOAuth takes up, in a re-initialised Link, the OAuth login the
// user came back from: legacy with oauthStateId and the nonce the login
// began with, link-token mode with receivedRedirectUri. It returns nil
// when the configuration resumes nothing.
func (s *Backend) resumeOAuth(ctx context.Context, lc Caller, req protocol.SessionOpenRequest) (*protocol.OAuthResume, *plaid.Error) {
	id := req.OAuthStateID
	if lc.token != nil {
		if req.ReceivedRedirectURI == "" {
			return nil, nil
		}
		u, err := url.Parse(req.ReceivedRedirectURI)
		if err != nil || u.Query().Get("oauth_state_id") == "" {
			return nil, plaid.InvalidField("receivedRedirectUri has no oauth_state_id: pass the whole URI the bank redirected to")
		}
		id = u.Query().Get("oauth_state_id")
	} else if id == "" {
		return nil, nil
	}
	st, err := s.store.OAuthState(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound) || err == nil && (st.ClientID != lc.ClientID || st.RedirectURI == ""):
		return nil, plaid.InvalidField("oauth_state_id " + id + " is not an OAuth login of this client")
	case err != nil:
		return nil, service.StoreError(err)
	case lc.token == nil && subtle.ConstantTimeCompare([]byte(st.Nonce), []byte(req.OAuthNonce)) != 1:
		return nil, plaid.InvalidField("oauthNonce is not the one the OAuth login began with")
	case lc.token != nil && st.LinkToken != lc.token.Token:
		return nil, plaid.InvalidField("oauth_state_id belongs to another link token: re-initialise Link with the link token the OAuth login began with")
	case !lc.Now.Before(st.ExpiresAt):
		return nil, plaid.InvalidField("oauth_state_id has expired: start the OAuth login again")
	}
	st, err = s.store.ResumeOAuthState(ctx, lc.ClientID, id)
	switch {
	case errors.Is(err, store.ErrUsed):
		return nil, plaid.InvalidField("oauth_state_id was used already: each OAuth redirect resumes Link once")
	case err != nil:
		return nil, service.StoreError(err)
	}
	return &protocol.OAuthResume{LinkSessionID: st.LinkSessionID, InstitutionID: st.InstitutionID, OAuthStateID: st.ID, Status: st.Status}, nil
}
