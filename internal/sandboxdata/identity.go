package sandboxdata

// Owner is an account holder as /identity/get shows them
// (https://plaid.com/docs/api/products/identity/#identity-get-response-accounts-owners).
type Owner struct {
	Names        []string
	PhoneNumbers []Contact
	Emails       []Contact
	Addresses    []OwnerAddress
}

// Contact is a phone number or email address of an owner.
type Contact struct {
	Data    string
	Primary bool
	// Type is "home", "work", "mobile" for a phone number; "primary",
	// "secondary" for an email address.
	Type string
}

// OwnerAddress is an address of an owner.
type OwnerAddress struct {
	Address
	Primary bool
}

// Address is a postal address; Country is an ISO 3166-1 alpha-2 code.
type Address struct {
	Street     string
	City       string
	Region     string
	PostalCode string
	Country    string
}

// AccountHolder is the holder of every sandbox account, as Plaid's
// sandbox shows them.
var AccountHolder = Owner{
	Names: []string{"Alberta Bobbeth Charleson"},
	PhoneNumbers: []Contact{{"+1 111-555-3333", false, "home"}, {"+1 111-555-4444", false, "work"},
		{"+1 111-555-5555", true, "mobile"}},
	Emails: []Contact{{"accountholder0@example.com", true, "primary"}, {"accountholder1@example.com", false, "secondary"}},
	Addresses: []OwnerAddress{
		{Address{Street: "2992 Cameron Road", City: "Malakoff", Region: "NY", PostalCode: "14236", Country: "US"}, true},
		{Address{Street: "2493 Leisure Lane", City: "San Matias", Region: "CA", PostalCode: "93405-2255", Country: "US"}, false},
	},
}

// Owners are the owners of a sandbox account: AccountHolder alone. A
// custom user's account that configures its identity has that owner,
// with AccountHolder's names, phone numbers, emails or addresses where it
// configures none.
func Owners(a ItemAccount) []Owner {
	if a.Custom == nil || a.Custom.Identity == nil {
		return []Owner{AccountHolder}
	}
	return []Owner{configuredOwner(*a.Custom.Identity)}
}
