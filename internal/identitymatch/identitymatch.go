// Package identitymatch scores how well the identity an app holds for its
// user (legal name, phone number, email address, postal address) matches
// the owners of a bank account, as Plaid's /identity/match reports it
// (https://plaid.com/docs/identity/interpreting-identity-match/): a score
// from 0 to 100 for each field the request gives and the account knows,
// the best over the account's owners, with the name's and the address's
// flags.
//
// Plaid does not publish how it computes its scores; the model here is
// linkharness's, made to land in the bands Plaid's guide describes:
//   - a name scores 100 when the same words are there in any order, 90
//     when one leaves out a middle name or uses a nickname (the start of
//     the other's first name, "Jenn" for "Jennifer") with the same last
//     name, and otherwise by edit distance; is_first_name_or_last_name_match
//     is set when the first or the last names are the same, and
//     is_business_name_detected when either name has a word such as LLC;
//   - a phone number scores 100 when its digits are the same (a leading
//     country code 1 aside), and otherwise by edit distance of the digits;
//   - an email address scores 100 when it is the same, 90 when only a
//     "+tag" differs, and 0 otherwise;
//   - an address scores by the parts the request gives, weighted street
//     50, city 20, region 10, postal code 20, each part by edit distance
//     once normalized (case, punctuation, "Road" and "Rd"),
//     with is_postal_code_match for the same first five characters of
//     the postal code.
package identitymatch

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// User is what the app holds for its user; "" and nil are not given.
type User struct {
	LegalName, PhoneNumber, EmailAddress string
	Address                              *Address
}

// Address is a postal address; "" is a part not given.
type Address struct {
	Street, City, Region, PostalCode, Country string
}

// Owner is what a bank account has on file for one of its owners.
type Owner struct {
	Names, PhoneNumbers, Emails []string
	Addresses                   []Address
}

// Scores are an account's scores; nil is a field the request did not give
// or the account does not know.
type Scores struct {
	LegalName    *Name
	PhoneNumber  *int
	EmailAddress *int
	Address      *AddressScore
}

// Name is the legal name's score and flags.
type Name struct {
	Score                               int
	Nickname, FirstOrLastName, Business bool
}

// AddressScore is the address's score and whether the postal codes match.
type AddressScore struct {
	Score      int
	PostalCode bool
}

// Match scores u against the owners, each field by the owner and value
// on file that match it best.
func Match(u User, owners []Owner) Scores {
	var s Scores
	for _, o := range owners {
		if u.LegalName != "" {
			for _, n := range o.Names {
				if got := name(u.LegalName, n); s.LegalName == nil || better(got, *s.LegalName) {
					s.LegalName = &got
				}
			}
		}
		if u.PhoneNumber != "" {
			for _, p := range o.PhoneNumbers {
				s.PhoneNumber = best(s.PhoneNumber, phone(u.PhoneNumber, p))
			}
		}
		if u.EmailAddress != "" {
			for _, e := range o.Emails {
				s.EmailAddress = best(s.EmailAddress, email(u.EmailAddress, e))
			}
		}
		if u.Address != nil && *u.Address != (Address{}) {
			for _, a := range o.Addresses {
				if got := address(*u.Address, a); s.Address == nil || got.Score > s.Address.Score {
					s.Address = &got
				}
			}
		}
	}
	return s
}

func better(a, b Name) bool {
	return a.Score > b.Score || a.Score == b.Score && (a.FirstOrLastName && !b.FirstOrLastName || a.Nickname && !b.Nickname)
}

func best(have *int, score int) *int {
	if have != nil && *have >= score {
		return have
	}
	return &score
}

// businessWords mark a business's name.
var businessWords = []string{"llc", "inc", "corp", "corporation", "ltd", "limited", "co", "company", "incorporated", "plc", "gmbh"}

func name(given, onFile string) Name {
	a, b := words(given), words(onFile)
	var n Name
	n.Business = slices.ContainsFunc(append(slices.Clone(a), b...), func(w string) bool { return slices.Contains(businessWords, w) })
	if len(a) == 0 || len(b) == 0 {
		return n
	}
	firstSame, lastSame := a[0] == b[0], a[len(a)-1] == b[len(b)-1]
	n.FirstOrLastName = firstSame || lastSame
	n.Nickname = !firstSame && (nickname(a[0], b[0]) || nickname(b[0], a[0]))
	sa, sb := slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	switch {
	case slices.Equal(sa, sb):
		n.Score = 100
	case lastSame && (firstSame && (subset(a, b) || subset(b, a)) || n.Nickname):
		n.Score = 90
	default:
		n.Score = similarity(strings.Join(a, " "), strings.Join(b, " "))
	}
	return n
}

// nickname says short is a nickname of long: its start, three letters
// or more.
func nickname(short, long string) bool {
	return len(short) >= 3 && len(short) < len(long) && strings.HasPrefix(long, short)
}

// subset says every word of a is in b.
func subset(a, b []string) bool {
	for _, w := range a {
		if !slices.Contains(b, w) {
			return false
		}
	}
	return true
}

func phone(given, onFile string) int {
	a, b := digits(given), digits(onFile)
	if a == "" || b == "" {
		return 0
	}
	if a == b {
		return 100
	}
	return similarity(a, b)
}

// digits are a phone number's digits, less a leading country code 1 of
// an eleven-digit North American number.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	return d
}

func email(given, onFile string) int {
	a, b := strings.ToLower(strings.TrimSpace(given)), strings.ToLower(strings.TrimSpace(onFile))
	switch {
	case a == b:
		return 100
	case untagged(a) == untagged(b):
		return 90
	}
	return 0
}

// untagged is an email address less its local part's "+tag".
func untagged(e string) string {
	local, domain, ok := strings.Cut(e, "@")
	if !ok {
		return e
	}
	local, _, _ = strings.Cut(local, "+")
	return local + "@" + domain
}

// abbreviations are the street words written both ways.
var abbreviations = map[string]string{"road": "rd", "street": "st", "avenue": "ave", "lane": "ln", "drive": "dr",
	"boulevard": "blvd", "court": "ct", "place": "pl", "square": "sq", "terrace": "ter", "highway": "hwy",
	"north": "n", "south": "s", "east": "e", "west": "w", "apartment": "apt", "suite": "ste"}

func address(given, onFile Address) AddressScore {
	var out AddressScore
	a, b := postal(given.PostalCode), postal(onFile.PostalCode)
	out.PostalCode = a != "" && a == b
	parts := []struct {
		given, onFile string
		weight        float64
	}{
		{street(given.Street), street(onFile.Street), 50},
		{strings.Join(words(given.City), " "), strings.Join(words(onFile.City), " "), 20},
		{strings.Join(words(given.Region), " "), strings.Join(words(onFile.Region), " "), 10},
		{a, b, 20},
	}
	var sum, weights float64
	for _, p := range parts {
		if p.given == "" {
			continue
		}
		sum += p.weight * float64(similarity(p.given, p.onFile))
		weights += p.weight
	}
	if weights > 0 {
		out.Score = int(math.Round(sum / weights))
	}
	return out
}

func street(s string) string {
	w := words(s)
	for i, x := range w {
		if short, ok := abbreviations[x]; ok {
			w[i] = short
		}
	}
	return strings.Join(w, " ")
}

// postal is the first five letters and digits of a postal code, upper
// case.
func postal(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if b.Len() < 5 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// words are s's words, lower case, without punctuation.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// similarity is 100 for the same strings, down to 0 by edit distance
// over the longer's length.
func similarity(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n := max(len(ra), len(rb))
	if n == 0 {
		return 100
	}
	return int(math.Round(100 * (1 - float64(levenshtein(ra, rb))/float64(n))))
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
