package specgen

import (
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
)

// TestOracleSpecs: the oracle specs compile, every construct of the
// table appears in both forms, the Promela guards each step by the line
// of its statement, and shrinking makes them smaller while they compile.
func TestOracleSpecs(t *testing.T) {
	pairs := [][2]string{
		{"m.acquire()", "m = PID"}, {"r.acquire()", "rc++"}, {"s.acquire()", "s--"}, {"s.release()", "s++"},
		{"e.set()", "e = 1"}, {"e.wait()", "(e)"}, {"wg.add(1)", "wg++"}, {"wg.done()", "wg--"}, {"wg.wait()", "wgw = 1"},
		{"q.put(", "qn++"}, {"q.get()", "qn--"}, {"q.close()", "qc = 1"}, {"c.send(", "cn++"}, {"c.recv()", "cn--"},
		{"c.close()", "cc = 1"}, {"if ", ":: atomic"}, {"while ", "break"}, {"either {", "::\n"}, {"atomic {", "atomic"},
		{"await ", "TICK"}, {"assert ", "assert("}, {"choose ", "V(1)"}, {"invariant ", "proctype Inv"}, {"[2] {", "active [2]"},
		{"select {", "V(0) && ("}, {"default:", "&& (!("},
	}
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 500; seed++ {
		o := Oracle(seed)
		src, model := o.ILV(), o.PML()
		mustCompile(t, seed, src)
		for _, p := range pairs {
			if strings.Contains(src, p[0]) {
				if !strings.Contains(model, p[1]) {
					t.Fatalf("seed %d: %q without %q in the Promela\n%s\n%s", seed, p[0], p[1], src, model)
				}
				seen[p[0]] = true
			}
		}
		for _, c := range o.Smaller() {
			if len(c.ILV()) >= len(src) {
				t.Fatalf("seed %d: a smaller spec is not smaller:\n%s", seed, c.ILV())
			}
		}
	}
	for _, p := range pairs {
		if !seen[p[0]] {
			t.Errorf("no oracle spec has %q", p[0])
		}
	}
	if o := Oracle(7); o.ILV() != Oracle(7).ILV() || o.PML() != Oracle(7).PML() {
		t.Error("a seed gives different specs")
	}
}

// TestLiveOracleSpecs: the liveness oracle specs compile, loop forever,
// and mark progress in Promela where they do in the language, never as
// the first statement of an option.
func TestLiveOracleSpecs(t *testing.T) {
	marked := 0
	for seed := uint64(1); seed <= 300; seed++ {
		o := LiveOracle(seed)
		src, model := o.ILV(), o.PML()
		mustCompile(t, seed, src)
		if n := strings.Count(src, "    progress\n"); n != strings.Count(model, ": skip") {
			t.Fatalf("seed %d: %d progress marks, %d in Promela\n%s\n%s", seed, n, strings.Count(model, ": skip"), src, model)
		} else if n > 0 {
			marked++
		}
		if strings.Contains(model, "::\n        progress") || !strings.Contains(src, "loop {") || strings.Contains(src, "s.release()") {
			t.Fatalf("seed %d: a progress label first in an option, no loop, or a count without end\n%s", seed, model)
		}
	}
	if marked < 100 {
		t.Errorf("only %d of 300 liveness specs mark progress", marked)
	}
}

// mustCompile fails the test when the spec of seed does not compile.
func mustCompile(t *testing.T, seed uint64, src string) {
	t.Helper()
	f, errs := parser.ParseFile("oracle.ilv", []byte(src))
	if errs != nil {
		t.Fatalf("seed %d: %v\n%s", seed, errs, src)
	}
	if _, errs := spec.Compile(f, spec.Options{}); errs != nil {
		t.Fatalf("seed %d: %v\n%s", seed, errs, src)
	}
}
