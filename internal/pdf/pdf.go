// Package pdf writes small text-only PDF documents: lines of Helvetica
// text laid out top to bottom on as many A4 pages as they need, with a
// valid cross-reference table, so that any PDF reader opens them. It is
// what /asset_report/pdf/get answers with, written here rather than taken
// from a PDF library so that the Worker's wasm does not carry one.
package pdf

import (
	"bytes"
	"fmt"
	"strings"
)

// Page geometry, in points.
const (
	pageWidth   = 595
	pageHeight  = 842
	margin      = 56
	lineHeight  = 14
	fontSize    = 10
	headingSize = 14
)

// LinesPerPage is how many lines fit on one page.
const LinesPerPage = (pageHeight - 2*margin) / lineHeight

// Line is one line of text; Heading sets it larger and bold.
type Line struct {
	Text    string
	Heading bool
}

// Write is a PDF document of the lines, with title in its information
// dictionary.
func Write(title string, lines []Line) []byte {
	var pages [][]Line
	for len(lines) > LinesPerPage {
		pages = append(pages, lines[:LinesPerPage])
		lines = lines[LinesPerPage:]
	}
	pages = append(pages, lines)

	// Objects: 1 catalog, 2 pages, 3 font, 4 bold font, 5 info, then a
	// page and its content stream per page.
	var objs []string
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 6+2*i)
	}
	objs = append(objs,
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Title %s /Producer (linkharness) >>", literal(title)),
	)
	for i, p := range pages {
		var content bytes.Buffer
		y := pageHeight - margin
		for _, l := range p {
			font, size := "F1", fontSize
			if l.Heading {
				font, size = "F2", headingSize
			}
			fmt.Fprintf(&content, "BT /%s %d Tf %d %d Td %s Tj ET\n", font, size, margin, y, literal(l.Text))
			y -= lineHeight
		}
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>",
				pageWidth, pageHeight, 7+2*i),
			stream(bytes.TrimSuffix(content.Bytes(), []byte("\n"))))
	}

	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return out.Bytes()
}

// stream is a content stream object of data, its length exact.
func stream(data []byte) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(data), data)
}

// literal is s as a PDF literal string in WinAnsi: the delimiters
// escaped, characters outside Latin-1 as '?'.
func literal(s string) string {
	var b strings.Builder
	b.WriteByte('(')
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteByte(' ')
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xff:
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			b.WriteByte('?')
		}
	}
	b.WriteByte(')')
	return b.String()
}
