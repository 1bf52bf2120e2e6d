package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/testkit"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
	"github.com/linkharness/linkharness/web/assets"
)

const key = "test-public-key"

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(web.New(web.Options{Clients: []web.Client{{ClientID: "c", Secret: "s", PublicKey: key}}, Assets: assets.New()}))
	t.Cleanup(srv.Close)
	return srv
}

// post POSTs body (JSON, or a string as is) to path with no credentials,
// as the Link engine calls its endpoints, and checks the answer's
// request_id.
func post(t *testing.T, srv *httptest.Server, path string, body any) (int, map[string]any) {
	t.Helper()
	return send(t, testkit.New(srv.URL, "", ""), path, body)
}

// send POSTs body to path as c and checks the answer's request_id.
func send(t *testing.T, c *testkit.Client, path string, body any) (int, map[string]any) {
	t.Helper()
	status, out := c.Call(t, path, body)
	if id, _ := out["request_id"].(string); len(id) != 15 {
		t.Errorf("%s: request_id = %q, want 15 characters", path, out["request_id"])
	}
	return status, out
}

func TestCORSOnlyOnLinkEndpoints(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		method, path string
		cors         bool
		status       int
	}{
		{"GET", assets.ScriptPath, true, 200},
		{"GET", assets.WasmPath, true, 200},
		{"OPTIONS", protocol.PathItemCreate, true, 204},
		{"OPTIONS", protocol.PathSessionRecord, true, 204},
		{"OPTIONS", "/link/token/create", false, 404},
		{"POST", "/link/token/create", false, 400},
		{"POST", "/linkharness/reset", false, 400},
		{"GET", "/", false, 200},
		{"GET", "/nope", false, 404},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			req.Header.Set("Origin", "http://page.example")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin") == "*"; got != tt.cors {
				t.Errorf("CORS = %v, want %v", got, tt.cors)
			}
		})
	}
}

func TestWasmServedGzippedWithETag(t *testing.T) {
	srv := newServer(t)
	req, _ := http.NewRequest("GET", srv.URL+assets.WasmPath, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Fatalf("headers %v, want gzip application/wasm", resp.Header)
	}
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation status %d, want 304", resp.StatusCode)
	}
}

func TestLinkEndpointErrors(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name   string
		path   string
		body   any
		status int
		code   string
	}{
		{"malformed JSON", protocol.PathSessionOpen, `{"public_key":`, 400, "INVALID_BODY"},
		{"wrong type", protocol.PathSessionOpen, `{"public_key":7}`, 400, "INVALID_FIELD"},
		{"body over 1 MiB", protocol.PathSessionOpen, `{"public_key":"` + strings.Repeat("k", 1<<20) + `"}`, 413, "INVALID_BODY"},
		{"unknown key", protocol.PathSessionOpen, protocol.SessionOpenRequest{PublicKey: "nope"}, 400, "INVALID_API_KEYS"},
		{"update mode with an unknown public token", protocol.PathSessionOpen, protocol.SessionOpenRequest{PublicKey: key, PublicToken: "public-sandbox-nope"}, 400, "INVALID_PUBLIC_TOKEN"},
		{"unknown institution", protocol.PathItemCreate, protocol.ItemCreateRequest{PublicKey: key, InstitutionID: "ins_0", Username: "user_good", Password: "pass_good"}, 400, "INVALID_INSTITUTION"},
		{"wrong password", protocol.PathItemCreate, protocol.ItemCreateRequest{PublicKey: key, InstitutionID: "ins_109508", Username: "user_good", Password: "pass_bad"}, 400, "INVALID_CREDENTIALS"},
		{"error trigger", protocol.PathItemCreate, protocol.ItemCreateRequest{PublicKey: key, InstitutionID: "ins_109508", Username: "user_good", Password: "error_INSTITUTION_DOWN"}, 500, "INSTITUTION_DOWN"},
		{"unknown item", protocol.PathItemConnect, protocol.ItemConnectRequest{PublicKey: key, ItemID: "nope", AccountIDs: []string{"a"}}, 400, "INVALID_FIELD"},
		{"unknown endpoint", "/link/nope", `{}`, 404, "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(t, srv, tt.path, tt.body)
			if status != tt.status || body["error_code"] != tt.code {
				t.Errorf("got %d %v, want %d %s", status, body["error_code"], tt.status, tt.code)
			}
			for _, k := range []string{"error_type", "error_code", "error_message", "display_message", "request_id"} {
				if _, ok := body[k]; !ok {
					t.Errorf("error lacks %s: %v", k, body)
				}
			}
		})
	}
}

func TestItemLifecycle(t *testing.T) {
	srv := newServer(t)
	status, created := post(t, srv, protocol.PathItemCreate, protocol.ItemCreateRequest{
		PublicKey: key, LinkSessionID: "ls-1", InstitutionID: "ins_109508", Username: "user_good", Password: "pass_good",
	})
	if status != 200 {
		t.Fatalf("create: %d %v", status, created)
	}
	accounts := created["accounts"].([]any)
	first := accounts[0].(map[string]any)["id"].(string)
	connect := protocol.ItemConnectRequest{PublicKey: key, LinkSessionID: "ls-1", ItemID: created["item_id"].(string), AccountIDs: []string{first}}

	other := connect
	other.LinkSessionID = "ls-2"
	if status, body := post(t, srv, protocol.PathItemConnect, other); status != 400 {
		t.Fatalf("connect from another session: %d %v, want 400", status, body)
	}
	status, body := post(t, srv, protocol.PathItemConnect, connect)
	if pt, _ := body["public_token"].(string); status != 200 || !strings.HasPrefix(pt, "public-sandbox-") {
		t.Fatalf("connect: %d %v", status, body)
	}
	if status, body := post(t, srv, protocol.PathItemConnect, connect); status != 400 || body["error_code"] != "INVALID_FIELD" {
		t.Fatalf("second connect: %d %v, want INVALID_FIELD", status, body)
	}
}

// TestDemoPage serves the demo page as a static page and tells it the
// public key it was given, as JSON (never in markup), or that there is
// none.
func TestDemoPage(t *testing.T) {
	const key = `k"</script><b>`
	tests := []struct {
		name, key string
		status    int
	}{
		{"with a demo key", key, http.StatusOK},
		{"without", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(web.New(web.Options{Clients: []web.Client{{PublicKey: key}}, DemoPublicKey: tt.key, Assets: assets.New()}))
			defer srv.Close()
			resp, err := http.Get(srv.URL + assets.DemoPath)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if bytes.Contains(page, []byte(`</script><b>`)) || !bytes.Equal(page, assets.DemoPage) {
				t.Fatal("the demo page is not the static page")
			}
			if !bytes.Contains(page, []byte(`<script src="`+assets.ScriptPath+`">`)) {
				t.Fatal("the demo page does not load link-initialize.js from this server")
			}
			resp, err = http.Get(srv.URL + web.ControlPrefix + "demo")
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]string
			json.NewDecoder(resp.Body).Decode(&got)
			resp.Body.Close()
			if resp.StatusCode != tt.status || tt.key != "" && got["public_key"] != tt.key {
				t.Fatalf("demo key: %d %v, want %d %q", resp.StatusCode, got, tt.status, tt.key)
			}
		})
	}
}
