// Package sandboxdata is the product data of sandbox Items, made up
// plausibly and deterministically: their transactions, holdings,
// securities, investment transactions, liabilities, owners and account
// numbers. Each is a pure function of the Item. It is apart from package
// sandbox, which the Link engine links, so that link.wasm carries neither
// the generators nor the hashing they seed from.
package sandboxdata

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/customuser"
)

// The product data of sandbox Items is made up, plausibly and
// deterministically: the same Item always has the same transactions,
// holdings and liabilities, drawn from a generator seeded by its ID and
// its accounts' IDs, with dates relative to its creation.

// Item is an Item as its generated product data depends on it: its ID, its
// accounts in the order the Item lists them, when it was created, and the
// currency of its institution's country.
type Item struct {
	ID        string
	Accounts  []ItemAccount
	CreatedAt time.Time
	// Currency is the ISO 4217 code of the accounts a custom user
	// configured without one; "" is USD.
	Currency string
}

// ItemAccount is one of an Item's accounts: its ID on the Item and the
// sandbox account (Accounts) it is, or what a custom sandbox user
// configured it to be.
type ItemAccount struct {
	ID      string
	Name    string
	Mask    string
	Type    string
	Subtype string
	// Custom is the account's configuration when a custom user made the
	// Item: its data is what the configuration gives, and what it does not
	// give is drawn as for a sandbox account. Nil for a sandbox account.
	Custom *customuser.Account
}

// random is the random source of the account's data of the given kind:
// drawn from the configuration's seed for a custom account that has one
// (the same for every Item with that seed), else from the Item's and the
// account's IDs.
func (a ItemAccount) random(it Item, kind string, more ...string) *rand.Rand {
	parts := []string{kind, it.ID, a.ID}
	if a.Custom != nil && a.Custom.Seed != "" {
		parts = []string{kind, "seed", a.Custom.Seed}
	}
	return seeded(append(parts, more...)...)
}

// HasAuthNumbers reports whether the account has account and routing
// numbers (/auth/get): checking and savings accounts do.
func (a ItemAccount) HasAuthNumbers() bool {
	return a.Type == "depository" && (a.Subtype == "checking" || a.Subtype == "savings")
}

// IsInvestment reports whether the account is an investment account, the
// only kind with holdings and investment transactions.
func (a ItemAccount) IsInvestment() bool { return a.Type == "investment" }

// HasLiability reports whether the account has liability details
// (/liabilities/get): credit cards, mortgages and student loans do, and
// a custom user's loan account that configures a student loan.
func (a ItemAccount) HasLiability() bool {
	return a.Type == "credit" || a.Type == "loan" && (a.Subtype == "mortgage" || a.Subtype == "student") || a.customLiability() != nil
}

// customLiability is the liability a custom user's account configures,
// or nil.
func (a ItemAccount) customLiability() *customuser.Liability {
	if a.Custom == nil {
		return nil
	}
	return a.Custom.Liability
}

// seeded is a random source that depends on the given strings only.
func seeded(parts ...string) *rand.Rand {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	return rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])))
}

// cents rounds an amount to whole cents.
func cents(f float64) float64 { return math.Round(f*100) / 100 }

// newestFirst orders by date (YYYY-MM-DD) newest first, then by ID.
func newestFirst(dateA, idA, dateB, idB string) int {
	if dateA != dateB {
		return -strings.Compare(dateA, dateB)
	}
	return strings.Compare(idA, idB)
}

// derivedID is a stable opaque ID (37 characters, as Plaid's) for what
// parts name: the same parts always give the same ID, so generated data
// keeps its IDs.
func derivedID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	out := make([]byte, 37)
	for i := range out {
		out[i] = alphanumeric[int(sum[i%len(sum)]+byte(i/len(sum))*7)%len(alphanumeric)]
	}
	return string(out)
}

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
