package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"testing"
)

// TestEscape pins the string escapes.
func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain":        "plain",
		"(a) \\ b":     `\(a\) \\ b`,
		"café\tline\n": "caf??line?",
		"":             "",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestStructure writes documents of zero to three pages and reads their
// structure back: header, every cross-reference offset at its object,
// startxref at the table, the page count, and the text in the streams
// with their exact lengths.
func TestStructure(t *testing.T) {
	for pages := range 4 {
		t.Run(strconv.Itoa(pages), func(t *testing.T) {
			d := &Doc{Title: "Statement (test)"}
			for i := range pages {
				d.AddPage()
				d.Text(72, 72, 12, i == 0, fmt.Sprintf("Page %d (of %d)", i+1, pages))
			}
			b := d.Bytes()
			if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
				t.Fatalf("header or trailer: %q ... %q", b[:12], b[len(b)-8:])
			}
			m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(b)
			if m == nil {
				t.Fatal("no startxref")
			}
			at, _ := strconv.Atoi(string(m[1]))
			if !bytes.HasPrefix(b[at:], []byte("xref\n0 ")) {
				t.Fatalf("startxref %d points at %q", at, b[at:at+10])
			}
			entries := regexp.MustCompile(`(\d{10}) 00000 n \n`).FindAllSubmatch(b[at:], -1)
			want := 5 + 2*max(pages, 1)
			if len(entries) != want {
				t.Fatalf("%d objects, want %d", len(entries), want)
			}
			for i, e := range entries {
				off, _ := strconv.Atoi(string(e[1]))
				if head := fmt.Sprintf("%d 0 obj\n", i+1); !bytes.HasPrefix(b[off:], []byte(head)) {
					t.Errorf("object %d: offset %d points at %q", i+1, off, b[off:off+10])
				}
			}
			if !bytes.Contains(b, []byte(fmt.Sprintf("/Count %d", max(pages, 1)))) {
				t.Error("page count")
			}
			for _, s := range regexp.MustCompile(`<< /Length (\d+) >>\nstream\n`).FindAllSubmatchIndex(b, -1) {
				n, _ := strconv.Atoi(string(b[s[2]:s[3]]))
				if !bytes.HasPrefix(b[s[1]+n:], []byte("endstream")) {
					t.Errorf("a stream's /Length %d is not its length", n)
				}
			}
			for i := range pages {
				if !bytes.Contains(b, []byte(fmt.Sprintf(`(Page %d \(of %d\)) Tj`, i+1, pages))) {
					t.Errorf("page %d's text is missing", i+1)
				}
			}
		})
	}
}
