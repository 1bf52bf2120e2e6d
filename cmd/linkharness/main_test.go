package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--public-key", "demo-key"}, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	var url, key string
	for lines.Scan() {
		line := lines.Text()
		if rest, ok := strings.CutPrefix(line, "linkharness listening on "); ok {
			url = rest
		}
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "public key: "); ok {
			key = rest
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if url == "" || key != "demo-key" {
		t.Fatalf("serve printed address %q and key %q", url, key)
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
