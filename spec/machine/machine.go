package machine

import (
	"bytes"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/spec"
)

// Machine runs a Program: it computes the successors of a state by running
// each actor's next step. It is not safe for concurrent use; make one per
// goroutine with NewMachine.
//
// Nondeterminism inside a step (either/or, choose, which waiter a notify
// wakes, which receiver meets a send, a select with several ready cases)
// is enumerated by replay: a run asks pick(n) at each choice point; the
// machine reruns the step with each vector of choices in turn.
type Machine struct {
	// DefaultFairness is what an actor declared without fairness is
	// promised in the liveness search (weak unless set).
	DefaultFairness explorer.Fairness
	p               *spec.Program
	kinds           []kind // each object's kind, by the object's location
	f               spec.Frame
	g               spec.Frame // a second frame, for a rendezvous partner
	choices         []choice
	depth           int
	err             int    // the error being raised
	errPC           int    // where it was raised
	viol            uint64 // the violation of the current run, 0 if none
	rec             *recorder
	cands           []partner
	snaps           [][]byte
	nsnap           int
	pruned          bool                  // the walk was cut (see visit)
	walk            int                   // numbers the walks (runs of step)
	stepSeen        map[string]*restPoint // visit: the rest points the walks of this step passed
	key             []byte                // scratch for visit
	moving          []*spec.Actor         // the senders of the rendezvous being run
	pathWalk        int                   // the walk path belongs to
	halt            bool                  // the step never ends (Transition.Halt)
	progress        bool                  // the step passed a progress mark
	path            []walkPoint           // the rest points the current walk passed
	loopAt          int                   // where on path loopState was taken
	loopActor       *spec.Actor           // whose rest points rests counts
	rests           int                   // rest points passed by the current step (loops)
	loopPC          int                   // where the step stood when loopState was taken
	loopState       []byte                // the state at an earlier rest point of the step
}

type choice struct{ v, n int32 }

type partner struct {
	a    *spec.Actor
	kase int // select case, or -1 for a plain recv
}

// New returns a machine for p.
func New(p *spec.Program) *Machine {
	m := &Machine{p: p, kinds: make([]kind, len(p.Locs))}
	for _, o := range p.Objects {
		m.kinds[o.Loc] = kindOf(o.Kind)
	}
	return m
}

// Program returns the program the machine runs.
func (m *Machine) Program() *spec.Program { return m.p }

// StateSize returns the size of a state in bytes.
func (m *Machine) StateSize() int { return m.p.StateSize }

// Init writes the initial state: every actor that is not dormant stands at
// its first step.
func (m *Machine) Init(dst []byte) {
	m.p.Init(dst)
	for _, a := range m.p.Actors {
		if a.Running(dst) {
			m.f = spec.Frame{S: dst, A: a}
			m.settle(a, 0)
		}
	}
}

// pick returns a choice among n alternatives (see Machine).
func (m *Machine) pick(n int) int {
	if n <= 1 {
		return 0
	}
	if m.depth < len(m.choices) {
		v := m.choices[m.depth].v
		m.depth++
		return int(v)
	}
	m.choices = append(m.choices, choice{0, int32(n)})
	m.depth++
	return 0
}

// nextChoices advances the choice vector; false when all were tried.
func (m *Machine) nextChoices() bool {
	for len(m.choices) > 0 {
		last := &m.choices[len(m.choices)-1]
		if last.v+1 < last.n {
			last.v++
			return true
		}
		m.choices = m.choices[:len(m.choices)-1]
	}
	return false
}

// Successors appends every successor of s to out.
func (m *Machine) Successors(s []byte, out *explorer.Succs) {
	n := m.p.StateSize
	for _, a := range m.p.Actors {
		st := a.Status(s)
		if st != spec.Running {
			continue
		}
		m.ActorSteps(s, a, out)
		if a.CanCrash(s) {
			start := len(out.States)
			out.States = append(out.States, s...)
			m.crash(out.States[start:start+n], a)
			out.Info = append(out.Info, explorer.Transition{Actor: int32(a.ID), Crash: true})
		}
	}
}

// ActorSteps appends the successors of actor a's next step in s, one per
// vector of choices. A step that leaves the state as it was (an iteration
// of a busy-wait loop that found nothing to do) is no transition: the actor
// waits there as at an await, until another actor changes what it reads.
func (m *Machine) ActorSteps(s []byte, a *spec.Actor, out *explorer.Succs) {
	n := m.p.StateSize
	m.firstChoices()
	for {
		m.depth = 0
		start := len(out.States)
		out.States = append(out.States, s...)
		dst := out.States[start : start+n]
		if m.step(dst, a) && (m.viol != 0 || !m.unchanged(a, s, dst)) {
			out.Info = append(out.Info, explorer.Transition{Actor: int32(a.ID), Violation: m.viol, Halt: m.halt, Progress: m.progress})
		} else {
			out.States = out.States[:start]
		}
		if !m.nextChoices() {
			return
		}
	}
}

// unchanged reports whether actor a's step from s left the state as it
// was in dst; a step that moved the actor elsewhere is told at once.
func (m *Machine) unchanged(a *spec.Actor, s, dst []byte) bool {
	return a.PC(dst) == a.PC(s) && a.Status(dst) == a.Status(s) && bytes.Equal(dst, s)
}

// Deadlock returns a deadlock's violation code when a state without
// successors is one: some actor that is not a daemon has started and not
// ended. The code tells deadlocks apart by where the actors stand.
func (m *Machine) Deadlock(s []byte) uint64 {
	stuck := false
	h := uint64(14695981039346656037)
	for _, a := range m.p.Actors {
		if !a.Running(s) {
			continue
		}
		stuck = stuck || !a.Type.Daemon
		h = (h ^ uint64(a.ID)<<16 ^ uint64(a.PC(s))) * 1099511628211
	}
	if !stuck {
		return 0
	}
	return DeadlockCode | h&(1<<56-1)
}

// Groups returns the number of transition groups: one per actor instance.
func (m *Machine) Groups() int { return len(m.p.Actors) }

// Leak returns the violation code of actor g left waiting forever in s
// (explorer.Leaker): a running actor that is not a daemon. The code names
// the actor instance and where it stands.
func (m *Machine) Leak(s []byte, g int) uint64 {
	a := m.p.Actors[g]
	if !a.Running(s) || a.Type.Daemon {
		return 0
	}
	return violationCode(VLeak, a.ID, m.typeIndex(a.Type), a.PC(s))
}

// CheckState returns the violation code of the first invariant that s
// breaks, or 0.
func (m *Machine) CheckState(s []byte) uint64 {
	if len(m.p.Invariant) == 0 {
		return 0
	}
	m.f = spec.Frame{S: s}
	for i, inv := range m.p.Invariant {
		if inv.Cond(&m.f) == 0 || m.f.Fault != spec.NoFault {
			return violationCode(VInvariant, 0, 0, i)
		}
	}
	return 0
}

// crash kills actor a: no finally runs, its locals are lost, the locks it
// holds stay held (robust locks excepted), and it leaves every wait set.
func (m *Machine) crash(s []byte, a *spec.Actor) {
	a.CountCrash(s)
	m.end(s, a, spec.Crashed)
	a.SetPC(s, 0)
	for _, o := range m.p.Objects {
		m.kinds[o.Loc].crashed(s, o, a)
	}
}

// end gives actor a its final status and clears its locals.
func (m *Machine) end(s []byte, a *spec.Actor, status byte) {
	a.SetStatus(s, status)
	clear(a.LocalBytes(s))
}

// Stutters reports whether a running actor busy-waits in s (Spins):
// staying in s, the system goes on forever without changing.
func (m *Machine) Stutters(s []byte) bool {
	for _, a := range m.p.Actors {
		if a.Running(s) && m.Spins(s, a) {
			return true
		}
	}
	return false
}

// Spins reports whether actor a can take its step in s but every way of
// taking it leaves s as it was: it busy-waits.
func (m *Machine) Spins(s []byte, a *spec.Actor) bool {
	t := make([]byte, len(s))
	m.firstChoices()
	for {
		copy(t, s)
		m.depth = 0
		if !m.step(t, a) && !m.pruned || m.viol != 0 || !m.pruned && !bytes.Equal(s, t) {
			return false
		}
		if !m.nextChoices() {
			return true
		}
	}
}
