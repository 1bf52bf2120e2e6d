// Package transferapi is the HTTP side of Plaid Transfer, which package
// transfer serves: capabilities, authorizations, transfers, their events
// and sweeps, and the sandbox's simulations, webhook and test clocks.
package transferapi

import (
	"context"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/transfer"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// API is the endpoints' handlers.
type API struct {
	httpapi.Deps
	tr *transfer.Service
}

// New returns the handlers over d and tr.
func New(d httpapi.Deps, tr *transfer.Service) *API { return &API{Deps: d, tr: tr} }

// Routes are the endpoints, in the route table's order.
func (s *API) Routes() []httpapi.Route {
	return []httpapi.Route{
		{Method: "POST", Path: transfer.CapabilitiesEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.capabilities),
			Doc: "RTP credit eligibility of an account: checking accounts at institutions without OAuth (linkharness's rule); RfP never"},
		{Method: "POST", Path: transfer.AuthorizeEndpoint, Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.authorize),
			Doc: "the sandbox's decision from the account's available balance (NSF below the amount, RISK at 0; user_action_required for an Item in error), Signal's scores of a debit, idempotency_key; an hour to use it"},
		{Method: "POST", Path: "/transfer/authorization/cancel", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.cancelAuthorization),
			Doc: "cancels an approved authorization no transfer was made from"},
		{Method: "POST", Path: "/transfer/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.create),
			Doc: "a pending transfer from an approved, unexpired, unused authorization of the account, up to its amount; idempotent; TRANSFER_EVENTS_UPDATE to the Item's webhook"},
		{Method: "POST", Path: "/transfer/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.get),
			Doc: "a transfer by transfer_id or authorization_id"},
		{Method: "POST", Path: "/transfer/list", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.list),
			Doc: "the client's transfers, newest first, by created date, count and offset"},
		{Method: "POST", Path: "/transfer/cancel", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.cancel),
			Doc: "cancels a pending transfer (otherwise TRANSFER_NOT_CANCELLABLE)"},
		{Method: "POST", Path: "/transfer/event/list", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.events),
			Doc: "the client's transfer events, most recent first, by the spec's filters"},
		{Method: "POST", Path: "/transfer/event/sync", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.sync),
			Doc: "the events after after_id, in order (IDs from 1 per client), up to count (100 by default, 500 at most)"},
		{Method: "POST", Path: "/transfer/sweep/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.sweep),
			Doc: "a sweep of /sandbox/transfer/sweep/simulate"},
		{Method: "POST", Path: "/transfer/sweep/list", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.sweeps),
			Doc: "the client's sweeps, newest first, by the spec's filters"},
		{Method: "POST", Path: "/sandbox/transfer/simulate", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.simulate),
			Doc: "posted, settled, failed, funds_available or returned, where the status allows it; settled moves the account's balances (unlike Plaid's Sandbox)"},
		{Method: "POST", Path: "/sandbox/transfer/sweep/simulate", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.simulateSweep),
			Doc: "sweeps unswept pending and posted transfers, settles swept ones, pulls back returned ones, with their events and a sweep"},
		{Method: "POST", Path: "/sandbox/transfer/fire_webhook", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.fireWebhook),
			Doc: "sends TRANSFER_EVENTS_UPDATE to the webhook given"},
		{Method: "POST", Path: "/sandbox/transfer/test_clock/create", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.createClock),
			Doc: "a test clock at virtual_time (now by default); simulations and transfers on it are dated at its time"},
		{Method: "POST", Path: "/sandbox/transfer/test_clock/advance", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.advanceClock),
			Doc: "moves a test clock forward, never back (no recurring transfers to originate)"},
		{Method: "POST", Path: "/sandbox/transfer/test_clock/get", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.getClock),
			Doc: "a test clock"},
		{Method: "POST", Path: "/sandbox/transfer/test_clock/list", Group: httpapi.GroupPlaid, Handler: httpapi.Plaid(s.Auth, s.listClocks),
			Doc: "the client's test clocks by virtual time, count and offset"},
	}
}

// parseTime reads an optional RFC 3339 date-time of field.
func parseTime(field string, s *string) (*time.Time, *plaid.Error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return nil, plaid.InvalidField(field + " must be an RFC 3339 date-time, such as 2025-01-02T15:04:05Z")
	}
	return &t, nil
}

// page reads the dates, count and offset of a list request.
func page(startField string, start, end *string, count, offset *int) (transfer.Page, *plaid.Error) {
	var p transfer.Page
	var e *plaid.Error
	if p.Start, e = parseTime(startField, start); e != nil {
		return p, e
	}
	endField := "end_date"
	if startField != "start_date" {
		endField = "end_virtual_time"
	}
	if p.End, e = parseTime(endField, end); e != nil {
		return p, e
	}
	if count != nil {
		if *count < 1 || *count > transfer.DefaultCount {
			return p, plaid.InvalidField("count must be from 1 to 25")
		}
		p.Count = *count
	}
	if offset != nil {
		if *offset < 0 {
			return p, plaid.InvalidField("offset must be 0 or more")
		}
		p.Offset = *offset
	}
	return p, nil
}

// set reports whether an optional filter was sent with a value.
func set(s *string) bool { return s != nil && *s != "" }

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

type capabilitiesRequest struct {
	httpapi.Credentials
	AccessToken string `json:"access_token"`
	AccountID   string `json:"account_id"`
}

type rtp struct {
	Credit bool `json:"credit"`
}

type rfp struct {
	Debit           bool    `json:"debit"`
	MaxAmount       *string `json:"max_amount"`
	ISOCurrencyCode *string `json:"iso_currency_code"`
}

type networks struct {
	RTP rtp `json:"rtp"`
	RfP rfp `json:"rfp"`
}

type capabilitiesResponse struct {
	Networks  networks `json:"institution_supported_networks"`
	RequestID string   `json:"request_id"`
}

func (s *API) capabilities(ctx context.Context, c *httpapi.Call, req *capabilitiesRequest) (capabilitiesResponse, *plaid.Error) {
	ok, e := s.tr.Capabilities(ctx, c.Tenant, req.AccessToken, req.AccountID)
	if e != nil {
		return capabilitiesResponse{}, e
	}
	return capabilitiesResponse{Networks: networks{RTP: rtp{Credit: ok}}, RequestID: c.RequestID}, nil
}
