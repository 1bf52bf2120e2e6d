package service_test

import (
	"context"
	"strings"
	"testing"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

func newService(t *testing.T) (*service.Service, *store.DB) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return service.New(service.Options{Store: st}), st
}

// wantErr checks that e has the code and a message containing msg.
func wantErr(t *testing.T, what string, e *plaid.Error, code, msg string) {
	t.Helper()
	if e == nil || e.ErrorCode != code || !strings.Contains(e.ErrorMessage, msg) {
		t.Errorf("%s: %v, want %s mentioning %q", what, e, code, msg)
	}
}
