package apitest

import (
	"fmt"
	"os"
	"testing"

	"github.com/linkharness/linkharness/web"
)

// The tests run against a server of their own in the process, or against
// a linkharness that runs elsewhere when LINKHARNESS_TEST_URL names it:
// `make test-worker` points them at the Cloudflare Worker under wrangler
// dev. The client is then the one given by
//
//	LINKHARNESS_TEST_CLIENT_ID, LINKHARNESS_TEST_SECRET,
//	LINKHARNESS_TEST_PUBLIC_KEY
//
// and, for the tests of one client's data seen from another, a second
// client of the same server by
//
//	LINKHARNESS_TEST_CLIENT_B_ID, LINKHARNESS_TEST_SECRET_B
//
// and the server must allow https://app.example/oauth as an OAuth
// redirect URI (LINKHARNESS_REDIRECT_URIS). Each test resets that
// client's data first, so the tests run one at a time, and no other
// test may use the same client meanwhile. The webhook receivers listen on
// 127.0.0.1, where a server on this machine reaches them.
var externalURL = os.Getenv("LINKHARNESS_TEST_URL")

// otherClient is a second client of the server under test, another
// tenant.
var otherClient = web.Client{ClientID: "other", Secret: "other-secret"}

func TestMain(m *testing.M) {
	if externalURL != "" {
		client = web.Client{
			ClientID:  os.Getenv("LINKHARNESS_TEST_CLIENT_ID"),
			Secret:    os.Getenv("LINKHARNESS_TEST_SECRET"),
			PublicKey: os.Getenv("LINKHARNESS_TEST_PUBLIC_KEY"),
		}
		if client.ClientID == "" || client.Secret == "" {
			fmt.Fprintln(os.Stderr, "LINKHARNESS_TEST_URL is set: set LINKHARNESS_TEST_CLIENT_ID and LINKHARNESS_TEST_SECRET too")
			os.Exit(2)
		}
		otherClient = web.Client{ClientID: os.Getenv("LINKHARNESS_TEST_CLIENT_B_ID"), Secret: os.Getenv("LINKHARNESS_TEST_SECRET_B")}
		if otherClient.ClientID == "" || otherClient.Secret == "" {
			fmt.Fprintln(os.Stderr, "LINKHARNESS_TEST_URL is set: set LINKHARNESS_TEST_CLIENT_B_ID and LINKHARNESS_TEST_SECRET_B too (a second client)")
			os.Exit(2)
		}
		fmt.Printf("apitest: testing the linkharness at %s as client %s\n", externalURL, client.ClientID)
	}
	os.Exit(m.Run())
}
