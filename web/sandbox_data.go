package web

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/store"
)

// The product data of sandbox Items is made up, plausibly and
// deterministically: the same Item always has the same transactions,
// holdings and liabilities, drawn from a generator seeded by its ID.

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

func cents(f float64) float64 { return math.Round(f*100) / 100 }

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

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

// sandboxTransaction is a transaction as /transactions/get and
// /transactions/sync show it.
type sandboxTransaction struct {
	TransactionID          string          `json:"transaction_id"`
	AccountID              string          `json:"account_id"`
	Amount                 float64         `json:"amount"`
	IsoCurrencyCode        *string         `json:"iso_currency_code"`
	UnofficialCurrencyCode *string         `json:"unofficial_currency_code"`
	Category               []string        `json:"category"`
	CategoryID             *string         `json:"category_id"`
	CheckNumber            *string         `json:"check_number"`
	Date                   string          `json:"date"`
	AuthorizedDate         *string         `json:"authorized_date"`
	AuthorizedDatetime     *string         `json:"authorized_datetime"`
	Datetime               *string         `json:"datetime"`
	Location               map[string]any  `json:"location"`
	PaymentMeta            map[string]any  `json:"payment_meta"`
	Name                   string          `json:"name"`
	MerchantName           *string         `json:"merchant_name"`
	PaymentChannel         string          `json:"payment_channel"`
	Pending                bool            `json:"pending"`
	PendingTransactionID   *string         `json:"pending_transaction_id"`
	AccountOwner           *string         `json:"account_owner"`
	TransactionType        string          `json:"transaction_type"`
	TransactionCode        *string         `json:"transaction_code"`
	PersonalFinance        json.RawMessage `json:"personal_finance_category"`
}

var nullFields = []string{"address", "city", "region", "postal_code", "country", "lat", "lon", "store_number"}

// sandboxTransactions are the Item's transactions, newest first: a dozen
// per depository or credit account over the 90 days before the Item was
// created.
func sandboxTransactions(it store.Item) []sandboxTransaction {
	usd := "USD"
	var out []sandboxTransaction
	for _, a := range it.Accounts {
		kinds := merchants[a.Type]
		if len(kinds) == 0 {
			continue
		}
		r := seeded("transactions", it.ID, a.ID)
		for i := range 12 {
			m := kinds[r.IntN(len(kinds))]
			date := it.CreatedAt.AddDate(0, 0, -r.IntN(90))
			catID := m.categoryID
			location, meta := map[string]any{}, map[string]any{}
			for _, f := range nullFields {
				location[f] = nil
			}
			for _, f := range []string{"reference_number", "ppd_id", "payee", "by_order_of", "payer", "payment_method", "payment_processor", "reason"} {
				meta[f] = nil
			}
			out = append(out, sandboxTransaction{
				TransactionID: plaid.DerivedID("transaction", it.ID, a.ID, string(rune('a'+i))), AccountID: a.ID,
				Amount: cents(m.min + r.Float64()*(m.max-m.min)), IsoCurrencyCode: &usd, Category: m.category, CategoryID: &catID,
				Date: day(date), AuthorizedDate: optString(day(date)), Location: location, PaymentMeta: meta, Name: m.name,
				MerchantName: optString(m.merchant), PaymentChannel: m.channel, TransactionType: "place",
				PersonalFinance: json.RawMessage("null"),
			})
		}
	}
	slices.SortStableFunc(out, func(a, b sandboxTransaction) int {
		if a.Date != b.Date {
			return -compareStrings(a.Date, b.Date)
		}
		return compareStrings(a.TransactionID, b.TransactionID)
	})
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// opaqueCursor encodes a /transactions/sync position.
func opaqueCursor(itemID string, n int) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(n))
	sum := sha256.Sum256([]byte(itemID))
	return hex.EncodeToString(sum[:6]) + hex.EncodeToString(b[:])
}

// cursorPosition decodes opaqueCursor; false for a cursor of another
// Item or none at all.
func cursorPosition(itemID, cursor string) (int, bool) {
	if cursor == "" {
		return 0, true
	}
	sum := sha256.Sum256([]byte(itemID))
	prefix := hex.EncodeToString(sum[:6])
	if len(cursor) != len(prefix)+16 || cursor[:len(prefix)] != prefix {
		return 0, false
	}
	raw, err := hex.DecodeString(cursor[len(prefix):])
	if err != nil {
		return 0, false
	}
	return int(binary.BigEndian.Uint64(raw)), true
}
