// Command fuzzseeds keeps, of the inputs a fuzz run found interesting, only
// those worth committing: the ones that cover code nothing kept covers.
//
//	go run ./internal/fuzzseeds [-prune] PACKAGE FUZZTARGET...
//
// For each target, the inputs already in PACKAGE's testdata/fuzz/TARGET are
// kept (the fuzzer writes its minimised failing inputs there), and the
// entries of the fuzz cache ($GOCACHE/fuzz/IMPORTPATH/TARGET) are
// candidates. The tool builds the package's test binary once with coverage
// of the package, runs the target on each candidate alone, and adds the
// candidates greedily, the one covering the most blocks not yet covered
// first (the smaller file on a tie), until none adds a block. Coverage is
// by basic block, coarser than the fuzzer's own edge and hit-count
// counters: the fuzzer needs every step towards new code, a seed corpus
// only the inputs that reach it. A candidate that fails the target is kept
// whatever it covers, since it reproduces a bug.
//
// With -prune the inputs in testdata/fuzz/TARGET are candidates too, and
// those that add nothing are removed.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// corpusHeader opens every file of a Go fuzz corpus.
const corpusHeader = "go test fuzz v1\n"

func main() {
	prune := flag.Bool("prune", false, "treat the inputs in testdata/fuzz as candidates too, and remove those that add no coverage")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: fuzzseeds [-prune] PACKAGE FUZZTARGET...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() < 2 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Args()[1:], *prune); err != nil {
		fmt.Fprintln(os.Stderr, "fuzzseeds:", err)
		os.Exit(1)
	}
}

// input is one corpus file.
type input struct {
	path   string
	name   string
	size   int
	kept   bool // already in testdata/fuzz and not a candidate
	blocks map[string]bool
	failed bool
}

func run(pkg string, targets []string, prune bool) error {
	importPath, dir, err := goList(pkg)
	if err != nil {
		return err
	}
	out, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		return fmt.Errorf("go env GOCACHE: %w", err)
	}
	cache := filepath.Join(strings.TrimSpace(string(out)), "fuzz", filepath.FromSlash(importPath))

	tmp, err := os.MkdirTemp("", "fuzzseeds")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "pkg.test")
	build := exec.Command("go", "test", "-c", "-o", bin, "-cover", "-covermode=set", "-coverpkg="+importPath, pkg)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building the test binary: %w", err)
	}

	for _, target := range targets {
		if err := keep(bin, tmp, target, filepath.Join(dir, "testdata", "fuzz", target), filepath.Join(cache, target), prune); err != nil {
			return fmt.Errorf("%s: %w", target, err)
		}
	}
	return nil
}

// keep chooses target's seeds and writes them to seedDir.
func keep(bin, tmp, target, seedDir, cacheDir string, prune bool) error {
	committed, err := corpus(seedDir, !prune)
	if err != nil {
		return err
	}
	cached, err := corpus(cacheDir, false)
	if err != nil {
		return err
	}
	var kept, candidates []*input
	for _, in := range committed {
		if in.kept {
			kept = append(kept, in)
		} else {
			candidates = append(candidates, in)
		}
	}
	have := map[string]bool{}
	for _, in := range committed {
		have[in.name] = true
	}
	for _, in := range cached {
		if !have[in.name] { // the cache names inputs by content, as testdata does
			candidates = append(candidates, in)
		}
	}

	// What the target's own f.Add seeds and the kept inputs cover.
	covered, failed, err := cover(bin, tmp, target, kept)
	if err != nil {
		return err
	}
	if failed {
		fmt.Fprintf(os.Stderr, "%s: the kept seeds in %s fail the target\n", target, seedDir)
	}
	base := len(covered)
	for _, in := range candidates {
		in.blocks, in.failed, err = cover(bin, tmp, target, []*input{in})
		if err != nil {
			return err
		}
	}

	chosen := map[*input]bool{}
	for _, in := range candidates {
		if in.failed {
			fmt.Fprintf(os.Stderr, "%s: %s fails the target; keeping it\n", target, in.name)
			chosen[in] = true
			for b := range in.blocks {
				covered[b] = true
			}
		}
	}
	for {
		var best *input
		bestGain := 0
		for _, in := range candidates {
			if chosen[in] {
				continue
			}
			gain := 0
			for b := range in.blocks {
				if !covered[b] {
					gain++
				}
			}
			if gain > bestGain || gain == bestGain && gain > 0 && cmp.Or(cmp.Compare(in.size, best.size), strings.Compare(in.name, best.name)) < 0 {
				best, bestGain = in, gain
			}
		}
		if best == nil {
			break
		}
		chosen[best] = true
		for b := range best.blocks {
			covered[b] = true
		}
	}

	if err := os.MkdirAll(seedDir, 0o755); err != nil {
		return err
	}
	added, removed := 0, 0
	for _, in := range candidates {
		inSeeds := filepath.Dir(in.path) == seedDir
		switch {
		case chosen[in] && !inSeeds:
			data, err := os.ReadFile(in.path)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(seedDir, in.name), data, 0o644); err != nil {
				return err
			}
			added++
		case !chosen[in] && inSeeds:
			if err := os.Remove(in.path); err != nil {
				return err
			}
			removed++
		}
	}
	shown := seedDir
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, seedDir); err == nil && !strings.HasPrefix(rel, "..") {
			shown = rel
		}
	}
	fmt.Printf("%s: %d seeds in %s (%d added, %d removed; %d candidates; %d blocks covered, %d by the f.Add seeds and kept inputs)\n",
		target, len(kept)+len(chosen), shown, added, removed, len(candidates), len(covered), base)
	return nil
}

// corpus reads the corpus files in dir (none if dir does not exist),
// smallest first.
func corpus(dir string, kept bool) ([]*input, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ins []*input
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if !bytes.HasPrefix(data, []byte(corpusHeader)) {
			fmt.Fprintf(os.Stderr, "skipping %s: not a Go fuzz corpus file\n", p)
			continue
		}
		ins = append(ins, &input{path: p, name: e.Name(), size: len(data), kept: kept})
	}
	slices.SortFunc(ins, func(a, b *input) int { return cmp.Or(cmp.Compare(a.size, b.size), strings.Compare(a.name, b.name)) })
	return ins, nil
}

// cover runs target on its f.Add seeds and ins, in a directory holding
// only ins as testdata/fuzz/target, and returns the blocks covered and
// whether the target failed.
func cover(bin, tmp, target string, ins []*input) (map[string]bool, bool, error) {
	work, err := os.MkdirTemp(tmp, "run")
	if err != nil {
		return nil, false, err
	}
	defer os.RemoveAll(work)
	seeds := filepath.Join(work, "testdata", "fuzz", target)
	if err := os.MkdirAll(seeds, 0o755); err != nil {
		return nil, false, err
	}
	for _, in := range ins {
		data, err := os.ReadFile(in.path)
		if err != nil {
			return nil, false, err
		}
		if err := os.WriteFile(filepath.Join(seeds, in.name), data, 0o644); err != nil {
			return nil, false, err
		}
	}
	profile := filepath.Join(work, "cover.out")
	cmd := exec.Command(bin, "-test.run=^"+target+"$", "-test.count=1", "-test.coverprofile="+profile)
	cmd.Dir = work
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	var exit *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exit) {
		return nil, false, runErr
	}
	blocks, err := readProfile(profile)
	if err != nil {
		if runErr != nil {
			return nil, false, fmt.Errorf("%v\n%s", runErr, out.Bytes())
		}
		return nil, false, err
	}
	return blocks, runErr != nil, nil
}

// readProfile returns the blocks a coverage profile counts as run.
func readProfile(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	blocks := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "mode:") {
			continue
		}
		// file:start.col,end.col statements count
		fields := strings.Fields(line)
		if len(fields) != 3 {
			return nil, fmt.Errorf("%s: bad profile line %q", path, line)
		}
		if fields[2] != "0" {
			blocks[fields[0]] = true
		}
	}
	return blocks, sc.Err()
}

// goList returns the import path and directory of pkg.
func goList(pkg string) (importPath, dir string, err error) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}\n{{.Dir}}", pkg).Output()
	if err != nil {
		return "", "", fmt.Errorf("go list %s: %w", pkg, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return "", "", fmt.Errorf("go list %s: %q", pkg, out)
	}
	return lines[0], lines[1], nil
}
