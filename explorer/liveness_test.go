package explorer

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// liveGraph is a test system with one liveness property, always
// eventually goal, over a graph of one-byte states; with progress set the
// goal is a progress edge instead of a goal state.
type liveGraph struct {
	edges    map[byte][]liveTestEdge
	goal     map[byte]bool
	progress bool
	shape    Shape
	trigger  map[byte]bool // LeadsTo's P
	fair     [3]Fairness   // what each group is promised
	stutter  map[byte]bool // a state where a group busy-waits
	deadlock map[byte]bool // a state that is a deadlock (code 9)
}

type liveTestEdge struct {
	to       byte
	group    int32
	crash    bool
	progress bool
}

func (g liveGraph) StateSize() int             { return 1 }
func (g liveGraph) Init(dst []byte)            { dst[0] = 0 }
func (g liveGraph) CheckState(s []byte) uint64 { return 0 }
func (g liveGraph) Deadlock(s []byte) uint64 {
	if g.deadlock[s[0]] {
		return 9
	}
	return 0
}
func (g liveGraph) Groups() int { return 3 }
func (g liveGraph) Successors(s []byte, out *Succs) {
	for _, e := range g.edges[s[0]] {
		out.States = append(out.States, e.to)
		out.Info = append(out.Info, Transition{Actor: e.group, Crash: e.crash, Progress: e.progress})
	}
}
func (g liveGraph) Fairness(grp int) Fairness { return g.fair[grp] }
func (g liveGraph) Stutters(s []byte) bool    { return g.stutter[s[0]] }
func (g liveGraph) Properties() []Property {
	p := Property{Code: 7, Shape: g.shape, P: func(s []byte) bool { return g.trigger[s[0]] }}
	if !g.progress {
		p.G = func(s []byte) bool { return g.goal[s[0]] }
	}
	return []Property{p}
}

// brokenByDefinition tells whether some run breaks the property, by
// subsets: a run that breaks it ends in a state of the region where no
// group can move, or loops in a strongly connected set of region states
// on which every group with weak fairness moves or is disabled somewhere;
// the set is reachable through region states from an entry.
func brokenByDefinition(g liveGraph, n int) bool {
	region := func(s byte) bool { return g.progress || !g.goal[s] }
	// The edges a run breaking the property may take: not progress, and
	// into the region (a crash too, but the group does not move by it).
	allowed := func(e liveTestEdge) bool { return !(g.progress && e.progress) && region(e.to) }
	reach := func(from byte, inRegion bool) map[byte]bool { // from included
		r := map[byte]bool{from: true}
		for q := []byte{from}; len(q) > 0; q = q[1:] {
			for _, e := range g.edges[q[0]] {
				if (!inRegion || allowed(e)) && !r[e.to] {
					r[e.to] = true
					q = append(q, e.to)
				}
			}
		}
		return r
	}
	reachable := reach(0, false)
	var entries []byte
	for s := range reachable {
		switch {
		case !region(s):
		case g.shape == Eventually && s != 0:
		case g.shape == LeadsTo && !g.trigger[s]:
		default:
			entries = append(entries, s)
		}
	}
	candidates := map[byte]bool{} // region states reachable from an entry inside the region
	for _, e := range entries {
		for s := range reach(e, true) {
			candidates[s] = true
		}
	}
	for s := range candidates {
		if g.progress && !g.stutter[s] {
			continue // a run that ends breaks no progress property, unless it stutters on
		}
		moves := false
		for _, e := range g.edges[s] {
			moves = moves || !e.crash
		}
		if !moves {
			return true
		}
	}
	for mask := 1; mask < 1<<n; mask++ {
		in := func(s byte) bool { return int(s) < n && mask&(1<<s) != 0 && candidates[s] }
		ok := true
		for s := range n {
			if mask&(1<<s) != 0 && !candidates[byte(s)] {
				ok = false
			}
		}
		if !ok || !stronglyConnected(g, mask, n, in, allowed) {
			continue
		}
		fair := true
		for grp := int32(0); grp < 3; grp++ {
			movesIn, disabled, enabledSome := false, false, false
			for s := range n {
				if !in(byte(s)) {
					continue
				}
				en := false
				for _, e := range g.edges[byte(s)] {
					if e.group == grp && !e.crash {
						en = true
						movesIn = movesIn || allowed(e) && in(e.to)
					}
				}
				disabled = disabled || !en
				enabledSome = enabledSome || en
			}
			switch g.fair[grp] {
			case Weak:
				fair = fair && (movesIn || disabled)
			case Strong:
				fair = fair && (movesIn || !enabledSome)
			}
		}
		if fair {
			return true
		}
	}
	return false
}

// stronglyConnected reports whether the set has a cycle through all its
// states along allowed edges inside it.
func stronglyConnected(g liveGraph, mask, n int, in func(byte) bool, allowed func(liveTestEdge) bool) bool {
	var first byte
	for s := range n {
		if mask&(1<<s) != 0 {
			first = byte(s)
			break
		}
	}
	from := func(s byte) map[byte]bool { // reachable in one step or more
		r := map[byte]bool{}
		q := []byte{s}
		for ; len(q) > 0; q = q[1:] {
			for _, e := range g.edges[q[0]] {
				if allowed(e) && in(e.to) && !r[e.to] {
					r[e.to] = true
					q = append(q, e.to)
				}
			}
		}
		return r
	}
	r := from(first)
	for s := range n {
		if mask&(1<<s) != 0 && (!r[byte(s)] || !from(byte(s))[first]) {
			return false
		}
	}
	return true
}

// TestLivenessAgainstSubsets checks the component-based liveness check on
// random graphs against the definition by subsets, and every lasso it
// reports: a run of the system whose cycle returns to its first state,
// stays where the goal is false (or makes no progress), and is fair.
func TestLivenessAgainstSubsets(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	defer func(from int) { mapFrom = from }(mapFrom)
	for round := range 6000 {
		n := 1 + rng.IntN(6)
		g := liveGraph{edges: map[byte][]liveTestEdge{}, goal: map[byte]bool{}, trigger: map[byte]bool{},
			stutter: map[byte]bool{}, progress: rng.IntN(3) == 0, shape: Shape(rng.IntN(3))}
		for grp := range g.fair {
			g.fair[grp] = Fairness(rng.IntN(3))
		}
		for s := range n {
			for range rng.IntN(4) {
				g.edges[byte(s)] = append(g.edges[byte(s)], liveTestEdge{to: byte(rng.IntN(n)), group: int32(rng.IntN(3)),
					crash: rng.IntN(8) == 0, progress: rng.IntN(3) == 0})
			}
			g.goal[byte(s)] = rng.IntN(3) == 0
			g.trigger[byte(s)] = rng.IntN(2) == 0
			g.stutter[byte(s)] = rng.IntN(4) == 0
		}
		want := brokenByDefinition(g, n)
		mapFrom = 0 // mapped tables in even rounds, ordinary slices in odd ones
		if round%2 == 1 {
			mapFrom = math.MaxInt
		}
		r := Explore(g, Options{Liveness: true, KeepGoing: true})
		if got := len(r.Violations) > 0; got != want {
			t.Fatalf("round %d: %+v: broken %v, want %v", round, g, got, want)
		}
		for _, v := range r.Violations {
			if err := checkLasso(g, v); err != "" {
				t.Fatalf("round %d: %+v: lasso %v (loop %d): %s", round, g, v.Trace, v.Loop, err)
			}
		}
	}
}

// checkLasso checks a reported lasso step by step.
func checkLasso(g liveGraph, v *Violation) string {
	tr := v.Trace
	if !v.Lasso || v.Loop < 0 || v.Loop >= len(tr) || tr[0][0] != 0 {
		return "not a lasso from the initial state"
	}
	step := func(a, b byte) []liveTestEdge {
		var out []liveTestEdge
		for _, e := range g.edges[a] {
			if e.to == b {
				out = append(out, e)
			}
		}
		return out
	}
	for i := 1; i < len(tr); i++ {
		if len(step(tr[i-1][0], tr[i][0])) == 0 {
			return "a step is no transition"
		}
	}
	last := tr[len(tr)-1][0]
	if v.Loop == len(tr)-1 {
		for _, e := range g.edges[last] {
			if !e.crash {
				return "the run ends where a group can move"
			}
		}
		if g.progress && !g.stutter[last] {
			return "a run without progress ends where nothing stutters"
		}
		return ""
	}
	if tr[v.Loop][0] != last {
		return "the cycle does not return to its first state"
	}
	moved, disabled, enabled := map[int32]bool{}, map[int32]bool{}, map[int32]bool{}
	for i := v.Loop; i < len(tr); i++ {
		s := tr[i][0]
		if !g.progress && g.goal[s] {
			return "the cycle reaches the goal"
		}
		for grp := int32(0); grp < 3; grp++ {
			en := false
			for _, e := range g.edges[s] {
				en = en || e.group == grp && !e.crash
			}
			disabled[grp] = disabled[grp] || !en
			enabled[grp] = enabled[grp] || en
		}
		if i > v.Loop {
			found := false
			for _, e := range step(tr[i-1][0], s) {
				if !(g.progress && e.progress) {
					found = true
					moved[e.group] = moved[e.group] || !e.crash
				}
			}
			if !found {
				return "a step of the cycle is progress"
			}
		}
	}
	for grp := int32(0); grp < 3; grp++ {
		switch {
		case g.fair[grp] == Weak && !moved[grp] && !disabled[grp]:
			return "the cycle is unfair (weak)"
		case g.fair[grp] == Strong && !moved[grp] && enabled[grp]:
			return "the cycle is unfair (strong)"
		}
	}
	return ""
}

// TestStutteringDeadlock: a deadlock where a group busy-waits is reported
// as the liveness property a run staying there breaks, when one does;
// else, or without the liveness check, as the deadlock.
func TestStutteringDeadlock(t *testing.T) {
	g := liveGraph{edges: map[byte][]liveTestEdge{0: {{to: 1, group: 0}}}, goal: map[byte]bool{}, trigger: map[byte]bool{},
		stutter: map[byte]bool{1: true}, deadlock: map[byte]bool{1: true}, progress: true}
	codes := func(opts Options) (out []uint64) {
		for _, v := range Explore(g, opts).Violations {
			out = append(out, v.Code)
			if v.Code == 7 && (!v.Lasso || v.Loop != 1 || len(v.Trace) != 2) {
				t.Errorf("the run that stays at state 1: loop %d, trace %v", v.Loop, v.Trace)
			}
		}
		return out
	}
	for _, tt := range []struct {
		name string
		opts Options
		goal bool // the goal holds at state 1
		want []uint64
	}{
		{"no progress", Options{Liveness: true}, false, []uint64{7}},
		{"no progress, keep going", Options{Liveness: true, KeepGoing: true}, false, []uint64{7, 9}},
		{"the goal holds there", Options{Liveness: true}, true, []uint64{9}},
		{"safety only", Options{}, false, []uint64{9}},
	} {
		g.progress, g.goal[1] = !tt.goal, tt.goal
		if got := codes(tt.opts); !slices.Equal(got, tt.want) {
			t.Errorf("%s: violations %v, want %v", tt.name, got, tt.want)
		}
	}
}
