// Command figure prints one figure line of internal/benchgoal for the
// Makefile's shell steps of `make bench`:
//
//	go run ./internal/benchgoal/figure wasm-gzip 1111736 "4070612 bytes raw"
//
// The first argument is the goal's Key, the second the measured value, the
// optional third the detail printed after the value.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/linkharness/linkharness/internal/benchgoal"
)

func main() {
	if len(os.Args) < 3 || len(os.Args) > 4 {
		fail("usage: figure GOAL VALUE [DETAIL]")
	}
	g, ok := benchgoal.Find(os.Args[1])
	if !ok {
		fail("figure: no goal named " + strconv.Quote(os.Args[1]))
	}
	v, err := strconv.ParseFloat(os.Args[2], 64)
	if err != nil {
		fail("figure: the value " + strconv.Quote(os.Args[2]) + " is not a number")
	}
	detail := ""
	if len(os.Args) == 4 {
		detail = os.Args[3]
	}
	fmt.Println(g.Line(v, detail))
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(2)
}
