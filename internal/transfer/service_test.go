package transfer

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/store/sqlite"
)

// fixture is a Transfer service on a fresh store with one Item (Auth and
// Transfer, checking account "acc" of available balance 100, a webhook).
func fixture(t *testing.T) (*Service, *store.DB, service.Tenant) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)
	it := store.Item{ID: "item", ClientID: "c", AccessToken: "access-sandbox-x", InstitutionID: "ins_109508", Products: []string{"auth", Product},
		ConsentedProducts: []string{"auth", Product}, Webhook: "http://127.0.0.1:1/hook", Connected: true, CreatedAt: now,
		Accounts: []store.Account{{ID: "acc", Name: "Plaid Checking", Mask: "0000", Type: "depository", Subtype: "checking"}}}
	if err := st.CreateItem(ctx, it); err != nil {
		t.Fatal(err)
	}
	svc := service.New(service.Options{Store: st, Clients: []service.Client{{ID: "c"}}, Now: func() time.Time { return now }})
	return New(svc, st), st, service.Tenant{ClientID: "c", Now: now}
}

func (s *Service) mustTransfer(t *testing.T, tn service.Tenant, typ, amount string) Transfer {
	t.Helper()
	ctx := context.Background()
	class := "web"
	if typ == Credit {
		class = "ppd"
	}
	a, e := s.Authorize(ctx, tn, Proposal{AccessToken: "access-sandbox-x", AccountID: "acc", Type: typ, Network: "ach", ACHClass: class,
		Amount: amount, User: User{LegalName: "A"}})
	if e != nil || a.Decision != Approved {
		t.Fatalf("authorization %+v %v", a, e)
	}
	tr, e := s.Create(ctx, tn, Order{AccessToken: "access-sandbox-x", AccountID: "acc", AuthorizationID: a.ID, Description: "t"})
	if e != nil {
		t.Fatal(e)
	}
	return tr
}

// TestStateMachine drives transfers through sequences of simulated
// events and cancellations: each step is allowed or refused as the
// transitions say, a refused step changes nothing (no event, no status),
// and only settlement moves the balance.
func TestStateMachine(t *testing.T) {
	for _, tt := range []struct {
		name   string
		typ    string
		steps  []string // events, or "cancel"
		ok     []bool
		status string
		moved  float64
	}{
		{"a debit settles", Debit, []string{Posted, Settled, FundsAvailable}, []bool{true, true, true}, FundsAvailable, -10},
		{"a credit settles", Credit, []string{Posted, Settled, FundsAvailable}, []bool{true, true, false}, Settled, 10},
		{"settled before posted", Debit, []string{Settled, Posted}, []bool{false, true}, Posted, 0},
		{"returned after posted", Debit, []string{Posted, Returned, Settled}, []bool{true, true, false}, Returned, 0},
		{"failed while pending", Debit, []string{Failed, Posted}, []bool{true, false}, Failed, 0},
		{"cancelled while pending", Debit, []string{"cancel", Posted, "cancel"}, []bool{true, false, false}, Cancelled, 0},
		{"cancel after posted", Credit, []string{Posted, "cancel"}, []bool{true, false}, Posted, 0},
		{"returned while pending", Debit, []string{Returned}, []bool{false}, Pending, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, st, tn := fixture(t)
			tr := s.mustTransfer(t, tn, tt.typ, "10.00")
			events := 1
			for i, step := range tt.steps {
				var e interface{ Error() string }
				if step == "cancel" {
					if pe := s.Cancel(ctx, tn, tr.ID); pe != nil {
						e = pe
						if pe.ErrorCode != "TRANSFER_NOT_CANCELLABLE" {
							t.Errorf("step %d: %v", i, pe)
						}
					}
				} else if pe := s.Simulate(ctx, tn, Simulation{TransferID: tr.ID, EventType: step}); pe != nil {
					e = pe
					if pe.ErrorCode != "INVALID_FIELD" {
						t.Errorf("step %d: %v", i, pe)
					}
				}
				if (e == nil) != tt.ok[i] {
					t.Errorf("step %d (%s): error %v, want ok %v", i, step, e, tt.ok[i])
				}
				if e == nil {
					events++
				}
			}
			got, e := s.Get(ctx, tn, tr.ID)
			if e != nil || got.Status != tt.status || got.Cancellable() != (tt.status == Pending) {
				t.Errorf("transfer %+v %v, want %s", got, e, tt.status)
			}
			evs, _, e := s.Sync(ctx, tn, 0, 0)
			if e != nil || len(evs) != events {
				t.Errorf("%d events (%v), want %d", len(evs), e, events)
			}
			it, err := st.Item(ctx, "c", "item")
			if err != nil || it.Accounts[0].Moved != tt.moved {
				t.Errorf("moved %v (%v), want %v", it.Accounts[0].Moved, err, tt.moved)
			}
			// Every change queued its TRANSFER_EVENTS_UPDATE with it.
			hooks, err := st.Webhooks(ctx, "c", store.WebhookFilter{})
			n := 0
			for _, h := range hooks {
				if h.Type == "TRANSFER" && h.Code == "TRANSFER_EVENTS_UPDATE" {
					n++
				}
			}
			if err != nil || n != events {
				t.Errorf("%d webhooks (%v), want %d", n, err, events)
			}
		})
	}
}

// TestConcurrentSimulations races simulations of the same event on one
// transfer: exactly one applies, with one event and one settlement.
func TestConcurrentSimulations(t *testing.T) {
	ctx := context.Background()
	s, st, tn := fixture(t)
	tr := s.mustTransfer(t, tn, Debit, "25.00")
	if e := s.Simulate(ctx, tn, Simulation{TransferID: tr.ID, EventType: Posted}); e != nil {
		t.Fatal(e)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	applied := 0
	for range 6 {
		wg.Go(func() {
			if e := s.Simulate(ctx, tn, Simulation{TransferID: tr.ID, EventType: Settled}); e == nil {
				mu.Lock()
				applied++
				mu.Unlock()
			} else if e.ErrorCode != "INVALID_FIELD" {
				t.Error(e)
			}
		})
	}
	wg.Wait()
	if applied != 1 {
		t.Errorf("%d simulations of settled applied, want 1", applied)
	}
	evs, _, _ := s.Sync(ctx, tn, 0, 0)
	if len(evs) != 3 {
		t.Errorf("%d events, want 3", len(evs))
	}
	it, _ := st.Item(ctx, "c", "item")
	if it.Accounts[0].Moved != -25 {
		t.Errorf("moved %v, want -25", it.Accounts[0].Moved)
	}
	b := service.AccountBalances(it.Accounts[0], "USD")
	if *b.Available != 75 || *b.Current != 85 {
		t.Errorf("balances %v %v, want 75 85", *b.Available, *b.Current)
	}
	// The next authorization sees the moved balance: 75.01 is NSF now.
	a, e := s.Authorize(ctx, tn, Proposal{AccessToken: "access-sandbox-x", AccountID: "acc", Type: Debit, Network: "ach", ACHClass: "web",
		Amount: "75.01", User: User{LegalName: "A"}})
	if e != nil || a.Decision != Declined || a.Rationale.Code != "NSF" {
		t.Errorf("a debit above the moved balance: %+v %v", a, e)
	}
}

// TestConcurrentIdempotency races authorizations with one idempotency
// key: all get the same authorization, and one transfer is made from it
// by orders racing with one key.
func TestConcurrentIdempotency(t *testing.T) {
	ctx := context.Background()
	s, _, tn := fixture(t)
	p := Proposal{AccessToken: "access-sandbox-x", AccountID: "acc", Type: Debit, Network: "ach", ACHClass: "web", Amount: "5.00",
		User: User{LegalName: "A"}, IdempotencyKey: "race"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	authIDs, transferIDs := map[string]bool{}, map[string]bool{}
	for range 6 {
		wg.Go(func() {
			a, e := s.Authorize(ctx, tn, p)
			if e != nil {
				t.Error(e)
				return
			}
			mu.Lock()
			authIDs[a.ID] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(authIDs) != 1 {
		t.Fatalf("%d authorizations for one key, want 1", len(authIDs))
	}
	var id string
	for k := range authIDs {
		id = k
	}
	for range 6 {
		wg.Go(func() {
			tr, e := s.Create(ctx, tn, Order{AccessToken: "access-sandbox-x", AccountID: "acc", AuthorizationID: id, Description: "race", IdempotencyKey: "order"})
			if e != nil {
				t.Error(e)
				return
			}
			mu.Lock()
			transferIDs[tr.ID] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	if all, _ := s.List(ctx, tn, Page{}); len(transferIDs) != 1 || len(all) != 1 {
		t.Errorf("%d transfers answered, %d kept, want 1", len(transferIDs), len(all))
	}
}
