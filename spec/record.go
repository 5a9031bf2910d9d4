package spec

import (
	"slices"

	"github.com/interleave-dev/interleave/explorer"
)

// Event is what one instruction did during a recorded step.
type Event struct {
	Actor   *Actor
	Instr   *Instr
	Outcome string // "-> RESULT", "raises Closed", "-> timed out", or ""
}

// recorder collects the events of one step when a trace is rendered; the
// search runs without one.
type recorder struct {
	events []Event
	kind   VKind
	err    int
}

func (r *recorder) add(a *Actor, in *Instr, outcome string) {
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
	Actor  *Actor
	Crash  bool
	Events []Event
	Kind   VKind // the violation the step committed, if any
	Err    int
	State  []byte
}

// Explain finds the transition from state s to state t and records what
// it did; ok is false when t is not a successor of s.
func (m *Machine) Explain(s, t []byte) (Step, bool) {
	n := m.p.StateSize
	dst := make([]byte, n)
	for _, a := range m.p.Actors {
		if s[a.Off]&^CancelBit != Running {
			continue
		}
		m.choices = m.choices[:0]
		for {
			m.depth = 0
			copy(dst, s)
			m.rec = &recorder{}
			ok := m.step(dst, a)
			rec := m.rec
			m.rec = nil
			if ok && string(dst) == string(t) {
				m.choices = m.choices[:0]
				return Step{Actor: a, Events: rec.events, Kind: rec.kind, Err: rec.err, State: t}, true
			}
			if !m.nextChoices() {
				break
			}
		}
		if a.Type.HasCrash && int(s[a.crashOff()]) < a.Type.Crashes {
			copy(dst, s)
			m.crash(dst, a)
			if string(dst) == string(t) {
				return Step{Actor: a, Crash: true, State: t}, true
			}
		}
	}
	return Step{}, false
}

// Path returns the steps from state s to state t: one transition, or, when
// reduction merged local steps into one, the chain of them (found by a
// bounded breadth-first search). ok is false when t cannot be reached so.
func (m *Machine) Path(s, t []byte) ([]Step, bool) {
	if st, ok := m.Explain(s, t); ok {
		return []Step{st}, true
	}
	type node struct {
		state  []byte
		parent int
	}
	nodes := []node{{state: s, parent: -1}}
	seen := map[string]bool{string(s): true}
	var succ explorer.Succs
	for head := 0; head < len(nodes) && len(nodes) < 1<<14; head++ {
		succ.Reset()
		m.Successors(nodes[head].state, &succ)
		for i := range succ.Info {
			next := succ.State(i, m.p.StateSize)
			if seen[string(next)] {
				continue
			}
			seen[string(next)] = true
			nodes = append(nodes, node{state: append([]byte(nil), next...), parent: head})
			if string(next) != string(t) {
				continue
			}
			var chain [][]byte
			for k := len(nodes) - 1; k >= 0; k = nodes[k].parent {
				chain = append(chain, nodes[k].state)
			}
			slices.Reverse(chain)
			var steps []Step
			for j := 1; j < len(chain); j++ {
				st, _ := m.Explain(chain[j-1], chain[j])
				steps = append(steps, st)
			}
			return steps, true
		}
	}
	return nil, false
}
