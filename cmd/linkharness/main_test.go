package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--public-key", "demo-key", "--secret", "demo-secret",
			"--data", filepath.Join(t.TempDir(), "state.db"), "--client", "other:other-secret:other-key"}, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	var url, key, secret string
	for lines.Scan() {
		line := lines.Text()
		if rest, ok := strings.CutPrefix(line, "linkharness listening on "); ok {
			url = rest
		}
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "secret: "); ok {
			secret = strings.TrimSpace(rest)
		}
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "public key: "); ok {
			key = rest
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if url == "" || key != "demo-key" || secret != "demo-secret" {
		t.Fatalf("serve printed address %q, key %q and secret %q", url, key, secret)
	}
	for _, c := range []struct{ id, secret string }{{"linkharness", "demo-secret"}, {"other", "other-secret"}} {
		body := strings.NewReader(`{"client_id":"` + c.id + `","secret":"` + c.secret + `","client_user_id":"u"}`)
		resp, err := http.Post(url+"user/create", "application/json", body)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("client %s: /user/create answered %d", c.id, resp.StatusCode)
		}
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(page), `"demo-key"`) {
		t.Fatal("the demo page does not carry the printed public key")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no command", nil},
		{"unknown command", []string{"start"}},
		{"unknown flag", []string{"serve", "--nope"}},
		{"malformed client", []string{"serve", "--client", "only-an-id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			if err := run(context.Background(), tt.args, io.Discard, &stderr); err == nil {
				t.Fatal("run succeeded")
			}
			if !strings.Contains(stderr.String(), "usage: linkharness serve") {
				t.Fatalf("stderr lacks the usage: %q", stderr.String())
			}
		})
	}
}
