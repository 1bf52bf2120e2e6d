package testkit

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Capture runs fn as a test of its own on a testing.TB that records
// failures instead of failing t, then runs the cleanups fn registered,
// and returns what failed (one failure a line) and whether fn stopped
// with Fatal. Tests of helpers use it to check what a helper reports.
func Capture(t testing.TB, fn func(t testing.TB)) (failures string, fatal bool) {
	f := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	for i := len(f.cleanups) - 1; i >= 0; i-- {
		f.cleanups[i]()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.failures, "\n"), f.fatal
}

// fakeT is Capture's testing.TB.
type fakeT struct {
	testing.TB
	mu       sync.Mutex
	failures []string
	fatal    bool
	cleanups []func()
}

// The methods below are testing.TB's: failures are recorded, Fatal and
// Skip end fn's goroutine as they end a test's, and a skip counts as a
// failure (no test of the kit may pass by skipping).

func (f *fakeT) Helper() {}

func (f *fakeT) Errorf(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, fmt.Sprintf(format, args...))
}

func (f *fakeT) Error(args ...any) { f.Errorf("%s", fmt.Sprint(args...)) }

func (f *fakeT) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.mu.Lock()
	f.fatal = true
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fakeT) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }

func (f *fakeT) Skip(args ...any) { f.Fatalf("skipped: %s", fmt.Sprint(args...)) }

func (f *fakeT) Skipf(format string, args ...any) { f.Fatalf("skipped: "+format, args...) }

func (f *fakeT) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}
