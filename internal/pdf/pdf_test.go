package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestWrite checks the structure of written documents: the header, every
// xref offset pointing at its object, the page count, and the text of
// every line in a content stream.
func TestWrite(t *testing.T) {
	many := make([]Line, 2*LinesPerPage+3)
	for i := range many {
		many[i] = Line{Text: fmt.Sprintf("line %d", i)}
	}
	for _, tc := range []struct {
		name  string
		lines []Line
		pages int
		want  []string
	}{
		{"empty", nil, 1, nil},
		{"one page", []Line{{Text: "Asset Report", Heading: true}, {Text: "Plaid Checking (0000)"}}, 1, []string{"(Asset Report)", "(Plaid Checking \\(0000\\))"}},
		{"escapes", []Line{{Text: `a\b (c) é ☃`}}, 1, []string{`(a\\b \(c\) \351 ?)`}},
		{"three pages", many, 3, []string{"(line 0)", fmt.Sprintf("(line %d)", len(many)-1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := Write("Report", tc.lines)
			if !bytes.HasPrefix(doc, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(doc, []byte("%%EOF\n")) {
				t.Fatalf("not framed as a PDF")
			}
			s := string(doc)
			m := regexp.MustCompile(`startxref\n(\d+)\n`).FindStringSubmatch(s)
			if m == nil {
				t.Fatal("no startxref")
			}
			xref, _ := strconv.Atoi(m[1])
			if !strings.HasPrefix(s[xref:], "xref\n") {
				t.Fatalf("startxref %d does not point at the xref table", xref)
			}
			rows := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllStringSubmatch(s[xref:], -1)
			for i, r := range rows {
				off, _ := strconv.Atoi(r[1])
				if !strings.HasPrefix(s[off:], fmt.Sprintf("%d 0 obj\n", i+1)) {
					t.Errorf("xref row %d points at %q", i+1, s[off:off+10])
				}
			}
			if n := strings.Count(s, "/Type /Page "); n != tc.pages {
				t.Errorf("%d pages, want %d", n, tc.pages)
			}
			if !strings.Contains(s, fmt.Sprintf("/Count %d", tc.pages)) {
				t.Errorf("page tree does not count %d pages", tc.pages)
			}
			for _, w := range tc.want {
				if !strings.Contains(s, w+" Tj") {
					t.Errorf("no text %s", w)
				}
			}
		})
	}
}
