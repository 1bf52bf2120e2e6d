package sandboxdata_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/sandboxdata"
)

// TestCategories checks the legacy category list: IDs unique and in
// order, groups Plaid's, every level of a hierarchy a category too, and
// every sandbox transaction's category one of them.
func TestCategories(t *testing.T) {
	all := sandboxdata.Categories()
	byPath := map[string]string{}
	for i, c := range all {
		if len(c.ID) != 8 || i > 0 && c.ID <= all[i-1].ID {
			t.Errorf("category %v: IDs are 8 digits, unique, in order", c)
		}
		if c.Group != "place" && c.Group != "special" || len(c.Hierarchy) == 0 {
			t.Errorf("category %v", c)
		}
		byPath[strings.Join(c.Hierarchy, "/")] = c.ID
	}
	for _, c := range all {
		for n := 1; n < len(c.Hierarchy); n++ {
			if _, ok := byPath[strings.Join(c.Hierarchy[:n], "/")]; !ok {
				t.Errorf("%s: no category %v above it", c.ID, c.Hierarchy[:n])
			}
		}
	}
	for _, tr := range sandboxdata.Transactions(item("item-categories")) {
		if id := byPath[strings.Join(tr.Category, "/")]; id != tr.CategoryID {
			t.Errorf("transaction %s in %v (%s): the list has %q", tr.Name, tr.Category, tr.CategoryID, id)
		}
	}
	all[0].Hierarchy[0] = "changed"
	if slices.Contains(sandboxdata.Categories()[0].Hierarchy, "changed") {
		t.Error("Categories shares its slices")
	}
}
