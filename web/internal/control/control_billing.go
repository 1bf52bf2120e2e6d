package control

import (
	"context"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// controlBillingRequest narrows the billing ledger to one Item.
type controlBillingRequest struct {
	httpapi.Credentials
	ItemID string `json:"item_id"`
}

type controlBillingResponse struct {
	Billing   []controlBillingEvent `json:"billing"`
	RequestID string                `json:"request_id"`
}

// controlBillingEvent is an entry of the billing ledger.
type controlBillingEvent struct {
	ItemID string `json:"item_id"`
	// Product is as billed_products names it; Billable is what is billed:
	// the product, or investments_holdings or investments_transactions.
	Product  string `json:"product"`
	Billable string `json:"billable"`
	// FeeModel is one_time, subscription or per_request.
	FeeModel string `json:"fee_model"`
	Reason   string `json:"reason"`
	Endpoint string `json:"endpoint"`
	BilledAt string `json:"billed_at"`
	// RequestID is the billed call's, for a per_request fee; null
	// otherwise.
	RequestID *string `json:"request_id"`
	// EndedAt is when a subscription's billing ended with its Item; null
	// while it runs, and for other fees.
	EndedAt *string `json:"ended_at"`
}

// controlBillingList is the client's billing ledger: per Item, each
// product billed, when, with what fee model, why and by which call, and
// each call billed per request.
func (s *API) controlBillingList(ctx context.Context, c *httpapi.Call, req *controlBillingRequest) (controlBillingResponse, *plaid.Error) {
	events, e := s.Svc.BillingEvents(ctx, c.Tenant, req.ItemID)
	if e != nil {
		return controlBillingResponse{}, e
	}
	out := controlBillingResponse{Billing: []controlBillingEvent{}, RequestID: c.RequestID}
	for _, e := range events {
		out.Billing = append(out.Billing, controlBillingEvent{ItemID: e.ItemID, Product: e.Product, Billable: e.Billable,
			FeeModel: e.FeeModel, Reason: e.Reason, Endpoint: e.Endpoint, BilledAt: plaid.TimeNano(e.BilledAt),
			RequestID: httpapi.OptString(e.RequestID), EndedAt: plaid.OptTimeNano(e.EndedAt)})
	}
	return out, nil
}
