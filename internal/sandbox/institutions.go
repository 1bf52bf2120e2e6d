package sandbox

import (
	"slices"
	"strings"
)

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

// InstitutionQuery is what /institutions/search and /institutions/get
// ask for (https://plaid.com/docs/api/institutions/).
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
	// InstantAuth says auth in Products matches only an institution with
	// Instant Auth, as /institutions/get filters; /institutions/search
	// matches every Auth method.
	InstantAuth bool
	// RoutingNumbers, when set, keep only the institutions known by all
	// of them: none of the sandbox's is known by a routing number.
	RoutingNumbers []string
}

// supports reports whether the institution supports every product of q
// (among its APIProducts).
func (q InstitutionQuery) supports(in Institution) bool {
	for _, p := range q.Products {
		if !slices.Contains(in.APIProducts(), p) || p == "auth" && q.InstantAuth && in.NoInstantAuth {
			return false
		}
	}
	return true
}

// SearchInstitutions are the Institutions, in their order, that serve one
// of q's countries, support all its products, match its OAuth and
// routing-number filters, and whose name contains every word of the query
// (ignoring case) or whose ID is the query (ignoring case); an empty
// query matches every name.
func SearchInstitutions(q InstitutionQuery) []Institution {
	var out []Institution
	words := strings.Fields(strings.ToLower(q.Query))
	for _, in := range Institutions {
		if !in.InCountry(q.Countries) || !q.supports(in) || len(q.RoutingNumbers) > 0 {
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
