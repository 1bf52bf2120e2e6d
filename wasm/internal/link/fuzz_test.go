package link_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/linkharness/linkharness/wasm/internal/link"
	"github.com/linkharness/linkharness/wasm/protocol"
)

// FuzzConfig feeds arbitrary Plaid.create arguments to the engine: it must
// answer every one with effects it can encode, never panic, and never open
// Link for a configuration it rejected.
func FuzzConfig(f *testing.F) {
	for _, seed := range []string{
		goodConfig(""),
		goodConfig(`,"accountSubtypes":{"depository":["all"]},"countryCodes":["GB"],"language":"nl"`),
		goodConfig(`,"token":"link-sandbox-1"`),
		goodConfig(`,"oauthNonce":"0123456789abcdef","oauthRedirectUri":"https://a.example/cb","oauthStateId":"s"`),
		`null`, `[]`, `{}`, `{"key":7}`, `{"onSuccess":{"$function":true},"product":["balance"]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, config []byte) {
		e := link.New()
		msg := func(typ string) protocol.Message {
			return protocol.Message{Type: typ, Session: 1, Now: 1, Entropy: make([]byte, 32)}
		}
		create := msg(protocol.TypeCreate)
		create.Config = config
		created := e.Handle(create)
		opened := e.Handle(msg(protocol.TypeOpen))
		for _, r := range []protocol.Result{created, opened} {
			checkEncoding(t, r)
		}
		rejected := false
		for _, eff := range created.Effects {
			rejected = rejected || (eff.Kind == protocol.KindConsole && eff.Console.Level == protocol.LevelError)
		}
		for _, eff := range opened.Effects {
			if rejected && (eff.Kind == protocol.KindRender || eff.Kind == protocol.KindRequest) {
				t.Fatalf("Link opened with a rejected configuration: %+v", eff)
			}
		}
	})
}

// FuzzSession drives an open session with arbitrary actions and backend
// answers. Whatever happens, each open() ends in at most one onSuccess or
// onExit, and every result encodes.
func FuzzSession(f *testing.F) {
	f.Add([]byte{0, 0, 2, 0, 1, 3, 2, 1, 0, 2, 2, 0, 0})
	f.Add([]byte{2, 0, 0, 1, 4, 5, 2, 9, 0, 3})
	f.Add([]byte("pressing and filling at random"))
	f.Fuzz(func(t *testing.T, script []byte) {
		e := link.New()
		now := int64(0)
		var view *protocol.View
		var pending []protocol.Request
		opens, ends := 0, 0
		send := func(m protocol.Message) {
			now += 1000
			m.Session, m.Now, m.Entropy = 1, now, []byte("0123456789abcdef0123456789abcdef")
			r := e.Handle(m)
			checkEncoding(t, r)
			for _, eff := range r.Effects {
				switch eff.Kind {
				case protocol.KindRender:
					view = eff.View
				case protocol.KindClose:
					view = nil
				case protocol.KindRequest:
					pending = append(pending, *eff.Request)
				case protocol.KindCallback:
					if eff.Callback.Name == protocol.OnSuccess || eff.Callback.Name == protocol.OnExit {
						ends++
					}
				}
			}
		}
		send(protocol.Message{Type: protocol.TypeCreate, Config: protocol.RawMessage(goodConfig(""))})
		next := func(i *int) byte {
			if *i >= len(script) {
				return 0
			}
			b := script[*i]
			*i++
			return b
		}
		for i := 0; i < len(script); {
			switch next(&i) % 7 {
			case 0:
				if view == nil {
					opens++
				}
				send(protocol.Message{Type: protocol.TypeOpen})
			case 1: // press something shown, or something that is not
				send(protocol.Message{Type: protocol.TypePress, Target: pick(view, int(next(&i)))})
			case 2: // answer the oldest request, well or badly
				if len(pending) > 0 {
					req := pending[0]
					pending = pending[1:]
					resp := backend(&req)
					if b := next(&i); b%5 == 4 {
						resp = protocol.Response{ID: req.ID, Status: int(b) * 3, Body: protocol.RawMessage(`{"error_code":"X"}`)}
					}
					send(protocol.Message{Type: protocol.TypeResponse, Response: &resp})
				}
			case 3:
				value := string(script[i:min(len(script), i+int(next(&i)%8))])
				send(protocol.Message{Type: protocol.TypeChange, Target: field(view, int(next(&i))), Value: value})
			case 4:
				send(protocol.Message{Type: protocol.TypeExit, Force: next(&i)%2 == 0})
			case 5:
				send(protocol.Message{Type: protocol.TypeTimer, Timer: int(next(&i))})
			case 6:
				send(protocol.Message{Type: protocol.TypeDestroy})
				return
			}
			if ends > opens {
				t.Fatalf("%d onSuccess/onExit calls for %d opens", ends, opens)
			}
		}
	})
}

// pick returns the ID of the n-th control of the view, or a made-up one.
func pick(v *protocol.View, n int) string {
	if v == nil {
		return "nothing"
	}
	var ids []string
	for _, b := range v.Buttons {
		ids = append(ids, b.ID)
	}
	if v.List != nil {
		for _, it := range v.List.Items {
			ids = append(ids, it.ID)
		}
	}
	if v.Close != nil {
		ids = append(ids, v.Close.ID)
	}
	if n >= len(ids) {
		return "made-up"
	}
	return ids[n]
}

// field returns the ID of the n-th field of the view, or a made-up one.
func field(v *protocol.View, n int) string {
	if v == nil || n >= len(v.Fields) {
		return "made-up"
	}
	return v.Fields[n].ID
}

// checkEncoding checks that a result encodes, and that the engine's own
// encoder writes what encoding/json writes for it.
func checkEncoding(t *testing.T, r protocol.Result) {
	t.Helper()
	want, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("effects cannot be encoded: %v", err)
	}
	if got := r.AppendJSON(nil); !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON differs from encoding/json:\n got %s\nwant %s", got, want)
	}
}
