// Package models_test checks the example specs against the peer checkers:
// the full state counts of the anchor families must equal SPIN's and
// Rumur's (../shared/anchors) at the same step granularity, and the
// shortest counterexamples must have the anchors' lengths.
package models_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/machine"
	"github.com/interleave-dev/interleave/spec/por"
)

func load(t testing.TB, file string, set map[string]string) *spec.Program {
	t.Helper()
	return loadWith(t, file, "", set)
}

// loadWith compiles a spec file with more declarations appended.
func loadWith(t testing.TB, file, more string, set map[string]string) *spec.Program {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, more...)
	f, errs := parser.ParseFile(file, src)
	if errs != nil {
		t.Fatal(errs)
	}
	p, errs := spec.Compile(f, spec.Options{Set: set})
	if errs != nil {
		t.Fatal(errs)
	}
	return p
}

type anchor struct {
	file   string
	set    map[string]string
	states int64
	trace  int // steps of the shortest counterexample; 0 when none exists
}

// Counts from ../shared/anchors/README.md; the sizes it omits were
// measured with SPIN 6.5.2 (pan -DNOREDUCE) on the same Promela models.
var small = []anchor{
	{"anchors/peterson.ilv", map[string]string{"N": "2"}, 20, 0},
	{"anchors/peterson.ilv", map[string]string{"N": "3"}, 417, 0},
	{"anchors/peterson.ilv", map[string]string{"N": "4"}, 9272, 0},
	{"anchors/philosophers.ilv", map[string]string{"N": "4"}, 118, 4},
	{"anchors/philosophers.ilv", map[string]string{"N": "5"}, 392, 5},
	{"anchors/philosophers.ilv", map[string]string{"N": "6"}, 1297, 6},
	{"anchors/philosophers.ilv", map[string]string{"N": "7"}, 4286, 7},
	{"anchors/philosophers.ilv", map[string]string{"N": "8"}, 14158, 8},
	{"anchors/boundedbuffer.ilv", map[string]string{"N": "1"}, 42, 0},
	{"anchors/boundedbuffer.ilv", map[string]string{"N": "2"}, 1563, 0},
	{"anchors/boundedbuffer.ilv", map[string]string{"N": "3"}, 36876, 0},
	{"anchors/queue_shutdown.ilv", map[string]string{"K": "2", "M": "2"}, 53, 2*2*2 + 3},
	{"anchors/queue_shutdown.ilv", map[string]string{"K": "3", "M": "4"}, 1157, 2*3*4 + 3},
	{"anchors/queue_shutdown.ilv", map[string]string{"K": "4", "M": "4"}, 8963, 2*4*4 + 3},
	{"anchors/philosophers_ordered.ilv", map[string]string{"N": "6"}, 862, 0},
	{"anchors/philosophers_ordered.ilv", map[string]string{"N": "8"}, 9403, 0},
}

// Large instances, run as benchmarks.
var large = []anchor{
	{"anchors/peterson.ilv", map[string]string{"N": "5"}, 223105, 0},
	{"anchors/philosophers.ilv", map[string]string{"N": "9"}, 46763, 9},
	{"anchors/philosophers.ilv", map[string]string{"N": "10"}, 154450, 10},
	{"anchors/boundedbuffer.ilv", map[string]string{"N": "4"}, 689979, 0},
	{"anchors/philosophers_ordered.ilv", map[string]string{"N": "10"}, 102571, 0},
}

func (a anchor) name() string { return fmt.Sprintf("%s%v", a.file, a.set) }

func TestAnchorCounts(t *testing.T) {
	for _, a := range small {
		t.Run(a.name(), func(t *testing.T) {
			p := load(t, a.file, a.set)
			full := explorer.Explore(machine.New(p), explorer.Options{KeepGoing: true})
			if !full.Complete || full.States != a.states {
				t.Errorf("states: got %d, want %d (the anchors')", full.States, a.states)
			}
			first := explorer.Explore(machine.New(p), explorer.Options{})
			switch {
			case a.trace == 0 && len(first.Violations) > 0:
				t.Errorf("unexpected violation %x", first.Violations[0].Code)
			case a.trace > 0 && len(first.Violations) == 0:
				t.Errorf("no violation found; want a %d-step trace", a.trace)
			case a.trace > 0:
				if got := len(first.Violations[0].Trace) - 1; got != a.trace {
					t.Errorf("shortest trace has %d steps, want %d", got, a.trace)
				}
			}
		})
	}
}

// BenchmarkAnchors explores the large anchor instances in full and reports
// states/s and bytes of store per state beside the default metrics.
func BenchmarkAnchors(b *testing.B) {
	for _, a := range large {
		b.Run(a.name(), func(b *testing.B) {
			r := benchSearch(b, a, explorer.Options{KeepGoing: true})
			if r.States != a.states {
				b.Fatalf("states: got %d, want %d", r.States, a.states)
			}
		})
	}
}

// BenchmarkAnchorsReduced explores the large anchor instances with
// partial-order reduction (a reduced state space of its own size).
func BenchmarkAnchorsReduced(b *testing.B) {
	for _, a := range large {
		b.Run(a.name(), func(b *testing.B) {
			benchSearch(b, a, explorer.Options{KeepGoing: true, Reduce: true})
		})
	}
}

// BenchmarkLiveness runs the searches of BenchmarkAnchors on two anchors
// with a liveness property added, the leak and liveness checks included
// (compare with BenchmarkAnchors: the ratio is their cost).
func BenchmarkLiveness(b *testing.B) {
	for _, c := range []struct {
		a    anchor
		prop string
	}{
		{large[0], "liveness p0 { always eventually P[0]@crit }\n"},
		{large[3], "liveness drained { eventually Consumer[0].done }\n"},
	} {
		b.Run(c.a.name(), func(b *testing.B) {
			p := loadWith(b, c.a.file, c.prop, c.a.set)
			b.ReportAllocs()
			var r *explorer.Result
			for b.Loop() {
				r = explorer.Explore(machine.New(p), explorer.Options{KeepGoing: true, Liveness: true})
			}
			if r.States != c.a.states || len(r.Violations) != 0 {
				b.Fatalf("got %d states, %d violations; want %d, none", r.States, len(r.Violations), c.a.states)
			}
			b.ReportMetric(float64(r.States)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
			b.ReportMetric(float64(r.LivenessStates)/float64(r.States), "expansions/state")
		})
	}
}

// benchSearch runs the search of anchor a b.N times and reports its
// states, states/s and bytes of store per state.
func benchSearch(b *testing.B, a anchor, opts explorer.Options) *explorer.Result {
	p := load(b, a.file, a.set)
	b.ReportAllocs()
	var r *explorer.Result
	for b.Loop() {
		var sys explorer.System = machine.New(p)
		if opts.Reduce {
			sys = por.New(machine.New(p))
		}
		r = explorer.Explore(sys, opts)
	}
	b.ReportMetric(float64(r.States), "states")
	b.ReportMetric(float64(r.States)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
	b.ReportMetric(float64(r.Memory)/float64(r.States), "store-B/state")
	return r
}

// TestSuccessorsDoNotAllocate: computing successors allocates nothing once
// the buffers are warm.
func TestSuccessorsDoNotAllocate(t *testing.T) {
	for _, file := range []string{"anchors/peterson.ilv", "anchors/boundedbuffer.ilv", "anchors/philosophers.ilv", "anchors/queue_shutdown.ilv"} {
		p := load(t, file, nil)
		m := machine.New(p)
		s := make([]byte, m.StateSize())
		m.Init(s)
		var out explorer.Succs
		m.Successors(s, &out)
		next := append([]byte(nil), out.State(0, m.StateSize())...)
		allocs := testing.AllocsPerRun(100, func() {
			out.Reset()
			m.Successors(next, &out)
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocations per call", file, allocs)
		}
	}
}

// BenchmarkLongActor verifies, with reduction, a spec whose actor is one
// long straight line of statements: the analysis and the per-state work of
// reduction must not grow with the length of the body (compare lines=4000
// with lines=16000: four times the states, about four times the time).
func BenchmarkLongActor(b *testing.B) {
	for _, n := range []int{4000, 16000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			var src strings.Builder
			src.WriteString("var x: 0..1 = 0\nvar y: 0..1 = 0\nactor A {\n")
			for i := range n {
				fmt.Fprintf(&src, "    x = %d\n", i%2)
			}
			src.WriteString("}\nactor B { y = 1; y = 0 }\n")
			f, errs := parser.ParseFile("long.ilv", []byte(src.String()))
			if errs != nil {
				b.Fatal(errs)
			}
			p, errs := spec.Compile(f, spec.Options{})
			if errs != nil {
				b.Fatal(errs)
			}
			var r *explorer.Result
			for b.Loop() {
				r = explorer.Explore(por.New(machine.New(p)), explorer.Options{Reduce: true})
			}
			b.ReportMetric(float64(r.States), "states")
			b.ReportMetric(float64(r.States)*float64(b.N)/b.Elapsed().Seconds(), "states/s")
		})
	}
}

// TestSearchAllocations: a whole search allocates a bounded number of times
// whatever its size (arenas and index grow by doubling): with reduction and
// without, a search of hundreds of times the states makes at most 30 more
// allocations (today 5 to 12 more).
func TestSearchAllocations(t *testing.T) {
	for _, tt := range []struct {
		file       string
		small, big string
		reduce     bool
	}{
		{"anchors/peterson.ilv", "2", "4", false},
		{"anchors/peterson_natural.ilv", "2", "4", true},
		{"anchors/boundedbuffer.ilv", "1", "3", true},
	} {
		count := func(n string) (float64, int64) {
			p := load(t, tt.file, map[string]string{"N": n})
			var states int64
			m := por.New(machine.New(p)) // its tables grow with the program, not the states
			allocs := testing.AllocsPerRun(1, func() {
				states = explorer.Explore(m, explorer.Options{Reduce: tt.reduce, KeepGoing: true}).States
			})
			return allocs, states
		}
		a1, s1 := count(tt.small)
		a2, s2 := count(tt.big)
		if s2 < 20*s1 || a2 > a1+30 {
			t.Errorf("%s (reduce %v): %d states took %.0f allocations, %d states %.0f", tt.file, tt.reduce, s1, a1, s2, a2)
		}
	}
}
