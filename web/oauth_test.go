package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

// decide answers at the bank's page as the user's browser does.
func decide(t *testing.T, srv string, stateID, decision string) (int, string) {
	t.Helper()
	resp, err := http.PostForm(srv+protocol.PathOAuthAuthorize, url.Values{"oauth_state_id": {stateID}, "decision": {decision}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page)
}

// TestOAuthLogin walks the server's side of an OAuth login: the state, the
// bank's page, the decision, the status the engine polls, and the Item the
// approved state creates, once.
func TestOAuthLogin(t *testing.T) {
	srv := newAPI(t, web.Options{})
	start := protocol.OAuthStartRequest{PublicKey: alice.PublicKey, LinkSessionID: "ls-1", InstitutionID: "ins_127287", ClientName: "Alice's App"}

	if status, out := post(t, srv, protocol.PathOAuthStart, protocol.OAuthStartRequest{PublicKey: alice.PublicKey, LinkSessionID: "ls-1", InstitutionID: "ins_109508"}); status != 400 || out["error_code"] != "INVALID_INSTITUTION" {
		t.Fatalf("OAuth start at a credential institution: %d %v", status, out)
	}
	status, out := post(t, srv, protocol.PathOAuthStart, start)
	if status != 200 {
		t.Fatalf("start: %d %v", status, out)
	}
	stateID := out["oauth_state_id"].(string)
	authorize := out["authorize_url"].(string)

	resp, err := http.Get(srv.URL + authorize)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"Platypus OAuth Bank", "Alice&#39;s App wants to access your accounts", `value="allow"`, `value="deny"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the bank's page lacks %q", want)
		}
	}

	item := protocol.ItemCreateRequest{PublicKey: alice.PublicKey, LinkSessionID: "ls-1", InstitutionID: "ins_127287", OAuthStateID: stateID}
	statusOf := func(session string) (int, map[string]any) {
		return post(t, srv, protocol.PathOAuthStatus, protocol.OAuthStatusRequest{PublicKey: alice.PublicKey, LinkSessionID: session, OAuthStateID: stateID})
	}
	steps := []struct {
		name string
		run  func() (int, map[string]any)
		// want is the status or error code expected.
		want string
	}{
		{"pending before the decision", func() (int, map[string]any) { return statusOf("ls-1") }, "pending"},
		{"another session cannot look", func() (int, map[string]any) { return statusOf("ls-2") }, "INVALID_FIELD"},
		{"no Item before approval", func() (int, map[string]any) { return post(t, srv, protocol.PathItemCreate, item) }, "INVALID_FIELD"},
		{"the user allows", func() (int, map[string]any) {
			code, page := decide(t, srv.URL, stateID, "allow")
			return code, map[string]any{"status": map[bool]string{true: "closed"}[strings.Contains(page, "window.close()")]}
		}, "closed"},
		{"approved", func() (int, map[string]any) { return statusOf("ls-1") }, "approved"},
		{"a second answer is refused", func() (int, map[string]any) {
			code, _ := decide(t, srv.URL, stateID, "deny")
			return 200, map[string]any{"status": http.StatusText(code)}
		}, "Conflict"},
		{"the approved state creates the Item", func() (int, map[string]any) {
			code, out := post(t, srv, protocol.PathItemCreate, item)
			if out["item_id"] != nil {
				out["status"] = "item"
			}
			return code, out
		}, "item"},
		{"only once", func() (int, map[string]any) { return post(t, srv, protocol.PathItemCreate, item) }, "INVALID_FIELD"},
	}
	for _, st := range steps {
		code, out := st.run()
		got, _ := out["status"].(string)
		if code != 200 {
			got, _ = out["error_code"].(string)
		}
		if got != st.want {
			t.Fatalf("%s: %d %v, want %s", st.name, code, out, st.want)
		}
	}
}

func TestOAuthPageUnknownState(t *testing.T) {
	srv := newAPI(t, web.Options{})
	if code, page := decide(t, srv.URL, "nope", "allow"); code != 404 || !strings.Contains(page, "not valid") {
		t.Fatalf("%d %s", code, page)
	}
}
