package trace

import (
	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/machine"
)

// Fewest switches. The search finds a shortest counterexample, but among
// the shortest it takes whichever interleaving it met first, which may
// switch between actors at every step. A preemption is a switch away from
// an actor that could have gone on. FewestSwitches moves steps that
// commute, so that an actor goes on while it can: the trace keeps its
// length, its last state and its violation, and has fewer preemptions.
//
// Two adjacent steps of different actors commute when, from the state
// before them, the second actor's step and then the first's lead to the
// same state (checked by running them, so the check is exact where a
// static independence relation would be conservative), and the state
// between breaks no invariant. A step of one actor is moved back, past
// the steps of others, to just after the same actor's step, when every
// swap on the way commutes and the trace then has fewer preemptions, or a
// step moved forward, to just before its actor's next one; this is
// repeated until no move helps. A violating step stays last, a crash
// stays where it is, and a lasso is left as the search found it (its
// cycle must come back to its first state), unless its run ends: then, as
// for a deadlock, only its last state matters. The result is a trace with
// locally fewest preemptions, not always the fewest of all.

// FewestSwitches returns v with its steps reordered to fewer preemptions
// (a trace of more than maxReorder steps stays as it is: each move
// replays the steps it passes).
func FewestSwitches(p *spec.Program, v *explorer.Violation) *explorer.Violation {
	if v.Lasso && v.Loop < len(v.Trace)-1 || len(v.Trace) < 3 || len(v.Trace) > maxReorder {
		return v // a lasso's cycle must come back to its first state
	}
	r := reorderer{m: machine.New(p), states: cloneStates(v.Trace)}
	if !r.explain() {
		return v
	}
	fixed := len(r.actors) // steps from fixed on stay where they are
	if !v.InState {
		fixed--
	}
	for r.improve(fixed) {
	}
	out := *v
	out.Trace = r.states
	return &out
}

const maxReorder = 300

// Preemptions counts the switches of a trace away from an actor that
// could have gone on.
func Preemptions(p *spec.Program, trace [][]byte) int {
	r := reorderer{m: machine.New(p), states: trace}
	if !r.explain() {
		return 0
	}
	return r.preemptions()
}

type reorderer struct {
	m       *machine.Machine
	states  [][]byte // states[i] is before step i
	actors  []int    // the actor of each step (a crash's is the actor that crashed)
	crashes []bool   // the step is a crash
	succ    explorer.Succs
}

func cloneStates(t [][]byte) [][]byte {
	out := make([][]byte, len(t))
	for i, s := range t {
		out[i] = append([]byte(nil), s...)
	}
	return out
}

// explain finds the actor of each step; false if a step is none.
func (r *reorderer) explain() bool {
	r.actors, r.crashes = r.actors[:0], r.crashes[:0]
	for i := 1; i < len(r.states); i++ {
		st, ok := r.m.Explain(r.states[i-1], r.states[i])
		if !ok {
			return false
		}
		r.actors, r.crashes = append(r.actors, st.Actor.ID), append(r.crashes, st.Crash)
	}
	return true
}

// enabled reports whether actor a can take a step of its own in s.
func (r *reorderer) enabled(s []byte, a int) bool {
	r.succ.Reset()
	r.m.Successors(s, &r.succ)
	for _, tr := range r.succ.Info {
		if int(tr.Actor) == a && !tr.Crash {
			return true
		}
	}
	return false
}

func (r *reorderer) preemptions() int {
	n := 0
	for i := 1; i < len(r.actors); i++ {
		if prev := r.actors[i-1]; r.actors[i] != prev && r.enabled(r.states[i], prev) {
			n++
		}
	}
	return n
}

// improve makes one move that lowers the preemptions, if there is one:
// at a switch from actor a to actor b, a's next step moved back to go on
// with a, or b's step moved forward to just before b's next one.
func (r *reorderer) improve(fixed int) bool {
	before := r.preemptions()
	for i := 1; i < fixed; i++ {
		a, b := r.actors[i-1], r.actors[i]
		if a == b || r.crashes[i] {
			continue
		}
		if j := r.next(i+1, a, fixed); j < fixed && r.try(before, func() bool { return r.moveBack(j, i) }) {
			return true
		}
		j := r.next(i+1, b, fixed)
		if r.try(before, func() bool { return r.moveForward(i, j-1) }) {
			return true
		}
	}
	return false
}

// next returns the index of actor a's first step from i on, or fixed.
func (r *reorderer) next(i, a, fixed int) int {
	for i < fixed && r.actors[i] != a {
		i++
	}
	return i
}

// try makes a move and keeps it if it lowers the preemptions below
// before.
func (r *reorderer) try(before int, move func() bool) bool {
	states, actors, crashes := cloneStates(r.states), append([]int(nil), r.actors...), append([]bool(nil), r.crashes...)
	if move() && r.preemptions() < before {
		return true
	}
	r.states, r.actors, r.crashes = states, actors, crashes
	return false
}

// moveBack moves step j back to position i, one swap at a time; false
// when a swap does not commute.
func (r *reorderer) moveBack(j, i int) bool {
	for k := j; k > i; k-- {
		if !r.swap(k - 1) {
			return false
		}
	}
	return true
}

// moveForward moves step i forward to position j.
func (r *reorderer) moveForward(i, j int) bool {
	for k := i; k < j; k++ {
		if !r.swap(k) {
			return false
		}
	}
	return true
}

// swap exchanges steps k and k+1 when they commute.
func (r *reorderer) swap(k int) bool {
	first, second := r.actors[k], r.actors[k+1]
	if r.crashes[k] || r.crashes[k+1] || first == second {
		return false
	}
	from, to := r.states[k], r.states[k+2]
	for _, mid := range r.stepsOf(from, second) {
		if r.m.CheckState(mid) != 0 {
			continue
		}
		for _, end := range r.stepsOf(mid, first) {
			if string(end) == string(to) {
				r.states[k+1] = mid
				r.actors[k], r.actors[k+1] = second, first
				return true
			}
		}
	}
	return false
}

// stepsOf returns the states actor a's own steps, committing no
// violation, lead to from s.
func (r *reorderer) stepsOf(s []byte, a int) [][]byte {
	r.succ.Reset()
	r.m.Successors(s, &r.succ)
	var out [][]byte
	for i, tr := range r.succ.Info {
		if int(tr.Actor) == a && !tr.Crash && tr.Violation == 0 && !tr.Halt {
			out = append(out, append([]byte(nil), r.succ.State(i, len(s))...))
		}
	}
	return out
}
