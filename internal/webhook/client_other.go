//go:build !js

package webhook

import "net/http"

// defaultClient is the client Options.Client nil stands for.
func defaultClient() Doer { return &http.Client{Timeout: DefaultTimeout} }
