// Package pdf writes small PDF documents of text: pages of US Letter
// size with lines of Helvetica (one of the standard 14 fonts, which every
// reader has, so nothing is embedded) at given positions. Its output is
// PDF 1.4 with uncompressed content streams and an exact cross-reference
// table, which every PDF reader opens. It is what the emulator's
// documents (bank statements, asset reports) are written with, and has no
// dependency outside the standard library.
package pdf

import (
	"bytes"
	"fmt"
	"strings"
)

// Page size, in points: US Letter.
const (
	Width  = 612.0
	Height = 792.0
)

// Doc is a document being written: pages of text. The zero value has no
// page; Text adds the first.
type Doc struct {
	pages []*bytes.Buffer
	// Title is the document's title in its information dictionary, ""
	// for none.
	Title string
}

// AddPage starts a new page, on which Text then writes.
func (d *Doc) AddPage() { d.pages = append(d.pages, &bytes.Buffer{}) }

// Pages is the number of pages.
func (d *Doc) Pages() int { return len(d.pages) }

// Text writes s on the current page (a new one if there is none) in
// Helvetica (bold when bold) of size points, its baseline starting at x
// points from the left and y points from the top.
func (d *Doc) Text(x, y, size float64, bold bool, s string) {
	if len(d.pages) == 0 {
		d.AddPage()
	}
	font := "F1"
	if bold {
		font = "F2"
	}
	fmt.Fprintf(d.pages[len(d.pages)-1], "BT /%s %s Tf %s %s Td (%s) Tj ET\n", font, num(size), num(x), num(Height-y), Escape(s))
}

// Escape is s as the text of a PDF literal string in WinAnsiEncoding:
// backslash, parentheses and control characters escaped, and a character
// that is not printable ASCII replaced by '?'.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '(' || r == ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r > 0x7e:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// num is a number as PDF writes it: at most two decimals, no exponent.
func num(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-" {
		return "0"
	}
	return s
}

// Bytes is the document, with at least one page.
func (d *Doc) Bytes() []byte {
	if len(d.pages) == 0 {
		d.AddPage()
	}
	var out bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	// 1 catalog, 2 page tree, 3 and 4 fonts, 5 information, then a page
	// and its content stream for each page.
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	kids := make([]string, len(d.pages))
	for i := range d.pages {
		kids[i] = fmt.Sprintf("%d 0 R", 6+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(d.pages)))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	obj(fmt.Sprintf("<< /Title (%s) /Producer (linkharness) >>", Escape(d.Title)))
	for i, p := range d.pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>",
			num(Width), num(Height), 7+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", p.Len(), p.Bytes()))
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return out.Bytes()
}
