package itemdata_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/itemdata"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

func tx(id, date string) sandboxdata.Transaction {
	return sandboxdata.Transaction{ID: id, AccountID: "chk", Amount: 4.5, Currency: "USD", Category: []string{"Food and Drink"},
		CategoryID: "13000000", Date: date, AuthorizedDate: date, Name: "Cafe " + id, PaymentChannel: "in store", Type: "place"}
}

func txIDs(ts []sandboxdata.Transaction) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return strings.Join(out, " ")
}

// TestReadWhatWasAdded keeps transactions of both kinds and trades on an
// Item and reads them back as they went in, in order.
func TestReadWhatWasAdded(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CreateItem(ctx, store.Item{ID: "it", ClientID: "c", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	first, second := time.UnixMilli(1742472000000).UTC(), time.UnixMilli(1742475600000).UTC()
	refreshed := []sandboxdata.Transaction{tx("r1", "2025-03-20"), tx("r2", "2025-03-20")}
	made := tx("s1", "2025-03-19")
	made.Type, made.Category, made.CategoryID = "unresolved", nil, ""
	trade := sandboxdata.InvestmentTransaction{ID: "i1", AccountID: "ira", SecurityID: "sec", Date: "2025-03-20", Name: "DIVIDEND REINVESTMENT",
		Quantity: 0.5, Amount: 17, Price: 34, Type: "buy", Subtype: "dividend reinvestment", Currency: "USD"}
	for _, err := range []error{
		itemdata.AddTransactions(ctx, st, "c", "it", itemdata.KindRefreshed, refreshed, first),
		itemdata.AddTrades(ctx, st, "c", "it", []sandboxdata.InvestmentTransaction{trade}, first),
		itemdata.AddTransactions(ctx, st, "c", "it", itemdata.KindSandbox, []sandboxdata.Transaction{made}, second),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	a, err := itemdata.Read(ctx, st, "c", "it")
	if err != nil {
		t.Fatal(err)
	}
	if want := append(slices.Clone(refreshed), made); !reflect.DeepEqual(a.Transactions, want) {
		t.Errorf("transactions %+v, want %+v", a.Transactions, want)
	}
	if a.Refreshed != 2 || !a.TransactionsAt.Equal(second) || len(a.Trades) != 1 || a.Trades[0] != trade {
		t.Errorf("read %+v", a)
	}
	if err := itemdata.AddTransactions(ctx, st, "c", "gone", itemdata.KindSandbox, []sandboxdata.Transaction{made}, second); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown Item: %v", err)
	}
	if none, err := itemdata.Read(ctx, st, "c", "gone"); err != nil || len(none.Transactions)+len(none.Trades) != 0 || !none.TransactionsAt.IsZero() {
		t.Errorf("an unknown Item's additions: %+v %v", none, err)
	}
}

// TestJoins checks the orders the data endpoints read an Item's history
// and what it gained in.
func TestJoins(t *testing.T) {
	history := []sandboxdata.Transaction{tx("h3", "2025-03-10"), tx("h1", "2025-03-01"), tx("h2", "2025-03-01")}
	added := itemdata.Added{Transactions: []sandboxdata.Transaction{tx("z", "2025-03-20"), tx("a", "2025-03-05")}}
	if got := txIDs(itemdata.Feed(history, added)); got != "h2 h1 h3 z a" {
		t.Errorf("feed %s: want the history oldest first, then what was added in its order", got)
	}
	if got := txIDs(itemdata.Transactions(history, added)); got != "z h3 a h1 h2" {
		t.Errorf("transactions %s: want newest first, then by ID", got)
	}
	if got := txIDs(history); got != "h3 h1 h2" {
		t.Errorf("the joins changed the history they were given: %s", got)
	}
	holdings := []sandboxdata.Holding{{AccountID: "ira", SecurityID: "sec", InstitutionPrice: 34, Quantity: 2, InstitutionValue: 68, CostBasis: 60}}
	trades := itemdata.Added{Trades: []sandboxdata.InvestmentTransaction{{ID: "t", AccountID: "ira", SecurityID: "sec", Date: "2025-03-20", Type: "buy", Quantity: 0.5, Amount: 17}}}
	if h := itemdata.Holdings(holdings, trades); h[0].Quantity != 2.5 || h[0].InstitutionValue != 85 || holdings[0].Quantity != 2 {
		t.Errorf("holdings %+v", h)
	}
	old := []sandboxdata.InvestmentTransaction{{ID: "b", Date: "2025-01-01"}, {ID: "a", Date: "2025-03-20"}}
	if got := itemdata.InvestmentTransactions(old, trades); got[0].ID != "a" || got[1].ID != "t" || got[2].ID != "b" {
		t.Errorf("investment transactions %+v", got)
	}
}
