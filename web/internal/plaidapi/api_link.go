package plaidapi

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/linkharness/linkharness/internal/linkconfig"
	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/service"
	"github.com/linkharness/linkharness/web/internal/httpapi"

	"github.com/linkharness/linkharness/internal/store"
)

// languages are Link's languages.
var languages = []string{"da", "de", "en", "es", "et", "fr", "hi", "it", "ja", "lt", "lv", "nl", "no", "pl", "pt", "ro", "sv", "vi", "zh"}

// countryCodes are the countries Plaid serves.
var countryCodes = plaid.CountryCodes

// linkTokenCreateRequest is /link/token/create's body; a link token keeps
// it (less the credentials) as its configuration.
type linkTokenCreateRequest struct {
	httpapi.Credentials
	ClientName   string   `json:"client_name"`
	Language     string   `json:"language"`
	CountryCodes []string `json:"country_codes"`
	User         *struct {
		ClientUserID string `json:"client_user_id"`
	} `json:"user"`
	Products                    []string                       `json:"products"`
	RequiredIfSupportedProducts []string                       `json:"required_if_supported_products"`
	OptionalProducts            []string                       `json:"optional_products"`
	AdditionalConsentedProducts []string                       `json:"additional_consented_products"`
	Webhook                     string                         `json:"webhook"`
	AccessToken                 string                         `json:"access_token"`
	RedirectURI                 string                         `json:"redirect_uri"`
	LinkCustomizationName       string                         `json:"link_customization_name"`
	AccountFilters              map[string]map[string][]string `json:"account_filters"`
	EnableMultiItemLink         bool                           `json:"enable_multi_item_link"`
	UserToken                   string                         `json:"user_token"`
	// UserID names the user of /user/create (the User API) instead of
	// user.
	UserID string `json:"user_id"`
	// Auth and IncomeVerification are the product options that decide
	// which products may be initialized together.
	Auth *struct {
		SameDayMicrodepositsEnabled bool `json:"same_day_microdeposits_enabled"`
	} `json:"auth"`
	IncomeVerification *struct {
		IncomeSourceTypes []string `json:"income_source_types"`
	} `json:"income_verification"`
	// PaymentInitiation makes a Payment Initiation link token for a
	// payment of /payment_initiation/payment/create.
	PaymentInitiation *struct {
		PaymentID string `json:"payment_id"`
	} `json:"payment_initiation"`
}

type linkTokenCreateResponse struct {
	LinkToken  string `json:"link_token"`
	Expiration string `json:"expiration"`
	RequestID  string `json:"request_id"`
}

func (s *API) linkTokenCreate(ctx context.Context, c *httpapi.Call, req *linkTokenCreateRequest) (linkTokenCreateResponse, *plaid.Error) {
	userID := ""
	if req.User != nil {
		userID = req.User.ClientUserID
	}
	if req.UserToken != "" {
		if e := s.Svc.CheckUserToken(ctx, c.Tenant, req.UserToken); e != nil {
			return linkTokenCreateResponse{}, e
		}
	} else if req.UserID != "" {
		if e := s.Svc.CheckUserID(ctx, c.Tenant, req.UserID); e != nil {
			return linkTokenCreateResponse{}, e
		}
	} else if req.User == nil {
		return linkTokenCreateResponse{}, plaid.MissingFields("user")
	} else if e := plaid.Required("user.client_user_id", userID); e != nil {
		return linkTokenCreateResponse{}, e
	}
	if e := plaid.Required("client_name", req.ClientName, "language", req.Language, "country_codes", req.CountryCodes); e != nil {
		return linkTokenCreateResponse{}, e
	}
	if e := plaid.CheckAll("language", []string{req.Language}, languages); e != nil {
		return linkTokenCreateResponse{}, e
	}
	if e := plaid.CheckAll("country_codes", req.CountryCodes, countryCodes); e != nil {
		return linkTokenCreateResponse{}, e
	}
	if e := planRules(req).Validate(); e != nil {
		return linkTokenCreateResponse{}, e
	}
	if e := s.checkPaymentInitiation(ctx, c, req); e != nil {
		return linkTokenCreateResponse{}, e
	}
	if e := httpapi.CheckURL("webhook", req.Webhook); e != nil {
		return linkTokenCreateResponse{}, e
	}
	if e := httpapi.CheckURL("redirect_uri", req.RedirectURI); e != nil {
		return linkTokenCreateResponse{}, e
	}
	if e := s.Link.CheckTokenRedirect(c.Tenant, req.RedirectURI); e != nil {
		return linkTokenCreateResponse{}, e
	}
	t, e := s.Svc.CreateLinkToken(ctx, c.Tenant, configOf(req), req.AccessToken)
	if e != nil {
		return linkTokenCreateResponse{}, e
	}
	return linkTokenCreateResponse{LinkToken: t.Token, Expiration: plaid.Time(t.ExpiresAt), RequestID: c.RequestID}, nil
}

// linkTokenGetRequest is /link/token/get's body.
type linkTokenGetRequest struct {
	httpapi.Credentials
	LinkToken string `json:"link_token"`
}

type linkTokenGetResponse struct {
	LinkToken    string              `json:"link_token"`
	CreatedAt    string              `json:"created_at"`
	Expiration   string              `json:"expiration"`
	Metadata     linkTokenMetadata   `json:"metadata"`
	LinkSessions []LinkSessionReport `json:"link_sessions"`
	RequestID    string              `json:"request_id"`
}

type linkTokenMetadata struct {
	InitialProducts []string                       `json:"initial_products"`
	Webhook         *string                        `json:"webhook"`
	CountryCodes    []string                       `json:"country_codes"`
	Language        *string                        `json:"language"`
	AccountFilters  map[string]map[string][]string `json:"account_filters,omitempty"`
	RedirectURI     *string                        `json:"redirect_uri"`
	ClientName      *string                        `json:"client_name"`
}

// LinkSessionReport is a session as /link/token/get lists it: the newer
// exit, events and results next to the deprecated on_success and on_exit.
type LinkSessionReport struct {
	LinkSessionID string                  `json:"link_session_id"`
	StartedAt     string                  `json:"started_at"`
	FinishedAt    *string                 `json:"finished_at"`
	OnSuccess     *service.SessionSuccess `json:"on_success"`
	OnExit        *service.SessionExit    `json:"on_exit"`
	Exit          *service.SessionExit    `json:"exit"`
	Events        []linkEvent             `json:"events"`
	Results       linkSessionResults      `json:"results"`
}

type linkEvent struct {
	EventID       string          `json:"event_id"`
	Timestamp     string          `json:"timestamp"`
	EventName     string          `json:"event_name"`
	EventMetadata json.RawMessage `json:"event_metadata"`
}

// linkSessionResults are what a session added. The emulator's sessions
// add Items only: the Plaid Check, income and document results Plaid's
// schema requires are empty (document_income_results null).
type linkSessionResults struct {
	ItemAddResults        []service.ItemAddResult `json:"item_add_results"`
	CRAItemAddResults     []struct{}              `json:"cra_item_add_results"`
	CRAUpdateResults      []struct{}              `json:"cra_update_results"`
	BankIncomeResults     []struct{}              `json:"bank_income_results"`
	PayrollIncomeResults  []struct{}              `json:"payroll_income_results"`
	DocumentIncomeResults *struct{}               `json:"document_income_results"`
}

func (s *API) linkTokenGet(ctx context.Context, c *httpapi.Call, req *linkTokenGetRequest) (linkTokenGetResponse, *plaid.Error) {
	t, cfg, sessions, e := s.Svc.LinkToken(ctx, c.Tenant, req.LinkToken)
	if e != nil {
		return linkTokenGetResponse{}, e
	}
	resp := linkTokenGetResponse{LinkToken: t.Token, CreatedAt: plaid.Time(t.CreatedAt), Expiration: plaid.Time(t.ExpiresAt),
		LinkSessions: []LinkSessionReport{}, RequestID: c.RequestID}
	for _, sess := range sessions {
		resp.LinkSessions = append(resp.LinkSessions, SessionReport(sess))
	}
	resp.Metadata = linkTokenMetadata{
		InitialProducts: httpapi.NonNil(cfg.Products), Webhook: httpapi.OptString(cfg.Webhook), CountryCodes: httpapi.NonNil(cfg.CountryCodes),
		Language: httpapi.OptString(cfg.Language), AccountFilters: cfg.AccountFilters, RedirectURI: httpapi.OptString(cfg.RedirectURI),
		ClientName: httpapi.OptString(cfg.ClientName),
	}
	return resp, nil
}

// SessionReport is a stored session as /link/token/get shows it.
func SessionReport(sess store.Session) LinkSessionReport {
	r := LinkSessionReport{LinkSessionID: sess.ID, StartedAt: plaid.Time(sess.StartedAt), FinishedAt: plaid.OptTime(sess.FinishedAt),
		Events: []linkEvent{}, Results: linkSessionResults{ItemAddResults: []service.ItemAddResult{},
			CRAItemAddResults: []struct{}{}, CRAUpdateResults: []struct{}{}, BankIncomeResults: []struct{}{}, PayrollIncomeResults: []struct{}{}}}
	for _, cb := range sess.Callbacks {
		switch cb.Name {
		case store.OnEvent:
			r.Events = append(r.Events, linkEvent{EventID: cb.EventID, Timestamp: cb.Timestamp, EventName: cb.EventName, EventMetadata: eventMetadata(cb.Payload)})
		case store.OnSuccess:
			var v service.SessionSuccess
			json.Unmarshal(cb.Payload, &v)
			r.OnSuccess = &v
		case store.OnExit:
			var v service.SessionExit
			json.Unmarshal(cb.Payload, &v)
			r.Exit, r.OnExit = &v, &v
		}
	}
	for _, res := range sess.Results {
		r.Results.ItemAddResults = append(r.Results.ItemAddResults, service.ItemAddResultOf(res))
	}
	// A Multi-Item Link session's onSuccess is empty, but on_success, as
	// Plaid's docs warn, holds one public token only: the first.
	if r.OnSuccess != nil && r.OnSuccess.PublicToken == "" && len(sess.Results) > 0 {
		first := *r.OnSuccess
		first.PublicToken = sess.Results[0].PublicToken
		r.OnSuccess = &first
	}
	return r
}

// eventMetadata is a recorded event's metadata as /link/token/get shows
// it. Link's onEvent metadata carries every key Plaid documents, null
// where it does not apply, but Plaid's schema of the metadata in
// /link/token/get types each of them as a string that is never null: the
// keys without a value are left out, and an event recorded without
// metadata has {}.
func eventMetadata(raw json.RawMessage) json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return json.RawMessage("{}")
	}
	for k, v := range m {
		if string(bytes.TrimSpace(v)) == "null" {
			delete(m, k)
		}
	}
	out, _ := json.Marshal(m)
	return out
}

// userCreateRequest is /user/create's body.
type userCreateRequest struct {
	httpapi.Credentials
	ClientUserID string `json:"client_user_id"`
}

type userCreateResponse struct {
	UserToken string `json:"user_token"`
	UserID    string `json:"user_id"`
	RequestID string `json:"request_id"`
}

// userCreate makes a user, or returns the one the client made before with
// the same client_user_id.
func (s *API) userCreate(ctx context.Context, c *httpapi.Call, req *userCreateRequest) (userCreateResponse, *plaid.Error) {
	if e := plaid.Required("client_user_id", req.ClientUserID); e != nil {
		return userCreateResponse{}, e
	}
	u, e := s.Svc.EnsureUser(ctx, c.Tenant, req.ClientUserID)
	if e != nil {
		return userCreateResponse{}, e
	}
	return userCreateResponse{UserToken: u.Token, UserID: u.ID, RequestID: c.RequestID}, nil
}

// configOf is the configuration a link token request makes.
func configOf(req *linkTokenCreateRequest) linkconfig.Config {
	cfg := linkconfig.Config{ClientName: req.ClientName, Language: req.Language, CountryCodes: req.CountryCodes,
		Products: req.Products, RequiredIfSupportedProducts: req.RequiredIfSupportedProducts,
		OptionalProducts: req.OptionalProducts, AdditionalConsentedProducts: req.AdditionalConsentedProducts,
		Webhook: req.Webhook, AccountFilters: req.AccountFilters, RedirectURI: req.RedirectURI,
		MultiItem: req.EnableMultiItemLink, UserToken: req.UserToken,
		LinkCustomizationName: req.LinkCustomizationName}
	if req.PaymentInitiation != nil {
		cfg.PaymentID = req.PaymentInitiation.PaymentID
	}
	return cfg
}

// planOf is the product plan of a link token request.
func planOf(req linkTokenCreateRequest) linkconfig.Plan { return configOf(&req).Plan() }

// planRules is what product initialization's rules read of a request.
func planRules(req *linkTokenCreateRequest) linkconfig.PlanRules {
	r := linkconfig.PlanRules{Plan: planOf(*req), UpdateMode: req.AccessToken != "", UserToken: req.UserToken != "",
		MultiItem: req.EnableMultiItemLink}
	if req.IncomeVerification != nil {
		r.IncomeSourceTypes = req.IncomeVerification.IncomeSourceTypes
	}
	if req.Auth != nil {
		r.SameDayMicrodeposits = req.Auth.SameDayMicrodepositsEnabled
	}
	return r
}
