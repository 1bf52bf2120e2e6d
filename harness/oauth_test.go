package harness_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/linkharness/linkharness/internal/scenario"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// TestOAuthRedirectKeepsSession: across the OAuth redirect, the
// re-initialised Link carries on the session that began the login (one
// link_session_id in every callback of both pages), and /link/token/get
// shows that one session, with the events of both pages and its Item.
func TestOAuthRedirectKeepsSession(t *testing.T) {
	all, err := scenario.Load("testdata/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(all, func(sc scenario.Scenario) bool { return sc.Name == "oauth_redirect_link_token" })
	if i < 0 {
		t.Fatal("no oauth_redirect_link_token scenario")
	}
	p := play(t, all[i])
	if len(p.sessions) != 2 {
		t.Fatalf("%d page loads, want 2", len(p.sessions))
	}
	ids := map[string]bool{}
	for _, c := range p.calls() {
		var md struct {
			LinkSessionID string `json:"link_session_id"`
		}
		if c.Name == protocol.OnEvent || c.Name == protocol.OnSuccess {
			json.Unmarshal(c.Args[1], &md)
			ids[md.LinkSessionID] = true
		}
	}
	if len(ids) != 1 || ids[""] {
		t.Fatalf("link_session_ids %v, want one", ids)
	}

	token, _ := p.opened["token"].(string)
	var got struct {
		LinkSessions []struct {
			LinkSessionID string `json:"link_session_id"`
			Events        []struct {
				EventName string `json:"event_name"`
			} `json:"events"`
			Results struct {
				ItemAddResults []json.RawMessage `json:"item_add_results"`
			} `json:"results"`
		} `json:"link_sessions"`
	}
	if err := h.Post("/link/token/get", credentials(map[string]any{"link_token": token}), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.LinkSessions) != 1 {
		t.Fatalf("%d link sessions, want 1", len(got.LinkSessions))
	}
	var events []string
	for _, e := range got.LinkSessions[0].Events {
		events = append(events, e.EventName)
	}
	for _, want := range []string{"OPEN", "OPEN_OAUTH", "HANDOFF"} {
		if !slices.Contains(events, want) {
			t.Errorf("session events %v lack %s", events, want)
		}
	}
	if n := len(got.LinkSessions[0].Results.ItemAddResults); n != 1 {
		t.Errorf("%d item_add_results, want 1", n)
	}
}
