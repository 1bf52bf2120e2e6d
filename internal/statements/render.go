package statements

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"

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

// rowsPerPage are the transactions on one page of a statement.
const rowsPerPage = 38

// Render is the statement as a PDF: the bank, the account (name, official
// name, mask), the period, the totals, and the transactions, dated, on as
// many pages as they take. A positive amount is money out of the account,
// as Plaid's transactions have it. It is written with go-pdf/fpdf, in
// Helvetica (a standard font, not embedded), uncompressed, dated the
// statement's date, so the same statement is the same bytes.
func Render(d Document) []byte {
	p := fpdf.New("P", "pt", "Letter", "")
	p.SetCompression(false)
	p.SetCreationDate(d.Statement.Posted)
	p.SetModificationDate(d.Statement.Posted)
	p.SetProducer("linkharness", false)
	p.SetTitle(fmt.Sprintf("%s statement %04d-%02d", d.Account.Account.Name, d.Statement.Year, d.Statement.Month), true)
	tr := p.UnicodeTranslatorFromDescriptor("")
	doc := textDoc{p: p, tr: tr}
	var out, in float64
	for _, tx := range d.Transactions {
		if tx.Amount > 0 {
			out += tx.Amount
		} else {
			in -= tx.Amount
		}
	}
	pages := max(1, (len(d.Transactions)+rowsPerPage-1)/rowsPerPage)
	for p := range pages {
		doc.AddPage()
		doc.Text(50, 60, 18, true, d.Institution)
		doc.Text(50, 82, 12, false, "Account statement")
		doc.Text(430, 60, 9, false, fmt.Sprintf("Page %d of %d", p+1, pages))
		y := 110.0
		if p == 0 {
			a := d.Account.Account
			for _, line := range []string{
				"Account: " + a.Name,
				"Official name: " + d.Account.OfficialName,
				"Account number: ending in " + a.Mask,
				"Statement period: " + d.Period(),
				"Statement date: " + d.Statement.Posted.Format("January 2, 2006"),
				fmt.Sprintf("Money in: %s   Money out: %s   Transactions: %d", money(in, d.Currency), money(out, d.Currency), len(d.Transactions)),
			} {
				doc.Text(50, y, 10, false, line)
				y += 15
			}
			y += 10
		}
		doc.Text(50, y, 10, true, "Date")
		doc.Text(130, y, 10, true, "Description")
		doc.Text(460, y, 10, true, "Amount")
		y += 16
		rows := d.Transactions[min(len(d.Transactions), p*rowsPerPage):min(len(d.Transactions), (p+1)*rowsPerPage)]
		if len(d.Transactions) == 0 {
			doc.Text(50, y, 10, false, "No transactions in this period.")
		}
		for _, tx := range rows {
			doc.Text(50, y, 9, false, tx.Date)
			doc.Text(130, y, 9, false, truncate(tx.Name, 60))
			doc.Text(460, y, 9, false, money(-tx.Amount, d.Currency))
			y += 15
		}
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		// Only a font that is not Helvetica fails, which Render never sets.
		panic("statements: " + err.Error())
	}
	return b.Bytes()
}

// textDoc writes text on fpdf's current page.
type textDoc struct {
	p  *fpdf.Fpdf
	tr func(string) string
}

func (d textDoc) AddPage() { d.p.AddPage() }

// Text writes s in Helvetica (bold when bold) of size points, its
// baseline at x, y points from the top left.
func (d textDoc) Text(x, y, size float64, bold bool, s string) {
	style := ""
	if bold {
		style = "B"
	}
	d.p.SetFont("Helvetica", style, size)
	d.p.Text(x, y, d.tr(s))
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
