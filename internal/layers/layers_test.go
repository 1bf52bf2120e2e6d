package layers

import (
	"bufio"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/linkharness/linkharness"

// root is the repository's root, where go.mod is.
const root = "../.."

// imports are the imports of the non-test Go files of the package in dir,
// whatever their build tags.
func imports(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range parsed.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// closure is every package the package in dir imports, directly or through
// other packages of the module.
func closure(t *testing.T, dir string) map[string]string {
	seen := map[string]string{} // import path -> the module package that imports it
	var walk func(dir string)
	walk = func(dir string) {
		for _, p := range imports(t, dir) {
			if _, ok := seen[p]; ok {
				continue
			}
			seen[p] = dir
			if rest, ok := strings.CutPrefix(p, module+"/"); ok {
				walk(rest)
			}
		}
	}
	walk(dir)
	return seen
}

func TestDomainIsPure(t *testing.T) {
	for _, dir := range Domain {
		for p, by := range closure(t, dir) {
			if p == "net/http" || p == "database/sql" || strings.HasPrefix(p, module+"/internal/store") {
				t.Errorf("%s depends on %s (through %s)", dir, p, by)
			}
		}
	}
}

func TestEngineLinksNoServerPackage(t *testing.T) {
	deps := closure(t, Engine)
	if len(deps) < 5 {
		t.Fatalf("%s imports only %d packages", Engine, len(deps))
	}
	for _, dir := range ServerOnly {
		if by, ok := deps[module+"/"+dir]; ok {
			t.Errorf("%s links %s (through %s)", Engine, dir, by)
		}
	}
}

func TestWebIsHTTPOnly(t *testing.T) {
	for _, dir := range HTTPOnly {
		if slices.Contains(imports(t, dir), "database/sql") {
			t.Errorf("%s uses database/sql", dir)
		}
	}
}

// TestPackageSizes counts the non-test lines of every package of the
// repository, generated files (a "// Code generated" header) aside.
func TestPackageSizes(t *testing.T) {
	lines := map[string]int{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		n, generated, err := count(path)
		if err != nil || generated {
			return err
		}
		lines[filepath.Dir(path)] += n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) < 20 {
		t.Fatalf("only %d packages found under %s", len(lines), root)
	}
	for dir, n := range lines {
		if n > MaxLines {
			t.Errorf("%s holds %d lines of non-test code, more than %d: split it", dir, n, MaxLines)
		}
	}
}

func count(path string) (lines int, generated bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if lines == 0 && strings.HasPrefix(sc.Text(), "// Code generated") {
			return 0, true, nil
		}
		lines++
	}
	return lines, false, sc.Err()
}
