package linkdriver

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/linkharness/linkharness/wasm/protocol"
)

// allowOAuth goes through an OAuth institution's pane as a person does on
// a desktop: Continue opens the bank's window, where Allow gives Link
// access (the window then closes itself).
func (p *Page) allowOAuth() {
	p.t.Helper()
	p.Press("Continue")
	popup := p.popup(protocol.PathOAuthAuthorize)
	ctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(popup))
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, StepTimeout)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.Search("//button"+Named("Allow")), chromedp.NodeVisible)); err != nil {
		p.t.Fatalf("linkdriver: pressing Allow in the bank's window: %v\n%s", err, p.Describe())
	}
	// Wait for the window to close before this context lets go of it.
	p.waitTargets("the bank's window to close", func(infos []*target.Info) bool {
		return !slices.ContainsFunc(infos, func(i *target.Info) bool { return i.TargetID == popup })
	})
}

// popup waits for the window this tab opened on a page whose address
// contains path, and returns its target.
func (p *Page) popup(path string) target.ID {
	p.t.Helper()
	self := chromedp.FromContext(p.ctx).Target.TargetID
	var id target.ID
	p.waitTargets("a window on "+path, func(infos []*target.Info) bool {
		for _, i := range infos {
			if i.Type == "page" && i.OpenerID == self && strings.Contains(i.URL, path) {
				id = i.TargetID
				return true
			}
		}
		return false
	})
	return id
}

// waitTargets waits until cond holds for the browser's targets.
func (p *Page) waitTargets(what string, cond func([]*target.Info) bool) {
	p.t.Helper()
	for deadline := time.Now().Add(StepTimeout); ; time.Sleep(20 * time.Millisecond) {
		infos, err := chromedp.Targets(p.ctx)
		if err != nil {
			p.t.Fatalf("linkdriver: listing the browser's windows: %v", err)
		}
		if cond(infos) {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("linkdriver: waiting for %s\n%s", what, p.Describe())
		}
	}
}
