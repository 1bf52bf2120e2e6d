package protocol

import "github.com/linkharness/linkharness/wasm/internal/wire"

// The AppendJSON methods append the types' JSON encoding, byte for byte what
// encoding/json.Marshal writes for them, without reflection: link.wasm
// links no encoding/json. Tests compare them with encoding/json.

// AppendJSON appends the Result.
func (r Result) AppendJSON(b []byte) []byte {
	b = append(b, `{"effects":`...)
	if r.Effects == nil {
		return append(b, "null}"...)
	}
	b = append(b, '[')
	for i := range r.Effects {
		if i > 0 {
			b = append(b, ',')
		}
		b = r.Effects[i].appendJSON(b)
	}
	return append(b, "]}"...)
}

// AppendJSON appends the Effect.
func (e Effect) AppendJSON(b []byte) []byte { return e.appendJSON(b) }

// appendJSON is AppendJSON without the copy of the Effect.
func (e *Effect) appendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Str("kind", e.Kind)
	if e.Callback != nil {
		o.Key("callback")
		o.B = e.Callback.AppendJSON(o.B)
	}
	if e.View != nil {
		o.Key("view")
		o.B = e.View.AppendJSON(o.B)
	}
	if e.Request != nil {
		o.Key("request")
		o.B = e.Request.AppendJSON(o.B)
	}
	if e.Timer != nil {
		o.Key("timer")
		t := wire.BeginObject(o.B)
		t.Int("id", int64(e.Timer.ID))
		t.Int("delay_ms", int64(e.Timer.DelayMS))
		o.B = t.End()
	}
	if e.Console != nil {
		o.Key("console")
		c := wire.BeginObject(o.B)
		c.Str("level", e.Console.Level)
		c.Str("message", e.Console.Message)
		o.B = c.End()
	}
	if e.Window != nil {
		o.Key("window")
		w := wire.BeginObject(o.B)
		w.Int("id", int64(e.Window.ID))
		w.Str("url", e.Window.URL)
		o.B = w.End()
	}
	if e.Navigate != nil {
		o.Key("navigate")
		n := wire.BeginObject(o.B)
		n.Str("url", e.Navigate.URL)
		o.B = n.End()
	}
	return o.End()
}

// AppendJSON appends the Callback, its arguments as they are.
func (c *Callback) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Str("name", c.Name)
	o.Key("args")
	if c.Args == nil {
		o.B = append(o.B, "null"...)
	} else {
		o.B = append(o.B, '[')
		for i, a := range c.Args {
			if i > 0 {
				o.B = append(o.B, ',')
			}
			if len(a) == 0 {
				a = RawMessage("null")
			}
			o.B = append(o.B, a...)
		}
		o.B = append(o.B, ']')
	}
	return o.End()
}

// AppendJSON appends the Request, its body as it is.
func (r *Request) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Int("id", int64(r.ID))
	o.Str("path", r.Path)
	o.Raw("body", r.Body)
	return o.End()
}

// AppendJSON appends the View.
func (v *View) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Str("pane", v.Pane)
	o.Str("title", v.Title)
	o.Str("heading", v.Heading)
	o.StringsOmit("text", v.Text)
	o.StrOmit("error", v.Error)
	o.BoolOmit("busy", v.Busy)
	if len(v.Fields) > 0 {
		o.Key("fields")
		o.B = append(o.B, '[')
		for i := range v.Fields {
			if i > 0 {
				o.B = append(o.B, ',')
			}
			o.B = v.Fields[i].appendJSON(o.B)
		}
		o.B = append(o.B, ']')
	}
	if v.List != nil {
		o.Key("list")
		l := wire.BeginObject(o.B)
		l.Str("label", v.List.Label)
		l.BoolOmit("multiple", v.List.Multiple)
		l.Key("items")
		if items := v.List.Items; items == nil {
			l.B = append(l.B, "null"...)
		} else {
			l.B = append(l.B, '[')
			for i := range items {
				if i > 0 {
					l.B = append(l.B, ',')
				}
				l.B = items[i].appendJSON(l.B)
			}
			l.B = append(l.B, ']')
		}
		l.StrOmit("empty", v.List.Empty)
		o.B = l.End()
	}
	if len(v.Buttons) > 0 {
		o.Key("buttons")
		o.B = append(o.B, '[')
		for i := range v.Buttons {
			if i > 0 {
				o.B = append(o.B, ',')
			}
			o.B = v.Buttons[i].appendJSON(o.B)
		}
		o.B = append(o.B, ']')
	}
	if v.Close != nil {
		o.Key("close")
		o.B = v.Close.appendJSON(o.B)
	}
	return o.End()
}

// AppendJSON appends the Field.
func (f Field) AppendJSON(b []byte) []byte { return f.appendJSON(b) }

func (f *Field) appendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Str("id", f.ID)
	o.Str("label", f.Label)
	o.Str("kind", f.Kind)
	o.Str("value", f.Value)
	o.StringsOmit("options", f.Options)
	return o.End()
}

// AppendJSON appends the Item.
func (it Item) AppendJSON(b []byte) []byte { return it.appendJSON(b) }

func (it *Item) appendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Str("id", it.ID)
	o.Str("label", it.Label)
	o.StrOmit("detail", it.Detail)
	o.BoolOmit("selected", it.Selected)
	return o.End()
}

// AppendJSON appends the Button.
func (bt Button) AppendJSON(b []byte) []byte { return bt.appendJSON(b) }

func (bt *Button) appendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Str("id", bt.ID)
	o.Str("label", bt.Label)
	o.BoolOmit("primary", bt.Primary)
	o.BoolOmit("disabled", bt.Disabled)
	return o.End()
}

// AppendJSON appends the request body.
func (r OAuthStartRequest) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	appendCaller(&o, r.PublicKey, r.LinkToken, r.LinkSessionID)
	o.Str("institution_id", r.InstitutionID)
	o.StrOmit("client_name", r.ClientName)
	appendEvents(&o, r.Events)
	return o.End()
}

// AppendJSON appends the request body.
func (r OAuthStatusRequest) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	appendCaller(&o, r.PublicKey, r.LinkToken, r.LinkSessionID)
	o.Str("oauth_state_id", r.OAuthStateID)
	appendEvents(&o, r.Events)
	return o.End()
}

// AppendJSON appends the request body.
func (r SessionOpenRequest) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.StrOmit("public_key", r.PublicKey)
	o.StrOmit("link_token", r.LinkToken)
	o.StrOmit("env", r.Env)
	o.StrOmit("client_name", r.ClientName)
	o.StringsOmit("products", r.Products)
	o.StringsOmit("country_codes", r.CountryCodes)
	o.StrOmit("language", r.Language)
	o.StrOmit("webhook", r.Webhook)
	o.Str("link_session_id", r.LinkSessionID)
	o.StrOmit("link_customization_name", r.LinkCustomizationName)
	o.StrOmit("public_token", r.PublicToken)
	o.StrOmit("payment_token", r.PaymentToken)
	o.StrOmit("oauth_nonce", r.OAuthNonce)
	o.StrOmit("oauth_redirect_uri", r.OAuthRedirectURI)
	o.StrOmit("oauth_state_id", r.OAuthStateID)
	o.StrOmit("received_redirect_uri", r.ReceivedRedirectURI)
	return o.End()
}

// AppendJSON appends the request body.
func (r PaymentExecuteRequest) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	appendCaller(&o, r.PublicKey, r.LinkToken, r.LinkSessionID)
	o.Str("institution_id", r.InstitutionID)
	o.Str("oauth_state_id", r.OAuthStateID)
	appendEvents(&o, r.Events)
	return o.End()
}

// AppendJSON appends the request body.
func (r SessionRecordRequest) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	appendCaller(&o, r.PublicKey, r.LinkToken, r.LinkSessionID)
	appendEvents(&o, r.Events)
	if r.Exit != nil {
		o.Key("exit")
		x := wire.BeginObject(o.B)
		x.Value("error", r.Exit.Error)
		x.Raw("metadata", r.Exit.Metadata)
		o.B = x.End()
	}
	if r.Success != nil {
		o.Key("success")
		x := wire.BeginObject(o.B)
		x.Str("public_token", r.Success.PublicToken)
		x.Raw("metadata", r.Success.Metadata)
		o.B = x.End()
	}
	return o.End()
}

// appendCaller appends what opens every request body but open's: the
// client (a public key or a link token, the other empty) and the session.
func appendCaller(o *wire.Object, publicKey, linkToken, linkSessionID string) {
	o.StrOmit("public_key", publicKey)
	o.StrOmit("link_token", linkToken)
	o.Str("link_session_id", linkSessionID)
}

// appendEvents appends the events a request carries, if any.
func appendEvents(o *wire.Object, events []RecordedEvent) {
	if len(events) > 0 {
		o.Key("events")
		o.B = wire.AppendList(o.B, events)
	}
}

// AppendJSON appends the event.
func (e RecordedEvent) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Str("event_name", e.EventName)
	o.Raw("event_metadata", e.EventMetadata)
	o.Str("timestamp", e.Timestamp)
	return o.End()
}

// AppendJSON appends the request body.
func (r ItemCreateRequest) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	appendCaller(&o, r.PublicKey, r.LinkToken, r.LinkSessionID)
	o.Str("institution_id", r.InstitutionID)
	o.StringsOmit("products", r.Products)
	o.StrOmit("webhook", r.Webhook)
	o.StrOmit("username", r.Username)
	o.StrOmit("password", r.Password)
	if len(r.MFA) > 0 {
		o.Key("mfa")
		o.B = append(o.B, '[')
		for i, round := range r.MFA {
			if i > 0 {
				o.B = append(o.B, ',')
			}
			o.B = wire.AppendStrings(o.B, round)
		}
		o.B = append(o.B, ']')
	}
	o.StrOmit("oauth_state_id", r.OAuthStateID)
	appendEvents(&o, r.Events)
	return o.End()
}

// AppendJSON appends the Account.
func (a Account) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	o.Str("id", a.ID)
	o.Str("name", a.Name)
	o.StrPtr("mask", a.Mask)
	o.Str("type", a.Type)
	o.Str("subtype", a.Subtype)
	o.StrPtr("verification_status", a.VerificationStatus)
	o.StrPtr("class_type", a.ClassType)
	return o.End()
}

// AppendJSON appends the request body.
func (r ItemConnectRequest) AppendJSON(b []byte) []byte {
	o := wire.BeginObject(b)
	appendCaller(&o, r.PublicKey, r.LinkToken, r.LinkSessionID)
	o.Str("item_id", r.ItemID)
	o.Strings("account_ids", r.AccountIDs)
	appendEvents(&o, r.Events)
	return o.End()
}

// AppendJSON appends the error, null for nil.
func (e *PlaidError) AppendJSON(b []byte) []byte {
	if e == nil {
		return append(b, "null"...)
	}
	o := wire.BeginObject(b)
	o.Str("error_type", e.ErrorType)
	o.Str("error_code", e.ErrorCode)
	o.Str("error_message", e.ErrorMessage)
	o.StrPtr("display_message", e.DisplayMessage)
	o.StrOmit("request_id", e.RequestID)
	return o.End()
}
