package protocol

import "github.com/linkharness/linkharness/wasm/internal/wire"

// The DecodeJSON methods fill the types from JSON as encoding/json.Unmarshal
// fills a zero value of them, without reflection: link.wasm links no
// encoding/json. Tests compare them with encoding/json.

// decodeJSON parses data and decodes it with fill, which reports the first
// problem to e.
func decodeJSON(data []byte, fill func(v wire.Value, e *wire.Errors)) error {
	return decodeShallow(data, 100, fill)
}

// decodeShallow is decodeJSON for fill that looks only keep levels deep.
func decodeShallow(data []byte, keep int, fill func(v wire.Value, e *wire.Errors)) error {
	v, err := wire.ParseShallow(data, keep)
	if err != nil {
		return err
	}
	var e wire.Errors
	fill(v, &e)
	return e.Err
}

// DecodeJSON fills m from JSON.
func (m *Message) DecodeJSON(data []byte) error {
	// The message and its response are read; the configuration and the
	// response's body are only kept as text.
	return decodeShallow(data, 2, func(v wire.Value, e *wire.Errors) {
		if !e.Object(v) {
			return
		}
		e.Str(v, "type", &m.Type)
		e.Int(v, "session", &m.Session)
		e.Int64(v, "now", &m.Now)
		if ent := v.Get("entropy"); ent.Kind != wire.Absent {
			b, err := ent.Bytes()
			e.Keep(err)
			if err == nil {
				m.Entropy = b
			}
		}
		e.Raw(v, "config", (*[]byte)(&m.Config))
		e.Str(v, "query", &m.Query)
		e.Bool(v, "force", &m.Force)
		e.Str(v, "target", &m.Target)
		e.Str(v, "value", &m.Value)
		if r := v.Get("response"); r.Kind == wire.Null {
			m.Response = nil
		} else if e.Object(r) {
			if m.Response == nil {
				m.Response = new(Response)
			}
			e.Int(r, "id", &m.Response.ID)
			e.Int(r, "status", &m.Response.Status)
			e.Raw(r, "body", (*[]byte)(&m.Response.Body))
		}
		e.Int(v, "timer", &m.Timer)
		e.Int(v, "window", &m.Window)
	})
}

// DecodeJSON fills r from JSON.
func (r *SessionOpenResponse) DecodeJSON(data []byte) error {
	return decodeJSON(data, func(v wire.Value, e *wire.Errors) {
		if !e.Object(v) {
			return
		}
		e.Str(v, "request_id", &r.RequestID)
		if c := v.Get("config"); c.Kind == wire.Null {
			r.Config = nil
		} else if e.Object(c) {
			if r.Config == nil {
				r.Config = new(SessionConfig)
			}
			r.Config.decode(c, e)
		}
		if s := v.Get("settings"); s.Kind == wire.Null {
			r.Settings = nil
		} else if e.Object(s) {
			if r.Settings == nil {
				r.Settings = new(LinkSettings)
			}
			r.Settings.decode(s, e)
		}
	})
}

func (c *SessionConfig) decode(v wire.Value, e *wire.Errors) {
	e.Str(v, "client_name", &c.ClientName)
	e.Strings(v, "products", &c.Products)
	e.Strings(v, "country_codes", &c.CountryCodes)
	e.Str(v, "language", &c.Language)
	e.Str(v, "webhook", &c.Webhook)
	if f := v.Get("account_filters"); f.Kind == wire.Null {
		c.AccountFilters = nil
	} else if e.Object(f) {
		if c.AccountFilters == nil {
			c.AccountFilters = map[string]map[string][]string{}
		}
		f.Members(func(typ string, sub wire.Value) {
			if sub.Kind == wire.Null {
				c.AccountFilters[typ] = nil
				return
			}
			inner := c.AccountFilters[typ]
			if !e.Object(sub) {
				return
			}
			if inner == nil {
				inner = map[string][]string{}
			}
			sub.Members(func(k string, list wire.Value) {
				l, err := list.Strings()
				e.Keep(err)
				inner[k] = l
			})
			c.AccountFilters[typ] = inner
		})
	}
	e.Str(v, "redirect_uri", &c.RedirectURI)
	e.Bool(v, "multi_item", &c.MultiItem)
	e.Bool(v, "update_mode", &c.UpdateMode)
	e.Str(v, "institution_id", &c.InstitutionID)
	if p := v.Get("payment"); p.Kind == wire.Null {
		c.Payment = nil
	} else if e.Object(p) {
		if c.Payment == nil {
			c.Payment = new(Payment)
		}
		e.Str(p, "payment_id", &c.Payment.PaymentID)
		if a := p.Get("amount"); e.Object(a) {
			e.Str(a, "currency", &c.Payment.Amount.Currency)
			e.Float(a, "value", &c.Payment.Amount.Value)
		}
		e.Str(p, "reference", &c.Payment.Reference)
		e.Str(p, "recipient_name", &c.Payment.RecipientName)
		e.Str(p, "institution_id", &c.Payment.InstitutionID)
	}
	if r := v.Get("resume"); r.Kind == wire.Null {
		c.Resume = nil
	} else if e.Object(r) {
		if c.Resume == nil {
			c.Resume = new(OAuthResume)
		}
		e.Str(r, "link_session_id", &c.Resume.LinkSessionID)
		e.Str(r, "institution_id", &c.Resume.InstitutionID)
		e.Str(r, "oauth_state_id", &c.Resume.OAuthStateID)
		e.Str(r, "status", &c.Resume.Status)
	}
}

func (s *LinkSettings) decode(v wire.Value, e *wire.Errors) {
	e.Str(v, "account_select", &s.AccountSelect)
	e.Strings(v, "preselect", &s.Preselect)
	decodeStringMap(v.Get("headings"), e, &s.Headings)
	decodeStringMap(v.Get("institution_health"), e, &s.InstitutionHealth)
	e.Int64(v, "chaos_seed", &s.ChaosSeed)
}

// decodeStringMap fills an object of strings into m.
func decodeStringMap(v wire.Value, e *wire.Errors, m *map[string]string) {
	if v.Kind == wire.Null {
		*m = nil
		return
	}
	if !e.Object(v) {
		return
	}
	if *m == nil {
		*m = map[string]string{}
	}
	v.Members(func(k string, s wire.Value) {
		str, err := s.String()
		e.Keep(err)
		if err == nil && s.Kind != wire.Null {
			(*m)[k] = str
		} else if s.Kind == wire.Null {
			(*m)[k] = ""
		}
	})
}

// DecodeJSON fills r from JSON.
func (r *ItemCreateResponse) DecodeJSON(data []byte) error {
	return decodeJSON(data, func(v wire.Value, e *wire.Errors) {
		if !e.Object(v) {
			return
		}
		e.Str(v, "request_id", &r.RequestID)
		if m := v.Get("mfa"); m.Kind == wire.Null {
			r.MFA = nil
		} else if e.Object(m) {
			if r.MFA == nil {
				r.MFA = new(MFAChallenge)
			}
			e.Str(m, "type", &r.MFA.Type)
			e.Int(m, "round", &r.MFA.Round)
			e.Strings(m, "devices", &r.MFA.Devices)
			if q := m.Get("questions"); q.Kind == wire.Null {
				r.MFA.Questions = nil
			} else if q.Kind == wire.Array {
				r.MFA.Questions = make([]MFAQuestion, len(q.Elems()))
				for i, qv := range q.Elems() {
					if e.Object(qv) {
						e.Strings(qv, "options", &r.MFA.Questions[i].Options)
					}
				}
			} else if q.Kind != wire.Absent {
				e.Keep(wire.ErrType)
			}
		}
		e.Str(v, "item_id", &r.ItemID)
		if a := v.Get("accounts"); a.Kind == wire.Null {
			r.Accounts = nil
		} else if a.Kind == wire.Array {
			r.Accounts = make([]Account, len(a.Elems()))
			for i, av := range a.Elems() {
				if e.Object(av) {
					r.Accounts[i].decode(av, e)
				}
			}
		} else if a.Kind != wire.Absent {
			e.Keep(wire.ErrType)
		}
	})
}

func (a *Account) decode(v wire.Value, e *wire.Errors) {
	e.Str(v, "id", &a.ID)
	e.Str(v, "name", &a.Name)
	e.StrPtr(v, "mask", &a.Mask)
	e.Str(v, "type", &a.Type)
	e.Str(v, "subtype", &a.Subtype)
	e.StrPtr(v, "verification_status", &a.VerificationStatus)
	e.StrPtr(v, "class_type", &a.ClassType)
}

// DecodeJSON fills r from JSON.
func (r *ItemConnectResponse) DecodeJSON(data []byte) error {
	return decodeJSON(data, func(v wire.Value, e *wire.Errors) {
		if e.Object(v) {
			e.Str(v, "request_id", &r.RequestID)
			e.Str(v, "public_token", &r.PublicToken)
		}
	})
}

// DecodeJSON fills r from JSON.
func (r *OAuthStartResponse) DecodeJSON(data []byte) error {
	return decodeJSON(data, func(v wire.Value, e *wire.Errors) {
		if e.Object(v) {
			e.Str(v, "request_id", &r.RequestID)
			e.Str(v, "oauth_state_id", &r.OAuthStateID)
			e.Str(v, "authorize_url", &r.AuthorizeURL)
		}
	})
}

// DecodeJSON fills r from JSON.
func (r *OAuthStatusResponse) DecodeJSON(data []byte) error {
	return decodeJSON(data, func(v wire.Value, e *wire.Errors) {
		if e.Object(v) {
			e.Str(v, "request_id", &r.RequestID)
			e.Str(v, "status", &r.Status)
		}
	})
}

// DecodeJSON fills r from JSON.
func (r *PaymentExecuteResponse) DecodeJSON(data []byte) error {
	return decodeJSON(data, func(v wire.Value, e *wire.Errors) {
		if e.Object(v) {
			e.Str(v, "request_id", &r.RequestID)
			e.Str(v, "public_token", &r.PublicToken)
			e.Str(v, "status", &r.Status)
		}
	})
}

// DecodeJSON fills r from JSON.
func (r *SessionRecordResponse) DecodeJSON(data []byte) error {
	return decodeJSON(data, func(v wire.Value, e *wire.Errors) {
		if e.Object(v) {
			e.Str(v, "request_id", &r.RequestID)
		}
	})
}

// DecodeJSON fills pe from JSON.
func (pe *PlaidError) DecodeJSON(data []byte) error {
	return decodeJSON(data, func(v wire.Value, e *wire.Errors) {
		if e.Object(v) {
			e.Str(v, "error_type", &pe.ErrorType)
			e.Str(v, "error_code", &pe.ErrorCode)
			e.Str(v, "error_message", &pe.ErrorMessage)
			e.StrPtr(v, "display_message", &pe.DisplayMessage)
			e.Str(v, "request_id", &pe.RequestID)
		}
	})
}
