package ids

import (
	"regexp"
	"testing"

	"github.com/linkharness/linkharness/internal/plaid"
)

func TestTokens(t *testing.T) {
	uuid := `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`
	for _, k := range []plaid.Kind{plaid.LinkToken, plaid.PublicToken, plaid.AccessToken, plaid.UserToken, plaid.PaymentToken, plaid.PaymentID, plaid.RecipientID, plaid.ProcessorToken} {
		tok := NewToken(k)
		if !regexp.MustCompile(`^` + regexp.QuoteMeta(string(k)) + `-sandbox-` + uuid + `$`).MatchString(tok) {
			t.Errorf("%s token %q", k, tok)
		}
		if NewToken(k) == tok {
			t.Errorf("%s: two tokens alike", k)
		}
	}
	if tok := NewStripeBankAccountToken(); !regexp.MustCompile(`^btok_[A-Za-z0-9]{24}$`).MatchString(tok) {
		t.Errorf("Stripe bank account token %q", tok)
	}
	if id := NewOpaqueID(); !regexp.MustCompile(`^[A-Za-z0-9]{37}$`).MatchString(id) {
		t.Errorf("opaque ID %q", id)
	}
}
