package link_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/wasm/internal/link"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// backend answers the engine's requests with fixed bodies, so that a run is
// a pure function of its messages.
func backend(req *protocol.Request) protocol.Response {
	ok := func(v any) protocol.Response {
		b, _ := json.Marshal(v)
		return protocol.Response{ID: req.ID, Status: 200, Body: b}
	}
	switch req.Path {
	case protocol.PathSessionOpen:
		var body protocol.SessionOpenRequest
		json.Unmarshal(req.Body, &body)
		if body.PublicToken == "public-sandbox-item" || body.LinkToken == "link-sandbox-update" {
			return ok(protocol.SessionOpenResponse{RequestID: "req-open", Config: &protocol.SessionConfig{
				ClientName: "Update", Products: []string{"transactions"}, CountryCodes: []string{"US"}, Language: "en",
				UpdateMode: true, InstitutionID: "ins_109511"}})
		}
		if body.LinkToken == "link-sandbox-multi" {
			return ok(protocol.SessionOpenResponse{RequestID: "req-open", Config: &protocol.SessionConfig{
				ClientName: "Multi", Products: []string{"transactions"}, CountryCodes: []string{"US"}, Language: "en", MultiItem: true}})
		}
		if body.PublicKey == "settings-key" {
			return ok(protocol.SessionOpenResponse{RequestID: "req-open", Settings: &protocol.LinkSettings{
				Headings: map[string]string{protocol.HeadingConsent: "Custom consent"}, InstitutionHealth: map[string]string{"ins_109508": "DOWN"}, ChaosSeed: 2}})
		}
		if body.PublicKey != "good-key" {
			return protocol.Response{ID: req.ID, Status: 400, Body: protocol.RawMessage(`{"error_type":"INVALID_INPUT","error_code":"INVALID_API_KEYS","error_message":"invalid public_key provided","display_message":null,"request_id":"req-bad"}`)}
		}
		return ok(protocol.SessionOpenResponse{RequestID: "req-open"})
	case protocol.PathItemCreate:
		mask := "0000"
		return ok(protocol.ItemCreateResponse{RequestID: "req-create", ItemID: "item-1", Accounts: []protocol.Account{
			{ID: "acc-1", Name: "Plaid Checking", Mask: &mask, Type: "depository", Subtype: "checking"},
			{ID: "acc-2", Name: "Plaid IRA", Mask: &mask, Type: "investment", Subtype: "ira"},
		}})
	case protocol.PathItemConnect:
		return ok(protocol.ItemConnectResponse{RequestID: "req-connect", PublicToken: "public-sandbox-1"})
	case protocol.PathSessionRecord:
		return ok(protocol.SessionRecordResponse{RequestID: "req-record"})
	}
	return protocol.Response{ID: req.ID, Status: 404}
}

// driver sends messages to one session and answers its requests.
type driver struct {
	t       *testing.T
	e       *link.Engine
	now     int64
	effects []protocol.Effect
	// dispatches numbers, for each of effects, the Handle call that
	// returned it, from 1.
	dispatches []int
	view       *protocol.View
	// lastTimer is the ID of the last timer the engine set.
	lastTimer int
	// unreachable makes every request go unanswered (status 0), as when
	// the backend cannot be reached; lost are the IDs of those requests.
	unreachable bool
	lost        map[int]bool
}

func newDriver(t *testing.T) *driver {
	return &driver{t: t, e: link.New(), now: 1_700_000_000_000}
}

func (d *driver) send(m protocol.Message) {
	m.Session, m.Now = 1, d.now
	// Fresh but repeatable randomness: it follows the clock.
	m.Entropy = []byte(fmt.Sprintf("%-32d", d.now))
	d.now += 1000
	n := 1
	if len(d.dispatches) > 0 {
		n = d.dispatches[len(d.dispatches)-1] + 1
	}
	for _, e := range d.e.Handle(m).Effects {
		d.effects = append(d.effects, e)
		d.dispatches = append(d.dispatches, n)
		switch e.Kind {
		case protocol.KindRender:
			d.view = e.View
		case protocol.KindClose:
			d.view = nil
		case protocol.KindTimer:
			d.lastTimer = e.Timer.ID
		case protocol.KindRequest:
			resp := backend(e.Request)
			if d.unreachable {
				resp = protocol.Response{ID: e.Request.ID}
				if d.lost == nil {
					d.lost = map[int]bool{}
				}
				d.lost[e.Request.ID] = true
			}
			defer d.send(protocol.Message{Type: protocol.TypeResponse, Response: &resp})
		}
	}
}

func (d *driver) create(config string) {
	d.send(protocol.Message{Type: protocol.TypeCreate, Config: protocol.RawMessage(config)})
}

func (d *driver) press(target string) {
	d.send(protocol.Message{Type: protocol.TypePress, Target: target})
}

func (d *driver) change(target, value string) {
	d.send(protocol.Message{Type: protocol.TypeChange, Target: target, Value: value})
}

// callbacks lists the callbacks as "name arg0", the first argument only.
func (d *driver) callbacks() []string {
	var out []string
	for _, e := range d.effects {
		if e.Kind == protocol.KindCallback {
			s := e.Callback.Name
			if len(e.Callback.Args) > 0 {
				s += " " + string(e.Callback.Args[0])
			}
			out = append(out, s)
		}
	}
	return out
}

func (d *driver) console() []string {
	var out []string
	for _, e := range d.effects {
		if e.Kind == protocol.KindConsole {
			out = append(out, e.Console.Level+": "+e.Console.Message)
		}
	}
	return out
}

const fn = `{"$function":true}`

func goodConfig(extra string) string {
	return `{"env":"sandbox","key":"good-key","product":["transactions"],"onSuccess":` + fn + `,"onExit":` + fn + `,"onEvent":` + fn + `,"onLoad":` + fn + extra + `}`
}

func TestInvalidConfig(t *testing.T) {
	tests := []struct {
		name    string
		config  string
		console string // fragment of the console error at create
		onExit  string // fragment of onExit's error at open; "" when onExit cannot be called
	}{
		{"no config", `null`, "config must be an object", ""},
		{"not an object", `"key"`, "config must be an object", ""},
		{"missing key", `{"env":"sandbox","product":["auth"],"onSuccess":` + fn + `,"onExit":` + fn + `}`, "key is required", `"error_code":"MISSING_FIELDS"`},
		{"onSuccess not a function", `{"env":"sandbox","key":"k","product":["auth"],"onSuccess":"yes","onExit":` + fn + `}`, "onSuccess must be a function", `"error_code":"INVALID_FIELD"`},
		{"onExit not a function", `{"env":"sandbox","key":"k","product":["auth"],"onSuccess":` + fn + `,"onExit":42}`, "onExit must be a function", ""},
		{"no onSuccess", `{"env":"sandbox","key":"k","product":["auth"],"onExit":` + fn + `}`, "onSuccess is required", `"error_message":"onSuccess is required"`},
		{"balance product", goodConfig(`,"product":["balance"]`), `product must not contain "balance"`, `"error_type":"INVALID_REQUEST"`},
		{"unknown product", goodConfig(`,"product":["transactions","bogus"]`), `product has "bogus", which is not one of transactions`, `INVALID_FIELD`},
		{"product not a list", goodConfig(`,"product":"auth"`), "product must be an array of strings", `INVALID_FIELD`},
		{"bad env", goodConfig(`,"env":"moon"`), `env has "moon", which is not one of sandbox, development, production`, `INVALID_FIELD`},
		{"bad language", goodConfig(`,"language":"de"`), `language has "de", which is not one of en, fr, es, nl`, `INVALID_FIELD`},
		{"bad country", goodConfig(`,"countryCodes":["US","XX"]`), `countryCodes has "XX", which is not one of US, CA`, `INVALID_FIELD`},
		{"token not a string", goodConfig(`,"token":7`), "token must be a string", `INVALID_FIELD`},
		{"token of another kind", goodConfig(`,"token":"access-sandbox-1"`), "token must be a link token", `INVALID_FIELD`},
		{"accountSubtypes not an object", goodConfig(`,"accountSubtypes":["checking"]`), "accountSubtypes must be an object of arrays", `INVALID_FIELD`},
		{"accountSubtypes unknown type", goodConfig(`,"accountSubtypes":{"cash":["all"]}`), `accountSubtypes has account type "cash"`, `INVALID_FIELD`},
		{"accountSubtypes empty list", goodConfig(`,"accountSubtypes":{"credit":[]}`), `must list at least one subtype`, `INVALID_FIELD`},
		{"short oauthNonce", goodConfig(`,"oauthNonce":"short"`), "oauthNonce must be at least 16 characters long", `INVALID_FIELD`},
		{"redirect carries the nonce", goodConfig(`,"oauthNonce":"0123456789abcdef","oauthRedirectUri":"https://app.example/cb?n=0123456789abcdef"`), "oauthRedirectUri must not contain the oauthNonce", `INVALID_FIELD`},
		{"redirect not a URL", goodConfig(`,"oauthRedirectUri":"app/callback"`), "oauthRedirectUri must be an http or https URL", `INVALID_FIELD`},
		{"state without nonce", goodConfig(`,"oauthStateId":"abc"`), "oauthStateId needs the oauthNonce", `INVALID_FIELD`},
		{"paymentToken with other products", goodConfig(`,"paymentToken":"payment-token-sandbox-1"`), "paymentToken needs product ['payment_initiation']", `INVALID_FIELD`},
		{"payment_initiation with others", goodConfig(`,"product":["payment_initiation","auth"]`), "must be only payment_initiation", `INVALID_FIELD`},
		{"bad email", goodConfig(`,"userEmailAddress":"nobody"`), "userEmailAddress must be an email address", `INVALID_FIELD`},
		{"bad phone", goodConfig(`,"userPhoneNumber":"555-0100"`), "userPhoneNumber must be a phone number in E.164 form", `INVALID_FIELD`},
		{"webhook not a URL", goodConfig(`,"webhook":"requestb.in"`), "webhook must be an http or https URL", `INVALID_FIELD`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t)
			d.create(tt.config)
			if c := d.console(); len(c) != 1 || !strings.Contains(c[0], tt.console) || !strings.HasPrefix(c[0], "error: Plaid.create: ") {
				t.Errorf("console at create = %q, want one error containing %q", c, tt.console)
			}
			d.effects = nil
			d.send(protocol.Message{Type: protocol.TypeOpen})
			if d.view != nil {
				t.Errorf("Link shows %s for an invalid configuration", d.view.Pane)
			}
			cbs := d.callbacks()
			if tt.onExit == "" {
				if len(cbs) != 0 || len(d.console()) != 1 {
					t.Errorf("open: callbacks %q console %q, want no callback and one console error", cbs, d.console())
				}
				return
			}
			if len(cbs) != 1 || !strings.HasPrefix(cbs[0], "onExit {") || !strings.Contains(cbs[0], tt.onExit) {
				t.Errorf("open: callbacks %q, want onExit with %s", cbs, tt.onExit)
			}
		})
	}
}

func TestHandlerMisuse(t *testing.T) {
	d := newDriver(t)
	d.create(goodConfig(""))
	d.send(protocol.Message{Type: protocol.TypeExit})
	d.send(protocol.Message{Type: protocol.TypeOpen})
	d.send(protocol.Message{Type: protocol.TypeOpen})
	want := []string{"warn: attempted to exit Link when it was not open", "warn: attempted to open Link when it was already open"}
	if got := d.console(); !reflect.DeepEqual(got, want) {
		t.Errorf("console = %q, want %q", got, want)
	}
	d.effects = nil
	d.send(protocol.Message{Type: protocol.TypeDestroy})
	// Link closes and tells the server the events it had not told yet.
	if len(d.effects) != 2 || d.effects[0].Kind != protocol.KindClose || d.effects[1].Kind != protocol.KindRequest ||
		d.effects[1].Request.Path != protocol.PathSessionRecord {
		t.Errorf("destroy of an open session: effects %+v, want close and a record", d.effects)
	}
	d.effects = nil
	d.send(protocol.Message{Type: protocol.TypeOpen})
	if c := d.console(); len(c) != 1 || !strings.Contains(c[0], "attempted to open Link after destroy()") {
		t.Errorf("open after destroy: console %q", c)
	}
}

func TestInvalidKeyEndsInOnExit(t *testing.T) {
	d := newDriver(t)
	d.create(strings.Replace(goodConfig(""), "good-key", "other-key", 1))
	d.send(protocol.Message{Type: protocol.TypeOpen})
	cbs := d.callbacks()
	want := []string{"onLoad", `onEvent "OPEN"`, `onEvent "EXIT"`}
	if len(cbs) != 4 || !reflect.DeepEqual(cbs[:3], want) || !strings.Contains(cbs[3], `"error_code":"INVALID_API_KEYS"`) {
		t.Fatalf("callbacks = %q, want %q then onExit with INVALID_API_KEYS", cbs, want)
	}
	if d.view != nil {
		t.Fatalf("Link still shows %s", d.view.Pane)
	}
}

func TestAccountsFollowProducts(t *testing.T) {
	d := newDriver(t)
	d.create(goodConfig(""))
	d.send(protocol.Message{Type: protocol.TypeOpen})
	d.press("continue")
	d.press("ins_109508")
	d.change("username", "user_good")
	d.change("password", "pass_good")
	d.press("submit")
	if d.view == nil || d.view.Pane != "SELECT_ACCOUNT" {
		t.Fatalf("view = %+v, want SELECT_ACCOUNT", d.view)
	}
	items := d.view.List.Items
	if len(items) != 1 || items[0].Label != "Plaid Checking" || !items[0].Selected {
		t.Fatalf("accounts offered for transactions: %+v, want only Plaid Checking, preselected", items)
	}
}

// TestDeterministic runs one flow twice: the same messages must give the
// same effects, byte for byte.
func TestDeterministic(t *testing.T) {
	run := func() []byte {
		d := newDriver(t)
		d.create(goodConfig(""))
		d.send(protocol.Message{Type: protocol.TypeOpen})
		d.press("continue")
		d.change("search", "platypus")
		d.send(protocol.Message{Type: protocol.TypeTimer, Timer: d.lastTimer})
		d.press("ins_109508")
		d.send(protocol.Message{Type: protocol.TypeExit, Force: true})
		b, _ := json.Marshal(d.effects)
		return b
	}
	a, b := run(), run()
	if string(a) != string(b) {
		t.Fatal("two runs of the same messages differ")
	}
	if !strings.Contains(string(a), `"SEARCH_INSTITUTION"`) {
		t.Fatal("the search timer did not report SEARCH_INSTITUTION")
	}
}

func TestStaleResponseIgnored(t *testing.T) {
	d := newDriver(t)
	d.create(goodConfig(""))
	d.effects = nil
	// Answer a request that was never made.
	d.send(protocol.Message{Type: protocol.TypeResponse, Response: &protocol.Response{ID: 9, Status: 200, Body: protocol.RawMessage(`{}`)}})
	if len(d.effects) != 0 {
		t.Fatalf("effects for a stale response: %+v", d.effects)
	}
}

func TestUndecodableMessage(t *testing.T) {
	out := link.New().Dispatch([]byte("{nope"))
	var r protocol.Result
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Effects) != 1 || r.Effects[0].Kind != protocol.KindConsole || r.Effects[0].Console.Level != protocol.LevelError {
		t.Fatalf("effects = %+v, want one console error", r.Effects)
	}
}

// TestSessionIDPerOpen checks that link_session_id stays the same through a
// session and is new for each open().
func TestSessionIDPerOpen(t *testing.T) {
	d := newDriver(t)
	d.create(goodConfig(""))
	ids := map[string]int{}
	for range 2 {
		d.send(protocol.Message{Type: protocol.TypeOpen})
		d.press("continue")
		d.send(protocol.Message{Type: protocol.TypeExit, Force: true})
	}
	for _, e := range d.effects {
		if e.Kind != protocol.KindCallback || len(e.Callback.Args) < 2 {
			continue
		}
		var md struct {
			LinkSessionID string `json:"link_session_id"`
		}
		json.Unmarshal(e.Callback.Args[1], &md)
		ids[md.LinkSessionID]++
	}
	if len(ids) != 2 {
		t.Fatalf("link_session_ids over two opens: %v, want two, each used throughout its session", ids)
	}
	for id := range ids {
		if len(id) != 36 {
			t.Fatalf("link_session_id %q is not a UUID", id)
		}
	}
}

// TestMultiItem adds two Items in one session, then finishes or exits: the
// empty onSuccess comes only at the finish, once, after both Items.
func TestMultiItem(t *testing.T) {
	link := func(d *driver) {
		d.press("ins_109508")
		d.change("username", "user_good")
		d.change("password", "pass_good")
		d.press("submit")
		d.press("continue") // the one fitting account is chosen already
		if d.view == nil || d.view.Pane != "CONNECTED" {
			t.Fatalf("view = %+v, want CONNECTED", d.view)
		}
	}
	tests := []struct {
		name string
		end  func(*driver)
		want []string // the callbacks after the second Item, first argument only
	}{
		{"finish", func(d *driver) { d.press("finish") }, []string{`onSuccess ""`, `onEvent "HANDOFF"`}},
		{"exit() on the success pane finishes", func(d *driver) { d.send(protocol.Message{Type: protocol.TypeExit}) }, []string{`onSuccess ""`, `onEvent "HANDOFF"`}},
		{"exit mid-way through a third", func(d *driver) {
			d.press("add-another")
			d.send(protocol.Message{Type: protocol.TypeExit, Force: true})
		}, []string{`onEvent "TRANSITION_VIEW"`, `onEvent "EXIT"`, "onExit null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDriver(t)
			d.create(`{"token":"link-sandbox-multi","onSuccess":` + fn + `,"onExit":` + fn + `,"onEvent":` + fn + `}`)
			d.send(protocol.Message{Type: protocol.TypeOpen})
			d.press("continue")
			link(d)
			d.press("add-another")
			link(d)
			before := len(d.callbacks())
			if slices.ContainsFunc(d.callbacks(), func(c string) bool { return strings.HasPrefix(c, "onSuccess") }) {
				t.Fatal("onSuccess fired before the user finished")
			}
			tt.end(d)
			if got := d.callbacks()[before:]; !slices.Equal(got, tt.want) {
				t.Fatalf("callbacks at the end = %q, want %q", got, tt.want)
			}
			for _, e := range d.effects {
				if e.Kind == protocol.KindCallback && e.Callback.Name == protocol.OnSuccess {
					if md := string(e.Callback.Args[1]); !strings.Contains(md, `"institution":null,"accounts":[]`) {
						t.Fatalf("onSuccess metadata %s, want no institution and no accounts", md)
					}
				}
			}
		})
	}
}

// TestUpdateMode opens Link in update mode, by legacy public token and by
// link token: OPEN says so, Link starts on the Item's institution at the
// credential pane, and after the login onSuccess comes without account
// selection.
func TestUpdateMode(t *testing.T) {
	for _, config := range []string{
		goodConfig(`,"token":"public-sandbox-item"`),
		`{"token":"link-sandbox-update","onSuccess":` + fn + `,"onExit":` + fn + `,"onEvent":` + fn + `}`,
	} {
		d := newDriver(t)
		d.create(config)
		d.send(protocol.Message{Type: protocol.TypeOpen})
		if d.view == nil || d.view.Pane != "CREDENTIAL" || !strings.Contains(d.view.Heading, "Tartan Bank") {
			t.Fatalf("%s: first pane %+v, want Tartan Bank's credentials", config, d.view)
		}
		d.change("username", "user_good")
		d.change("password", "pass_good")
		d.press("submit")
		cbs := slices.DeleteFunc(d.callbacks(), func(c string) bool { return c == "onLoad" })
		if cbs[0] != `onEvent "OPEN"` || !strings.HasPrefix(cbs[len(cbs)-1], `onSuccess "public-sandbox-1"`) {
			t.Fatalf("%s: callbacks %q, want OPEN first and onSuccess last", config, cbs)
		}
		for _, e := range d.effects {
			if e.Kind == protocol.KindCallback && len(e.Callback.Args) == 2 && string(e.Callback.Args[0]) == `"OPEN"` && !strings.Contains(string(e.Callback.Args[1]), `"is_update_mode":"true"`) {
				t.Fatalf("%s: OPEN %s, want is_update_mode true", config, e.Callback.Args[1])
			}
		}
	}
}

// TestOpenSettings checks what the settings of the answer to open do: the
// consent heading a customization gives, the seed printed for chaos
// ordering, and an institution made DOWN.
func TestOpenSettings(t *testing.T) {
	d := newDriver(t)
	d.create(strings.Replace(goodConfig(""), "good-key", "settings-key", 1))
	d.send(protocol.Message{Type: protocol.TypeOpen})
	if d.view == nil || d.view.Heading != "Custom consent" {
		t.Fatalf("consent view %+v, want the heading Custom consent", d.view)
	}
	if c := d.console(); !slices.ContainsFunc(c, func(l string) bool { return strings.Contains(l, "chaos ordering is on with seed 2:") }) {
		t.Errorf("console %q does not show the seed", c)
	}
	d.press("continue")
	d.press("ins_109508")
	if d.view == nil || d.view.Pane != "ERROR" {
		t.Errorf("after choosing an institution the settings made DOWN Link shows %+v, want ERROR", d.view)
	}
	if cb := d.callbacks(); !slices.Contains(cb, `onEvent "SELECT_DOWN_INSTITUTION"`) {
		t.Errorf("callbacks %q, want SELECT_DOWN_INSTITUTION", cb)
	}
}
