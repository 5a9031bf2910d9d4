package explorer

import (
	"maps"
	"math"
	"math/rand/v2"
	"testing"
)

// graph is a test system given by its edges: a state is one byte, its
// number; edges[s] lists the transitions out of s; pending[s] the groups
// that must still move in s.
type graph struct {
	edges   map[byte][]edge
	pending map[byte][]int
}

type edge struct {
	to    byte
	group int32
	crash bool
}

func (g graph) StateSize() int             { return 1 }
func (g graph) Init(dst []byte)            { dst[0] = 0 }
func (g graph) CheckState(s []byte) uint64 { return 0 }
func (g graph) Deadlock(s []byte) uint64   { return 0 }
func (g graph) Groups() int                { return 3 }
func (g graph) Successors(s []byte, out *Succs) {
	for _, e := range g.edges[s[0]] {
		out.States = append(out.States, e.to)
		out.Info = append(out.Info, Transition{Actor: e.group, Crash: e.crash})
	}
}
func (g graph) Leak(s []byte, group int) uint64 {
	for _, p := range g.pending[s[0]] {
		if p == group {
			return 100 + uint64(group)
		}
	}
	return 0
}

func TestLeaks(t *testing.T) {
	loop := func(to byte) []edge { return []edge{{to: to, group: 1}} }
	tests := []struct {
		name  string
		g     graph
		want  uint64 // the leak's code, 0 for none
		at    byte   // the state the trace ends in
		steps int    // transitions in the trace
	}{
		{"blocked beside a loop", graph{
			edges:   map[byte][]edge{0: loop(1), 1: loop(0)},
			pending: map[byte][]int{0: {0}, 1: {0}},
		}, 100, 0, 0},
		{"freed on one path only: a leak on the other", graph{
			edges:   map[byte][]edge{0: {{to: 1, group: 1}, {to: 2, group: 1}}, 1: loop(1), 2: {{to: 3, group: 0}}, 3: loop(3)},
			pending: map[byte][]int{0: {0}, 1: {0}, 2: {0}},
		}, 100, 1, 1},
		{"every run ends: a deadlock, not a leak", graph{
			edges:   map[byte][]edge{0: {{to: 1, group: 1}}},
			pending: map[byte][]int{0: {0}, 1: {0}},
		}, 0, 0, 0},
		{"can move after the loop's exit", graph{
			edges:   map[byte][]edge{0: {{to: 1, group: 1}, {to: 2, group: 1}}, 1: loop(0), 2: {{to: 3, group: 0}}, 3: loop(3)},
			pending: map[byte][]int{0: {0}, 1: {0}, 2: {0}},
		}, 0, 0, 0},
		{"a crash is no move", graph{
			edges:   map[byte][]edge{0: {{to: 1, group: 0, crash: true}, {to: 0, group: 1}}, 1: loop(1)},
			pending: map[byte][]int{0: {0}},
		}, 100, 0, 0},
		{"reached after two steps", graph{
			edges:   map[byte][]edge{0: {{to: 1, group: 0}}, 1: {{to: 2, group: 2}}, 2: loop(3), 3: loop(2)},
			pending: map[byte][]int{0: {0}, 1: {0, 2}, 2: {0}, 3: {0}},
		}, 100, 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Explore(tt.g, Options{Liveness: true, KeepGoing: true})
			var got []*Violation
			for _, v := range r.Violations {
				if v.Code >= 100 {
					got = append(got, v)
				}
			}
			switch {
			case tt.want == 0 && len(got) != 0:
				t.Fatalf("got leak %d at %v, want none", got[0].Code, got[0].Trace)
			case tt.want == 0:
			case len(got) != 1 || got[0].Code != tt.want:
				t.Fatalf("got %d leaks, want one of code %d", len(got), tt.want)
			default:
				tr := got[0].Trace
				if tr[len(tr)-1][0] != tt.at || len(tr)-1 != tt.steps {
					t.Errorf("trace %v, want %d steps to state %d", tr, tt.steps, tt.at)
				}
			}
			if r.LivenessStates == 0 || !r.Complete {
				t.Errorf("leak check went through %d states, complete %v", r.LivenessStates, r.Complete)
			}
		})
	}
}

// TestLeaksAgainstReachability checks the component-based leak check on
// random graphs against the definition, computed by reachability from
// every state: group g leaks in s when g must move in s, no state
// reachable from s has a step of g's own, and a cycle is reachable.
func TestLeaksAgainstReachability(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	defer func(from int) { mapFrom = from }(mapFrom)
	for round := range 1000 {
		g := randomGraph(rng)
		want := leaksByDefinition(g)
		mapFrom = 0 // mapped tables in even rounds, ordinary slices in odd ones
		if round%2 == 1 {
			mapFrom = math.MaxInt
		}
		r := Explore(g, Options{Liveness: true, KeepGoing: true})
		got := map[uint64]byte{}
		for _, v := range r.Violations {
			got[v.Code] = v.Trace[len(v.Trace)-1][0]
		}
		if !maps.Equal(got, want) {
			t.Fatalf("round %d: graph %v pending %v: got leaks %v, want %v", round, g.edges, g.pending, got, want)
		}
	}
}

func randomGraph(rng *rand.Rand) graph {
	n := 1 + rng.IntN(9)
	g := graph{edges: map[byte][]edge{}, pending: map[byte][]int{}}
	for s := range n {
		for range rng.IntN(3) {
			g.edges[byte(s)] = append(g.edges[byte(s)], edge{to: byte(rng.IntN(n)), group: int32(rng.IntN(3)), crash: rng.IntN(6) == 0})
		}
		for grp := range 3 {
			if rng.IntN(2) == 0 {
				g.pending[byte(s)] = append(g.pending[byte(s)], grp)
			}
		}
	}
	return g
}

// leaksByDefinition returns each leak's code and the first state, in
// breadth-first order, it shows in.
func leaksByDefinition(g graph) map[uint64]byte {
	var order []byte // breadth-first, as the explorer numbers states
	seen := map[byte]bool{0: true}
	for q := []byte{0}; len(q) > 0; q = q[1:] {
		order = append(order, q[0])
		for _, e := range g.edges[q[0]] {
			if !seen[e.to] {
				seen[e.to] = true
				q = append(q, e.to)
			}
		}
	}
	reach := func(s byte) map[byte]bool { // states reachable from s, s included
		r := map[byte]bool{s: true}
		for q := []byte{s}; len(q) > 0; q = q[1:] {
			for _, e := range g.edges[q[0]] {
				if !r[e.to] {
					r[e.to] = true
					q = append(q, e.to)
				}
			}
		}
		return r
	}
	onCycle := func(s byte) bool {
		for _, e := range g.edges[s] {
			if reach(e.to)[s] {
				return true
			}
		}
		return false
	}
	out := map[uint64]byte{}
	for _, s := range order {
		r := reach(s)
		cyclic := false
		moves := map[int]bool{}
		for u := range r {
			cyclic = cyclic || onCycle(u)
			for _, e := range g.edges[u] {
				if !e.crash {
					moves[int(e.group)] = true
				}
			}
		}
		for _, grp := range g.pending[s] {
			code := 100 + uint64(grp)
			if _, ok := out[code]; !ok && cyclic && !moves[grp] {
				out[code] = s
			}
		}
	}
	return out
}

// TestTablesGrowInPlace: a table reserved grows by append without moving,
// within its room, and is zero where not yet written.
func TestTablesGrowInPlace(t *testing.T) {
	var tb tables
	defer tb.release()
	s := reserve[uint32](&tb, 1<<20)
	if s == nil {
		t.Skip("the system maps no tables")
	}
	first := &s[:1][0]
	for i := range 100000 {
		s = append(s, uint32(i))
	}
	if &s[0] != first || cap(s) != 1<<20 {
		t.Fatalf("the table moved: cap %d", cap(s))
	}
	if s[99999] != 99999 || s[:1<<20][1<<20-1] != 0 {
		t.Fatal("the table lost what was written, or is not zero beyond it")
	}
}
