package sandboxdata

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"

	"github.com/linkharness/linkharness/internal/plaid"
)

// merchant is a kind of sandbox transaction.
type merchant struct {
	name, merchant, channel string
	category                []string
	categoryID              string
	min, max                float64
}

// merchants are the transactions Plaid's sandbox shows, by account type.
var merchants = map[string][]merchant{
	"depository": {
		{"Uber 063015 SF**POOL**", "Uber", "online", []string{"Travel", "Taxi"}, "22016000", 5, 40},
		{"United Airlines", "United Airlines", "in store", []string{"Travel", "Airlines and Aviation Services"}, "22001000", 300, 900},
		{"McDonald's", "McDonald's", "in store", []string{"Food and Drink", "Restaurants", "Fast Food"}, "13005032", 8, 20},
		{"Starbucks", "Starbucks", "in store", []string{"Food and Drink", "Restaurants", "Coffee Shop"}, "13005043", 4, 12},
		{"SparkFun", "", "in store", []string{"Food and Drink", "Restaurants"}, "13005000", 50, 120},
		{"INTRST PYMNT", "", "other", []string{"Transfer", "Credit"}, "21005000", -10, -2},
		{"Touchstone Climbing", "", "in store", []string{"Recreation", "Gyms and Fitness Centers"}, "17018000", 70, 90},
		{"Madison Bicycle Shop", "Madison Bicycle Shop", "in store", []string{"Shops", "Sporting Goods"}, "19046000", 200, 600},
	},
	"credit": {
		{"KFC", "KFC", "in store", []string{"Food and Drink", "Restaurants", "Fast Food"}, "13005032", 10, 30},
		{"Tectra Inc", "", "in store", []string{"Food and Drink", "Restaurants"}, "13005000", 300, 600},
		{"AUTOMATIC PAYMENT - THANK", "", "other", []string{"Payment"}, "16000000", -2100, -500},
		{"CREDIT CARD 3333 PAYMENT *//", "", "other", []string{"Payment", "Credit Card"}, "16001000", -50, -20},
	},
}

// TransactionsPerAccount is how many transactions each depository or
// credit account of a sandbox Item has.
const TransactionsPerAccount = 12

// HistoryDays is how far back, in days before the Item was created, its
// transactions go.
const HistoryDays = 90

// Transaction is a posted transaction of a sandbox account
// (https://plaid.com/docs/api/products/transactions/#transactions-get-response-transactions).
// A positive amount is money out of the account.
type Transaction struct {
	ID        string
	AccountID string
	Amount    float64
	// Currency is the ISO 4217 code of the amount.
	Currency   string
	Category   []string
	CategoryID string
	// Date and AuthorizedDate are YYYY-MM-DD.
	Date           string
	AuthorizedDate string
	Name           string
	// MerchantName is empty when Plaid names no merchant.
	MerchantName string
	// PaymentChannel is "online", "in store" or "other".
	PaymentChannel string
	Pending        bool
	// Type is the transaction_type: always "place" in the sandbox.
	Type string
}

// Transactions are the Item's transactions, newest first (then by ID):
// TransactionsPerAccount per depository or credit account over the
// HistoryDays before the Item was created; other accounts have none. A
// custom user's account has the transactions it configured instead, when
// it configures some, and those of its inflow model in addition.
func Transactions(it Item) []Transaction {
	var out []Transaction
	for _, a := range it.Accounts {
		currency := "USD"
		if a.Custom != nil {
			currency = currencyOf(it, a)
			out = append(out, inflowTransactions(it, a)...)
			if a.Custom.Transactions != nil {
				out = append(out, configuredTransactions(it, a)...)
				continue
			}
		}
		kinds := merchants[a.Type]
		if len(kinds) == 0 {
			continue
		}
		r := a.random(it, "transactions")
		for i := range TransactionsPerAccount {
			m := kinds[r.IntN(len(kinds))]
			date := plaid.Date(it.CreatedAt.AddDate(0, 0, -r.IntN(HistoryDays)))
			out = append(out, Transaction{
				ID: derivedID("transaction", it.ID, a.ID, string(rune('a'+i))), AccountID: a.ID,
				Amount: cents(m.min + r.Float64()*(m.max-m.min)), Currency: currency, Category: slices.Clone(m.category), CategoryID: m.categoryID,
				Date: date, AuthorizedDate: date, Name: m.name, MerchantName: m.merchant, PaymentChannel: m.channel, Type: "place",
			})
		}
	}
	slices.SortStableFunc(out, func(a, b Transaction) int { return newestFirst(a.Date, a.ID, b.Date, b.ID) })
	return out
}

// SyncCursor is the /transactions/sync cursor of the Item's feed after its
// first n transactions (oldest first): opaque to the caller, and bound to
// the Item.
func SyncCursor(itemID string, n int) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	return cursorPrefix(itemID) + hex.EncodeToString(b[:])
}

// SyncPosition decodes SyncCursor: how many transactions of the Item's
// feed the cursor is past (0 for no cursor); false for a cursor of
// another Item or none at all.
func SyncPosition(itemID, cursor string) (int, bool) {
	if cursor == "" {
		return 0, true
	}
	prefix := cursorPrefix(itemID)
	if len(cursor) != len(prefix)+16 || cursor[:len(prefix)] != prefix {
		return 0, false
	}
	raw, err := hex.DecodeString(cursor[len(prefix):])
	if err != nil {
		return 0, false
	}
	return int(binary.BigEndian.Uint64(raw)), true
}

// cursorPrefix binds a cursor to its Item.
func cursorPrefix(itemID string) string {
	sum := sha256.Sum256([]byte(itemID))
	return hex.EncodeToString(sum[:6])
}
