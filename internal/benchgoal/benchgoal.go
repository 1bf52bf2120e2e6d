// Package benchgoal holds the performance goals that `make bench` checks
// and prints each measured figure next to its goal, in one line format:
//
//	FIGURE harness flows: 1234 flows/s (goal >= 2000 flows/s): not met
//
// The benchmarks log such lines (testing.B.Log), the Makefile's shell
// steps print them with the command in ./internal/benchgoal/figure, and
// `make bench` collects every line of its run into one summary at the
// end, so that all the figures it prints come from the same run on the
// same machine.
package benchgoal

import (
	"fmt"
	"strconv"
)

// Marker starts every figure line; `make bench` collects the lines that
// hold it.
const Marker = "FIGURE "

// Goal is one figure's target: a value at least (AtLeast) or at most
// (AtMost, Below) Target, in Unit.
type Goal struct {
	// Key names the goal on the command line of ./internal/benchgoal/figure.
	Key string
	// Name says what is measured, as the summary lists it.
	Name string
	// Unit is the unit of the figure and the target ("flows/s", "ms").
	Unit string
	// Target is the value to reach.
	Target float64
	// Cmp says which side of Target meets the goal.
	Cmp Cmp
}

// Cmp is how a figure must compare with its goal's target.
type Cmp int

// The comparisons a goal can ask for.
const (
	AtLeast Cmp = iota // figure >= target
	AtMost             // figure <= target
	Below              // figure < target
)

func (c Cmp) String() string {
	switch c {
	case AtLeast:
		return ">="
	case AtMost:
		return "<="
	default:
		return "<"
	}
}

// The goals of issue 16, on a 2-core machine.
var (
	HarnessFlows = Goal{"harness-flows", "full success flows through the harness (wazero, in process)", "flows/s", 2000, AtLeast}
	OnLoad       = Goal{"onload", "navigation to onLoad, headless Chromium, a fresh browser context each run (median)", "ms", 120, AtMost}
	WasmGzip     = Goal{"wasm-gzip", "link.wasm gzipped", "bytes", 950_000, AtMost}
	WorkerGzip   = Goal{"worker-gzip", "the Worker's wasm gzipped", "bytes", 3 << 20, AtMost}
	WorkerCPU    = Goal{"worker-cpu", "the Worker's CPU per request", "ms", 10, AtMost}
	ReadRatio    = Goal{"read-ratio", "/item/get (read) rate as a ratio to the bare net/http handler", "x", 0.4, AtLeast}
	WriteRatio   = Goal{"write-ratio", "/link/token/create (write) rate as a ratio to the bare net/http handler", "x", 0.15, AtLeast}
	SteadyP99    = Goal{"steady-p99", "p99 of /item/get at a steady 1,000 req/s", "ms", 5, Below}
)

// All lists the goals in the order the summary prints them.
var All = []Goal{HarnessFlows, OnLoad, WasmGzip, WorkerGzip, WorkerCPU, ReadRatio, WriteRatio, SteadyP99}

// Of is the goal for one of several things measured against it (the
// Worker's CPU per request of each endpoint): what is named after the
// goal's Name.
func (g Goal) Of(what string) Goal {
	g.Name += " (" + what + ")"
	return g
}

// Met says whether value meets the goal.
func (g Goal) Met(value float64) bool {
	switch g.Cmp {
	case AtLeast:
		return value >= g.Target
	case AtMost:
		return value <= g.Target
	default:
		return value < g.Target
	}
}

// Line is the figure line for value, with detail (may be empty) in
// parentheses after the value: what else the run measured to read it by.
func (g Goal) Line(value float64, detail string) string {
	verdict := "met"
	if !g.Met(value) {
		verdict = "NOT MET"
	}
	if detail != "" {
		detail = " (" + detail + ")"
	}
	return fmt.Sprintf("%s%s: %s %s%s; goal %s %s %s: %s",
		Marker, g.Name, format(value), g.Unit, detail, g.Cmp, format(g.Target), g.Unit, verdict)
}

// format prints integers without decimals and other values with three
// significant decimals at most.
func format(v float64) string {
	if v == float64(int64(v)) {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

// Find returns the goal whose Key is key.
func Find(key string) (Goal, bool) {
	for _, g := range All {
		if g.Key == key {
			return g, true
		}
	}
	return Goal{}, false
}
