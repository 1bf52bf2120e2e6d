package control

import (
	"context"
	"encoding/json"

	"github.com/linkharness/linkharness/internal/plaid"
	"github.com/linkharness/linkharness/internal/settings"
	"github.com/linkharness/linkharness/web/internal/httpapi"
)

// controlSettingsRequest names the settings to read or change: the
// client's, or with a link token those of that token's sessions only.
type controlSettingsRequest struct {
	httpapi.Credentials
	LinkToken string `json:"link_token"`
	// Settings is what set changes, a JSON merge patch.
	Settings json.RawMessage `json:"settings"`
}

type controlSettingsResponse struct {
	Settings  settings.Settings `json:"settings"`
	RequestID string            `json:"request_id"`
}

func (s *API) controlSettingsGet(ctx context.Context, c *httpapi.Call, req *controlSettingsRequest) (controlSettingsResponse, *plaid.Error) {
	if req.LinkToken != "" {
		if e := s.Settings.CheckToken(ctx, c.Tenant.ClientID, req.LinkToken); e != nil {
			return controlSettingsResponse{}, e
		}
	}
	st, e := s.Settings.Get(ctx, c.Tenant.ClientID, req.LinkToken)
	if e != nil {
		return controlSettingsResponse{}, e
	}
	return controlSettingsResponse{Settings: st, RequestID: c.RequestID}, nil
}

func (s *API) controlSettingsSet(ctx context.Context, c *httpapi.Call, req *controlSettingsRequest) (controlSettingsResponse, *plaid.Error) {
	if len(req.Settings) == 0 {
		return controlSettingsResponse{}, plaid.MissingFields("settings")
	}
	st, e := s.Settings.Set(ctx, c.Tenant.ClientID, req.LinkToken, req.Settings, c.Tenant.Now)
	if e != nil {
		return controlSettingsResponse{}, e
	}
	return controlSettingsResponse{Settings: st, RequestID: c.RequestID}, nil
}
