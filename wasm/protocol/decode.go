package protocol

import "github.com/linkharness/linkharness/wasm/internal/wire"

// The DecodeJSON methods fill the types from JSON as encoding/json.Unmarshal
// fills a zero value of them, without reflection: link.wasm links no
// encoding/json. Each reads its input once, member by member straight into
// the fields (wire.Reader), with no parsed tree in between. Tests compare
// them with encoding/json.

// Each DecodeJSON reads with a wire.Reader of its own, on its stack, and
// returns the first syntax error, else the first type error.

// messageTypes are the Type constants, which Message.DecodeJSON reads
// without a copy.
var messageTypes = []string{TypeCreate, TypeOpen, TypeExit, TypeDestroy, TypePress, TypeChange, TypeResponse, TypeTimer, TypeWindowClosed}

// The fields of each object decoded, for wire.Match.
var (
	messageFields     = []string{"type", "session", "now", "entropy", "config", "query", "force", "target", "value", "response", "timer", "window"}
	responseFields    = []string{"id", "status", "body"}
	openFields        = []string{"request_id", "config", "settings"}
	sessionFields     = []string{"client_name", "products", "country_codes", "language", "webhook", "account_filters", "redirect_uri", "multi_item", "update_mode", "institution_id", "payment", "resume"}
	paymentFields     = []string{"payment_id", "amount", "reference", "recipient_name", "institution_id"}
	amountFields      = []string{"currency", "value"}
	resumeFields      = []string{"link_session_id", "institution_id", "oauth_state_id", "status"}
	settingsFields    = []string{"account_select", "preselect", "headings", "institution_health", "chaos_seed"}
	itemCreateFields  = []string{"request_id", "mfa", "item_id", "accounts"}
	mfaFields         = []string{"type", "round", "devices", "questions"}
	questionFields    = []string{"options"}
	accountFields     = []string{"id", "name", "mask", "type", "subtype", "verification_status", "class_type"}
	connectFields     = []string{"request_id", "public_token"}
	oauthStartFields  = []string{"request_id", "oauth_state_id", "authorize_url"}
	oauthStatusFields = []string{"request_id", "status"}
	paymentExecFields = []string{"request_id", "public_token", "status"}
	recordFields      = []string{"request_id"}
	plaidErrorFields  = []string{"error_type", "error_code", "error_message", "display_message", "request_id"}
)

// DecodeJSON fills m from JSON. The configuration and the response's body
// are checked and kept as text.
func (m *Message) DecodeJSON(data []byte) error {
	var rd wire.Reader
	rd.Reset(data)
	r := &rd
	r.Object(func(k []byte) {
		switch wire.Match(k, messageFields) {
		case "type":
			r.Known(&m.Type, messageTypes)
		case "session":
			r.Int(&m.Session)
		case "now":
			r.Int64(&m.Now)
		case "entropy":
			r.Bytes(&m.Entropy)
		case "config":
			r.Raw((*[]byte)(&m.Config))
		case "query":
			r.Str(&m.Query)
		case "force":
			r.Bool(&m.Force)
		case "target":
			r.Str(&m.Target)
		case "value":
			r.Str(&m.Value)
		case "response":
			object(r, &m.Response, (*Response).decode)
		case "timer":
			r.Int(&m.Timer)
		case "window":
			r.Int(&m.Window)
		default:
			r.Skip()
		}
	})
	return r.End()
}

// object reads an object member by member into *dst, a new T if it is
// nil (as encoding/json fills a pointer: a repeated member fills the same
// one), or sets it to nil for null.
func object[T any](r *wire.Reader, dst **T, member func(t *T, r *wire.Reader, k []byte)) {
	if r.Null() {
		*dst = nil
		return
	}
	t := *dst
	if t == nil {
		t = new(T)
	}
	if r.Object(func(k []byte) { member(t, r, k) }) {
		*dst = t
	}
}

func (resp *Response) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, responseFields) {
	case "id":
		r.Int(&resp.ID)
	case "status":
		r.Int(&resp.Status)
	case "body":
		r.Raw((*[]byte)(&resp.Body))
	default:
		r.Skip()
	}
}

// DecodeJSON fills r from JSON.
func (o *SessionOpenResponse) DecodeJSON(data []byte) error {
	var rd wire.Reader
	rd.Reset(data)
	r := &rd
	r.Object(func(k []byte) {
		switch wire.Match(k, openFields) {
		case "request_id":
			r.Str(&o.RequestID)
		case "config":
			object(r, &o.Config, (*SessionConfig).decode)
		case "settings":
			object(r, &o.Settings, (*LinkSettings).decode)
		default:
			r.Skip()
		}
	})
	return r.End()
}

func (c *SessionConfig) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, sessionFields) {
	case "client_name":
		r.Str(&c.ClientName)
	case "products":
		r.Strings(&c.Products)
	case "country_codes":
		r.Strings(&c.CountryCodes)
	case "language":
		r.Str(&c.Language)
	case "webhook":
		r.Str(&c.Webhook)
	case "account_filters":
		c.decodeFilters(r)
	case "redirect_uri":
		r.Str(&c.RedirectURI)
	case "multi_item":
		r.Bool(&c.MultiItem)
	case "update_mode":
		r.Bool(&c.UpdateMode)
	case "institution_id":
		r.Str(&c.InstitutionID)
	case "payment":
		object(r, &c.Payment, (*Payment).decode)
	case "resume":
		object(r, &c.Resume, func(res *OAuthResume, r *wire.Reader, k []byte) {
			switch wire.Match(k, resumeFields) {
			case "link_session_id":
				r.Str(&res.LinkSessionID)
			case "institution_id":
				r.Str(&res.InstitutionID)
			case "oauth_state_id":
				r.Str(&res.OAuthStateID)
			case "status":
				r.Str(&res.Status)
			default:
				r.Skip()
			}
		})
	default:
		r.Skip()
	}
}

// decodeFilters reads account_filters: an object of objects of lists.
func (c *SessionConfig) decodeFilters(r *wire.Reader) {
	if r.Null() {
		c.AccountFilters = nil
		return
	}
	filters := c.AccountFilters
	if filters == nil {
		filters = map[string]map[string][]string{}
	}
	if !r.Object(func(typ []byte) {
		t := string(typ)
		if r.Null() {
			filters[t] = nil
			return
		}
		inner := filters[t]
		if inner == nil {
			inner = map[string][]string{}
		}
		if r.Object(func(k []byte) {
			var l []string
			r.Strings(&l)
			inner[string(k)] = l
		}) {
			filters[t] = inner
		}
	}) {
		return
	}
	c.AccountFilters = filters
}

func (p *Payment) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, paymentFields) {
	case "payment_id":
		r.Str(&p.PaymentID)
	case "amount":
		r.Object(func(k []byte) {
			switch wire.Match(k, amountFields) {
			case "currency":
				r.Str(&p.Amount.Currency)
			case "value":
				r.Float(&p.Amount.Value)
			default:
				r.Skip()
			}
		})
	case "reference":
		r.Str(&p.Reference)
	case "recipient_name":
		r.Str(&p.RecipientName)
	case "institution_id":
		r.Str(&p.InstitutionID)
	default:
		r.Skip()
	}
}

func (s *LinkSettings) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, settingsFields) {
	case "account_select":
		r.Str(&s.AccountSelect)
	case "preselect":
		r.Strings(&s.Preselect)
	case "headings":
		decodeStringMap(r, &s.Headings)
	case "institution_health":
		decodeStringMap(r, &s.InstitutionHealth)
	case "chaos_seed":
		r.Int64(&s.ChaosSeed)
	default:
		r.Skip()
	}
}

// decodeStringMap reads an object of strings into m (a null member is "").
func decodeStringMap(r *wire.Reader, m *map[string]string) {
	if r.Null() {
		*m = nil
		return
	}
	mm := *m
	if mm == nil {
		mm = map[string]string{}
	}
	if r.Object(func(k []byte) {
		if r.Null() {
			mm[string(k)] = ""
			return
		}
		if s, ok := r.Text(); ok {
			mm[string(k)] = s
		}
	}) {
		*m = mm
	}
}

// DecodeJSON fills ic from JSON.
func (ic *ItemCreateResponse) DecodeJSON(data []byte) error {
	var rd wire.Reader
	rd.Reset(data)
	r := &rd
	r.Object(func(k []byte) {
		switch wire.Match(k, itemCreateFields) {
		case "request_id":
			r.Str(&ic.RequestID)
		case "mfa":
			object(r, &ic.MFA, (*MFAChallenge).decode)
		case "item_id":
			r.Str(&ic.ItemID)
		case "accounts":
			if r.Null() {
				ic.Accounts = nil
				return
			}
			accounts := make([]Account, 0, 8)
			if r.Array(func() {
				accounts = append(accounts, Account{})
				a := &accounts[len(accounts)-1]
				r.Object(func(k []byte) { a.decode(r, k) })
			}) {
				ic.Accounts = accounts
			}
		default:
			r.Skip()
		}
	})
	return r.End()
}

func (m *MFAChallenge) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, mfaFields) {
	case "type":
		r.Str(&m.Type)
	case "round":
		r.Int(&m.Round)
	case "devices":
		r.Strings(&m.Devices)
	case "questions":
		if r.Null() {
			m.Questions = nil
			return
		}
		questions := []MFAQuestion{}
		if r.Array(func() {
			var q MFAQuestion
			r.Object(func(k []byte) {
				if wire.Match(k, questionFields) == "options" {
					r.Strings(&q.Options)
				} else {
					r.Skip()
				}
			})
			questions = append(questions, q)
		}) {
			m.Questions = questions
		}
	default:
		r.Skip()
	}
}

func (a *Account) decode(r *wire.Reader, k []byte) {
	switch wire.Match(k, accountFields) {
	case "id":
		r.Str(&a.ID)
	case "name":
		r.Str(&a.Name)
	case "mask":
		r.StrPtr(&a.Mask)
	case "type":
		r.Str(&a.Type)
	case "subtype":
		r.Str(&a.Subtype)
	case "verification_status":
		r.StrPtr(&a.VerificationStatus)
	case "class_type":
		r.StrPtr(&a.ClassType)
	default:
		r.Skip()
	}
}

// DecodeJSON fills c from JSON.
func (c *ItemConnectResponse) DecodeJSON(data []byte) error {
	var rd wire.Reader
	rd.Reset(data)
	r := &rd
	r.Object(func(k []byte) {
		switch wire.Match(k, connectFields) {
		case "request_id":
			r.Str(&c.RequestID)
		case "public_token":
			r.Str(&c.PublicToken)
		default:
			r.Skip()
		}
	})
	return r.End()
}

// DecodeJSON fills o from JSON.
func (o *OAuthStartResponse) DecodeJSON(data []byte) error {
	var rd wire.Reader
	rd.Reset(data)
	r := &rd
	r.Object(func(k []byte) {
		switch wire.Match(k, oauthStartFields) {
		case "request_id":
			r.Str(&o.RequestID)
		case "oauth_state_id":
			r.Str(&o.OAuthStateID)
		case "authorize_url":
			r.Str(&o.AuthorizeURL)
		default:
			r.Skip()
		}
	})
	return r.End()
}

// DecodeJSON fills o from JSON.
func (o *OAuthStatusResponse) DecodeJSON(data []byte) error {
	var rd wire.Reader
	rd.Reset(data)
	r := &rd
	r.Object(func(k []byte) {
		switch wire.Match(k, oauthStatusFields) {
		case "request_id":
			r.Str(&o.RequestID)
		case "status":
			r.Str(&o.Status)
		default:
			r.Skip()
		}
	})
	return r.End()
}

// DecodeJSON fills p from JSON.
func (p *PaymentExecuteResponse) DecodeJSON(data []byte) error {
	var rd wire.Reader
	rd.Reset(data)
	r := &rd
	r.Object(func(k []byte) {
		switch wire.Match(k, paymentExecFields) {
		case "request_id":
			r.Str(&p.RequestID)
		case "public_token":
			r.Str(&p.PublicToken)
		case "status":
			r.Str(&p.Status)
		default:
			r.Skip()
		}
	})
	return r.End()
}

// DecodeJSON fills s from JSON.
func (s *SessionRecordResponse) DecodeJSON(data []byte) error {
	var rd wire.Reader
	rd.Reset(data)
	r := &rd
	r.Object(func(k []byte) {
		if wire.Match(k, recordFields) == "request_id" {
			r.Str(&s.RequestID)
		} else {
			r.Skip()
		}
	})
	return r.End()
}

// DecodeJSON fills pe from JSON.
func (pe *PlaidError) DecodeJSON(data []byte) error {
	var rd wire.Reader
	rd.Reset(data)
	r := &rd
	r.Object(func(k []byte) {
		switch wire.Match(k, plaidErrorFields) {
		case "error_type":
			r.Str(&pe.ErrorType)
		case "error_code":
			r.Str(&pe.ErrorCode)
		case "error_message":
			r.Str(&pe.ErrorMessage)
		case "display_message":
			r.StrPtr(&pe.DisplayMessage)
		case "request_id":
			r.Str(&pe.RequestID)
		default:
			r.Skip()
		}
	})
	return r.End()
}
