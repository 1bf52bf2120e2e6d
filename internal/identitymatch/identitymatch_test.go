package identitymatch

import "testing"

var holder = Owner{
	Names:        []string{"Alberta Bobbeth Charleson"},
	PhoneNumbers: []string{"+1 111-555-3333", "+1 111-555-5555"},
	Emails:       []string{"accountholder0@example.com"},
	Addresses: []Address{{Street: "2992 Cameron Road", City: "Malakoff", Region: "NY", PostalCode: "14236", Country: "US"},
		{Street: "2493 Leisure Lane", City: "San Matias", Region: "CA", PostalCode: "93405-2255", Country: "US"}},
}

func TestName(t *testing.T) {
	tests := []struct {
		given                      string
		score                      int
		nickname, firstOrLast, biz bool
	}{
		{"Alberta Bobbeth Charleson", 100, false, true, false},
		{"charleson, alberta bobbeth", 100, false, false, false},
		{"Alberta Charleson", 90, false, true, false},
		{"Albert Charleson", 90, true, true, false},
		{"Robert Charleson", 0, false, true, false},
		{"John Smith", 0, false, false, false},
		{"Charleson Holdings LLC", 0, false, false, true},
	}
	for _, tt := range tests {
		got := Match(User{LegalName: tt.given}, []Owner{holder}).LegalName
		if got == nil {
			t.Fatalf("%s: no score", tt.given)
		}
		if tt.score == 100 || tt.score == 90 {
			if got.Score != tt.score {
				t.Errorf("%s: score %d, want %d", tt.given, got.Score, tt.score)
			}
		} else if got.Score >= 70 {
			t.Errorf("%s: score %d, want a mismatch (< 70)", tt.given, got.Score)
		}
		if got.Nickname != tt.nickname || got.FirstOrLastName != tt.firstOrLast || got.Business != tt.biz {
			t.Errorf("%s: %+v", tt.given, *got)
		}
	}
}

func TestContactsAndAddress(t *testing.T) {
	tests := []struct {
		name string
		u    User
		want func(Scores) bool
	}{
		{"nothing given", User{}, func(s Scores) bool { return s == Scores{} }},
		{"phone, other format", User{PhoneNumber: "(111) 555-5555"}, func(s Scores) bool { return *s.PhoneNumber == 100 }},
		{"phone, E.164", User{PhoneNumber: "+11115553333"}, func(s Scores) bool { return *s.PhoneNumber == 100 }},
		{"phone, another", User{PhoneNumber: "+1 415 745 2130"}, func(s Scores) bool { return *s.PhoneNumber < 70 }},
		{"email", User{EmailAddress: "AccountHolder0@Example.com"}, func(s Scores) bool { return *s.EmailAddress == 100 }},
		{"email with a tag", User{EmailAddress: "accountholder0+shop@example.com"}, func(s Scores) bool { return *s.EmailAddress == 90 }},
		{"email, another", User{EmailAddress: "accountholder1@example.com"}, func(s Scores) bool { return *s.EmailAddress == 0 }},
		{"address", User{Address: &Address{Street: "2992 Cameron Rd.", City: "Malakoff", Region: "NY", PostalCode: "14236-1234"}},
			func(s Scores) bool { return s.Address.Score == 100 && s.Address.PostalCode }},
		{"second address, postal code alone", User{Address: &Address{PostalCode: "93405"}},
			func(s Scores) bool { return s.Address.Score == 100 && s.Address.PostalCode }},
		{"another address", User{Address: &Address{Street: "1 Main Street", City: "Springfield", Region: "IL", PostalCode: "62701"}},
			func(s Scores) bool { return s.Address.Score < 70 && !s.Address.PostalCode }},
		{"an empty address", User{Address: &Address{}}, func(s Scores) bool { return s.Address == nil }},
	}
	for _, tt := range tests {
		if got := Match(tt.u, []Owner{holder}); !tt.want(got) {
			t.Errorf("%s: %+v", tt.name, got)
		}
	}
	if got := Match(User{LegalName: "A", PhoneNumber: "1"}, []Owner{{}}); got.LegalName != nil || got.PhoneNumber != nil {
		t.Errorf("an owner with nothing on file: %+v", got)
	}
}
