package sandbox_test

import (
	"slices"
	"testing"

	"github.com/linkharness/linkharness/internal/sandbox"
)

func TestInstitutionIn(t *testing.T) {
	tests := []struct {
		id        string
		countries []string
		ok        bool
	}{
		{"ins_109508", []string{"US"}, true},
		{"ins_109508", []string{"GB", "US"}, true},
		{"ins_109508", []string{"GB"}, false},
		{"ins_43", []string{"CA"}, true},
		{"ins_1", []string{"US"}, false},
		{"ins_109508", nil, false},
	}
	for _, tt := range tests {
		in, ok := sandbox.InstitutionIn(tt.id, tt.countries)
		if ok != tt.ok || ok && in.ID != tt.id {
			t.Errorf("InstitutionIn(%s, %v) = %s, %v; want %v", tt.id, tt.countries, in.ID, ok, tt.ok)
		}
	}
}

func TestSearchInstitutions(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name string
		q    sandbox.InstitutionQuery
		want []string
	}{
		{"words in any order, any case", sandbox.InstitutionQuery{Query: "BANK tartan", Countries: []string{"US", "CA"}}, []string{"ins_109511", "ins_43"}},
		{"country", sandbox.InstitutionQuery{Query: "tartan", Countries: []string{"CA"}}, []string{"ins_43"}},
		{"ID", sandbox.InstitutionQuery{Query: "INS_109512", Countries: []string{"US"}}, []string{"ins_109512"}},
		{"products", sandbox.InstitutionQuery{Query: "platypus", Countries: []string{"GB"}, Products: []string{"payment_initiation"}}, []string{"ins_116834", "ins_117181"}},
		{"unsupported product", sandbox.InstitutionQuery{Query: "houndstooth", Countries: []string{"US"}, Products: []string{"investments"}}, nil},
		{"oauth only", sandbox.InstitutionQuery{Query: "platypus", Countries: []string{"US"}, OAuth: &yes}, []string{"ins_127287", "ins_132241"}},
		{"no oauth", sandbox.InstitutionQuery{Query: "platypus oauth", Countries: []string{"US"}, OAuth: &no}, nil},
		{"no match", sandbox.InstitutionQuery{Query: "nothing", Countries: []string{"US"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, in := range sandbox.SearchInstitutions(tt.q) {
				got = append(got, in.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("SearchInstitutions = %v, want %v", got, tt.want)
			}
		})
	}
}
