package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

// timelineOut is /linkharness/session/timeline's answer, in part.
type timelineOut struct {
	Session struct {
		LinkSessionID string `json:"link_session_id"`
		Status        string `json:"status"`
		Events        int    `json:"events"`
		Items         int    `json:"items"`
	} `json:"session"`
	Timeline []struct {
		Kind    string `json:"kind"`
		Name    string `json:"name"`
		At      *string
		Request *struct {
			Status    int    `json:"status"`
			ErrorCode string `json:"error_code"`
			RequestID string `json:"request_id"`
		} `json:"request"`
		Webhook *struct {
			WebhookID string `json:"webhook_id"`
			Status    string `json:"status"`
			Attempts  []struct {
				StatusCode int `json:"status_code"`
			} `json:"attempts"`
		} `json:"webhook"`
	} `json:"timeline"`
}

func timelineOf(t *testing.T, c *testkit.Client, session string) timelineOut {
	t.Helper()
	var out timelineOut
	c.MustDecode(t, "/linkharness/session/timeline", map[string]any{"link_session_id": session}, &out)
	return out
}

// TestInspectorRoutes runs a session whose webhook fails once, then reads
// it as the inspector does: the client's sessions and Items, and the
// session's timeline in order, with the engine's requests (a failed login
// included), its callbacks and the webhook's two attempts. Another client
// sees none of it.
func TestInspectorRoutes(t *testing.T) {
	srv := newAPI(t, web.Options{})
	a := as(srv, &alice)
	rcv := testkit.NewReceiver(t, a, testkit.FailFirst(1), testkit.WaitTimeout(10*time.Second))
	token := linkToken(t, srv, &alice, map[string]any{"webhook": rcv.URL})
	// A wrong password first, in a session of its own that then ends,
	// with the events that led up to it; a login whose events are
	// malformed is rejected before it is tried, and records nothing.
	failed := "ls-failed-" + token[len(token)-6:]
	post(t, srv, protocol.PathSessionOpen, protocol.SessionOpenRequest{LinkToken: token, LinkSessionID: failed})
	carried := func(names ...string) []protocol.RecordedEvent {
		var out []protocol.RecordedEvent
		for _, n := range names {
			out = append(out, protocol.RecordedEvent{EventName: n, EventMetadata: json.RawMessage(`{}`), Timestamp: "2026-01-01T00:00:00Z"})
		}
		return out
	}
	if status, out := post(t, srv, protocol.PathItemCreate, protocol.ItemCreateRequest{LinkToken: token, LinkSessionID: failed,
		InstitutionID: "ins_109508", Username: "user_good", Password: "pass_good", Events: carried("TRANSITION_VIEW", "")}); status != 400 ||
		out["error_code"] != "MISSING_FIELDS" {
		t.Fatalf("a login with an unnamed event answered %d %v, want MISSING_FIELDS", status, out)
	}
	if status, _ := post(t, srv, protocol.PathItemCreate, protocol.ItemCreateRequest{LinkToken: token, LinkSessionID: failed,
		InstitutionID: "ins_109508", Username: "user_good", Password: "wrong", Events: carried("OPEN", "SUBMIT_CREDENTIALS")}); status != 400 {
		t.Fatalf("a wrong password answered %d", status)
	}
	session, _ := linkFlow(t, srv, token)
	testkit.Eventually(t, 10*time.Second, "the webhook's second attempt", func() bool {
		for _, e := range timelineOf(t, a, session).Timeline {
			if e.Webhook != nil && e.Webhook.Status == "delivered" && len(e.Webhook.Attempts) == 2 {
				return true
			}
		}
		return false
	})

	tl := timelineOf(t, a, session)
	if s := tl.Session; s.LinkSessionID != session || s.Status != "success" || s.Events != 2 || s.Items != 1 {
		t.Errorf("timeline's session = %+v", s)
	}
	var order []string
	var hook int
	for i, e := range tl.Timeline {
		if e.At == nil {
			t.Errorf("entry %d (%s %s) has no time", i, e.Kind, e.Name)
		}
		if e.Kind == "webhook" {
			if hook == 0 {
				hook = len(order)
			}
			if len(e.Webhook.Attempts) == 2 && (e.Webhook.Attempts[0].StatusCode != 503 || e.Webhook.Attempts[1].StatusCode != 200) {
				t.Errorf("webhook %s attempts = %+v, want 503 then 200", e.Name, e.Webhook.Attempts)
			}
			continue
		}
		order = append(order, e.Kind+" "+e.Name)
	}
	want := []string{"request " + protocol.PathSessionOpen, "request " + protocol.PathItemCreate, "request " + protocol.PathItemConnect,
		"event OPEN", "event HANDOFF", "callback onSuccess", "request " + protocol.PathSessionRecord}
	if !slices.Equal(order, want) {
		t.Errorf("timeline without webhooks = %q, want %q", order, want)
	}
	if hook < 2 {
		t.Errorf("the first webhook comes after %d entries, want it after the Item's creation", hook)
	}
	failedTL := timelineOf(t, a, failed)
	var failedOrder []string
	for _, e := range failedTL.Timeline {
		failedOrder = append(failedOrder, e.Kind+" "+e.Name)
	}
	wantFailed := []string{"request " + protocol.PathSessionOpen, "request " + protocol.PathItemCreate,
		"event OPEN", "event SUBMIT_CREDENTIALS", "request " + protocol.PathItemCreate}
	if last := failedTL.Timeline[len(failedTL.Timeline)-1].Request; !slices.Equal(failedOrder, wantFailed) || last.Status != 400 ||
		last.ErrorCode != "INVALID_CREDENTIALS" || last.RequestID == "" || failedTL.Session.Status != "running" || failedTL.Session.Events != 2 {
		t.Errorf("failed session's timeline = %q %+v, want %q", failedOrder, failedTL, wantFailed)
	}
	if rejected := failedTL.Timeline[1].Request; rejected.Status != 400 || rejected.ErrorCode != "MISSING_FIELDS" {
		t.Errorf("the rejected login is logged as %+v", rejected)
	}

	// The lists, for each client.
	b := as(srv, &bob)
	for _, tc := range []struct {
		name            string
		c               *testkit.Client
		sessions, items int
	}{{"alice", a, 2, 1}, {"bob", b, 0, 0}} {
		var sessions struct {
			Sessions []struct {
				LinkSessionID string `json:"link_session_id"`
				Status        string `json:"status"`
			} `json:"sessions"`
		}
		tc.c.MustDecode(t, "/linkharness/sessions/list", map[string]any{}, &sessions)
		var items struct {
			Items []struct {
				ItemID        string   `json:"item_id"`
				LinkSessionID string   `json:"link_session_id"`
				Products      []string `json:"products"`
			} `json:"items"`
		}
		tc.c.MustDecode(t, "/linkharness/items/list", map[string]any{}, &items)
		if len(sessions.Sessions) != tc.sessions || len(items.Items) != tc.items {
			t.Errorf("%s: %d sessions, %d items; want %d, %d", tc.name, len(sessions.Sessions), len(items.Items), tc.sessions, tc.items)
		}
		if tc.items > 0 && (items.Items[0].LinkSessionID != session || !slices.Equal(items.Items[0].Products, []string{"transactions"})) {
			t.Errorf("%s: items = %+v", tc.name, items.Items)
		}
	}
	if status, out := send(t, b, "/linkharness/session/timeline", map[string]any{"link_session_id": session}); status != 400 || out["error_code"] != "INVALID_FIELD" {
		t.Errorf("bob reads alice's timeline: %d %v", status, out)
	}

	// session/complete is the one request of the session it makes.
	var done struct {
		LinkSessionID string `json:"link_session_id"`
	}
	a.MustDecode(t, "/linkharness/session/complete", map[string]any{"products": []string{"auth"}}, &done)
	got := timelineOf(t, a, done.LinkSessionID)
	var kinds []string
	for _, e := range got.Timeline {
		if e.Kind != "webhook" {
			kinds = append(kinds, e.Kind+" "+e.Name)
		}
	}
	if want := []string{"callback onSuccess", "request /linkharness/session/complete"}; !slices.Equal(kinds, want) {
		raw, _ := json.Marshal(got)
		t.Errorf("completed session's timeline = %q, want %q\n%s", kinds, want, raw)
	}
}

// TestInspectorAssets serves the inspector's page, script and style sheet
// under its Content-Security-Policy, and checks that the page holds no
// inline script, style or event handler the policy would block, and that
// the script never writes HTML.
func TestInspectorAssets(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct {
		path, contentType string
		body              []byte
	}{
		{assets.InspectorPath, "text/html; charset=utf-8", assets.InspectorPage},
		{assets.InspectorScript, "text/javascript; charset=utf-8", assets.InspectorJS},
		{assets.InspectorStyle, "text/css; charset=utf-8", assets.InspectorCSS},
	} {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.contentType || !bytes.Equal(body, tc.body) ||
			resp.Header.Get("Content-Security-Policy") != assets.InspectorCSP {
			t.Errorf("GET %s: %d %q, CSP %q, %d bytes", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"),
				resp.Header.Get("Content-Security-Policy"), len(body))
		}
	}
	page := string(assets.InspectorPage)
	for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onsubmit=", "javascript:"} {
		if strings.Contains(page, bad) {
			t.Errorf("the inspector's page holds %q, which its CSP blocks", bad)
		}
	}
	for _, bad := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if bytes.Contains(assets.InspectorJS, []byte(bad)) {
			t.Errorf("the inspector's script uses %s: it must insert text only", bad)
		}
	}
	// The API beside the page still answers POSTs.
	if status, out := post(t, srv, web.ControlPrefix+"sessions/list", map[string]any{}); status != 400 || out["error_code"] != "MISSING_FIELDS" {
		t.Errorf("sessions/list without credentials: %d %v", status, out)
	}
}
