package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/linkharness/linkharness/internal/store"
	"github.com/linkharness/linkharness/internal/testkit"
)

// The crash test's client and its load.
const (
	crashClientID  = "crash"
	crashSecret    = "crash-secret"
	crashPublicKey = "crash-key"
	// crashKills is how many times the server is killed mid-load.
	crashKills = 4
	// crashWorkers are the concurrent clients of the load.
	crashWorkers = 4
)

// TestCrashRecovery builds linkharness, serves on a SQLite file, drives
// Link sessions and exchanges through the control API (each session with
// a webhook to a receiver the test runs; any answer but a 200 fails it, a
// kill only cuts connections) and SIGKILLs the server mid-load
// crashKills times, restarting it on the same file. Afterwards every
// operation the client saw acknowledged is there: each access token's
// Item, each public token not exchanged yet (or exchanged by a call cut
// short), each session; every webhook
// of an acknowledged session arrives at least once; and
// /linkharness/webhooks/list lists every attempt the receiver saw: no
// more receiver hits of a webhook than its attempts with a status code
// or marked interrupted, and no attempt with a status code the receiver
// did not answer.
func TestCrashRecovery(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "linkharness")
	build := exec.Command(goTool(), "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(t.TempDir(), "state.db")
	hooks := newReceiver()
	recv := httptest.NewServer(hooks)
	defer recv.Close()

	var (
		mu        sync.Mutex
		sessions  []string              // acknowledged session/complete
		unswapped = map[string]bool{}   // acknowledged public tokens not exchanged yet
		accesses  = map[string]string{} // acknowledged access token -> item_id
	)
	for round := 0; round <= crashKills; round++ {
		srv := startServe(t, bin, data)
		if round == crashKills {
			// The last server is not killed: it delivers what is due.
			defer srv.stop()
			checkRecovered(t, srv.client(), hooks, sessions, unswapped, accesses)
			return
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range crashWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := srv.client()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					status, done, err := c.Post("/linkharness/session/complete", map[string]any{
						"products": []string{"transactions"}, "webhook": recv.URL + fmt.Sprintf("/hook/%d/%d/%d", round, w, i)})
					if err != nil {
						continue // the server is down, or going down
					}
					if status != http.StatusOK {
						// A kill cuts the connection; an answer is the server's.
						t.Errorf("session/complete answered %d %v", status, done)
						continue
					}
					pt, _ := done["public_token"].(string)
					mu.Lock()
					sessions = append(sessions, done["link_session_id"].(string))
					unswapped[pt] = true
					mu.Unlock()
					status, ex, err := c.Post("/item/public_token/exchange", map[string]any{"public_token": pt})
					if err != nil {
						continue
					}
					if status != http.StatusOK {
						t.Errorf("exchange answered %d %v", status, ex)
						continue
					}
					mu.Lock()
					delete(unswapped, pt)
					accesses[ex["access_token"].(string)] = ex["item_id"].(string)
					mu.Unlock()
				}
			}()
		}
		// Kill it mid-load: after a while that varies by round.
		time.Sleep(time.Duration(300+200*round) * time.Millisecond)
		srv.kill()
		close(stop)
		wg.Wait()
		mu.Lock()
		t.Logf("round %d: %d sessions, %d exchanges acknowledged so far", round, len(sessions), len(accesses))
		mu.Unlock()
	}
}

// goTool is the go command: the one on PATH, or else the toolchain's that
// built the test.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// checkRecovered checks, on the last server, that every acknowledged
// operation survived the kills and that the webhooks and their attempts
// add up.
func checkRecovered(t *testing.T, c *testkit.Client, hooks *receiver, sessions []string, unswapped map[string]bool, accesses map[string]string) {
	t.Helper()
	if len(sessions) < 4*crashKills || len(accesses) < 2*crashKills {
		t.Fatalf("too little load to test: %d sessions, %d exchanges", len(sessions), len(accesses))
	}
	for access, item := range accesses {
		got := c.Must(t, "/item/get", map[string]any{"access_token": access})
		if got["item"].(map[string]any)["item_id"] != item {
			t.Fatalf("/item/get %s: %v, want item %s", access, got, item)
		}
	}
	// A public token whose exchange was cut short exchanges now, or was
	// exchanged before the kill: either way it is there.
	for pt := range unswapped {
		status, out := c.Call(t, "/item/public_token/exchange", map[string]any{"public_token": pt})
		if msg, _ := out["error_message"].(string); status != http.StatusOK && !strings.Contains(msg, "already been exchanged") {
			t.Fatalf("public token %s, acknowledged: exchange %d %v", pt, status, out)
		}
	}
	// Every webhook is delivered in the end, and every acknowledged
	// session has its own.
	// A webhook in flight at a kill waits for its lease (30s) to lapse.
	deadline := time.Now().Add(90 * time.Second)
	var listed []listedWebhook
	for {
		var out struct{ Webhooks []listedWebhook }
		c.MustDecode(t, "/linkharness/webhooks/list", map[string]any{}, &out)
		listed = out.Webhooks
		pending := 0
		for _, h := range listed {
			if h.Status != store.WebhookDelivered {
				pending++
			}
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d webhooks not delivered after 90s", pending, len(listed))
		}
		time.Sleep(200 * time.Millisecond)
	}
	bySession := map[string]int{}
	for _, h := range listed {
		bySession[h.LinkSessionID]++
	}
	for _, id := range sessions {
		if bySession[id] == 0 {
			t.Fatalf("session %s: acknowledged, but no webhook listed", id)
		}
	}
	hits := hooks.counts()
	interrupted, answered := 0, 0
	for _, h := range listed {
		key := hookKey(h.URL, h.WebhookType, h.WebhookCode)
		var withStatus, cut int
		for _, a := range h.Attempts {
			switch {
			case a.StatusCode != 0:
				withStatus++
			case a.Error == store.AttemptInterrupted:
				cut++
			default:
				t.Errorf("webhook %s: attempt %d neither answered nor interrupted: %+v", h.WebhookID, a.Attempt, a)
			}
		}
		// Every listed webhook was delivered, so the receiver saw it.
		n := hits[key]
		if n == 0 || n > withStatus+cut || withStatus > n {
			t.Errorf("webhook %s (%s): the receiver saw it %d times; listed %d attempts answered, %d interrupted", h.WebhookID, key, n, withStatus, cut)
		}
		delete(hits, key)
		interrupted += cut
		answered += withStatus
	}
	for key, n := range hits {
		t.Errorf("the receiver saw %s %d times, and no listed webhook is it", key, n)
	}
	t.Logf("%d sessions and %d exchanges acknowledged; %d webhooks: %d attempts answered, %d interrupted", len(sessions), len(accesses), len(listed), answered, interrupted)
}

// listedWebhook is a webhook as /linkharness/webhooks/list lists it.
type listedWebhook struct {
	WebhookID     string `json:"webhook_id"`
	LinkSessionID string `json:"link_session_id"`
	URL           string `json:"url"`
	WebhookType   string `json:"webhook_type"`
	WebhookCode   string `json:"webhook_code"`
	Status        string `json:"status"`
	Attempts      []struct {
		Attempt    int    `json:"attempt"`
		StatusCode int    `json:"status_code"`
		Error      string `json:"error"`
	} `json:"attempts"`
}

// hookKey names a webhook by what the receiver sees of it: its URL path
// (one per session) and its type and code.
func hookKey(url, typ, code string) string {
	if i := strings.Index(url, "/hook/"); i >= 0 {
		url = url[i:]
	}
	return url + " " + typ + " " + code
}

// receiver is a webhook receiver that counts the webhooks it got whole.
type receiver struct {
	mu   sync.Mutex
	hits map[string]int
}

func newReceiver() *receiver { return &receiver{hits: map[string]int{}} }

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var body struct {
		WebhookType string `json:"webhook_type"`
		WebhookCode string `json:"webhook_code"`
	}
	raw, err := io.ReadAll(req.Body)
	if err != nil || json.Unmarshal(raw, &body) != nil {
		w.WriteHeader(http.StatusBadRequest) // cut short by a kill: not a webhook received
		return
	}
	r.mu.Lock()
	r.hits[hookKey(req.URL.Path, body.WebhookType, body.WebhookCode)]++
	r.mu.Unlock()
}

// total is how many webhooks the receiver got.
func (r *receiver) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, v := range r.hits {
		n += v
	}
	return n
}

// counts is a copy of the hits so far.
func (r *receiver) counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.hits {
		out[k] = v
	}
	return out
}

// process is a linkharness serve process.
type process struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

// startServe runs the binary on data at a free loopback port and waits
// for it to listen.
func startServe(t *testing.T, bin, data string) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0",
		"--client-id", crashClientID, "--secret", crashSecret, "--public-key", crashPublicKey)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(lines.Text()), "linkharness listening on "); ok {
			p.url = rest
			break
		}
	}
	go func() {
		io.Copy(io.Discard, out)
		cmd.Wait()
		close(p.done)
	}()
	if p.url == "" {
		p.kill()
		t.Fatal("serve printed no address")
	}
	return p
}

// client is the test's client of the server.
func (p *process) client() *testkit.Client {
	return testkit.New(strings.TrimSuffix(p.url, "/"), crashClientID, crashSecret)
}

// kill SIGKILLs the server and waits for it to be gone.
func (p *process) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop stops the server as Ctrl-C does, or kills it after 10 seconds.
func (p *process) stop() {
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.kill()
	}
}
