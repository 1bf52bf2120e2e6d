// Command linkharness runs the Plaid Link emulator.
//
// Usage:
//
//	linkharness serve [--addr 127.0.0.1:8080] [--public-key KEY]
//
// serve answers on addr with the Link SDK at /link/v2/stable/link-initialize.js,
// the endpoints the Link engine calls, and a demo page at /. It prints the
// address and the public key that Plaid.create({key}) must use.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/linkharness/linkharness/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "linkharness:", err)
		os.Exit(2)
	}
}

const usage = "usage: linkharness serve [flags]"

// run runs the command line args until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "serve" {
		fmt.Fprintln(stderr, usage)
		return errors.New("unknown or missing command; the only command is serve")
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage+"\n\nRuns the Plaid Link emulator. Flags:")
		fs.PrintDefaults()
	}
	addr := fs.String("addr", envOr("LINKHARNESS_ADDR", "127.0.0.1:8080"), "address to listen on (env LINKHARNESS_ADDR)")
	publicKey := fs.String("public-key", os.Getenv("LINKHARNESS_PUBLIC_KEY"), "public key legacy Plaid.create({key}) must send; random when empty (env LINKHARNESS_PUBLIC_KEY)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *publicKey == "" {
		*publicKey = randomHex(15)
	}
	client := web.Client{ClientID: "linkharness", Secret: randomHex(15), PublicKey: *publicKey}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: web.New(web.Options{Clients: []web.Client{client}}), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "linkharness listening on http://%s/\n", ln.Addr())
	fmt.Fprintf(stdout, "  demo page:  http://%s/\n", ln.Addr())
	fmt.Fprintf(stdout, "  script:     http://%s%s\n", ln.Addr(), web.ScriptPath)
	fmt.Fprintf(stdout, "  public key: %s\n", client.PublicKey)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
