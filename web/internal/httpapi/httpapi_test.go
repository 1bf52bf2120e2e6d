package httpapi

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
)

// clockAuth knows the client c with the secret s, whose clock reads
// clockNow, and counts the clock's reads.
type clockAuth struct{ reads int }

var clockNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func (a *clockAuth) Authenticate(_ context.Context, clientID, secret string) (service.Tenant, bool, error) {
	if !a.Known(clientID, secret) {
		return service.Tenant{}, false, nil
	}
	a.reads++
	return service.Tenant{ClientID: clientID, Now: clockNow}, true, nil
}

func (a *clockAuth) Known(clientID, secret string) bool { return clientID == "c" && secret == "s" }

// TestPlaidClock checks that Plaid's handlers read the client's clock, but
// not through NoClock, and that both know the same clients.
func TestPlaidClock(t *testing.T) {
	tests := []struct {
		name    string
		noClock bool
		secret  string
		status  int
		reads   int
		now     time.Time
	}{
		{"Plaid reads the clock", false, "s", 200, 1, clockNow},
		{"NoClock does not", true, "s", 200, 0, time.Time{}},
		{"Plaid refuses a wrong secret", false, "x", 400, 0, time.Time{}},
		{"NoClock too", true, "x", 400, 0, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth := &clockAuth{}
			var a Authenticator = auth
			if tt.noClock {
				a = NoClock(auth)
			}
			var got *service.Tenant
			h := Plaid(a, func(_ context.Context, c *Call, _ *AccessTokenRequest) (RequestIDResponse, *plaid.Error) {
				got = &c.Tenant
				return RequestIDResponse{RequestID: c.RequestID}, nil
			})
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("POST", "/item/get", strings.NewReader(`{"client_id":"c","secret":"`+tt.secret+`","access_token":"a"}`)))
			if w.Code != tt.status || auth.reads != tt.reads {
				t.Fatalf("status %d after %d clock reads, want %d after %d: %s", w.Code, auth.reads, tt.status, tt.reads, w.Body)
			}
			if tt.status != 200 {
				if got != nil || !strings.Contains(w.Body.String(), "INVALID_API_KEYS") {
					t.Errorf("a wrong secret reached the handler or answered %s", w.Body)
				}
				return
			}
			if got == nil || got.ClientID != "c" || !got.Now.Equal(tt.now) {
				t.Errorf("tenant %+v, want c at %v", got, tt.now)
			}
		})
	}
}
