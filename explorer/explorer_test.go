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
