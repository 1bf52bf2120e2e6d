// Package itemdata is what a sandbox Item's product data holds beyond
// its generated history (package sandboxdata): what it gained after it
// was created, which the store keeps as documents of the kinds this
// package owns, and the joins of both that the data endpoints read. The
// history is the caller's to give, so that where it comes from is decided
// in one place (package service).
package itemdata

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/itemadditions"
)

// Kinds of what an Item gains, as the store's item_additions name them.
const (
	// KindRefreshed is a transaction /transactions/refresh found.
	KindRefreshed = "refreshed_transaction"
	// KindSandbox is a transaction /sandbox/transactions/create made.
	KindSandbox = "sandbox_transaction"
	// KindTrade is an investment transaction /investments/refresh found.
	KindTrade = "refreshed_investment_transaction"
)

// Added is what an Item gained after it was created.
type Added struct {
	// Transactions are its transactions, in the order it gained them.
	Transactions []sandboxdata.Transaction
	// Refreshed is how many of them /transactions/refresh found.
	Refreshed int
	// Trades are its investment transactions, in the order it gained them.
	Trades []sandboxdata.InvestmentTransaction
	// TransactionsAt is when it last gained transactions; zero for never.
	TransactionsAt time.Time
}

// transactionDoc is a transaction as the store keeps it: the fields of
// sandboxdata.Transaction, which it converts to and from, so that a field
// added there does not compile until it is added here too.
type transactionDoc struct {
	ID             string   `json:"transaction_id"`
	AccountID      string   `json:"account_id"`
	Amount         float64  `json:"amount"`
	Currency       string   `json:"iso_currency_code"`
	Category       []string `json:"category"`
	CategoryID     string   `json:"category_id"`
	Date           string   `json:"date"`
	AuthorizedDate string   `json:"authorized_date"`
	Name           string   `json:"name"`
	MerchantName   string   `json:"merchant_name"`
	PaymentChannel string   `json:"payment_channel"`
	Pending        bool     `json:"pending"`
	Type           string   `json:"transaction_type"`
}

// tradeDoc is an investment transaction as the store keeps it: the
// fields of sandboxdata.InvestmentTransaction, as transactionDoc.
type tradeDoc struct {
	ID         string  `json:"investment_transaction_id"`
	AccountID  string  `json:"account_id"`
	SecurityID string  `json:"security_id"`
	Date       string  `json:"date"`
	Name       string  `json:"name"`
	Quantity   float64 `json:"quantity"`
	Amount     float64 `json:"amount"`
	Price      float64 `json:"price"`
	Fees       float64 `json:"fees"`
	Type       string  `json:"type"`
	Subtype    string  `json:"subtype"`
	Currency   string  `json:"iso_currency_code"`
}

// Read is what the client's Item gained after it was created.
func Read(ctx context.Context, st *store.DB, clientID, itemID string) (Added, error) {
	adds, err := itemadditions.New(st).List(ctx, clientID, itemID)
	if err != nil {
		return Added{}, err
	}
	var out Added
	for _, a := range adds {
		switch a.Kind {
		case KindRefreshed, KindSandbox:
			var d transactionDoc
			if err := json.Unmarshal(a.Doc, &d); err != nil {
				return Added{}, fmt.Errorf("itemdata: a transaction of %s: %w", itemID, err)
			}
			out.Transactions = append(out.Transactions, sandboxdata.Transaction(d))
			out.TransactionsAt = a.CreatedAt
			if a.Kind == KindRefreshed {
				out.Refreshed++
			}
		case KindTrade:
			var d tradeDoc
			if err := json.Unmarshal(a.Doc, &d); err != nil {
				return Added{}, fmt.Errorf("itemdata: an investment transaction of %s: %w", itemID, err)
			}
			out.Trades = append(out.Trades, sandboxdata.InvestmentTransaction(d))
		}
	}
	return out, nil
}

// AddTransactions keeps txs, of kind KindRefreshed or KindSandbox and
// each with its ID, on the client's Item at at, with outbox, in one
// batch; store.ErrNotFound when the Item is gone.
func AddTransactions(ctx context.Context, st *store.DB, clientID, itemID, kind string, txs []sandboxdata.Transaction, at time.Time, outbox ...store.Webhook) error {
	var adds []itemadditions.Addition
	for _, tr := range txs {
		doc, _ := json.Marshal(transactionDoc(tr))
		adds = append(adds, itemadditions.Addition{Kind: kind, Doc: doc, CreatedAt: at})
	}
	return itemadditions.New(st).Add(ctx, clientID, itemID, adds, outbox...)
}

// AddTrades keeps trades, each with its ID, on the client's Item at at,
// with outbox, in one batch; store.ErrNotFound when the Item is gone.
func AddTrades(ctx context.Context, st *store.DB, clientID, itemID string, trades []sandboxdata.InvestmentTransaction, at time.Time, outbox ...store.Webhook) error {
	var adds []itemadditions.Addition
	for _, tr := range trades {
		doc, _ := json.Marshal(tradeDoc(tr))
		adds = append(adds, itemadditions.Addition{Kind: KindTrade, Doc: doc, CreatedAt: at})
	}
	return itemadditions.New(st).Add(ctx, clientID, itemID, adds, outbox...)
}

// Feed is the Item's transactions as /transactions/sync adds them: its
// history (newest first, as sandboxdata.Transactions gives it) oldest
// first, then what it gained, in the order it gained it. A sync cursor
// counts a place in it, so what the Item gains comes after every cursor
// given before.
func Feed(history []sandboxdata.Transaction, a Added) []sandboxdata.Transaction {
	feed := slices.Clone(history)
	slices.Reverse(feed)
	return append(feed, a.Transactions...)
}

// Transactions are the Item's history and what it gained, newest first
// (then by ID), as /transactions/get lists them.
func Transactions(history []sandboxdata.Transaction, a Added) []sandboxdata.Transaction {
	all := append(slices.Clone(history), a.Transactions...)
	slices.SortStableFunc(all, func(x, y sandboxdata.Transaction) int { return newestFirst(x.Date, x.ID, y.Date, y.ID) })
	return all
}

// Holdings are the Item's holdings (those it was created with) with what
// its refreshes reinvested in them.
func Holdings(history []sandboxdata.Holding, a Added) []sandboxdata.Holding {
	return sandboxdata.ApplyTrades(history, a.Trades)
}

// InvestmentTransactions are the Item's history of investment
// transactions and what it gained, newest first (then by ID).
func InvestmentTransactions(history []sandboxdata.InvestmentTransaction, a Added) []sandboxdata.InvestmentTransaction {
	all := append(slices.Clone(history), a.Trades...)
	slices.SortStableFunc(all, func(x, y sandboxdata.InvestmentTransaction) int { return newestFirst(x.Date, x.ID, y.Date, y.ID) })
	return all
}

// newestFirst orders by date (YYYY-MM-DD) newest first, then by ID, as
// the sandbox's data is ordered.
func newestFirst(dateA, idA, dateB, idB string) int {
	if dateA != dateB {
		return -strings.Compare(dateA, dateB)
	}
	return strings.Compare(idA, idB)
}
