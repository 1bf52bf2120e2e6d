package sandbox_test

import (
	"slices"
	"testing"

	"github.com/linkharness/linkharness/internal/sandbox"
)

func mustInstitution(t *testing.T, id string) sandbox.Institution {
	t.Helper()
	in, ok := sandbox.InstitutionByID(id)
	if !ok {
		t.Fatalf("no institution %s", id)
	}
	return in
}

func TestAPIProducts(t *testing.T) {
	for _, in := range sandbox.Institutions {
		got := in.APIProducts()
		if !slices.Contains(got, "balance") || len(got) != len(in.Products)+1 || slices.Contains(in.Products, "balance") {
			t.Errorf("%s: %v", in.ID, got)
		}
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		id, status string
		success    float64
	}{
		{"ins_109508", sandbox.HealthHealthy, 1}, {"ins_900001", sandbox.HealthDegraded, 0.5}, {"ins_900002", sandbox.HealthDown, 0},
	}
	for _, tt := range tests {
		status, b := mustInstitution(t, tt.id).Status()
		if status != tt.status || b.Success != tt.success || b.Success+b.ErrorPlaid+b.ErrorInstitution != 1 {
			t.Errorf("%s: %s %+v, want %s with success %v", tt.id, status, b, tt.status, tt.success)
		}
	}
}

func TestAuthMethods(t *testing.T) {
	tests := []struct {
		id   string
		ok   bool
		want sandbox.AuthMethods
	}{
		{"ins_109508", true, sandbox.AuthMethods{InstantAuth: true, AutomatedMicroDeposits: true}},
		{"ins_109512", true, sandbox.AuthMethods{InstantMatch: true, AutomatedMicroDeposits: true}},
		{"ins_43", true, sandbox.AuthMethods{InstantAuth: true}},
		{"ins_117650", true, sandbox.AuthMethods{InstantAuth: true}},
	}
	for _, tt := range tests {
		got, ok := mustInstitution(t, tt.id).AuthMethods()
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s: %+v %v, want %+v %v", tt.id, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := (sandbox.Institution{Products: []string{"transactions"}}).AuthMethods(); ok {
		t.Error("an institution without Auth has Auth methods")
	}
}

func TestPaymentMetadata(t *testing.T) {
	tests := []struct {
		id                  string
		ok                  bool
		currencies          []string
		international, sepa bool
	}{
		{"ins_109508", false, nil, false, false},
		{"ins_117650", true, []string{"GBP", "EUR"}, true, true},
		{"ins_116834", true, []string{"GBP"}, false, false},
	}
	for _, tt := range tests {
		m, ok := mustInstitution(t, tt.id).PaymentMetadata()
		if ok != tt.ok || !slices.Equal(m.Currencies, tt.currencies) || m.International != tt.international || m.SEPAInstant != tt.sepa {
			t.Errorf("%s: %+v %v", tt.id, m, ok)
		}
	}
}

func TestListInstitutions(t *testing.T) {
	yes := true
	ids := func(q sandbox.InstitutionQuery) []string {
		var out []string
		for _, in := range sandbox.SearchInstitutions(q) {
			out = append(out, in.ID)
		}
		return out
	}
	if got := ids(sandbox.InstitutionQuery{Countries: []string{"CA"}}); !slices.Equal(got, []string{"ins_43"}) {
		t.Errorf("every CA institution: %v", got)
	}
	if got := ids(sandbox.InstitutionQuery{Countries: []string{"US"}, Products: []string{"balance"}, OAuth: &yes}); !slices.Equal(got, []string{"ins_127287", "ins_132241"}) {
		t.Errorf("US OAuth with balance: %v", got)
	}
	search := ids(sandbox.InstitutionQuery{Query: "houndstooth", Countries: []string{"US"}, Products: []string{"auth"}})
	list := ids(sandbox.InstitutionQuery{Query: "houndstooth", Countries: []string{"US"}, Products: []string{"auth"}, InstantAuth: true})
	if !slices.Equal(search, []string{"ins_109512"}) || len(list) != 0 {
		t.Errorf("auth at Houndstooth Bank: search %v, list %v", search, list)
	}
	if got := ids(sandbox.InstitutionQuery{Countries: []string{"US"}, RoutingNumbers: []string{"011401533"}}); len(got) != 0 {
		t.Errorf("by routing number: %v", got)
	}
}
