package config

import (
	"net/url"
	"slices"
	"testing"
)

// TestIsURL compares isURL with what net/url.Parse says of the same URLs.
func TestIsURL(t *testing.T) {
	for _, s := range []string{
		"https://example.com", "http://example.com/cb?x=1#f", "HTTPS://Example.COM:8443/a%20b", "https://user:pw@host/",
		"https://[::1]:8080/", "https://[fe80::1%25en0]/", "https://a.b-c_d~e/", "https://h:/", "https://xn--bcher-kva.example/",
		"ftp://example.com", "example.com", "/relative", "https:", "https:/path", "https://", "https://:80", "https://h:8x/",
		"https://a b/", "https://h/\x01", "https://h/%zz", "https://h/#%zz", "https://h/?q=%zz", "1https://h", "ht tp://h",
		"https://us er@h/", "https://[::1/", "https://[::g]/", "https://h%41/", "https://h%4/", "https://h%C3%A9/", "https://h%25/", "https://h/\x7f", "mailto:a@b",
		"https://h@/", "https://@h/", "https://h?x", "https://h#x", "http://h\\x/",
	} {
		u, err := url.Parse(s)
		want := err == nil && slices.Contains([]string{"http", "https"}, u.Scheme) && u.Host != ""
		if got := isURL(s, "http", "https"); got != want {
			t.Errorf("isURL(%q) = %v, net/url says %v (%v)", s, got, want, err)
		}
	}
}
