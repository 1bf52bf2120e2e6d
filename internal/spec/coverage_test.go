package spec_test

import (
	"testing"

	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/web"
)

// TestServedPathsAreSpecPaths checks that every Plaid path of the server's
// route table is an operation of the spec with the same method, and
// reports how much of the spec the server serves.
func TestServedPathsAreSpecPaths(t *testing.T) {
	s := spec.Load()
	served := 0
	for _, r := range web.Routes() {
		if r.Group != "plaid" {
			continue
		}
		served++
		if _, ok := s.Operation(r.Method, r.Path); !ok {
			t.Errorf("%s %s is served but is no operation of Plaid's spec", r.Method, r.Path)
		}
	}
	if served == 0 {
		t.Fatal("the route table has no Plaid route")
	}
	t.Logf("the server serves %d of the spec's %d operations (%d paths)", served, len(s.Operations), len(s.Paths))
}
