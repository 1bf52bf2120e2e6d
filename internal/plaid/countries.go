package plaid

// CountryCodes are the countries Plaid serves, as the API's
// country_codes name them (ISO 3166-1 alpha-2).
var CountryCodes = []string{"US", "GB", "ES", "NL", "FR", "IE", "CA", "DE", "IT", "PL", "DK", "NO", "SE", "EE", "LT", "LV", "PT", "BE", "AT", "FI"}
