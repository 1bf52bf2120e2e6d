package sandbox

import "strings"

// InstitutionIn returns the institution with the given ID when it serves
// any of the countries (/institutions/get_by_id); false otherwise, which
// Plaid answers with INVALID_INSTITUTION.
func InstitutionIn(id string, countries []string) (Institution, bool) {
	in, ok := InstitutionByID(id)
	if !ok || !in.InCountry(countries) {
		return Institution{}, false
	}
	return in, true
}

// InstitutionQuery is what /institutions/search asks for
// (https://plaid.com/docs/api/institutions/#institutionssearch).
type InstitutionQuery struct {
	// Query is matched against the name, word by word and ignoring case,
	// or against the whole ID.
	Query     string
	Countries []string
	// Products must all be supported.
	Products []string
	// OAuth, when set, keeps only the institutions that are (true) or are
	// not (false) OAuth institutions.
	OAuth *bool
}

// SearchInstitutions are the Institutions, in their order, that serve one
// of q's countries, support all its products, match its OAuth filter, and
// whose name contains every word of the query (ignoring case) or whose ID
// is the query (ignoring case).
func SearchInstitutions(q InstitutionQuery) []Institution {
	var out []Institution
	words := strings.Fields(strings.ToLower(q.Query))
	for _, in := range Institutions {
		if !in.InCountry(q.Countries) || !in.Supports(q.Products) {
			continue
		}
		if q.OAuth != nil && *q.OAuth != in.OAuth {
			continue
		}
		name := strings.ToLower(in.Name)
		match := true
		for _, w := range words {
			match = match && strings.Contains(name, w)
		}
		if match || strings.EqualFold(q.Query, in.ID) {
			out = append(out, in)
		}
	}
	return out
}
