package spec_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
)

var update = flag.Bool("update", false, "rewrite golden files")

func compile(t testing.TB, name string, src []byte, set map[string]string) *spec.Program {
	t.Helper()
	f, errs := parser.ParseFile(name, src)
	if errs != nil {
		t.Fatalf("%v", errs)
	}
	p, errs := spec.Compile(f, spec.Options{Set: set})
	if errs != nil {
		t.Fatalf("%v", errs)
	}
	return p
}

func models(t testing.TB) []string {
	files, _ := filepath.Glob("../models/*.ilv")
	more, _ := filepath.Glob("../models/anchors/*.ilv")
	return append(files, more...)
}

// TestLowered compares the lowered form of every model with its golden
// file under testdata/lowered: a change in lowering shows as a diff.
func TestLowered(t *testing.T) {
	for _, file := range models(t) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		p := compile(t, file, src, nil)
		var b bytes.Buffer
		p.Dump(&b)
		name := strings.TrimSuffix(filepath.Base(file), ".ilv") + ".txt"
		if strings.Contains(file, "anchors") {
			name = "anchors_" + name
		}
		path := filepath.Join("../testdata/lowered", name)
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			os.WriteFile(path, b.Bytes(), 0o644)
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./spec -update)", err)
		}
		if !bytes.Equal(want, b.Bytes()) {
			t.Errorf("%s: lowered form differs from %s:\n%s", file, path, b.String())
		}
	}
}

// TestOverride checks that --set reaches sizes, ranges and initial values.
func TestOverride(t *testing.T) {
	src := []byte("const N = 2\nconst ON = false\nvar a: [N]0..N\nsemaphore s = N\nactor W[N] { await ON; a[self] = N }\n")
	p := compile(t, "o.ilv", src, map[string]string{"N": "4", "ON": "true"})
	if len(p.Actors) != 4 || p.Vars[0].Type.Len != 4 || p.Vars[0].Type.Elem.Hi != 4 || p.Objects[0].Init != 4 {
		t.Errorf("N=4 not applied: %d actors, %v, semaphore %d", len(p.Actors), p.Vars[0].Type, p.Objects[0].Init)
	}
	if c := p.Const("N"); c == nil || !c.Override || c.Value != 4 {
		t.Errorf("const N: %+v", c)
	}
	if c := p.Const("ON"); c == nil || c.Value != 1 {
		t.Errorf("const ON: %+v", c)
	}
}

// TestDeadLocals checks that a local is zeroed where it is dead: m is
// overwritten by every get, so it is dead where the reader waits.
func TestDeadLocals(t *testing.T) {
	src := []byte("queue q[2]\nactor R { loop { let m = q.get(); if m == 1 { return } } }\nactor W { q.put(1) }\n")
	p := compile(t, "d.ilv", src, nil)
	code := p.Types[0].Code
	for pc, in := range code {
		if in.Op == spec.OpCall && in.Rest {
			if in.Clear[0] != 0 {
				t.Errorf("pc %d (%s): m is live at the get", pc, in.Text)
			}
		}
	}
}

// TestErrorLimit checks that at most 20 errors are reported, sorted.
func TestErrorLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("actor A {\n")
	for i := 0; i < 30; i++ {
		b.WriteString("    x = 1\n")
	}
	b.WriteString("}\n")
	f, errs := parser.ParseFile("e.ilv", []byte(b.String()))
	if errs != nil {
		t.Fatal(errs)
	}
	_, errs = spec.Compile(f, spec.Options{})
	if len(errs) != 20 {
		t.Fatalf("got %d errors, want 20", len(errs))
	}
	for i := 1; i < len(errs); i++ {
		if !errs[i-1].Pos.Before(errs[i].Pos) {
			t.Errorf("errors out of order at %d", i)
		}
	}
}

var codeBlock = regexp.MustCompile("(?s)```ilv\n(.*?)```")

// TestDocExamples checks every ```ilv block of the language reference: each
// is a whole spec that must parse and check.
func TestDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/language.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := codeBlock.FindAllSubmatch(doc, -1)
	if len(blocks) < 20 {
		t.Fatalf("found %d ilv examples in docs/language.md, want at least 20", len(blocks))
	}
	for i, m := range blocks {
		f, errs := parser.ParseFile("language.md", m[1])
		if errs == nil {
			_, errs = spec.Compile(f, spec.Options{})
		}
		if errs != nil {
			t.Errorf("example %d:\n%s\n%v", i+1, m[1], errs)
		}
	}
}

// FuzzCompile feeds arbitrary text to the parser and the checker: they
// must answer with a program or errors, never panic or hang.
func FuzzCompile(f *testing.F) {
	seeds := models(f)
	bad, _ := filepath.Glob("../testdata/errors/*.ilv")
	for _, file := range append(seeds, bad...) {
		src, err := os.ReadFile(file)
		// The inputs that test the size limits are left out: mutating
		// them is slow and finds nothing the small ones do not.
		if err == nil && len(src) <= 4096 {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, errs := parser.ParseFile("fuzz.ilv", src)
		if errs != nil {
			for _, e := range errs {
				if !e.Pos.IsValid() {
					t.Errorf("error without a position: %v", e)
				}
			}
			return
		}
		p, errs := spec.Compile(file, spec.Options{})
		if p == nil && len(errs) == 0 {
			t.Errorf("no program and no error")
		}
	})
}

// TestPropertyText: a property's text is its whole body, parentheses
// included, on one line.
func TestPropertyText(t *testing.T) {
	p := compile(t, "t.ilv", []byte("var a: 0..3 = 0\nvar b: 0..3 = 0\n"+
		"invariant sum { (a + b) <\n    3 }\nliveness up { always eventually (a == 1) }\nactor A { a = 1 }\n"), nil)
	if got := p.Invariant[0].Text; got != "(a + b) < 3" {
		t.Errorf("invariant text %q", got)
	}
	if got := p.Liveness[0].Text; got != "always eventually (a == 1)" {
		t.Errorf("liveness text %q", got)
	}
}
