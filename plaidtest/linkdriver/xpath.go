package linkdriver

import (
	"fmt"
	"strings"
)

// The selectors below find Link's controls the way a person (or a screen
// reader) does: by role and accessible name, inside the topmost Link
// dialog. They are XPath expressions, for chromedp.Search, so that a test
// can build chromedp actions of its own on them.

// Dialog is the topmost Link dialog: the one appended last.
const Dialog = "(//*[@role='dialog'])[last()]"

// Idle excludes nodes inside a dialog that is waiting on the backend.
const Idle = "[not(ancestor-or-self::*[@aria-busy='true'])]"

// Quote quotes s as an XPath string literal.
func Quote(s string) string {
	switch {
	case !strings.Contains(s, "'"):
		return "'" + s + "'"
	case !strings.Contains(s, `"`):
		return `"` + s + `"`
	default:
		return "concat('" + strings.Join(strings.Split(s, "'"), `', "'", '`) + "')"
	}
}

// Named is a predicate for an element whose accessible name is name: its
// aria-label, or else its text.
func Named(name string) string {
	return fmt.Sprintf("[(@aria-label=%s) or (not(@aria-label) and normalize-space(.)=%s)]", Quote(name), Quote(name))
}

// Button is the enabled button called name in the topmost dialog, once
// the dialog is idle.
func Button(name string) string {
	return Dialog + "//button" + Named(name) + "[not(@disabled)]" + Idle
}

// ListItem is the item called name of a single-choice list in the topmost
// dialog (an institution, an MFA device): a button in a list.
func ListItem(name string) string {
	return Dialog + "//ul//button" + Named(name) + Idle
}

// PageButton is the page's own button called name, outside Link.
func PageButton(name string) string {
	return "//button" + Named(name) + "[not(ancestor::*[@role='dialog'])]"
}

// Field is the input whose <label> reads label in the topmost dialog.
func Field(label string) string {
	return labelled("input", label)
}

// Checkbox is the checkbox whose <label> reads label in the topmost
// dialog.
func Checkbox(label string) string {
	return labelled("input[@type='checkbox']", label)
}

// Select is the select box whose <label> reads label in the topmost
// dialog.
func Select(label string) string {
	return labelled("select", label)
}

// Pane is the topmost dialog once it shows pane (a view_name such as
// "CREDENTIAL") and is idle.
func Pane(pane string) string {
	return fmt.Sprintf("%s[@data-pane=%s]%s", Dialog, Quote(pane), Idle)
}

func labelled(element, label string) string {
	return fmt.Sprintf("%s//%s[@id=%s//label[normalize-space(.)=%s]/@for]", Dialog, element, Dialog, Quote(label))
}
