package wording

import "strings"

// Fill replaces the format verbs of a message (%s, %d; %% is a percent
// sign) with args in order, as fmt.Sprintf would for string arguments.
// The engine formats numbers itself: link.wasm links no fmt.
func Fill(format string, args ...string) string {
	if !strings.Contains(format, "%") {
		return format
	}
	var b strings.Builder
	b.Grow(len(format) + 32)
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch format[i] {
		case '%':
			b.WriteByte('%')
		case 's', 'd', 'v':
			if len(args) > 0 {
				b.WriteString(args[0])
				args = args[1:]
			}
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}
