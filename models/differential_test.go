package models_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/models/specgen"
	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
	"github.com/interleave-dev/interleave/spec/machine"
	"github.com/interleave-dev/interleave/spec/por"
)

var (
	specs = flag.Int("specs", 2000, "random specs checked by TestDifferential")
	from  = flag.Uint64("from", 1, "the first seed TestDifferential checks (to split a long run)")
)

// codes returns the sorted violation codes of a result.
func codes(r *explorer.Result) []uint64 {
	var out []uint64
	for _, v := range r.Violations {
		out = append(out, v.Code)
	}
	slices.Sort(out)
	return out
}

// differential explores p with and without reduction, in both orders, and
// fails when they disagree on any violation, or when the full state counts
// of the unreduced searches differ. Reduced counterexamples must replay
// without reduction.
func differential(t *testing.T, name, src string, p *spec.Program) {
	t.Helper()
	differentialUpTo(t, name, src, p, 200000)
}

// differentialUpTo is differential for specs whose full search takes at
// most limit states; larger ones are not checked.
func differentialUpTo(t *testing.T, name, src string, p *spec.Program, limit int64) {
	t.Helper()
	base := explorer.Explore(machine.New(p), explorer.Options{KeepGoing: true, MaxStates: limit, Liveness: true})
	if !base.Complete {
		return // too big for a differential run
	}
	for _, v := range base.Violations {
		if err := checkLeak(p, v); err != "" {
			t.Fatalf("%s: %s\n%s", name, err, src)
		}
		if err := checkLasso(p, v); err != "" {
			t.Fatalf("%s: %s\n%s", name, err, src)
		}
	}
	want := codes(base)
	for _, opts := range []explorer.Options{
		{KeepGoing: true, Reduce: true, Liveness: true},
		{KeepGoing: true, Reduce: true, Order: explorer.DFS, Liveness: true},
		{KeepGoing: true, Order: explorer.DFS, Liveness: true},
	} {
		r := explorer.Explore(por.New(machine.New(p)), opts)
		if got := codes(r); !slices.Equal(got, want) {
			t.Fatalf("%s: violations differ (reduce %t, order %d): got %x, want %x\n%s", name, opts.Reduce, opts.Order, got, want, src)
		}
		if !opts.Reduce && r.States != base.States {
			t.Fatalf("%s: DFS found %d states, BFS %d\n%s", name, r.States, base.States, src)
		}
		if opts.Reduce && r.States > base.States {
			t.Fatalf("%s: reduction found more states (%d) than the full search (%d)\n%s", name, r.States, base.States, src)
		}
		for _, v := range r.Violations {
			if err := replay(p, v.Trace); err != "" {
				t.Fatalf("%s: a reduced counterexample does not replay: %s\n%s", name, err, src)
			}
		}
	}
}

// replay checks that each state of a trace is a successor of the one
// before in the unreduced system (the explorer puts back the states that
// reduction's folding left out).
func replay(p *spec.Program, trace [][]byte) string {
	m := machine.New(p)
	for i := 1; i < len(trace); i++ {
		if _, ok := m.Explain(trace[i-1], trace[i]); !ok {
			return "step " + strconv.Itoa(i) + " is not a transition"
		}
	}
	return ""
}

// checkLeak checks a leak by its definition, with a search of its own
// from the state the leak was reported in: the actor must never take a
// step of its own again, and the system must go on forever (some state
// reachable is on a cycle). It returns what is wrong, or "".
func checkLeak(p *spec.Program, v *explorer.Violation) string {
	kind, id, _, _ := machine.DecodeViolation(v.Code)
	if kind != machine.VLeak {
		return ""
	}
	m := machine.New(p)
	n := p.StateSize
	from := string(v.Trace[len(v.Trace)-1])
	seen := map[string]bool{from: true}
	succs := map[string][]string{}
	for queue := []string{from}; len(queue) > 0; queue = queue[1:] {
		var out explorer.Succs
		m.Successors([]byte(queue[0]), &out)
		for i, tr := range out.Info {
			if int(tr.Actor) == id && !tr.Crash {
				return fmt.Sprintf("leak of %s: it can move again", p.Actors[id].Name)
			}
			if tr.Halt {
				continue
			}
			next := string(out.State(i, n))
			succs[queue[0]] = append(succs[queue[0]], next)
			if !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	// A cycle: some state that is a successor of a state reachable from it.
	for u := range seen {
		for _, w := range succs[u] {
			if reaches(succs, w, u) {
				return ""
			}
		}
	}
	return fmt.Sprintf("leak of %s: every run ends", p.Actors[id].Name)
}

// checkLasso checks a liveness counterexample step by step: each step is
// a transition; the run ends where no actor can move (for progress, where
// one busy-waits), or its cycle returns
// to its first state; the goal never holds on the cycle (no step of it
// makes progress, for progress); and the cycle is fair: every actor with
// weak fairness moves on it or is disabled in one of its states, every
// actor with strong fairness moves on it or is disabled in all of them.
// It returns what is wrong, or "".
func checkLasso(p *spec.Program, v *explorer.Violation) string {
	kind, _, _, k := machine.DecodeViolation(v.Code)
	if kind != machine.VLiveness {
		return ""
	}
	m := machine.New(p)
	var prop explorer.Property
	for _, q := range m.Properties() {
		if q.Code == v.Code {
			prop = q
		}
	}
	tr := v.Trace
	if !v.Lasso || prop.Code == 0 || v.Loop < 0 || v.Loop >= len(tr) {
		return fmt.Sprintf("liveness %s: not a lasso", p.Liveness[k].Name)
	}
	n := p.StateSize
	moves := func(s []byte) (by map[int32]bool, to map[string][]explorer.Transition) {
		var out explorer.Succs
		m.Successors(s, &out)
		by, to = map[int32]bool{}, map[string][]explorer.Transition{}
		for i, t := range out.Info {
			if !t.Crash {
				by[t.Actor] = true
			}
			next := string(out.State(i, n))
			to[next] = append(to[next], t)
		}
		return by, to
	}
	for i := 1; i < len(tr); i++ {
		if _, to := moves(tr[i-1]); len(to[string(tr[i])]) == 0 {
			return fmt.Sprintf("liveness %s: step %d is no transition", p.Liveness[k].Name, i)
		}
	}
	last := tr[len(tr)-1]
	if v.Loop == len(tr)-1 {
		spins := false // an actor busy-waits: the run goes on there, without progress
		for _, a := range p.Actors {
			spins = spins || a.Running(last) && m.Spins(last, a)
		}
		if by, _ := moves(last); len(by) > 0 || prop.G == nil && !spins || prop.G != nil && prop.G(last) {
			return fmt.Sprintf("liveness %s: the run does not end where the goal fails", p.Liveness[k].Name)
		}
		return ""
	}
	if string(tr[v.Loop]) != string(last) {
		return fmt.Sprintf("liveness %s: the cycle does not return to its first state", p.Liveness[k].Name)
	}
	moved, disabled, enabled := map[int32]bool{}, map[int32]bool{}, map[int32]bool{}
	for i := v.Loop; i < len(tr); i++ {
		by, _ := moves(tr[i])
		for a := range p.Actors {
			disabled[int32(a)] = disabled[int32(a)] || !by[int32(a)]
			enabled[int32(a)] = enabled[int32(a)] || by[int32(a)]
		}
		if prop.G != nil && prop.G(tr[i]) {
			return fmt.Sprintf("liveness %s: the goal holds on the cycle", p.Liveness[k].Name)
		}
		if i == v.Loop {
			continue
		}
		_, to := moves(tr[i-1])
		ok := false
		for _, t := range to[string(tr[i])] {
			if prop.G != nil || !t.Progress {
				ok = true
				moved[t.Actor] = moved[t.Actor] || !t.Crash
			}
		}
		if !ok {
			return fmt.Sprintf("liveness %s: a step of the cycle makes progress", p.Liveness[k].Name)
		}
	}
	for a, actor := range p.Actors {
		fair := true
		switch actor.Type.Fairness {
		case ast.FairDefault, ast.FairWeak:
			fair = moved[int32(a)] || disabled[int32(a)]
		case ast.FairStrong:
			fair = moved[int32(a)] || !enabled[int32(a)]
		}
		if !fair {
			return fmt.Sprintf("liveness %s: the cycle is unfair to %s", p.Liveness[k].Name, actor.Name)
		}
	}
	return ""
}

// reaches reports whether to can be reached from from.
func reaches(succs map[string][]string, from, to string) bool {
	seen := map[string]bool{from: true}
	for queue := []string{from}; len(queue) > 0; queue = queue[1:] {
		if queue[0] == to {
			return true
		}
		for _, w := range succs[queue[0]] {
			if !seen[w] {
				seen[w] = true
				queue = append(queue, w)
			}
		}
	}
	return false
}

// regressions are seeds whose specs once showed a reduction bug; their
// specs from generators since replaced are kept in testdata/regressions.
var regressions = []uint64{}

// TestDifferential checks random specs: go test ./models -run
// 'TestDifferential$' -specs 100000 -v for a long run (-from N starts at
// seed N, to run parts of it side by side).
func TestDifferential(t *testing.T) {
	for _, seed := range regressions {
		checkSeed(t, seed)
	}
	for seed, checked := *from, 0; checked < *specs; seed++ {
		if checkSeed(t, seed) {
			checked++
		}
		if checked%10000 == 0 && *specs > 10000 {
			t.Logf("%d specs checked, up to seed %d", checked, seed)
		}
	}
}

// TestDifferentialRegressions checks the specs that once showed a bug.
func TestDifferentialRegressions(t *testing.T) {
	files, _ := filepath.Glob("testdata/regressions/*.ilv")
	if len(files) == 0 {
		t.Fatal("no regression specs")
	}
	for _, file := range files {
		p := load(t, file, nil)
		differential(t, file, file, p)
	}
}

// checkSeed checks the spec of one seed; false when it does not compile.
func checkSeed(t *testing.T, seed uint64) bool {
	t.Helper()
	src := specgen.Spec(seed)
	f, errs := parser.ParseFile("gen.ilv", []byte(src))
	if errs != nil {
		t.Fatalf("seed %d: the generator wrote a bad spec: %v\n%s", seed, errs, src)
	}
	p, errs := spec.Compile(f, spec.Options{})
	if errs != nil {
		return false // e.g. a local declared twice; the checker's business
	}
	differential(t, "seed "+strconv.FormatUint(seed, 10), src, p)
	return true
}

// TestDifferentialModels checks every model the same way.
func TestDifferentialModels(t *testing.T) {
	files, _ := filepath.Glob("*.ilv")
	more, _ := filepath.Glob("anchors/*.ilv")
	for _, file := range append(files, more...) {
		p := load(t, file, nil)
		differential(t, file, strings.TrimSpace(file), p)
	}
}

// TestManyActors covers stubborn sets for more than 64 actors (grown seed
// by seed, not from a bit matrix): 70 actors that share nothing are
// explored one after the other, a single path of 2*70 steps; with a
// deadlock added, the search still finds it.
func TestManyActors(t *testing.T) {
	const free = "[70] lock f\nactor A[35] { f[self].acquire(); f[self].release() }\n"
	for _, tt := range []struct {
		src    string
		states int64
		kind   machine.VKind
	}{
		{free + "actor B[35] { f[self + 35].acquire(); f[self + 35].release() }\n", 141, machine.VNone},
		{free + "actor B[35] { f[self + 35].acquire(); f[self + 35].release() }\nlock m\nlock k\n" +
			"actor C { m.acquire(); k.acquire() }\nactor D { k.acquire(); m.acquire() }\n", 0, machine.VDeadlock},
	} {
		f, errs := parser.ParseFile("many.ilv", []byte(tt.src))
		if errs != nil {
			t.Fatal(errs)
		}
		p, errs := spec.Compile(f, spec.Options{})
		if errs != nil {
			t.Fatal(errs)
		}
		r := explorer.Explore(por.New(machine.New(p)), explorer.Options{Reduce: true})
		kind := machine.VNone
		if len(r.Violations) > 0 {
			kind, _, _, _ = machine.DecodeViolation(r.Violations[0].Code)
		}
		if kind != tt.kind || (tt.states > 0 && r.States != tt.states) {
			t.Errorf("got %d states, violation %v; want %d states, %v", r.States, kind, tt.states, tt.kind)
		}
	}
}

// FuzzSearch runs the search on fuzzed specs, with and without reduction,
// in both orders, as the differential test does, for those whose full
// search takes at most 10,000 states: go test ./models -run X -fuzz
// FuzzSearch. The corpus starts from the models and generated specs.
func FuzzSearch(f *testing.F) {
	files, _ := filepath.Glob("*.ilv")
	more, _ := filepath.Glob("testdata/regressions/*.ilv")
	for _, file := range append(files, more...) {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	for seed := uint64(1); seed <= 50; seed++ {
		f.Add([]byte(specgen.Spec(seed)))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, errs := parser.ParseFile("fuzz.ilv", src)
		if errs != nil {
			return
		}
		p, errs := spec.Compile(file, spec.Options{})
		if errs != nil {
			return
		}
		differentialUpTo(t, "fuzzed spec", string(src), p, 10000)
	})
}
