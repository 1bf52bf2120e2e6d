package harness_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/scenario"
	"github.com/linkharness/linkharness/internal/testkit"
)

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
			rcv := receiver(t)
			sc := all[tt.scenario]
			var options map[string]any
			json.Unmarshal(sc.Token, &options)
			options = maps.Clone(options)
			options["webhook"] = rcv.URL
			sc.Token, _ = json.Marshal(options)
			play(t, sc)

			rcv.WaitFor(t, 1, "", "SESSION_FINISHED")
			time.Sleep(100 * time.Millisecond) // nothing may follow it
			got := testkit.Webhooks(rcv.Deliveries())
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
