package machine

import "github.com/interleave-dev/interleave/spec"

// Event is what one instruction did during a recorded step.
type Event struct {
	Actor   *spec.Actor
	Instr   *spec.Instr
	Outcome string // "-> RESULT", "raises Closed", "-> timed out", or ""
	// Failed: an operation under nowait or timeout that could not
	// complete (it returned false).
	Failed bool
}

// recorder collects the events of one step when a trace is rendered; the
// search runs without one.
type recorder struct {
	events []Event
	kind   VKind
	err    int
	fault  spec.FaultKind // the fault that ended the step, if any
	why    spec.FaultInfo
}

func (r *recorder) add(a *spec.Actor, in *spec.Instr, outcome string) {
	r.events = append(r.events, Event{Actor: a, Instr: in, Outcome: outcome})
}

func (r *recorder) violation(kind VKind, err int) {
	if r.kind == VNone {
		r.kind, r.err = kind, err
	}
}

// Step is one recorded transition: the actor that moved, whether it was a
// crash, what its instructions did, and the state it led to.
type Step struct {
	Actor  *spec.Actor
	Crash  bool
	Events []Event
	Kind   VKind // the violation the step committed, if any
	Err    int
	Fault  spec.FaultKind // for a range violation, what went wrong
	Why    spec.FaultInfo
	State  []byte
}

// Explain finds the transition from state s to state t and records what
// it did; ok is false when t is not a successor of s.
func (m *Machine) Explain(s, t []byte) (Step, bool) {
	n := m.p.StateSize
	dst := make([]byte, n)
	for _, a := range m.p.Actors {
		if !a.Running(s) {
			continue
		}
		m.firstChoices()
		for {
			m.depth = 0
			copy(dst, s)
			m.rec = &recorder{}
			ok := m.step(dst, a)
			rec := m.rec
			m.rec = nil
			if ok && string(dst) == string(t) {
				m.choices = m.choices[:0]
				return Step{Actor: a, Events: rec.events, Kind: rec.kind, Err: rec.err, Fault: rec.fault, Why: rec.why, State: t}, true
			}
			if !m.nextChoices() {
				break
			}
		}
		if a.CanCrash(s) {
			copy(dst, s)
			m.crash(dst, a)
			if string(dst) == string(t) {
				return Step{Actor: a, Crash: true, State: t}, true
			}
		}
	}
	return Step{}, false
}
