package processor_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/processor"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// fixture is a Backend over a fresh store, and a tenant's Item made
// without Link, exchanged for its access token.
type fixture struct {
	b      *processor.Backend
	svc    *service.Service
	t      service.Tenant
	access string
	item   store.Item
}

func newFixture(t *testing.T, products ...string) fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := service.New(service.Options{Store: st})
	f := fixture{b: processor.New(svc, st), svc: svc, t: service.Tenant{ClientID: "alice", Now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}}
	pt, e := svc.AddSandboxItem(ctx, f.t, service.SandboxLogin{InstitutionID: "ins_109508", Plan: linkconfig.Plan{Products: products}})
	if e != nil {
		t.Fatal(e)
	}
	if _, f.access, e = svc.ExchangePublicToken(ctx, f.t, pt.Token); e != nil {
		t.Fatal(e)
	}
	if f.item, e = svc.ItemByAccessToken(ctx, f.t, f.access); e != nil {
		t.Fatal(e)
	}
	return f
}

// accountID is the ID of the Item's account with the mask.
func (f fixture) accountID(t *testing.T, mask string) string {
	t.Helper()
	for _, a := range f.item.Accounts {
		if a.Mask == mask {
			return a.ID
		}
	}
	t.Fatalf("no account %s", mask)
	return ""
}

func wantCode(t *testing.T, what string, e *plaid.Error, code string) {
	t.Helper()
	switch {
	case code == "" && e != nil:
		t.Errorf("%s: %v, want no error", what, e)
	case code != "" && (e == nil || e.ErrorCode != code):
		t.Errorf("%s: %v, want %s", what, e, code)
	}
}

func TestCreateToken(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "auth")
	checking := f.accountID(t, "0000")
	tests := []struct {
		name, access, account string
		code                  string
	}{
		{"an account of the Item", f.access, checking, ""},
		{"an account of no Item", f.access, "nope", "INVALID_ACCOUNT_ID"},
		{"an unknown access token", "access-sandbox-nope", checking, "INVALID_ACCESS_TOKEN"},
	}
	for _, tt := range tests {
		pt, e := f.b.CreateToken(ctx, f.t, tt.access, tt.account, "dwolla")
		wantCode(t, tt.name, e, tt.code)
		if e == nil && (!strings.HasPrefix(pt.Token, "processor-sandbox-") || pt.AccountID != checking || pt.Processor != "dwolla") {
			t.Errorf("%s: %+v", tt.name, pt)
		}
	}
	bob := service.Tenant{ClientID: "bob", Now: f.t.Now}
	if _, e := f.b.CreateToken(ctx, bob, f.access, checking, "dwolla"); e == nil || e.ErrorCode != "INVALID_ACCESS_TOKEN" {
		t.Errorf("another client's access token: %v", e)
	}
}

// TestTokenLookup checks which strings are the tenant's processor token.
func TestTokenLookup(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "auth")
	pt, e := f.b.CreateToken(ctx, f.t, f.access, f.accountID(t, "0000"), "moov")
	if e != nil {
		t.Fatal(e)
	}
	tests := []struct {
		name   string
		tenant string
		token  string
		code   string
	}{
		{"its own", "alice", pt.Token, ""},
		{"another client's", "bob", pt.Token, "INVALID_PROCESSOR_TOKEN"},
		{"an access token", "alice", f.access, "INVALID_PROCESSOR_TOKEN"},
		{"never issued", "alice", "processor-sandbox-00000000-0000-4000-8000-000000000000", "INVALID_PROCESSOR_TOKEN"},
	}
	for _, tt := range tests {
		tok, e := f.b.Token(ctx, service.Tenant{ClientID: tt.tenant, Now: f.t.Now}, tt.token)
		wantCode(t, tt.name, e, tt.code)
		if e == nil && (tok.Item.ID != f.item.ID || tok.Account.Mask != "0000") {
			t.Errorf("%s: %+v", tt.name, tok)
		}
	}
	if e := f.svc.RemoveItem(ctx, f.t, f.access); e != nil {
		t.Fatal(e)
	}
	_, e = f.b.Token(ctx, f.t, pt.Token)
	wantCode(t, "after /item/remove", e, "ITEM_NOT_FOUND")
	_, e = f.b.Permissions(ctx, f.t, pt.Token)
	wantCode(t, "permissions after /item/remove", e, "ITEM_NOT_FOUND")
}

// TestPermissions sets a token's permissions and calls each partner
// endpoint: those of a product outside them fail with INVALID_PRODUCT,
// the others answer.
func TestPermissions(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "auth", "identity", "transactions")
	pt, e := f.b.CreateToken(ctx, f.t, f.access, f.accountID(t, "0000"), "dwolla")
	if e != nil {
		t.Fatal(e)
	}
	calls := map[string]func() *plaid.Error{
		"auth":         func() *plaid.Error { _, _, e := f.b.Auth(ctx, f.t, pt.Token); return e },
		"identity":     func() *plaid.Error { _, _, e := f.b.Identity(ctx, f.t, pt.Token); return e },
		"transactions": func() *plaid.Error { _, _, e := f.b.TransactionsSync(ctx, f.t, pt.Token, "", 0); return e },
		"balance":      func() *plaid.Error { _, e := f.b.Balance(ctx, f.t, pt.Token); return e },
		// /processor/account/get needs no product.
		"": func() *plaid.Error { _, e := f.b.Account(ctx, f.t, pt.Token); return e },
	}
	for _, perms := range [][]string{nil, {"auth", "balance"}, {"identity"}, {"transactions", "transactions"}, {}} {
		if e := f.b.SetPermissions(ctx, f.t, pt.Token, perms); e != nil {
			t.Fatal(e)
		}
		got, e := f.b.Permissions(ctx, f.t, pt.Token)
		if e != nil || !slices.Equal(got, slices.Compact(slices.Clone(perms))) {
			t.Errorf("permissions %v read back as %v (%v)", perms, got, e)
		}
		for name, call := range calls {
			want := ""
			if name != "" && len(perms) > 0 && !slices.Contains(perms, name) {
				want = "INVALID_PRODUCT"
			}
			wantCode(t, name+" with permissions "+strings.Join(perms, ","), call(), want)
		}
	}
}

// TestOneAccount checks that a token reads its account only, that a
// product that does not fit it fails, and that the sync feed is the
// account's.
func TestOneAccount(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "auth", "identity", "transactions")
	card, e := f.b.CreateToken(ctx, f.t, f.access, f.accountID(t, "3333"), "marqeta")
	if e != nil {
		t.Fatal(e)
	}
	_, _, e = f.b.Auth(ctx, f.t, card.Token)
	wantCode(t, "auth on a credit card", e, "NO_AUTH_ACCOUNTS")
	tok, owners, e := f.b.Identity(ctx, f.t, card.Token)
	if e != nil || tok.Account.Mask != "3333" || len(owners) == 0 {
		t.Errorf("identity: %+v %v %v", tok.Account, owners, e)
	}
	// Page by page, two at a time, to the end of the feed.
	var seen int
	cursor := ""
	for more := true; more; {
		_, u, e := f.b.TransactionsSync(ctx, f.t, card.Token, cursor, 2)
		if e != nil {
			t.Fatal(e)
		}
		for _, tr := range u.Added {
			if tr.AccountID != card.AccountID {
				t.Errorf("a transaction of account %s", tr.AccountID)
			}
		}
		if seen += len(u.Added); seen > 1000 {
			t.Fatal("the feed does not end")
		}
		cursor, more = u.NextCursor, u.HasMore
	}
	if seen == 0 {
		t.Error("no transactions on the credit card")
	}
	item, e := f.svc.TransactionsSync(ctx, f.t, f.access, "", 0)
	if e != nil {
		t.Fatal(e)
	}
	if seen >= len(item.Added) {
		t.Errorf("the account's feed has %d transactions, the Item's %d", seen, len(item.Added))
	}
	_, _, e = f.b.TransactionsSync(ctx, f.t, card.Token, item.NextCursor, 0)
	wantCode(t, "the Item's cursor", e, "INVALID_FIELD")
	_, last, e := f.b.TransactionsSync(ctx, f.t, card.Token, cursor, 0)
	if e != nil || len(last.Added) != 0 || last.NextCursor != cursor {
		t.Errorf("the last cursor again: %+v %v", last, e)
	}
}

// TestSandboxToken makes an Item and a processor token without Link, and
// checks the login's errors.
func TestSandboxToken(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "auth")
	tests := []struct {
		name, institution, username, password, code string
	}{
		{"default credentials", "ins_109508", "", "", ""},
		{"an unknown institution", "ins_nope", "", "", "INVALID_INSTITUTION"},
		{"a login error", "ins_109508", "user_good", "error_ITEM_LOCKED", "ITEM_LOCKED"},
		{"a wrong password", "ins_109508", "user_good", "nope", "INVALID_CREDENTIALS"},
	}
	for _, tt := range tests {
		pt, e := f.b.CreateSandboxToken(ctx, f.t, tt.institution, tt.username, tt.password)
		wantCode(t, tt.name, e, tt.code)
		if e != nil {
			continue
		}
		tok, e := f.b.Token(ctx, f.t, pt.Token)
		if e != nil || tok.Account.Name != "Plaid Checking" || !slices.Equal(tok.Item.Products, []string{"auth"}) {
			t.Fatalf("%s: %+v %v", tt.name, tok, e)
		}
		// Identity was consented, so its first call adds it.
		if _, _, e := f.b.Identity(ctx, f.t, pt.Token); e != nil {
			t.Errorf("identity on a sandbox processor Item: %v", e)
		}
	}
}

// TestStripeToken checks the Stripe bank account token's rules.
func TestStripeToken(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "auth")
	tests := []struct {
		name, account, code string
	}{
		{"checking", f.accountID(t, "0000"), ""},
		{"savings", f.accountID(t, "1111"), ""},
		{"a credit card", f.accountID(t, "3333"), "NO_AUTH_ACCOUNTS"},
		{"no account of the Item", "nope", "INVALID_ACCOUNT_ID"},
	}
	for _, tt := range tests {
		tok, e := f.b.StripeBankAccountToken(ctx, f.t, f.access, tt.account)
		wantCode(t, tt.name, e, tt.code)
		if e == nil && !strings.HasPrefix(tok, "btok_") {
			t.Errorf("%s: token %q", tt.name, tok)
		}
	}
}

// TestItemInError checks that the partner endpoints answer the Item's
// error, as the Item's endpoints do.
func TestItemInError(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, "auth")
	pt, e := f.b.CreateToken(ctx, f.t, f.access, f.accountID(t, "0000"), "dwolla")
	if e != nil {
		t.Fatal(e)
	}
	if e := f.svc.ResetLogin(ctx, f.t, f.access); e != nil {
		t.Fatal(e)
	}
	_, e = f.b.Account(ctx, f.t, pt.Token)
	wantCode(t, "account", e, "ITEM_LOGIN_REQUIRED")
	_, _, e = f.b.Auth(ctx, f.t, pt.Token)
	wantCode(t, "auth", e, "ITEM_LOGIN_REQUIRED")
	// The token itself still works: its permissions can be read.
	_, e = f.b.Permissions(ctx, f.t, pt.Token)
	wantCode(t, "permissions", e, "")
}
