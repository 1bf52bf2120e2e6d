package harness_test

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/scenario"
)

// hooks is a webhook receiver on a real HTTP server.
type hooks struct {
	mu  sync.Mutex
	got []map[string]any
}

func (h *hooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	raw, _ := io.ReadAll(r.Body)
	json.Unmarshal(raw, &body)
	h.mu.Lock()
	h.got = append(h.got, body)
	h.mu.Unlock()
}

// wait returns the webhooks received once one with code has come.
func (h *hooks) wait(t *testing.T, code string) []map[string]any {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		h.mu.Lock()
		got := slices.Clone(h.got)
		h.mu.Unlock()
		if slices.ContainsFunc(got, func(b map[string]any) bool { return b["webhook_code"] == code }) {
			return got
		}
	}
	t.Fatalf("no %s webhook arrived", code)
	return nil
}

// TestMultiItemWebhooks plays the multi-item scenarios with a webhook and
// checks what a real receiver gets: ITEM_ADD_RESULT per Item, then one
// SESSION_FINISHED with the status and every public token of the session.
func TestMultiItemWebhooks(t *testing.T) {
	tests := []struct {
		scenario string
		status   string
		items    int
	}{
		{"multi_item_three", "SUCCESS", 3},
		{"multi_item_exit_after_one", "EXITED", 1},
		{"multi_item_exit_after_none", "EXITED", 0},
	}
	all := map[string]scenario.Scenario{}
	for _, sc := range loadScenarios(t) {
		all[sc.Name] = sc
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			rcv := &hooks{}
			srv := httptest.NewServer(rcv)
			defer srv.Close()
			sc := all[tt.scenario]
			var options map[string]any
			json.Unmarshal(sc.Token, &options)
			options = maps.Clone(options)
			options["webhook"] = srv.URL
			sc.Token, _ = json.Marshal(options)
			play(t, sc)

			got := rcv.wait(t, "SESSION_FINISHED")
			time.Sleep(100 * time.Millisecond) // nothing may follow it
			rcv.mu.Lock()
			got = slices.Clone(rcv.got)
			rcv.mu.Unlock()
			var added []any
			var finished []map[string]any
			for _, b := range got {
				if b["webhook_type"] != "LINK" {
					continue
				}
				switch b["webhook_code"] {
				case "ITEM_ADD_RESULT":
					added = append(added, b["public_token"])
				case "SESSION_FINISHED":
					finished = append(finished, b)
				}
			}
			if len(added) != tt.items {
				t.Errorf("%d ITEM_ADD_RESULT webhooks, want %d", len(added), tt.items)
			}
			if len(finished) != 1 {
				t.Fatalf("%d SESSION_FINISHED webhooks, want exactly 1", len(finished))
			}
			f := finished[0]
			tokens, _ := f["public_tokens"].([]any)
			// Deliveries may arrive in any order; the tokens must be the
			// same ones.
			byString := func(a, b any) int { return strings.Compare(a.(string), b.(string)) }
			slices.SortFunc(added, byString)
			sorted := slices.SortedFunc(slices.Values(tokens), byString)
			if f["status"] != tt.status || !slices.Equal(sorted, added) && !(len(tokens) == 0 && len(added) == 0) {
				t.Errorf("SESSION_FINISHED %v, want status %s and public_tokens %v", f, tt.status, added)
			}
			if tokens == nil {
				t.Errorf("SESSION_FINISHED public_tokens is %v, want an array even when empty", f["public_tokens"])
			}
		})
	}
}
