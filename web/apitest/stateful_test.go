package apitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httputil"
	neturl "net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/linkharness/linkharness/harness"
	"github.com/linkharness/linkharness/internal/spec"
	"github.com/linkharness/linkharness/wasm/protocol"
	"github.com/linkharness/linkharness/web"
)

// statefulOperations are the operations of Plaid's spec the emulator keeps
// state for: the routes of web.Routes in group "plaid" that are operations
// of the spec, by method and path ("POST /item/get").
func statefulOperations(s *spec.Spec) map[string]spec.Operation {
	ops := map[string]spec.Operation{}
	for _, op := range s.Operations {
		ops[op.Method+" "+op.Path] = op
	}
	out := map[string]spec.Operation{}
	for _, r := range web.Routes() {
		if op, ok := ops[r.Method+" "+r.Path]; ok && r.Group == "plaid" {
			out[r.Method+" "+r.Path] = op
		}
	}
	return out
}

// walk drives the stateful operations and validates every answer with
// kin-openapi: a 200 against the operation's response schema, an error
// against PlaidError. The requests it sends as valid are validated
// against their request schemas too, so that the walk's own requests
// stay ones Plaid's spec allows.
type walk struct {
	t   *testing.T
	e   *emulator
	doc *openapi3.T
	ops map[string]spec.Operation
	// answers and errors count the answers validated, by operation.
	answers, errors map[string]int
}

// newWalk is a walk of the emulator e's stateful operations.
func newWalk(t *testing.T, e *emulator) *walk {
	s := spec.Load()
	return &walk{t: t, e: e, doc: openAPI(t, s), ops: statefulOperations(s), answers: map[string]int{}, errors: map[string]int{}}
}

// op is the stateful operation POST path; a path that is none is the
// test's mistake.
func (w *walk) op(path string) spec.Operation {
	w.t.Helper()
	op, ok := w.ops[http.MethodPost+" "+path]
	if !ok {
		w.t.Fatalf("POST %s is not a stateful operation of the spec", path)
	}
	return op
}

// post POSTs body as JSON with the client's credentials in the headers
// and returns the status, the Content-Type and the answer.
func (w *walk) post(path string, body any) (int, string, []byte) {
	w.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		w.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, w.e.url+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("PLAID-CLIENT-ID", client.ClientID)
	req.Header.Set("PLAID-SECRET", client.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), raw
}

// ok POSTs a valid request to path, wants a 200 and validates the answer
// against the operation's response schema. It returns the answer,
// decoded, for the next steps of the walk.
func (w *walk) ok(path string, body map[string]any) map[string]any {
	w.t.Helper()
	op := w.op(path)
	if op.Request != "" {
		w.validate("the walk's request to "+path, op.Request, body, openapi3.VisitAsRequest())
	}
	status, ct, raw := w.post(path, body)
	if status != http.StatusOK {
		w.t.Fatalf("POST %s: %d %s", path, status, raw)
	}
	if op.ResponseType != "application/json" || op.Response == "" {
		w.t.Fatalf("POST %s: the spec's 200 answer is %q, not JSON: the walk cannot validate it", path, op.ResponseType)
	}
	if !strings.HasPrefix(ct, "application/json") {
		w.t.Errorf("POST %s: Content-Type %q", path, ct)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		w.t.Fatalf("POST %s: not a JSON object: %.300s", path, raw)
	}
	w.validate("POST "+path, op.Response, out, openapi3.VisitAsResponse())
	w.answers[path]++
	return out
}

// pdf POSTs a valid request to path, whose spec answer is a PDF, wants a
// 200 of Content-Type application/pdf that pdfcpu reads and validates.
func (w *walk) pdf(path string, body map[string]any) {
	w.t.Helper()
	op := w.op(path)
	w.validate("the walk's request to "+path, op.Request, body, openapi3.VisitAsRequest())
	status, ct, raw := w.post(path, body)
	if status != http.StatusOK || op.ResponseType != "application/pdf" || ct != "application/pdf" {
		w.t.Fatalf("POST %s: %d %s (the spec's answer is %s): %.300s", path, status, ct, op.ResponseType, raw)
	}
	readPDF(w.t, raw)
	w.answers[path]++
}

// fail POSTs body to path, wants an error with the error_code code and
// validates the body against PlaidError.
func (w *walk) fail(path string, body map[string]any, code string) map[string]any {
	w.t.Helper()
	w.op(path)
	status, ct, raw := w.post(path, body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		w.t.Fatalf("POST %s: %d, not a JSON object: %.300s", path, status, raw)
	}
	if status < 400 || out["error_code"] != code {
		w.t.Errorf("POST %s: %d %s, want an error %s", path, status, raw, code)
	}
	if !strings.HasPrefix(ct, "application/json") {
		w.t.Errorf("POST %s: Content-Type %q", path, ct)
	}
	w.validate("the error of POST "+path, spec.PlaidErrorName, out, openapi3.VisitAsResponse())
	w.errors[path]++
	return out
}

// validate checks v against the spec's schema name, reporting every
// violation on a line of its own.
func (w *walk) validate(what, name string, v any, opts ...openapi3.SchemaValidationOption) {
	w.t.Helper()
	ref := w.doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		w.t.Errorf("%s: the spec has no schema %s", what, name)
		return
	}
	// Validate what the wire carries: numbers as float64, as a decoder
	// reads them.
	raw, _ := json.Marshal(v)
	var doc any
	json.Unmarshal(raw, &doc)
	err := ref.Value.VisitJSON(doc, append([]openapi3.SchemaValidationOption{openapi3.MultiErrors(), formats}, opts...)...)
	if err == nil {
		return
	}
	w.t.Errorf("%s does not validate against %s:\n  %s\n  in %.1500s", what, name, strings.Join(violations(err, nil), "\n  "), raw)
}

// formats check the string formats of Plaid's spec that kin-openapi
// leaves unchecked by itself (it checks date and date-time): a url or uri
// is absolute, an email has an @, a uuid is one.
var formats = openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
	"url":   absoluteURL,
	"uri":   absoluteURL,
	"email": openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail),
	"uuid":  openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562),
})

// absoluteURL checks a url or uri format.
var absoluteURL = openapi3.NewCallbackValidator(func(s string) error {
	if u, err := neturl.Parse(s); err != nil || u.Scheme == "" || u.Host == "" {
		return errors.New("not an absolute URL")
	}
	return nil
})

// violations are a kin-openapi error's violations, one a line, each with
// the JSON pointer of the value at fault: the reasons an allOf, anyOf or
// oneOf failed stand in for its own "doesn't match" message.
func violations(err error, at []string) []string {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var out []string
		for _, e := range me {
			out = append(out, violations(e, at)...)
		}
		return out
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return []string{strings.Split(err.Error(), "\n")[0]}
	}
	path := append(slices.Clone(at), se.JSONPointer()...)
	var inner *openapi3.SchemaError
	if se.Origin != nil && (errors.As(se.Origin, &me) || errors.As(se.Origin, &inner)) {
		return violations(se.Origin, path)
	}
	return []string{"/" + strings.Join(path, "/") + ": " + se.Reason}
}

// item gets the Item and its accounts, then calls the endpoints of each
// of its products, with and without options.
func (w *walk) item(access string, products ...string) {
	w.t.Helper()
	w.ok("/item/get", map[string]any{"access_token": access})
	accounts := w.ok("/accounts/get", map[string]any{"access_token": access})["accounts"].([]any)
	// of names the first account of one of the types.
	of := func(types ...string) map[string]any {
		for _, a := range accounts {
			if a := a.(map[string]any); slices.Contains(types, a["type"].(string)) {
				return map[string]any{"account_ids": []string{a["account_id"].(string)}}
			}
		}
		w.t.Fatalf("the Item has no account of the types %v: %v", types, accounts)
		return nil
	}
	dates := func(body map[string]any) map[string]any {
		body["start_date"], body["end_date"] = "2000-01-01", "2100-01-01"
		return body
	}
	w.ok("/accounts/get", map[string]any{"access_token": access, "options": of("depository", "credit", "loan", "investment")})
	w.ok("/accounts/balance/get", map[string]any{"access_token": access})
	w.ok("/accounts/balance/get", map[string]any{"access_token": access, "options": of("depository", "credit", "loan", "investment")})
	w.ok("/item/activity/list", map[string]any{"access_token": access, "count": 10})
	w.ok("/item/application/list", map[string]any{"access_token": access})
	for _, product := range products {
		switch product {
		case "auth":
			w.ok("/auth/get", map[string]any{"access_token": access})
			w.ok("/auth/get", map[string]any{"access_token": access, "options": of("depository")})
		case "identity":
			w.ok("/identity/get", map[string]any{"access_token": access})
			w.ok("/identity/get", map[string]any{"access_token": access, "options": of("depository", "credit")})
			w.ok("/identity/match", map[string]any{"access_token": access, "user": map[string]any{"legal_name": "Alberta Charleson",
				"phone_number": "+1 111-555-3333", "email_address": "accountholder0@example.com",
				"address": map[string]any{"street": "2992 Cameron Road", "city": "Malakoff", "region": "NY", "postal_code": "14236", "country": "US"}}})
			w.ok("/identity/match", map[string]any{"access_token": access, "user": map[string]any{}})
		case "transactions":
			sync := w.ok("/transactions/sync", map[string]any{"access_token": access, "count": 10,
				"options": map[string]any{"include_original_description": true, "include_personal_finance_category": true}})
			for sync["has_more"] == true {
				sync = w.ok("/transactions/sync", map[string]any{"access_token": access, "cursor": sync["next_cursor"], "count": 10})
			}
			w.ok("/transactions/sync", map[string]any{"access_token": access, "cursor": sync["next_cursor"]})
			// What the Item gains comes after the last cursor.
			today := w.e.today(w.t)
			day := func(back int) string { return today.AddDate(0, 0, -back).Format(time.DateOnly) }
			w.ok("/transactions/refresh", map[string]any{"access_token": access})
			w.ok("/sandbox/transactions/create", map[string]any{"access_token": access, "transactions": []map[string]any{
				{"date_transacted": day(14), "date_posted": day(13), "amount": 19.99, "description": "Platypus Streaming"},
				{"date_transacted": day(7), "date_posted": day(6), "amount": 19.99, "description": "Platypus Streaming", "iso_currency_code": "USD"},
				{"date_transacted": day(0), "date_posted": day(0), "amount": -950, "description": "Platypus Payroll"}}})
			w.ok("/transactions/sync", map[string]any{"access_token": access, "cursor": sync["next_cursor"], "count": 500})
			w.ok("/transactions/recurring/get", map[string]any{"access_token": access})
			w.ok("/transactions/recurring/get", map[string]any{"access_token": access, "account_ids": of("depository", "credit")["account_ids"],
				"options": map[string]any{"include_personal_finance_category": true, "personal_finance_category_version": "v2"}})
			w.ok("/transactions/get", dates(map[string]any{"access_token": access}))
			w.ok("/transactions/get", dates(map[string]any{"access_token": access, "options": map[string]any{"count": 5, "offset": 3,
				"account_ids": of("depository", "credit")["account_ids"], "include_original_description": true,
				"include_personal_finance_category": true}}))
		case "liabilities":
			w.ok("/liabilities/get", map[string]any{"access_token": access})
			w.ok("/liabilities/get", map[string]any{"access_token": access, "options": of("credit", "loan")})
		case "investments":
			w.ok("/investments/holdings/get", map[string]any{"access_token": access})
			w.ok("/investments/holdings/get", map[string]any{"access_token": access, "options": of("investment")})
			w.ok("/investments/transactions/get", dates(map[string]any{"access_token": access}))
			w.ok("/investments/transactions/get", dates(map[string]any{"access_token": access, "options": map[string]any{"count": 2, "offset": 1,
				"account_ids": of("investment")["account_ids"]}}))
			w.ok("/investments/refresh", map[string]any{"access_token": access})
			w.ok("/investments/holdings/get", map[string]any{"access_token": access})
			w.ok("/investments/transactions/get", dates(map[string]any{"access_token": access}))
		case "investments_auth":
			w.ok("/investments/auth/get", map[string]any{"access_token": access})
			w.ok("/investments/auth/get", map[string]any{"access_token": access, "options": of("investment")})
		default:
			w.t.Fatalf("the walk has no calls for %s", product)
		}
	}
}

// uncovered fails the test for each stateful operation the walk validated
// no 200 answer of.
func (w *walk) uncovered() {
	w.t.Helper()
	var missing []string
	for key, op := range w.ops {
		if w.answers[op.Path] == 0 {
			missing = append(missing, key)
		}
	}
	slices.Sort(missing)
	for _, key := range missing {
		w.t.Errorf("%s is a stateful operation (a route of group plaid that the spec has) that TestStatefulPaths never drove to a 200: add it to the walk", key)
	}
	n, errs := 0, 0
	for _, c := range w.answers {
		n += c
	}
	for _, c := range w.errors {
		errs += c
	}
	w.t.Logf("%d stateful operations: %d answers and %d errors validated", len(w.ops), n, errs)
}

// newLink runs the Link engine, link.wasm in wazero, against the
// emulator over HTTP, as a page does: its sessions record the events,
// exits and results that /link/token/get reports. It goes through a proxy
// so that an external emulator (LINKHARNESS_TEST_URL) serves it too.
func newLink(t *testing.T, url string) *harness.Harness {
	t.Helper()
	target, err := neturl.Parse(url)
	if err != nil {
		t.Fatal(err)
	}
	h := harness.New(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) }})
	t.Cleanup(func() { h.Close() })
	return h
}

// step is one thing the user does in Link.
type step func(*harness.Session) error

// press presses the control named name.
func press(name string) step { return func(s *harness.Session) error { return s.Press(name) } }

// fill types value into the field labelled label.
func fill(label, value string) step {
	return func(s *harness.Session) error { return s.Fill(label, value) }
}

// login is the sandbox login at an institution of the list.
func login(institution, password string) []step {
	return []step{press(institution), fill("Username", "user_good"), fill("Password", password), press("Submit")}
}

// session opens Link with a link token and takes the steps, then returns
// the callbacks Link fired.
func session(t *testing.T, h *harness.Harness, linkToken string, steps ...step) []harness.Call {
	t.Helper()
	s, err := h.Create(harness.Config{Token: linkToken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Destroy() })
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	for i, st := range steps {
		if err := st(s); err != nil {
			t.Fatalf("step %d of the Link session: %v (events %v, console %v)", i, err, s.Events(), s.Console())
		}
	}
	return s.Calls()
}

// onSuccess is the public token of the session's onSuccess.
func onSuccess(t *testing.T, calls []harness.Call) string {
	t.Helper()
	for _, c := range calls {
		if c.Name == protocol.OnSuccess {
			var public string
			json.Unmarshal(c.Args[0], &public)
			return public
		}
	}
	t.Fatalf("no onSuccess in %v", calls)
	return ""
}

// TestStatefulPaths walks every operation of Plaid's spec that the
// emulator keeps state for, in the order an integration calls them: users
// and link tokens, Link sessions through the Link engine (a failed login,
// a success, a payment, Multi-Item Link), Items of every product at
// banks of each country, the institutions, the sandbox's webhooks and
// resets, Payment Initiation, and the Items' removal last. Every 200
// answer validates against the operation's response schema and every
// error against PlaidError; an operation the walk misses fails the test.
func TestStatefulPaths(t *testing.T) {
	e := newEmulator(t)
	w := newWalk(t, e)
	link := newLink(t, e.url)
	hook := e.hooks.URL + "/walk"
	var accessTokens []string
	exchange := func(public string) string {
		t.Helper()
		access := w.ok("/item/public_token/exchange", map[string]any{"public_token": public})["access_token"].(string)
		accessTokens = append(accessTokens, access)
		return access
	}
	sandboxItem := func(institution string, products ...string) string {
		t.Helper()
		pt := w.ok("/sandbox/public_token/create", map[string]any{"institution_id": institution, "initial_products": products,
			"options": map[string]any{"webhook": hook}})
		return exchange(pt["public_token"].(string))
	}

	// Users and link tokens.
	user := w.ok("/user/create", map[string]any{"client_user_id": "walk-user"})
	w.ok("/user/create", map[string]any{"client_user_id": "walk-user"})
	w.fail("/user/create", map[string]any{}, "MISSING_FIELDS")
	lt := w.ok("/link/token/create", map[string]any{"client_name": "Walk App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "walk-user"}, "products": []string{"transactions"},
		"required_if_supported_products": []string{"identity"}, "optional_products": []string{"auth"},
		"additional_consented_products": []string{"liabilities"}, "webhook": hook, "redirect_uri": "https://app.example/oauth",
		"account_filters": map[string]any{"depository": map[string]any{"account_subtypes": []string{"checking", "savings"}},
			"credit": map[string]any{"account_subtypes": []string{"credit card"}}}})["link_token"].(string)
	w.fail("/link/token/create", map[string]any{"language": "en"}, "MISSING_FIELDS")
	w.ok("/link/token/get", map[string]any{"link_token": lt})
	w.fail("/link/token/get", map[string]any{"link_token": "link-sandbox-00000000-0000-4000-8000-000000000000"}, "INVALID_LINK_TOKEN")

	// A session that fails to log in and exits, then one that links an
	// Item: /link/token/get reports both, with their events.
	session(t, link, lt, append(append([]step{press("Continue")}, login("First Platypus Bank", "error_INVALID_CREDENTIALS")...),
		func(s *harness.Session) error { return s.Exit(true) })...)
	calls := session(t, link, lt, append(append([]step{press("Continue")}, login("First Platypus Bank", "pass_good")...),
		press("Plaid Checking"), press("Plaid Credit Card"), press("Continue"), press("Continue"))...)
	linked := exchange(onSuccess(t, calls))
	w.ok("/link/token/get", map[string]any{"link_token": lt})

	// Link at an OAuth bank, the user allowing access in the bank's
	// window, and at a European bank, past the European consent.
	oauthLink := w.ok("/link/token/create", map[string]any{"client_name": "Walk App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "walk-user"}, "products": []string{"auth", "transactions"},
		"required_if_supported_products": []string{"identity"}, "webhook": hook})["link_token"].(string)
	calls = session(t, link, oauthLink, press("Continue"), press("Platypus OAuth Bank"), press("Continue"),
		func(s *harness.Session) error { return s.Authorize(true) }, press("Continue"))
	oauthLinked := exchange(onSuccess(t, calls))
	w.ok("/link/token/get", map[string]any{"link_token": oauthLink})
	euLink := w.ok("/link/token/create", map[string]any{"client_name": "Walk App", "language": "en", "country_codes": []string{"GB", "FR"},
		"user": map[string]any{"client_user_id": "walk-user"}, "products": []string{"transactions"}, "optional_products": []string{"auth", "identity"},
		"webhook": hook})["link_token"].(string)
	calls = session(t, link, euLink, append(append([]step{press("Continue")}, login("Royal Bank of Plaid", "pass_good")...),
		press("Plaid Checking"), press("Continue"), press("Continue"))...)
	euLinked := exchange(onSuccess(t, calls))
	w.ok("/link/token/get", map[string]any{"link_token": euLink})
	w.fail("/item/public_token/exchange", map[string]any{"public_token": onSuccess(t, calls)}, "INVALID_PUBLIC_TOKEN")

	// The Items: one linked above, and sandbox Items with every product
	// at banks of the US, Canada and the UK (one of them OAuth, with a
	// consent that expires).
	everything := sandboxItem("ins_109508", "transactions", "auth", "identity", "liabilities", "investments", "investments_auth")
	canadian := sandboxItem("ins_43", "auth", "transactions", "identity")
	british := sandboxItem("ins_117650", "auth", "transactions", "identity")
	oauth := sandboxItem("ins_116834", "auth")
	balance := sandboxItem("ins_130016", "transactions", "auth", "identity")
	appToApp := sandboxItem("ins_132241", "auth", "identity")
	// An Item without a webhook, through an MFA login.
	pt := w.ok("/sandbox/public_token/create", map[string]any{"institution_id": "ins_109511", "initial_products": []string{"transactions"},
		"options": map[string]any{"override_username": "user_good", "override_password": "mfa_device"}})
	quiet := exchange(pt["public_token"].(string))
	w.fail("/sandbox/public_token/create", map[string]any{"institution_id": "ins_109508", "initial_products": []string{"auth"},
		"options": map[string]any{"override_password": "error_INSTITUTION_DOWN"}}, "INSTITUTION_DOWN")
	w.fail("/sandbox/public_token/create", map[string]any{"institution_id": "ins_43", "initial_products": []string{"investments"}}, "PRODUCTS_NOT_SUPPORTED")

	for _, it := range []struct{ access, products string }{
		{linked, "auth identity transactions liabilities"},
		{oauthLinked, "auth identity transactions"},
		{euLinked, "auth identity transactions"},
		{everything, "auth identity transactions liabilities investments investments_auth"},
		{canadian, "auth identity transactions"},
		{british, "auth identity transactions"},
		{oauth, "auth"},
		{balance, "auth identity transactions"},
		{appToApp, "auth identity"},
		{quiet, "transactions"},
	} {
		w.item(it.access, strings.Fields(it.products)...)
	}
	w.fail("/accounts/get", map[string]any{"access_token": linked, "options": map[string]any{"account_ids": []string{"nope"}}}, "INVALID_ACCOUNT_ID")
	w.fail("/item/get", map[string]any{"access_token": "access-sandbox-00000000-0000-4000-8000-000000000000"}, "INVALID_ACCESS_TOKEN")
	w.fail("/transactions/get", map[string]any{"access_token": linked, "start_date": "2100-01-01", "end_date": "2000-01-01"}, "INVALID_FIELD")
	w.fail("/investments/holdings/get", map[string]any{"access_token": linked}, "ADDITIONAL_CONSENT_REQUIRED")
	w.fail("/investments/refresh", map[string]any{"access_token": linked}, "PRODUCTS_NOT_SUPPORTED")
	w.fail("/investments/auth/get", map[string]any{"access_token": linked}, "ADDITIONAL_CONSENT_REQUIRED")
	w.fail("/transactions/recurring/get", map[string]any{"access_token": oauth}, "PRODUCTS_NOT_SUPPORTED")
	w.fail("/transactions/refresh", map[string]any{"access_token": "access-sandbox-00000000-0000-4000-8000-000000000000"}, "INVALID_ACCESS_TOKEN")
	w.fail("/sandbox/transactions/create", map[string]any{"access_token": linked, "transactions": []map[string]any{
		{"date_transacted": "2000-01-01", "date_posted": "2000-01-01", "amount": 1, "description": "Too old"}}}, "INVALID_FIELD")

	// An Item's public token again, and a new webhook.
	again := w.ok("/item/public_token/create", map[string]any{"access_token": linked})["public_token"].(string)
	w.ok("/item/public_token/exchange", map[string]any{"public_token": again})
	w.ok("/item/webhook/update", map[string]any{"access_token": linked, "webhook": hook + "/new"})

	// The institutions.
	for _, id := range []string{"ins_109508", "ins_43", "ins_117650", "ins_116834", "ins_127287"} {
		in := w.ok("/institutions/get_by_id", map[string]any{"institution_id": id, "country_codes": []string{"US", "CA", "GB"}})
		w.ok("/institutions/get_by_id", map[string]any{"institution_id": id, "country_codes": in["institution"].(map[string]any)["country_codes"],
			"options": map[string]any{"include_optional_metadata": true}})
	}
	w.fail("/institutions/get_by_id", map[string]any{"institution_id": "ins_43", "country_codes": []string{"US"}}, "INVALID_INSTITUTION")
	w.ok("/institutions/search", map[string]any{"query": "platypus", "country_codes": []string{"US", "GB"}})
	w.ok("/institutions/search", map[string]any{"query": "bank", "country_codes": []string{"US"}, "products": []string{"investments"},
		"options": map[string]any{"include_optional_metadata": true, "oauth": false}})
	w.ok("/institutions/search", map[string]any{"query": "zzz", "country_codes": []string{"CA"}})
	w.ok("/institutions/get", map[string]any{"count": 5, "offset": 0, "country_codes": []string{"US"}})
	w.ok("/institutions/get", map[string]any{"count": 500, "offset": 2, "country_codes": []string{"GB", "CA"},
		"options": map[string]any{"products": []string{"auth"}, "include_optional_metadata": true, "include_auth_metadata": true,
			"include_payment_initiation_metadata": true, "oauth": true}})
	w.ok("/categories/get", map[string]any{})

	// The sandbox's webhooks and a login reset.
	for _, f := range []struct{ typ, code string }{
		{"TRANSACTIONS", "DEFAULT_UPDATE"}, {"AUTH", "DEFAULT_UPDATE"}, {"INVESTMENTS_TRANSACTIONS", "DEFAULT_UPDATE"},
		{"HOLDINGS", "DEFAULT_UPDATE"}, {"LIABILITIES", "DEFAULT_UPDATE"}, {"", "SYNC_UPDATES_AVAILABLE"},
		{"", "RECURRING_TRANSACTIONS_UPDATE"}, {"", "NEW_ACCOUNTS_AVAILABLE"}, {"", "LOGIN_REPAIRED"},
		{"", "PENDING_DISCONNECT"}, {"", "USER_PERMISSION_REVOKED"}, {"", "USER_ACCOUNT_REVOKED"},
	} {
		body := map[string]any{"access_token": everything, "webhook_code": f.code}
		if f.typ != "" {
			body["webhook_type"] = f.typ
		}
		w.ok("/sandbox/item/fire_webhook", body)
	}
	w.fail("/sandbox/item/fire_webhook", map[string]any{"access_token": everything, "webhook_code": "PRODUCT_READY"}, "SANDBOX_PRODUCT_NOT_ENABLED")
	w.ok("/item/get", map[string]any{"access_token": everything})
	for _, access := range []string{british, oauth} {
		w.ok("/sandbox/item/reset_login", map[string]any{"access_token": access})
		w.ok("/item/get", map[string]any{"access_token": access})
	}
	w.fail("/accounts/get", map[string]any{"access_token": british}, "ITEM_LOGIN_REQUIRED")
	w.fail("/auth/get", map[string]any{"access_token": british}, "ITEM_LOGIN_REQUIRED")
	w.fail("/transactions/refresh", map[string]any{"access_token": british}, "ITEM_LOGIN_REQUIRED")
	w.fail("/transactions/recurring/get", map[string]any{"access_token": british}, "ITEM_LOGIN_REQUIRED")

	// Update mode repairs the Item whose login was reset.
	update := w.ok("/link/token/create", map[string]any{"client_name": "Walk App", "language": "en", "country_codes": []string{"GB"},
		"user": map[string]any{"client_user_id": "walk-user"}, "access_token": british, "webhook": hook})["link_token"].(string)
	session(t, link, update, fill("Username", "user_good"), fill("Password", "pass_good"), press("Submit"), press("Continue"))
	w.ok("/link/token/get", map[string]any{"link_token": update})
	w.ok("/item/get", map[string]any{"access_token": british})
	w.ok("/accounts/get", map[string]any{"access_token": british})

	// Payment Initiation: recipients, payments, a payment token, and a
	// payment the payer authorises in Link at an OAuth bank.
	iban := w.ok("/payment_initiation/recipient/create", map[string]any{"name": "Wonder Wallet", "iban": "GB33BUKB20201555555555",
		"address": map[string]any{"street": []string{"96 Guild Street", "9th Floor"}, "city": "London", "postal_code": "SE14 8JW", "country": "GB"}})["recipient_id"].(string)
	bacs := w.ok("/payment_initiation/recipient/create", map[string]any{"name": "Corner Shop",
		"bacs": map[string]any{"account": "26207729", "sort_code": "560029"}})["recipient_id"].(string)
	for _, id := range []string{iban, bacs} {
		w.ok("/payment_initiation/recipient/get", map[string]any{"recipient_id": id})
	}
	w.fail("/payment_initiation/recipient/get", map[string]any{"recipient_id": "recipient-id-sandbox-nope"}, "INVALID_FIELD")
	paid := w.ok("/payment_initiation/payment/create", map[string]any{"recipient_id": iban, "reference": "Order 42",
		"amount": map[string]any{"currency": "GBP", "value": 12.34}})["payment_id"].(string)
	waiting := w.ok("/payment_initiation/payment/create", map[string]any{"recipient_id": bacs, "reference": "Order 43",
		"amount": map[string]any{"currency": "GBP", "value": 5}})["payment_id"].(string)
	w.ok("/payment_initiation/payment/create", map[string]any{"recipient_id": iban, "reference": "Order 44",
		"amount": map[string]any{"currency": "EUR", "value": 1.5}})
	w.ok("/payment_initiation/payment/token/create", map[string]any{"payment_id": waiting})
	w.ok("/payment_initiation/payment/get", map[string]any{"payment_id": waiting})
	w.fail("/payment_initiation/payment/get", map[string]any{"payment_id": "payment-id-sandbox-nope"}, "INVALID_FIELD")
	payLink := w.ok("/link/token/create", map[string]any{"client_name": "Walk App", "language": "en", "country_codes": []string{"GB"},
		"user": map[string]any{"client_user_id": "walk-user"}, "products": []string{"payment_initiation"},
		"payment_initiation": map[string]any{"payment_id": paid}, "webhook": hook})["link_token"].(string)
	// The payer refuses at the bank first, and exits; then pays.
	session(t, link, payLink, press("Royal Bank of Plaid"), press("Continue"), press("Continue"),
		func(s *harness.Session) error { return s.Authorize(false) }, func(s *harness.Session) error { return s.Exit(true) })
	w.ok("/payment_initiation/payment/get", map[string]any{"payment_id": paid})
	calls = session(t, link, payLink, press("Flexible Platypus Open Banking"), press("Continue"), press("Continue"),
		func(s *harness.Session) error { return s.Authorize(true) }, press("Continue"))
	payer := exchange(onSuccess(t, calls))
	w.ok("/payment_initiation/payment/get", map[string]any{"payment_id": paid})
	w.ok("/link/token/get", map[string]any{"link_token": payLink})
	w.ok("/item/get", map[string]any{"access_token": payer})
	w.ok("/accounts/get", map[string]any{"access_token": payer})
	page := w.ok("/payment_initiation/payment/list", map[string]any{"count": 2})
	w.ok("/payment_initiation/payment/list", map[string]any{"count": 10, "cursor": page["next_cursor"]})
	w.ok("/payment_initiation/payment/list", map[string]any{})

	// Multi-Item Link: two Items in one session for a user of
	// /user/create.
	multi := w.ok("/link/token/create", map[string]any{"client_name": "Walk App", "language": "en", "country_codes": []string{"US"},
		"user": map[string]any{"client_user_id": "walk-user"}, "user_token": user["user_token"], "products": []string{"auth"},
		"enable_multi_item_link": true, "webhook": hook})["link_token"].(string)
	session(t, link, multi, append(append(append(append([]step{press("Continue")}, login("First Platypus Bank", "pass_good")...),
		press("Plaid Checking"), press("Continue"), press("Add another account")), login("Tartan Bank", "pass_good")...),
		press("Plaid Saving"), press("Continue"), press("Finish"))...)
	sessions := w.ok("/link/token/get", map[string]any{"link_token": multi})["link_sessions"].([]any)
	if len(sessions) != 1 {
		t.Fatalf("the Multi-Item Link token has %d sessions, want 1", len(sessions))
	}
	added := sessions[0].(map[string]any)["results"].(map[string]any)["item_add_results"].([]any)
	if len(added) != 2 {
		t.Errorf("the Multi-Item Link session added %d Items, want 2", len(added))
	}
	for _, r := range added {
		w.ok("/item/get", map[string]any{"access_token": exchange(r.(map[string]any)["public_token"].(string))})
	}

	// Every webhook so far verifies with a key of
	// /webhook_verification_key/get.
	e.settle(t)
	kids := map[string]bool{}
	for _, d := range e.hooks.Deliveries() {
		kids[jwtKeyID(t, d.JWT())] = true
	}
	if len(kids) == 0 {
		t.Error("no webhook arrived")
	}
	for kid := range kids {
		w.ok("/webhook_verification_key/get", map[string]any{"key_id": kid})
	}
	w.fail("/webhook_verification_key/get", map[string]any{"key_id": "nope"}, "INVALID_WEBHOOK_VERIFICATION_KEY_ID")

	// Processor tokens: one for an account of an Item, one from the
	// sandbox, read as the partner reads them.
	checking := w.ok("/accounts/get", map[string]any{"access_token": everything})["accounts"].([]any)[0].(map[string]any)["account_id"].(string)
	processorToken := w.ok("/processor/token/create", map[string]any{"access_token": everything, "account_id": checking, "processor": "dwolla"})["processor_token"].(string)
	w.ok("/processor/stripe/bank_account_token/create", map[string]any{"access_token": everything, "account_id": checking})
	sandboxToken := w.ok("/sandbox/processor_token/create", map[string]any{"institution_id": "ins_109508"})["processor_token"].(string)
	for _, token := range []string{processorToken, sandboxToken} {
		w.ok("/processor/account/get", map[string]any{"processor_token": token})
		w.ok("/processor/auth/get", map[string]any{"processor_token": token})
		w.ok("/processor/balance/get", map[string]any{"processor_token": token})
		w.ok("/processor/identity/get", map[string]any{"processor_token": token})
		w.ok("/processor/transactions/sync", map[string]any{"processor_token": token, "count": 5})
	}
	w.ok("/processor/token/permissions/set", map[string]any{"processor_token": processorToken, "products": []string{"auth", "balance"}})
	w.ok("/processor/token/permissions/get", map[string]any{"processor_token": processorToken})
	w.fail("/processor/identity/get", map[string]any{"processor_token": processorToken}, "INVALID_PRODUCT")
	w.ok("/processor/token/webhook/update", map[string]any{"processor_token": processorToken, "webhook": hook + "/processor"})
	w.fail("/processor/account/get", map[string]any{"processor_token": everything}, "INVALID_PROCESSOR_TOKEN")

	// Asset Reports: ready on the emulator clock, then read, filtered,
	// refreshed, copied for an auditor and removed.
	assetsItem := sandboxItem("ins_109508", "assets", "transactions")
	report := w.ok("/asset_report/create", map[string]any{"access_tokens": []string{assetsItem}, "days_requested": 30,
		"options": map[string]any{"client_report_id": "walk", "webhook": hook + "/assets", "user": map[string]any{"client_user_id": "walk-user"}}})
	reportToken := report["asset_report_token"].(string)
	w.fail("/asset_report/get", map[string]any{"asset_report_token": reportToken}, "PRODUCT_NOT_READY")
	e.kit.Must(t, "/linkharness/clock/advance", map[string]any{"seconds": 5})
	w.ok("/asset_report/get", map[string]any{"asset_report_token": reportToken})
	w.ok("/asset_report/get", map[string]any{"asset_report_token": reportToken, "include_insights": true, "options": map[string]any{"days_to_include": 7}})
	w.fail("/asset_report/get", map[string]any{"asset_report_token": reportToken, "fast_report": true}, "INVALID_FIELD")
	fastToken := w.ok("/asset_report/create", map[string]any{"access_tokens": []string{assetsItem}, "days_requested": 30,
		"options": map[string]any{"add_ons": []string{"fast_assets"}}})["asset_report_token"].(string)
	e.kit.Must(t, "/linkharness/clock/advance", map[string]any{"seconds": 1})
	w.ok("/asset_report/get", map[string]any{"asset_report_token": fastToken, "fast_report": true})
	w.pdf("/asset_report/pdf/get", map[string]any{"asset_report_token": reportToken})
	reportAccount := w.ok("/accounts/get", map[string]any{"access_token": assetsItem})["accounts"].([]any)[0].(map[string]any)["account_id"].(string)
	filteredToken := w.ok("/asset_report/filter", map[string]any{"asset_report_token": reportToken, "account_ids_to_exclude": []string{reportAccount}})["asset_report_token"].(string)
	w.ok("/asset_report/get", map[string]any{"asset_report_token": filteredToken})
	w.ok("/asset_report/refresh", map[string]any{"asset_report_token": reportToken, "days_requested": 60})
	copyToken := w.ok("/asset_report/audit_copy/create", map[string]any{"asset_report_token": reportToken, "auditor_id": "fannie_mae"})["audit_copy_token"].(string)
	w.ok("/asset_report/audit_copy/get", map[string]any{"audit_copy_token": copyToken})
	w.pdf("/asset_report/audit_copy/pdf/get", map[string]any{"audit_copy_token": copyToken})
	w.ok("/asset_report/audit_copy/remove", map[string]any{"audit_copy_token": copyToken})
	w.fail("/asset_report/audit_copy/get", map[string]any{"audit_copy_token": copyToken}, "INVALID_FIELD")
	w.ok("/asset_report/remove", map[string]any{"asset_report_token": reportToken})
	w.fail("/asset_report/get", map[string]any{"asset_report_token": reportToken}, "INVALID_FIELD")

	// Signal: an Item consented to it, prepared, a debit evaluated, its
	// decision and return reported.
	signalItem := sandboxItem("ins_109508", "auth", "signal")
	w.ok("/signal/prepare", map[string]any{"access_token": signalItem})
	signalChecking := w.ok("/accounts/get", map[string]any{"access_token": signalItem})["accounts"].([]any)[0].(map[string]any)["account_id"].(string)
	w.ok("/signal/evaluate", map[string]any{"access_token": signalItem, "account_id": signalChecking, "client_transaction_id": "walk-tx", "amount": 42.5,
		"ruleset_key": "default", "user": map[string]any{"name": map[string]any{"given_name": "Alberta", "family_name": "Charleson"}}})
	w.fail("/signal/evaluate", map[string]any{"access_token": linked, "account_id": signalChecking, "client_transaction_id": "walk-tx", "amount": 1}, "ADDITIONAL_CONSENT_REQUIRED")
	w.ok("/signal/decision/report", map[string]any{"client_transaction_id": "walk-tx", "initiated": true, "days_funds_on_hold": 2})
	w.ok("/signal/return/report", map[string]any{"client_transaction_id": "walk-tx", "return_code": "R01"})
	w.fail("/signal/decision/report", map[string]any{"client_transaction_id": "walk-unknown", "initiated": true}, "INVALID_FIELD")
	w.fail("/signal/return/report", map[string]any{"client_transaction_id": "walk-unknown", "return_code": "R01"}, "INVALID_FIELD")

	// Statements: an Item with them, its list, a statement's PDF, a
	// refresh of older months.
	statementsItem := sandboxItem("ins_109508", "transactions", "statements")
	stmts := w.ok("/statements/list", map[string]any{"access_token": statementsItem})
	stmt := stmts["accounts"].([]any)[0].(map[string]any)["statements"].([]any)[0].(map[string]any)["statement_id"].(string)
	w.pdf("/statements/download", map[string]any{"access_token": statementsItem, "statement_id": stmt})
	w.fail("/statements/download", map[string]any{"access_token": statementsItem, "statement_id": "stmt_nope"}, "INVALID_FIELD")
	w.ok("/statements/refresh", map[string]any{"access_token": statementsItem, "start_date": "2025-01-01", "end_date": "2025-01-31"})
	w.fail("/statements/refresh", map[string]any{"access_token": statementsItem, "start_date": "2025-02-01", "end_date": "2025-01-31"}, "INVALID_FIELD")
	w.fail("/statements/list", map[string]any{"access_token": signalItem}, "ADDITIONAL_CONSENT_REQUIRED")

	// Transfer: capabilities, test clocks, authorizations (approved,
	// declined, keyed, cancelled), a transfer through posted, swept,
	// settled and funds_available, a cancelled one, a returned one,
	// sweeps, events and the sandbox's webhook.
	transferItem := sandboxItem("ins_109508", "auth", "transfer")
	transferAccount := w.ok("/accounts/get", map[string]any{"access_token": transferItem})["accounts"].([]any)[0].(map[string]any)["account_id"].(string)
	w.ok("/transfer/capabilities/get", map[string]any{"access_token": transferItem, "account_id": transferAccount})
	clock := w.ok("/sandbox/transfer/test_clock/create", map[string]any{"virtual_time": "2030-01-02T10:00:00Z"})["test_clock"].(map[string]any)["test_clock_id"].(string)
	w.ok("/sandbox/transfer/test_clock/create", map[string]any{})
	w.ok("/sandbox/transfer/test_clock/advance", map[string]any{"test_clock_id": clock, "new_virtual_time": "2030-01-03T10:00:00Z"})
	w.fail("/sandbox/transfer/test_clock/advance", map[string]any{"test_clock_id": clock, "new_virtual_time": "2030-01-01T10:00:00Z"}, "INVALID_FIELD")
	w.ok("/sandbox/transfer/test_clock/get", map[string]any{"test_clock_id": clock})
	w.ok("/sandbox/transfer/test_clock/list", map[string]any{})
	w.ok("/sandbox/transfer/test_clock/list", map[string]any{"start_virtual_time": "2030-01-01T00:00:00Z", "end_virtual_time": "2031-01-01T00:00:00Z", "count": 5, "offset": 0})
	holder := map[string]any{"legal_name": "Alberta Charleson", "phone_number": "+14155550011", "email_address": "accountholder0@example.com",
		"address": map[string]any{"street": "2992 Cameron Road", "city": "Malakoff", "region": "NY", "postal_code": "14236", "country": "US"}}
	authorize := func(typ, amount string, extra map[string]any) map[string]any {
		t.Helper()
		class := "web"
		if typ == "credit" {
			class = "ppd"
		}
		body := map[string]any{"access_token": transferItem, "account_id": transferAccount, "type": typ, "network": "ach", "ach_class": class,
			"amount": amount, "user": holder}
		for k, v := range extra {
			body[k] = v
		}
		return w.ok("/transfer/authorization/create", body)["authorization"].(map[string]any)
	}
	order := func(auth map[string]any) string {
		t.Helper()
		return w.ok("/transfer/create", map[string]any{"access_token": transferItem, "account_id": transferAccount, "authorization_id": auth["id"],
			"description": "walk", "metadata": map[string]any{"order": "walk-1"}})["transfer"].(map[string]any)["id"].(string)
	}
	moved := authorize("debit", "12.34", map[string]any{"idempotency_key": "walk-1", "test_clock_id": clock})
	authorize("debit", "12.34", map[string]any{"idempotency_key": "walk-1"})
	declined := authorize("debit", "1000.00", nil)
	w.fail("/transfer/create", map[string]any{"access_token": transferItem, "account_id": transferAccount, "authorization_id": declined["id"],
		"description": "walk"}, "INVALID_FIELD")
	transferID := order(moved)
	w.ok("/transfer/get", map[string]any{"transfer_id": transferID})
	w.ok("/transfer/get", map[string]any{"authorization_id": moved["id"]})
	w.ok("/sandbox/transfer/simulate", map[string]any{"transfer_id": transferID, "event_type": "posted", "webhook": hook + "/transfer"})
	sweep := w.ok("/sandbox/transfer/sweep/simulate", map[string]any{"webhook": hook + "/transfer"})["sweep"].(map[string]any)["id"].(string)
	w.ok("/sandbox/transfer/simulate", map[string]any{"transfer_id": transferID, "event_type": "settled", "test_clock_id": clock})
	w.ok("/sandbox/transfer/simulate", map[string]any{"transfer_id": transferID, "event_type": "funds_available"})
	w.fail("/sandbox/transfer/simulate", map[string]any{"transfer_id": transferID, "event_type": "posted"}, "INVALID_FIELD")
	w.fail("/transfer/cancel", map[string]any{"transfer_id": transferID}, "TRANSFER_NOT_CANCELLABLE")
	w.ok("/sandbox/transfer/sweep/simulate", map[string]any{"test_clock_id": clock})
	w.ok("/sandbox/transfer/sweep/simulate", map[string]any{})
	w.ok("/transfer/sweep/get", map[string]any{"sweep_id": sweep})
	w.fail("/transfer/sweep/get", map[string]any{"sweep_id": "nope"}, "INVALID_FIELD")
	w.ok("/transfer/sweep/list", map[string]any{})
	w.ok("/transfer/sweep/list", map[string]any{"start_date": "2000-01-01T00:00:00Z", "end_date": "2100-01-01T00:00:00Z", "count": 5, "offset": 0,
		"status": "settled", "transfer_id": transferID, "trigger": "manual"})
	cancelled := order(authorize("credit", "5.00", nil))
	w.ok("/transfer/cancel", map[string]any{"transfer_id": cancelled})
	returned := order(authorize("debit", "2.00", nil))
	w.ok("/sandbox/transfer/simulate", map[string]any{"transfer_id": returned, "event_type": "posted"})
	w.ok("/sandbox/transfer/simulate", map[string]any{"transfer_id": returned, "event_type": "returned", "failure_reason": map[string]any{"ach_return_code": "R01"}})
	failed := order(authorize("debit", "1.00", nil))
	w.ok("/sandbox/transfer/simulate", map[string]any{"transfer_id": failed, "event_type": "failed", "failure_reason": map[string]any{"description": "walk"}})
	w.ok("/transfer/authorization/cancel", map[string]any{"authorization_id": authorize("debit", "1.00", nil)["id"]})
	w.fail("/transfer/authorization/cancel", map[string]any{"authorization_id": moved["id"]}, "INVALID_FIELD")
	w.ok("/transfer/get", map[string]any{"transfer_id": returned})
	w.ok("/transfer/list", map[string]any{})
	w.ok("/transfer/list", map[string]any{"start_date": "2000-01-01T00:00:00Z", "end_date": "2100-01-01T00:00:00Z", "count": 2, "offset": 1})
	w.ok("/transfer/event/list", map[string]any{})
	w.ok("/transfer/event/list", map[string]any{"start_date": "2000-01-01T00:00:00Z", "end_date": "2100-01-01T00:00:00Z", "transfer_id": transferID,
		"account_id": transferAccount, "transfer_type": "debit", "event_types": []string{"posted", "swept", "settled"}, "count": 5, "offset": 0})
	w.ok("/transfer/event/list", map[string]any{"sweep_id": sweep})
	w.ok("/transfer/event/sync", map[string]any{"after_id": 0})
	w.ok("/transfer/event/sync", map[string]any{"after_id": 2, "count": 3})
	w.fail("/transfer/get", map[string]any{"transfer_id": "nope"}, "INVALID_FIELD")
	w.ok("/sandbox/transfer/fire_webhook", map[string]any{"webhook": hook + "/transfer"})
	w.ok("/accounts/balance/get", map[string]any{"access_token": transferItem})

	// The Items' removal, last: the first after its access token is
	// rotated, by termination.
	rotated := w.ok("/item/access_token/invalidate", map[string]any{"access_token": accessTokens[0]})["new_access_token"].(string)
	w.fail("/item/get", map[string]any{"access_token": accessTokens[0]}, "INVALID_ACCESS_TOKEN")
	w.ok("/item/products/terminate", map[string]any{"access_token": rotated, "reason_code": "FRAUD_FIRST_PARTY"})
	for _, access := range accessTokens[1:] {
		w.ok("/item/remove", map[string]any{"access_token": access})
	}
	w.fail("/item/get", map[string]any{"access_token": linked}, "INVALID_ACCESS_TOKEN")
	w.fail("/item/remove", map[string]any{"access_token": linked}, "INVALID_ACCESS_TOKEN")
	w.uncovered()
}
