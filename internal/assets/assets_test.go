package assets

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/sandboxdata"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

func newService(t *testing.T) (*Service, *store.DB) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(service.New(service.Options{Store: st}), st), st
}

// item stores an Item of the client with checking 0000 and credit card
// 3333, created a day before now.
func item(t *testing.T, st *store.DB, clientID, id, access string, products []string, now time.Time) {
	t.Helper()
	accounts := []store.Account{{ID: id + "-0000", Name: "Plaid Checking", Mask: "0000", Type: "depository", Subtype: "checking"},
		{ID: id + "-3333", Name: "Plaid Credit Card", Mask: "3333", Type: "credit", Subtype: "credit card"}}
	if err := st.CreateItem(context.Background(), store.Item{ID: id, ClientID: clientID, AccessToken: access, InstitutionID: "ins_109508",
		Products: products, Connected: true, CreatedAt: now.AddDate(0, 0, -1), Accounts: accounts}); err != nil {
		t.Fatal(err)
	}
}

func code(e *plaid.Error) string {
	if e == nil {
		return ""
	}
	return e.ErrorCode
}

// TestCreateAndGet checks create's errors, readiness on the emulator
// clock, the webhook queued with its due time, a failed report's error,
// and the errors of tokens that are not the tenant's live reports.
func TestCreateAndGet(t *testing.T) {
	a, st := newService(t)
	ctx := context.Background()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	a.now = func() time.Time { return now }
	tn := service.Tenant{ClientID: "c", Now: now}
	item(t, st, "c", "it", "access-good", []string{"assets", "transactions"}, now)
	item(t, st, "c", "plain", "access-plain", []string{"transactions"}, now)
	item(t, st, "c", "bad", "access-bad", []string{"assets"}, now)
	item(t, st, "d", "other", "access-other", []string{"assets"}, now)
	raw, _ := json.Marshal(plaid.ItemLoginRequired())
	if _, err := st.SetItemError(ctx, "c", "bad", raw); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		tokens []string
		days   int
		want   string
	}{
		{"ok", []string{"access-good"}, 30, ""},
		{"no tokens", nil, 30, "INVALID_FIELD"},
		{"too many days", []string{"access-good"}, 732, "INVALID_FIELD"},
		{"negative days", []string{"access-good"}, -1, "INVALID_FIELD"},
		{"unknown token", []string{"access-nope"}, 30, "INVALID_ACCESS_TOKEN"},
		{"another client's Item", []string{"access-other"}, 30, "INVALID_ACCESS_TOKEN"},
		{"no Assets", []string{"access-good", "access-plain"}, 30, "PRODUCT_NOT_ENABLED"},
		{"Item in error", []string{"access-bad"}, 30, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, e := a.Create(ctx, tn, tc.tokens, tc.days, Options{})
			if code(e) != tc.want {
				t.Errorf("Create = %v, want %q", e, tc.want)
			}
		})
	}

	good, e := a.Create(ctx, tn, []string{"access-good"}, 10, Options{Webhook: "https://app.example/assets", ClientReportID: "r1"})
	if e != nil {
		t.Fatal(e)
	}
	bad, e := a.Create(ctx, tn, []string{"access-bad"}, 10, Options{Webhook: "https://app.example/assets"})
	if e != nil {
		t.Fatal(e)
	}
	hooks, err := st.Webhooks(ctx, "c", store.WebhookFilter{})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, h := range hooks {
		var body map[string]any
		json.Unmarshal(h.Body, &body)
		codes[body["asset_report_id"].(string)] = h.Code
		if !h.NextAttemptAt.Equal(now.Add(ReadyDelay)) {
			t.Errorf("%s due %v, want %v", h.Code, h.NextAttemptAt, now.Add(ReadyDelay))
		}
	}
	if codes[good.ID] != "PRODUCT_READY" || codes[bad.ID] != "ERROR" || len(hooks) != 2 {
		t.Errorf("webhooks %v", codes)
	}
	later := service.Tenant{ClientID: "c", Now: now.Add(ReadyDelay)}
	for _, tc := range []struct {
		name  string
		tn    service.Tenant
		token string
		want  string
	}{
		{"not ready", tn, good.Token, "PRODUCT_NOT_READY"},
		{"ready", later, good.Token, ""},
		{"failed", later, bad.Token, "DATA_UNAVAILABLE"},
		{"another client's", service.Tenant{ClientID: "d", Now: later.Now}, good.Token, "INVALID_FIELD"},
		{"unknown", later, "assets-sandbox-nope", "INVALID_FIELD"},
		{"not a report token", later, "access-good", "INVALID_FIELD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, e := a.Get(ctx, tc.tn, tc.token)
			if code(e) != tc.want || e != nil && e.Status != 400 {
				t.Fatalf("Get = %+v, want %q with HTTP 400", e, tc.want)
			}
			if e == nil && (r.ID != good.ID || r.ClientReportID != "r1" || len(r.Items) != 1 || len(r.Items[0].Accounts) != 2) {
				t.Errorf("report %+v", r)
			}
		})
	}

	// Moving the clock brings the webhooks forward.
	if err := a.ClockAdvanced(ctx, "c", time.Hour); err != nil {
		t.Fatal(err)
	}
	if next, ok, _ := st.NextWebhookDue(ctx); !ok || !next.Equal(now) {
		t.Errorf("after the clock moved, next webhook due %v", next)
	}

	// Filter, audit copies and removal.
	filtered, e := a.Filter(ctx, later, good.Token, []string{"it-0000"})
	if e != nil {
		t.Fatal(e)
	}
	if r, e := a.Get(ctx, later, filtered.Token); e != nil || len(r.Items[0].Accounts) != 1 || r.Items[0].Accounts[0].Account.ID != "it-3333" {
		t.Errorf("filtered report %+v %v", r, e)
	}
	if _, e := a.Filter(ctx, tn, good.Token, nil); code(e) != "PRODUCT_NOT_READY" {
		t.Errorf("filtering a report not ready: %v", e)
	}
	copyToken, e := a.AuditCopyCreate(ctx, later, good.Token, "fannie_mae")
	if e != nil {
		t.Fatal(e)
	}
	if _, e := a.AuditCopyGet(ctx, later, copyToken); e != nil {
		t.Errorf("audit copy: %v", e)
	}
	if _, e := a.AuditCopyGet(ctx, later, good.Token); code(e) != "INVALID_FIELD" {
		t.Errorf("a report token as an audit copy token: %v", e)
	}
	if e := a.Remove(ctx, later, good.Token); e != nil {
		t.Fatal(e)
	}
	for _, f := range []func() *plaid.Error{
		func() *plaid.Error { return a.Remove(ctx, later, good.Token) },
		func() *plaid.Error { _, e := a.Get(ctx, later, good.Token); return e },
		func() *plaid.Error { _, e := a.Refresh(ctx, later, good.Token, nil, Options{}); return e },
	} {
		if code(f()) != "INVALID_FIELD" {
			t.Error("a removed report's token works")
		}
	}
}

// TestHistorical checks the daily balances worked back from today's.
func TestHistorical(t *testing.T) {
	at := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	cur := 100.0
	txns := []sandboxdata.Transaction{{Date: "2025-03-10", Amount: 20}, {Date: "2025-03-09", Amount: -5.5}, {Date: "2025-03-08", Amount: 1, Pending: true}}
	for _, tc := range []struct {
		name    string
		current *float64
		days    int
		want    []HistoricalBalance
	}{
		{"no balance", nil, 3, nil},
		{"none", &cur, 0, nil},
		{"three days", &cur, 3, []HistoricalBalance{{"2025-03-10", 100}, {"2025-03-09", 120}, {"2025-03-08", 114.5}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := historical(tc.current, txns, at, tc.days)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("day %d: %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
