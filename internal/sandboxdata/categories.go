package sandboxdata

import "slices"

// Category is one of Plaid's legacy transaction categories
// (https://plaid.com/docs/api/products/transactions/#categoriesget).
type Category struct {
	ID string
	// Group is "place" for a transaction at a place, "special" for
	// others (fees, payments, transfers).
	Group string
	// Hierarchy is the category's path, from its top-level category.
	Hierarchy []string
}

// categories are the legacy categories the emulator serves: the ones its
// sandbox transactions are in, with every level above them, and a few
// more of Plaid's top-level categories. Plaid's full list is far longer.
var categories = []Category{
	{"10000000", "special", []string{"Bank Fees"}},
	{"10001000", "special", []string{"Bank Fees", "Overdraft"}},
	{"12000000", "place", []string{"Community"}},
	{"12001000", "place", []string{"Community", "Animal Shelter"}},
	{"13000000", "place", []string{"Food and Drink"}},
	{"13005000", "place", []string{"Food and Drink", "Restaurants"}},
	{"13005032", "place", []string{"Food and Drink", "Restaurants", "Fast Food"}},
	{"13005043", "place", []string{"Food and Drink", "Restaurants", "Coffee Shop"}},
	{"14000000", "place", []string{"Healthcare"}},
	{"15000000", "special", []string{"Interest"}},
	{"16000000", "special", []string{"Payment"}},
	{"16001000", "special", []string{"Payment", "Credit Card"}},
	{"17000000", "place", []string{"Recreation"}},
	{"17018000", "place", []string{"Recreation", "Gyms and Fitness Centers"}},
	{"18000000", "place", []string{"Service"}},
	{"19000000", "place", []string{"Shops"}},
	{"19046000", "place", []string{"Shops", "Sporting Goods"}},
	{"20000000", "special", []string{"Tax"}},
	{"21000000", "special", []string{"Transfer"}},
	{"21005000", "special", []string{"Transfer", "Credit"}},
	{"22000000", "place", []string{"Travel"}},
	{"22001000", "place", []string{"Travel", "Airlines and Aviation Services"}},
	{"22016000", "place", []string{"Travel", "Taxi"}},
}

// Categories returns the legacy categories, by ID.
func Categories() []Category {
	out := make([]Category, len(categories))
	for i, c := range categories {
		out[i] = Category{ID: c.ID, Group: c.Group, Hierarchy: slices.Clone(c.Hierarchy)}
	}
	return out
}
