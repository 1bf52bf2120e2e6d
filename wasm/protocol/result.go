//go:build !wasip1

package protocol

import "github.com/linkharness/linkharness/wasm/internal/wire"

// Result.DecodeJSON is for the hosts in Go (package harness), which read
// every result the engine returns; the engine itself only writes them, so
// link.wasm does not link it.

// The fields of each object of a Result, for wire.Match.
var (
	resultFields   = []string{"effects"}
	effectFields   = []string{"kind", "callback", "view", "request", "timer", "console", "window", "navigate"}
	callbackFields = []string{"name", "args"}
	requestFields  = []string{"id", "path", "body"}
	timerFields    = []string{"id", "delay_ms"}
	consoleFields  = []string{"level", "message"}
	windowFields   = []string{"id", "url"}
	navigateFields = []string{"url"}
	viewFields     = []string{"pane", "title", "heading", "text", "error", "busy", "fields", "list", "buttons", "close"}
	fieldFields    = []string{"id", "label", "kind", "value", "options"}
	listFields     = []string{"label", "multiple", "items", "empty"}
	itemFields     = []string{"id", "label", "detail", "selected"}
	buttonFields   = []string{"id", "label", "primary", "disabled"}
)

// effectKinds are the Kind constants, which Effect's decoder reads without
// a copy.
var effectKinds = []string{KindCallback, KindRender, KindClose, KindRequest, KindTimer, KindConsole, KindNavigate, KindWindow}

// DecodeJSON fills res from JSON as encoding/json.Unmarshal fills a zero
// Result, in one pass: the engine's results, for a host.
func (res *Result) DecodeJSON(data []byte) error {
	var rd wire.Reader
	rd.Reset(data)
	r := &rd
	r.Object(func(k []byte) {
		if wire.Match(k, resultFields) != "effects" {
			r.Skip()
			return
		}
		if r.Null() {
			res.Effects = nil
			return
		}
		effects := make([]Effect, 0, 8)
		if r.Array(func() {
			effects = append(effects, Effect{})
			e := &effects[len(effects)-1]
			r.Object(func(k []byte) { e.decode(r, k) })
		}) {
			res.Effects = effects
		}
	})
	return r.End()
}

// list reads an array of objects into dst, member by member, or nil for
// null.
func list[T any](r *wire.Reader, dst *[]T, member func(t *T, r *wire.Reader, k []byte)) {
	if r.Null() {
		*dst = nil
		return
	}
	out := []T{}
	if r.Array(func() {
		var t T
		r.Object(func(k []byte) { member(&t, r, k) })
		out = append(out, t)
	}) {
		*dst = out
	}
}

func (e *Effect) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, effectFields) {
	case "kind":
		r.Known(&e.Kind, effectKinds)
	case "callback":
		object(r, &e.Callback, (*Callback).decode)
	case "view":
		object(r, &e.View, (*View).decode)
	case "request":
		object(r, &e.Request, (*Request).decode)
	case "timer":
		object(r, &e.Timer, (*Timer).decode)
	case "console":
		object(r, &e.Console, (*Console).decode)
	case "window":
		object(r, &e.Window, (*Window).decode)
	case "navigate":
		object(r, &e.Navigate, (*Navigate).decode)
	default:
		r.Skip()
	}
}

func (c *Callback) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, callbackFields) {
	case "name":
		r.Str(&c.Name)
	case "args":
		if r.Null() {
			c.Args = nil
			return
		}
		args := []RawMessage{}
		if r.Array(func() {
			var a []byte
			r.Raw(&a)
			args = append(args, a)
		}) {
			c.Args = args
		}
	default:
		r.Skip()
	}
}

func (q *Request) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, requestFields) {
	case "id":
		r.Int(&q.ID)
	case "path":
		r.Str(&q.Path)
	case "body":
		r.Raw((*[]byte)(&q.Body))
	default:
		r.Skip()
	}
}

func (t *Timer) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, timerFields) {
	case "id":
		r.Int(&t.ID)
	case "delay_ms":
		r.Int(&t.DelayMS)
	default:
		r.Skip()
	}
}

func (c *Console) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, consoleFields) {
	case "level":
		r.Str(&c.Level)
	case "message":
		r.Str(&c.Message)
	default:
		r.Skip()
	}
}

func (w *Window) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, windowFields) {
	case "id":
		r.Int(&w.ID)
	case "url":
		r.Str(&w.URL)
	default:
		r.Skip()
	}
}

func (n *Navigate) decode(r *wire.Reader, k []byte) {
	if wire.Match(k, navigateFields) == "url" {
		r.Str(&n.URL)
	} else {
		r.Skip()
	}
}

func (v *View) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, viewFields) {
	case "pane":
		r.Str(&v.Pane)
	case "title":
		r.Str(&v.Title)
	case "heading":
		r.Str(&v.Heading)
	case "text":
		r.Strings(&v.Text)
	case "error":
		r.Str(&v.Error)
	case "busy":
		r.Bool(&v.Busy)
	case "fields":
		list(r, &v.Fields, (*Field).decode)
	case "list":
		object(r, &v.List, (*List).decode)
	case "buttons":
		list(r, &v.Buttons, (*Button).decode)
	case "close":
		object(r, &v.Close, (*Button).decode)
	default:
		r.Skip()
	}
}

func (f *Field) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, fieldFields) {
	case "id":
		r.Str(&f.ID)
	case "label":
		r.Str(&f.Label)
	case "kind":
		r.Str(&f.Kind)
	case "value":
		r.Str(&f.Value)
	case "options":
		r.Strings(&f.Options)
	default:
		r.Skip()
	}
}

func (l *List) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, listFields) {
	case "label":
		r.Str(&l.Label)
	case "multiple":
		r.Bool(&l.Multiple)
	case "items":
		list(r, &l.Items, (*Item).decode)
	case "empty":
		r.Str(&l.Empty)
	default:
		r.Skip()
	}
}

func (it *Item) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, itemFields) {
	case "id":
		r.Str(&it.ID)
	case "label":
		r.Str(&it.Label)
	case "detail":
		r.Str(&it.Detail)
	case "selected":
		r.Bool(&it.Selected)
	default:
		r.Skip()
	}
}

func (b *Button) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, buttonFields) {
	case "id":
		r.Str(&b.ID)
	case "label":
		r.Str(&b.Label)
	case "primary":
		r.Bool(&b.Primary)
	case "disabled":
		r.Bool(&b.Disabled)
	default:
		r.Skip()
	}
}
