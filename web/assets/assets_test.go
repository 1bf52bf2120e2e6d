package assets

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/linkharness/linkharness/bridge"
)

// TestWasmVersion checks that link-initialize.js asks for the link.wasm it
// is served with: `make wasm` writes the version into it.
func TestWasmVersion(t *testing.T) {
	m := regexp.MustCompile(`var WASM_VERSION = '([0-9a-f]*)';`).FindSubmatch(bridge.Script)
	if m == nil {
		t.Fatal("link-initialize.js has no WASM_VERSION")
	}
	if string(m[1]) != WasmVersion {
		t.Fatalf("link-initialize.js fetches link.wasm?v=%s, but link.wasm is version %s: run make wasm", m[1], WasmVersion)
	}
}

// TestWasmCaching checks that link.wasm may be cached for good at its
// versioned address only, and that the SDK script is always revalidated.
func TestWasmCaching(t *testing.T) {
	h := New()
	for _, tt := range []struct{ target, want string }{
		{WasmPath + "?v=" + WasmVersion, "public, max-age=31536000, immutable"},
		{WasmPath, "no-cache"},
		{WasmPath + "?v=0123456789abcdef", "no-cache"},
		{ScriptPath, "no-cache"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.target, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", tt.target, rec.Code)
		}
		if got := rec.Header().Get("Cache-Control"); got != tt.want {
			t.Errorf("GET %s: Cache-Control %q, want %q", tt.target, got, tt.want)
		}
	}
}
