package config

import (
	"slices"
	"strings"
)

// isURL reports whether s is an absolute URL with one of the schemes and a
// host, by the rules net/url.Parse applies to them: link.wasm links no
// net/url. Anything url.Parse refuses is refused.
func isURL(s string, schemes ...string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false // a control character
		}
	}
	s, fragment, _ := strings.Cut(s, "#")
	if !validEscapes(fragment) {
		return false
	}
	colon := strings.IndexByte(s, ':')
	if colon <= 0 || !validScheme(s[:colon]) {
		return false
	}
	scheme, rest := strings.ToLower(s[:colon]), s[colon+1:]
	if !slices.Contains(schemes, scheme) {
		return false
	}
	rest, _, _ = strings.Cut(rest, "?")
	authority, ok := strings.CutPrefix(rest, "//")
	if !ok {
		return false // opaque: no host
	}
	authority, path, _ := strings.Cut(authority, "/")
	if !validEscapes(path) {
		return false
	}
	host := authority
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		if !validUserinfo(authority[:at]) {
			return false
		}
		host = authority[at+1:]
	}
	return validHost(host) && host != ""
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// validScheme is a letter and then letters, digits, +, - and ..
func validScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && (i == 0 || !isDigit(c) && c != '+' && c != '-' && c != '.') {
			return false
		}
	}
	return true
}

// validEscapes reports whether every % starts a %XX escape.
func validEscapes(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		}
	}
	return true
}

// validUserinfo is net/url's rule for the user:password part.
func validUserinfo(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) || isDigit(c) || c >= 0x80 || strings.IndexByte("-._:~!$&'()*+,;=%@", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// validHost is net/url's rule for a host and optional port: a bracketed
// IPv6 literal or a name of the characters a host may hold, then :digits.
func validHost(host string) bool {
	if strings.HasPrefix(host, "[") {
		end := strings.LastIndexByte(host, ']')
		if end < 0 || !validPort(host[end+1:]) {
			return false
		}
		addr, _, _ := strings.Cut(host[1:end], "%25")
		return validIPv6(addr)
	}
	if colon := strings.LastIndexByte(host, ':'); colon >= 0 {
		if !validPort(host[colon:]) {
			return false
		}
		host = host[:colon]
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		switch {
		case c == '%':
			// Only a non-ASCII byte or %25 may be escaped in a host.
			if i+2 >= len(host) || !isHex(host[i+1]) || !isHex(host[i+2]) || unhex(host[i+1]) < 8 && host[i:i+3] != "%25" {
				return false
			}
			i += 2
		case isAlpha(c) || isDigit(c) || c >= 0x80 || strings.IndexByte("-._~!$&'()*+,;=:[]<>\"", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// validPort is empty, or a colon and digits.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	if p[0] != ':' {
		return false
	}
	for i := 1; i < len(p); i++ {
		if !isDigit(p[i]) {
			return false
		}
	}
	return true
}

// validIPv6 accepts hexadecimal groups separated by colons, at most one ::,
// and a dotted IPv4 tail.
func validIPv6(s string) bool {
	if s == "" || strings.Count(s, "::") > 1 {
		return false
	}
	groups := strings.Split(s, ":")
	if len(groups) < 3 && !strings.Contains(s, "::") || len(groups) > 9 {
		return false
	}
	for i, g := range groups {
		if g == "" {
			continue
		}
		if i == len(groups)-1 && strings.Contains(g, ".") {
			continue
		}
		if len(g) > 4 {
			return false
		}
		for j := 0; j < len(g); j++ {
			if !isHex(g[j]) {
				return false
			}
		}
	}
	return true
}
