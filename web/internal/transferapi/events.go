package transferapi

import (
	"context"
	"time"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/transfer"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

type eventOut struct {
	EventID              int64       `json:"event_id"`
	Timestamp            string      `json:"timestamp"`
	EventType            string      `json:"event_type"`
	AccountID            string      `json:"account_id"`
	FundingAccountID     *string     `json:"funding_account_id"`
	LedgerID             *string     `json:"ledger_id"`
	TransferID           string      `json:"transfer_id"`
	OriginationAccountID *string     `json:"origination_account_id"`
	TransferType         string      `json:"transfer_type"`
	TransferAmount       string      `json:"transfer_amount"`
	FailureReason        *failureOut `json:"failure_reason"`
	SweepID              *string     `json:"sweep_id"`
	SweepAmount          *string     `json:"sweep_amount"`
	RefundID             *string     `json:"refund_id"`
	OriginatorClientID   *string     `json:"originator_client_id"`
	IntentID             *string     `json:"intent_id"`
}

func eventsOf(evs []transfer.Event) []eventOut {
	out := []eventOut{}
	for _, ev := range evs {
		o := eventOut{EventID: ev.ID, Timestamp: plaid.Time(ev.Timestamp), EventType: ev.Type, AccountID: ev.AccountID, TransferID: ev.TransferID,
			TransferType: ev.TransferType, TransferAmount: ev.Amount.String(), FailureReason: failureOf(ev.Failure), SweepID: httpapi.OptString(ev.SweepID)}
		if ev.SweepAmount != nil {
			o.SweepAmount = httpapi.OptString(ev.SweepAmount.String())
		}
		out = append(out, o)
	}
	return out
}

type eventsResponse struct {
	Events    []eventOut `json:"transfer_events"`
	HasMore   bool       `json:"has_more"`
	RequestID string     `json:"request_id"`
}

type eventListRequest struct {
	httpapi.Credentials
	StartDate            *string  `json:"start_date"`
	EndDate              *string  `json:"end_date"`
	TransferID           *string  `json:"transfer_id"`
	AccountID            *string  `json:"account_id"`
	TransferType         *string  `json:"transfer_type"`
	EventTypes           []string `json:"event_types"`
	SweepID              string   `json:"sweep_id"`
	Count                *int     `json:"count"`
	Offset               *int     `json:"offset"`
	OriginationAccountID *string  `json:"origination_account_id"`
	OriginatorClientID   *string  `json:"originator_client_id"`
	FundingAccountID     *string  `json:"funding_account_id"`
}

func (s *API) events(ctx context.Context, c *httpapi.Call, req *eventListRequest) (eventsResponse, *plaid.Error) {
	p, e := page("start_date", req.StartDate, req.EndDate, req.Count, req.Offset)
	if e != nil {
		return eventsResponse{}, e
	}
	p.None = set(req.OriginationAccountID) || set(req.OriginatorClientID) || set(req.FundingAccountID)
	evs, more, e := s.tr.Events(ctx, c.Tenant, transfer.EventFilter{Page: p, TransferID: str(req.TransferID), AccountID: str(req.AccountID),
		TransferType: str(req.TransferType), SweepID: req.SweepID, Types: req.EventTypes})
	if e != nil {
		return eventsResponse{}, e
	}
	return eventsResponse{Events: eventsOf(evs), HasMore: more, RequestID: c.RequestID}, nil
}

type syncRequest struct {
	httpapi.Credentials
	AfterID int64 `json:"after_id"`
	Count   *int  `json:"count"`
}

func (s *API) sync(ctx context.Context, c *httpapi.Call, req *syncRequest) (eventsResponse, *plaid.Error) {
	count := 0
	if req.Count != nil {
		if *req.Count < 1 {
			return eventsResponse{}, plaid.InvalidField("count must be from 1 to 500")
		}
		count = *req.Count
	}
	evs, more, e := s.tr.Sync(ctx, c.Tenant, req.AfterID, count)
	if e != nil {
		return eventsResponse{}, e
	}
	return eventsResponse{Events: eventsOf(evs), HasMore: more, RequestID: c.RequestID}, nil
}

type sweepOut struct {
	ID                         string    `json:"id"`
	FundingAccountID           string    `json:"funding_account_id"`
	LedgerID                   *string   `json:"ledger_id"`
	Created                    string    `json:"created"`
	Amount                     string    `json:"amount"`
	ISOCurrencyCode            string    `json:"iso_currency_code"`
	Settled                    *string   `json:"settled"`
	ExpectedFundsAvailableDate *string   `json:"expected_funds_available_date"`
	Status                     *string   `json:"status"`
	Trigger                    *string   `json:"trigger"`
	Description                string    `json:"description"`
	NetworkTraceID             *string   `json:"network_trace_id"`
	FailureReason              *struct{} `json:"failure_reason"`
}

func sweepOf(sw transfer.Sweep) sweepOut {
	return sweepOut{ID: sw.ID, FundingAccountID: sw.FundingID, Created: plaid.Time(sw.Created), Amount: sw.Amount.String(),
		ISOCurrencyCode: sw.Currency, Settled: httpapi.OptString(sw.Settled), Status: httpapi.OptString(sw.Status),
		Trigger: httpapi.OptString(sw.Trigger), Description: "sweep of " + plaid.Time(sw.Created)}
}

type sweepGetRequest struct {
	httpapi.Credentials
	SweepID string `json:"sweep_id"`
}

type sweepResponse struct {
	Sweep     sweepOut `json:"sweep"`
	RequestID string   `json:"request_id"`
}

func (s *API) sweep(ctx context.Context, c *httpapi.Call, req *sweepGetRequest) (sweepResponse, *plaid.Error) {
	sw, e := s.tr.GetSweep(ctx, c.Tenant, req.SweepID)
	if e != nil {
		return sweepResponse{}, e
	}
	return sweepResponse{Sweep: sweepOf(sw), RequestID: c.RequestID}, nil
}

type sweepListRequest struct {
	httpapi.Credentials
	StartDate          *string `json:"start_date"`
	EndDate            *string `json:"end_date"`
	Count              *int    `json:"count"`
	Offset             *int    `json:"offset"`
	Amount             *string `json:"amount"`
	Status             *string `json:"status"`
	OriginatorClientID *string `json:"originator_client_id"`
	FundingAccountID   *string `json:"funding_account_id"`
	TransferID         *string `json:"transfer_id"`
	Trigger            *string `json:"trigger"`
}

type sweepsResponse struct {
	Sweeps    []sweepOut `json:"sweeps"`
	RequestID string     `json:"request_id"`
}

func (s *API) sweeps(ctx context.Context, c *httpapi.Call, req *sweepListRequest) (sweepsResponse, *plaid.Error) {
	p, e := page("start_date", req.StartDate, req.EndDate, req.Count, req.Offset)
	if e != nil {
		return sweepsResponse{}, e
	}
	p.None = set(req.OriginatorClientID)
	f := transfer.SweepFilter{Page: p, Status: str(req.Status), TransferID: str(req.TransferID), Trigger: str(req.Trigger), FundingAccountID: str(req.FundingAccountID)}
	if set(req.Amount) {
		var amount transfer.Cents
		if err := amount.UnmarshalText([]byte(*req.Amount)); err != nil {
			return sweepsResponse{}, plaid.InvalidField("amount must be a decimal string with two digits of precision, such as \"-10.00\"")
		}
		f.Amount = &amount
	}
	sws, e := s.tr.Sweeps(ctx, c.Tenant, f)
	if e != nil {
		return sweepsResponse{}, e
	}
	out := sweepsResponse{Sweeps: []sweepOut{}, RequestID: c.RequestID}
	for _, sw := range sws {
		out.Sweeps = append(out.Sweeps, sweepOf(sw))
	}
	return out, nil
}

type failureIn struct {
	FailureCode   *string `json:"failure_code"`
	ACHReturnCode *string `json:"ach_return_code"`
	Description   string  `json:"description"`
}

type simulateRequest struct {
	httpapi.Credentials
	TransferID    string     `json:"transfer_id"`
	TestClockID   *string    `json:"test_clock_id"`
	EventType     string     `json:"event_type"`
	FailureReason *failureIn `json:"failure_reason"`
	Webhook       string     `json:"webhook"`
}

func (s *API) simulate(ctx context.Context, c *httpapi.Call, req *simulateRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := httpapi.CheckURL("webhook", req.Webhook); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	sim := transfer.Simulation{TransferID: req.TransferID, EventType: req.EventType, TestClockID: str(req.TestClockID), Webhook: req.Webhook}
	if f := req.FailureReason; f != nil {
		sim.Failure = &transfer.Failure{FailureCode: str(f.FailureCode), ACHReturnCode: str(f.ACHReturnCode), Description: f.Description}
	}
	if e := s.tr.Simulate(ctx, c.Tenant, sim); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

type sweepSimulateRequest struct {
	httpapi.Credentials
	TestClockID *string `json:"test_clock_id"`
	Webhook     string  `json:"webhook"`
}

type sweepSimulateResponse struct {
	Sweep     *sweepOut `json:"sweep,omitempty"`
	RequestID string    `json:"request_id"`
}

func (s *API) simulateSweep(ctx context.Context, c *httpapi.Call, req *sweepSimulateRequest) (sweepSimulateResponse, *plaid.Error) {
	if e := httpapi.CheckURL("webhook", req.Webhook); e != nil {
		return sweepSimulateResponse{}, e
	}
	sw, e := s.tr.SimulateSweep(ctx, c.Tenant, str(req.TestClockID), req.Webhook)
	if e != nil {
		return sweepSimulateResponse{}, e
	}
	out := sweepSimulateResponse{RequestID: c.RequestID}
	if sw != nil {
		o := sweepOf(*sw)
		out.Sweep = &o
	}
	return out, nil
}

type fireWebhookRequest struct {
	httpapi.Credentials
	Webhook string `json:"webhook"`
}

func (s *API) fireWebhook(ctx context.Context, c *httpapi.Call, req *fireWebhookRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	if e := plaid.Required("webhook", req.Webhook); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	if e := httpapi.CheckURL("webhook", req.Webhook); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	if e := s.tr.FireWebhook(ctx, c.Tenant, req.Webhook); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

type clockOut struct {
	ID          string `json:"test_clock_id"`
	VirtualTime string `json:"virtual_time"`
}

func clockOf(c transfer.Clock) clockOut {
	return clockOut{ID: c.ID, VirtualTime: c.VirtualTime.UTC().Format(time.RFC3339)}
}

type clockResponse struct {
	TestClock clockOut `json:"test_clock"`
	RequestID string   `json:"request_id"`
}

type clockCreateRequest struct {
	httpapi.Credentials
	VirtualTime *string `json:"virtual_time"`
}

func (s *API) createClock(ctx context.Context, c *httpapi.Call, req *clockCreateRequest) (clockResponse, *plaid.Error) {
	at, e := parseTime("virtual_time", req.VirtualTime)
	if e != nil {
		return clockResponse{}, e
	}
	clk, e := s.tr.CreateClock(ctx, c.Tenant, at)
	if e != nil {
		return clockResponse{}, e
	}
	return clockResponse{TestClock: clockOf(clk), RequestID: c.RequestID}, nil
}

type clockAdvanceRequest struct {
	httpapi.Credentials
	TestClockID    string `json:"test_clock_id"`
	NewVirtualTime string `json:"new_virtual_time"`
}

func (s *API) advanceClock(ctx context.Context, c *httpapi.Call, req *clockAdvanceRequest) (httpapi.RequestIDResponse, *plaid.Error) {
	to, e := parseTime("new_virtual_time", &req.NewVirtualTime)
	if e == nil && to == nil {
		e = plaid.MissingFields("new_virtual_time")
	}
	if e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	if e := s.tr.AdvanceClock(ctx, c.Tenant, req.TestClockID, *to); e != nil {
		return httpapi.RequestIDResponse{}, e
	}
	return httpapi.RequestIDResponse{RequestID: c.RequestID}, nil
}

type clockGetRequest struct {
	httpapi.Credentials
	TestClockID string `json:"test_clock_id"`
}

func (s *API) getClock(ctx context.Context, c *httpapi.Call, req *clockGetRequest) (clockResponse, *plaid.Error) {
	clk, e := s.tr.GetClock(ctx, c.Tenant, req.TestClockID)
	if e != nil {
		return clockResponse{}, e
	}
	return clockResponse{TestClock: clockOf(clk), RequestID: c.RequestID}, nil
}

type clockListRequest struct {
	httpapi.Credentials
	StartVirtualTime *string `json:"start_virtual_time"`
	EndVirtualTime   *string `json:"end_virtual_time"`
	Count            *int    `json:"count"`
	Offset           *int    `json:"offset"`
}

type clocksResponse struct {
	TestClocks []clockOut `json:"test_clocks"`
	RequestID  string     `json:"request_id"`
}

func (s *API) listClocks(ctx context.Context, c *httpapi.Call, req *clockListRequest) (clocksResponse, *plaid.Error) {
	p, e := page("start_virtual_time", req.StartVirtualTime, req.EndVirtualTime, req.Count, req.Offset)
	if e != nil {
		return clocksResponse{}, e
	}
	clks, e := s.tr.Clocks(ctx, c.Tenant, p)
	if e != nil {
		return clocksResponse{}, e
	}
	out := clocksResponse{TestClocks: []clockOut{}, RequestID: c.RequestID}
	for _, clk := range clks {
		out.TestClocks = append(out.TestClocks, clockOf(clk))
	}
	return out, nil
}
