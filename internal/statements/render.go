package statements

import (
	"fmt"
	"strings"

	"github.com/linkharness/linkharness/internal/pdf"
	"github.com/linkharness/linkharness/internal/sandboxdata"
)

// Document is what a statement's PDF shows.
type Document struct {
	Institution  string
	Account      Account
	Statement    Statement
	Currency     string
	Transactions []sandboxdata.Transaction
}

// Period is the statement's period as its PDF writes it.
func (d Document) Period() string {
	return d.Statement.Start().Format("January 2, 2006") + " - " + d.Statement.End().Format("January 2, 2006")
}

// Render is the statement as a PDF: the bank, the account (name, official
// name, mask), the period, the totals, and the transactions, dated, on as
// many pages as they take. A positive amount is money out of the account,
// as Plaid's transactions have it. It is written by package pdf, the same
// small text writer as the Asset Reports' PDFs, so that the Worker carries
// no PDF library; the same statement is the same bytes.
func Render(d Document) []byte {
	var out, in float64
	for _, tx := range d.Transactions {
		if tx.Amount > 0 {
			out += tx.Amount
		} else {
			in -= tx.Amount
		}
	}
	a := d.Account.Account
	lines := []pdf.Line{
		{Text: d.Institution, Heading: true},
		{Text: "Account statement"},
		{},
		{Text: "Account: " + a.Name},
		{Text: "Official name: " + d.Account.OfficialName},
		{Text: "Account number: ending in " + a.Mask},
		{Text: "Statement period: " + d.Period()},
		{Text: "Statement date: " + d.Statement.Posted.Format("January 2, 2006")},
		{Text: fmt.Sprintf("Money in: %s   Money out: %s   Transactions: %d", money(in, d.Currency), money(out, d.Currency), len(d.Transactions))},
		{},
		{Text: "Date          Amount            Description", Heading: true},
	}
	if len(d.Transactions) == 0 {
		lines = append(lines, pdf.Line{Text: "No transactions in this period."})
	}
	for _, tx := range d.Transactions {
		lines = append(lines, pdf.Line{Text: fmt.Sprintf("%s    %-16s  %s", tx.Date, money(-tx.Amount, d.Currency), truncate(tx.Name, 60))})
	}
	return pdf.Write(fmt.Sprintf("%s statement %04d-%02d", a.Name, d.Statement.Year, d.Statement.Month), lines)
}

// money is an amount with its currency code, two decimals.
func money(f float64, currency string) string {
	return strings.TrimSpace(fmt.Sprintf("%.2f %s", f, currency))
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "..."
	}
	return s
}
