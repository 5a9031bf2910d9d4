package explorer

import (
	"sync/atomic"
	"testing"
)

// grid is a test system: a point (x, y) in 0..n-1 squared that steps right
// or up. A state is bad when x == y == bad (a state violation); stepping
// right from x == n-2 on row 0 is a transition violation; the corner
// (n-1, n-1) is a deadlock unless end is set.
type grid struct {
	n, bad int
	end    bool
}

func (g grid) StateSize() int  { return 2 }
func (g grid) Init(dst []byte) { dst[0], dst[1] = 0, 0 }
func (g grid) CheckState(s []byte) uint64 {
	if g.bad > 0 && int(s[0]) == g.bad && int(s[1]) == g.bad {
		return 1
	}
	return 0
}
func (g grid) Deadlock(s []byte) uint64 {
	if g.end {
		return 0
	}
	return 2
}
func (g grid) Successors(s []byte, out *Succs) {
	x, y := int(s[0]), int(s[1])
	if x+1 < g.n {
		var v uint64
		if y == 0 && x == g.n-2 {
			v = 3
		}
		out.States = append(out.States, byte(x+1), byte(y))
		out.Info = append(out.Info, Transition{Actor: 0, Violation: v})
	}
	if y+1 < g.n {
		out.States = append(out.States, byte(x), byte(y+1))
		out.Info = append(out.Info, Transition{Actor: 1})
	}
}

func TestFullSearch(t *testing.T) {
	for _, order := range []Order{BFS, DFS} {
		r := Explore(grid{n: 10, end: true}, Options{Order: order, KeepGoing: true})
		if r.States != 100 || r.Transitions != 180 || !r.Complete {
			t.Errorf("order %d: %d states, %d transitions, complete %t", order, r.States, r.Transitions, r.Complete)
		}
		if r.Depth != 18 {
			t.Errorf("order %d: depth %d, want 18", order, r.Depth)
		}
		if len(r.Violations) != 1 || r.Violations[0].Code != 3 {
			t.Errorf("order %d: violations %v", order, r.Violations)
		}
	}
}

func TestShortestTrace(t *testing.T) {
	r := Explore(grid{n: 10, bad: 4, end: true}, Options{})
	if len(r.Violations) != 1 {
		t.Fatalf("violations: %v", r.Violations)
	}
	v := r.Violations[0]
	if v.Code != 1 || !v.InState || len(v.Trace) != 9 {
		t.Errorf("code %d in-state %t trace of %d states, want 9", v.Code, v.InState, len(v.Trace))
	}
	for i := 1; i < len(v.Trace); i++ {
		a, b := v.Trace[i-1], v.Trace[i]
		if int(b[0])+int(b[1]) != int(a[0])+int(a[1])+1 {
			t.Fatalf("trace step %d is not a transition: %v -> %v", i, a, b)
		}
	}
}

func TestTransitionViolationTrace(t *testing.T) {
	r := Explore(grid{n: 5, end: true}, Options{})
	v := r.Violations[0]
	last := v.Trace[len(v.Trace)-1]
	if v.Code != 3 || v.InState || last[0] != 4 || last[1] != 0 || len(v.Trace) != 5 {
		t.Errorf("got code %d, trace %v", v.Code, v.Trace)
	}
}

func TestKeepGoingReportsEachViolationOnce(t *testing.T) {
	r := Explore(grid{n: 6, bad: 2}, Options{KeepGoing: true})
	codes := map[uint64]int{}
	for _, v := range r.Violations {
		codes[v.Code]++
	}
	if len(codes) != 3 || codes[1] != 1 || codes[2] != 1 || codes[3] != 1 {
		t.Errorf("violations by code: %v", codes)
	}
	if r.States != 36 {
		t.Errorf("states %d, want 36", r.States)
	}
}

func TestLimits(t *testing.T) {
	r := Explore(grid{n: 100, end: true}, Options{MaxStates: 500})
	if r.Complete || r.Stopped != "max-states" || r.States < 500 || r.States > 700 {
		t.Errorf("max-states: complete %t stopped %q states %d", r.Complete, r.Stopped, r.States)
	}
	r = Explore(grid{n: 200, end: true}, Options{MaxMemory: 64 << 10})
	if r.Complete || r.Stopped != "max-memory" {
		t.Errorf("max-memory: complete %t stopped %q", r.Complete, r.Stopped)
	}
	var stop atomic.Bool
	stop.Store(true)
	r = Explore(grid{n: 200, end: true}, Options{Stop: &stop})
	if r.Complete || r.Stopped != "interrupted" {
		t.Errorf("stop: complete %t stopped %q", r.Complete, r.Stopped)
	}
}

func TestStoreGrowth(t *testing.T) {
	st := newStore(3)
	for i := 0; i < 100000; i++ {
		s := []byte{byte(i), byte(i >> 8), byte(i >> 16)}
		if _, added := st.add(s, noParent); !added {
			t.Fatalf("state %d found before it was added", i)
		}
	}
	for i := 0; i < 100000; i++ {
		s := []byte{byte(i), byte(i >> 8), byte(i >> 16)}
		if idx, added := st.add(s, noParent); added || int(idx) != i {
			t.Fatalf("state %d: index %d, added %t", i, idx, added)
		}
	}
}

// counters is a reducible test system: group g counts its own location
// from 0 to n, a step that no other group and no property sees, so the
// reduction folds each count into the step before it; the end, where both
// have counted to n, is a deadlock.
type counters struct{ n int }

func (c counters) StateSize() int             { return 2 }
func (c counters) Init(dst []byte)            { dst[0], dst[1] = 0, 0 }
func (c counters) CheckState(s []byte) uint64 { return 0 }
func (c counters) Deadlock(s []byte) uint64   { return 1 }
func (c counters) Successors(s []byte, out *Succs) {
	for g := range 2 {
		c.GroupSuccessors(s, g, out)
	}
}
func (c counters) Locations() int                 { return 2 }
func (c counters) Groups() int                    { return 2 }
func (c counters) Keys() int                      { return 4 }
func (c counters) NeedsProviso() bool             { return false }
func (c counters) Locks() Bits                    { return Bits{0} }
func (c counters) LocalStep(s []byte, g int) bool { return int(s[g]) < c.n }
func (c counters) GroupSuccessors(s []byte, g int, out *Succs) {
	if int(s[g]) < c.n {
		start := len(out.States)
		out.States = append(out.States, s...)
		out.States[start+g]++
		out.Info = append(out.Info, Transition{Actor: int32(g)})
	}
}
func (c counters) Reduction(s []byte, r *Reduction) {
	for g := range 2 {
		own, active := Bits{1 << g}, int(s[g]) < c.n
		key := 2 * g
		if active {
			key++
		}
		r.Groups[g] = &Footprint{Active: active, Read: own, Write: own, FutureRead: own, FutureWrite: own, AcqFirst: Bits{0}, Key: int32(key)}
		r.Holder[g] = -1
	}
}

// TestFoldedStepsAreUnfolded: the states reduction does not store are put
// back into a reported trace, so that each state follows from the one
// before by one transition.
func TestFoldedStepsAreUnfolded(t *testing.T) {
	c := counters{n: 5}
	res := Explore(c, Options{Reduce: true})
	if len(res.Violations) != 1 {
		t.Fatalf("got %d violations, want the deadlock", len(res.Violations))
	}
	if res.Stats.Merged == 0 || res.States > 4 {
		t.Errorf("%d states stored, %d steps merged: the counts were not folded", res.States, res.Stats.Merged)
	}
	tr := res.Violations[0].Trace
	if len(tr) != 2*c.n+1 {
		t.Fatalf("trace of %d states, want %d: %v", len(tr), 2*c.n+1, tr)
	}
	for i := 1; i < len(tr); i++ {
		var succ Succs
		c.Successors(tr[i-1], &succ)
		found := false
		for j := range succ.Info {
			found = found || string(succ.State(j, 2)) == string(tr[i])
		}
		if !found {
			t.Errorf("state %d %v is no successor of %v", i, tr[i], tr[i-1])
		}
	}
}
