package sandboxdata

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
)

// Recurring streams (/transactions/recurring/get). Plaid does not publish
// how it finds them; linkharness's model is this:
//
//   - A candidate stream is the transactions of one account, one
//     direction (inflow: a negative amount; outflow: a positive one), one
//     currency and one description: the merchant's name, or where there
//     is none the transaction's name, compared without case.
//   - It recurs when it has two transactions or more, on different days,
//     every gap between consecutive ones fits one frequency (the days of
//     cadences below), and every amount is within a third of their mean.
//     Anything else is not a stream at all.
//   - Its status is MATURE from three transactions (two for ANNUALLY),
//     EARLY_DETECTION before; a stream is active until its predicted next
//     date is past by more than the frequency's grace, and an inactive
//     EARLY_DETECTION stream is TOMBSTONED, with no predicted next date.

// Frequencies of recurring streams, as Plaid names them.
const (
	Weekly      = "WEEKLY"
	Biweekly    = "BIWEEKLY"
	SemiMonthly = "SEMI_MONTHLY"
	Monthly     = "MONTHLY"
	Annually    = "ANNUALLY"
)

// Statuses of recurring streams, as Plaid names them.
const (
	Mature         = "MATURE"
	EarlyDetection = "EARLY_DETECTION"
	Tombstoned     = "TOMBSTONED"
)

// cadence is a frequency: the gaps in days that fit it, how its next
// date follows the last, and how many days late that next one may be
// before the stream is inactive.
type cadence struct {
	frequency      string
	minGap, maxGap int
	next           func(time.Time) time.Time
	grace          int
}

// cadences are tried in order: a stream whose gaps are all 13 to 15 days
// is BIWEEKLY; other gaps of 12 to 18 days are SEMI_MONTHLY (the 1st and
// the 15th, say).
var cadences = []cadence{
	{Weekly, 6, 8, func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }, 3},
	{Biweekly, 13, 15, func(t time.Time) time.Time { return t.AddDate(0, 0, 14) }, 5},
	{SemiMonthly, 12, 18, func(t time.Time) time.Time { return t.AddDate(0, 0, 15) }, 5},
	{Monthly, 27, 33, func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }, 7},
	{Annually, 358, 372, func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }, 30},
}

// Stream is a recurring stream of an Item's transactions
// (https://plaid.com/docs/api/products/transactions/#transactionsrecurringget).
type Stream struct {
	ID        string
	AccountID string
	// Inflow says money comes in (the amounts are negative).
	Inflow bool
	// Description and MerchantName ("" for none) are those of the last
	// transaction; so are Category and CategoryID.
	Description  string
	MerchantName string
	Category     []string
	CategoryID   string
	// FirstDate, LastDate and PredictedNextDate ("" for none) are
	// YYYY-MM-DD.
	FirstDate, LastDate, PredictedNextDate string
	Frequency                              string
	// TransactionIDs are the stream's transactions, oldest first.
	TransactionIDs []string
	// AverageAmount is the mean of the amounts, LastAmount the last one's,
	// in Currency (ISO 4217).
	AverageAmount, LastAmount float64
	Currency                  string
	IsActive                  bool
	Status                    string
}

// streamKey is what a candidate stream's transactions share.
type streamKey struct {
	account, description, currency string
	inflow                         bool
}

// Streams are the recurring streams of the Item itemID among txs (in any
// order) as of the day asOf, ordered by account, then description: the
// inflow streams and the outflow streams. Each stream's ID is derived from
// the Item and what its transactions share, so it is the same on every
// call.
func Streams(itemID string, txs []Transaction, asOf time.Time) (inflow, outflow []Stream) {
	groups := map[streamKey][]Transaction{}
	var keys []streamKey
	for _, tr := range txs {
		if tr.Amount == 0 {
			continue
		}
		desc := tr.MerchantName
		if desc == "" {
			desc = tr.Name
		}
		k := streamKey{tr.AccountID, strings.ToLower(strings.TrimSpace(desc)), tr.Currency, tr.Amount < 0}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], tr)
	}
	slices.SortFunc(keys, func(a, b streamKey) int {
		if c := strings.Compare(a.account, b.account); c != 0 {
			return c
		}
		return strings.Compare(a.description, b.description)
	})
	for _, k := range keys {
		s, ok := stream(itemID, k, groups[k], asOf)
		switch {
		case !ok:
		case s.Inflow:
			inflow = append(inflow, s)
		default:
			outflow = append(outflow, s)
		}
	}
	return inflow, outflow
}

// stream is the stream of one candidate's transactions, or false when
// they do not recur.
func stream(itemID string, k streamKey, txs []Transaction, asOf time.Time) (Stream, bool) {
	txs = slices.Clone(txs)
	// Oldest first, then by ID.
	slices.SortStableFunc(txs, func(a, b Transaction) int {
		if c := strings.Compare(a.Date, b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	if len(txs) < 2 {
		return Stream{}, false
	}
	dates := make([]time.Time, len(txs))
	sum := 0.0
	for i, tr := range txs {
		d, err := plaid.ParseDate(tr.Date)
		if err != nil {
			return Stream{}, false
		}
		dates[i] = d
		sum += tr.Amount
	}
	mean := sum / float64(len(txs))
	for _, tr := range txs {
		if math.Abs(tr.Amount-mean) > math.Abs(mean)/3 {
			return Stream{}, false
		}
	}
	c, ok := cadenceOf(dates)
	if !ok {
		return Stream{}, false
	}
	last := txs[len(txs)-1]
	s := Stream{
		ID:        derivedID("stream", itemID, k.account, k.description, k.currency, direction(k.inflow)),
		AccountID: k.account, Inflow: k.inflow, Description: last.Name, MerchantName: last.MerchantName,
		Category: slices.Clone(last.Category), CategoryID: last.CategoryID, FirstDate: txs[0].Date, LastDate: last.Date,
		Frequency: c.frequency, AverageAmount: cents(mean), LastAmount: last.Amount, Currency: k.currency, Status: EarlyDetection,
	}
	for _, tr := range txs {
		s.TransactionIDs = append(s.TransactionIDs, tr.ID)
	}
	if len(txs) >= 3 || c.frequency == Annually {
		s.Status = Mature
	}
	next := c.next(dates[len(dates)-1])
	s.IsActive = !asOf.After(next.AddDate(0, 0, c.grace))
	if s.IsActive || s.Status == Mature {
		s.PredictedNextDate = plaid.Date(next)
	} else {
		s.Status = Tombstoned
	}
	return s, true
}

// direction names a stream's direction in its derived ID.
func direction(inflow bool) string {
	if inflow {
		return "inflow"
	}
	return "outflow"
}

// cadenceOf is the first cadence every gap between the dates (ascending)
// fits; false when a gap is zero or none fits them all.
func cadenceOf(dates []time.Time) (cadence, bool) {
	for _, c := range cadences {
		fits := true
		for i := 1; i < len(dates) && fits; i++ {
			gap := int(dates[i].Sub(dates[i-1]).Hours() / 24)
			fits = gap >= c.minGap && gap <= c.maxGap
		}
		if fits {
			return c, true
		}
	}
	return cadence{}, false
}
