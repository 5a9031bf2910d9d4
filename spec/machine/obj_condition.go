package machine

import (
	"fmt"
	"strings"

	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

func (m *Machine) condOp(a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int) {
	s := m.f.S
	me := byte(a.ID + 1)
	lk := m.p.Objects[o.Lock]
	switch in.Method {
	case spec.MWait: // leave the lock and join the wait set
		if lk.OwnerID(s) != me {
			return m.raises(in, spec.ErrUnlocked)
		}
		lk.SetOwnerID(s, 0)
		if lk.Mod == ast.Reentrant {
			lk.SetHolds(s, 0)
		}
		o.SetWaiting(s, a, true)
	case spec.MReacquire: // notified (or timed out, or cancelled): re-take the lock
		return m.reacquire(a, in, o, lk)
	case spec.MNotify, spec.MNotifyAll:
		if lk.OwnerID(s) != me {
			return m.raises(in, spec.ErrUnlocked)
		}
		if in.Method == spec.MNotifyAll {
			o.ClearWaiters(s)
			break
		}
		if b := m.wakeOne(s, o); b != nil {
			if m.rec != nil {
				m.recEvent(in, "wakes "+b.Name)
			}
			return rNext, in.Next
		}
	}
	m.recEvent(in, "")
	return rNext, in.Next
}

// reacquire is the second half of a wait: notified (or timed out, or
// cancelled), the actor re-takes the lock.
func (m *Machine) reacquire(a *spec.Actor, in *spec.Instr, o, lk *spec.Object) (int, int) {
	s := m.f.S
	waiting := o.Waiting(s, a)
	cancel := a.CancelPending(s)
	if waiting && !cancel && in.Mode != spec.ModeTimeout || lk.OwnerID(s) != 0 {
		return rBlocked, 0
	}
	o.SetWaiting(s, a, false)
	lk.SetOwnerID(s, byte(a.ID+1))
	if lk.Mod == ast.Reentrant {
		lk.SetHolds(s, 1)
	}
	if m.cancelPending(a) {
		return m.raises(in, spec.ErrCancelled)
	}
	if waiting {
		return m.failed(in) // timed out
	}
	return m.succeeded(in)
}

// wakeOne takes one waiter of o out of its wait set, which one a choice;
// nil when nobody waits.
func (m *Machine) wakeOne(s []byte, o *spec.Object) *spec.Actor {
	n := 0
	for _, b := range m.p.Actors {
		if o.Waiting(s, b) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	k := m.pick(n)
	for _, b := range m.p.Actors {
		if o.Waiting(s, b) {
			if k == 0 {
				o.SetWaiting(s, b, false)
				return b
			}
			k--
		}
	}
	return nil
}

// conditionKind: a condition variable over a lock; its state is its wait
// set, which a crashed actor leaves.
type conditionKind struct{}

func (conditionKind) op(m *Machine, a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int) {
	return m.condOp(a, in, o)
}

func (conditionKind) crashed(s []byte, o *spec.Object, a *spec.Actor) {
	o.SetWaiting(s, a, false)
}

func (conditionKind) value(p *spec.Program, s []byte, o *spec.Object) string {
	var w []string
	for _, a := range p.Actors {
		if o.Waiting(s, a) {
			w = append(w, a.Name)
		}
	}
	if len(w) == 0 {
		return "no waiters"
	}
	return "waiting: " + strings.Join(w, ", ")
}

func (conditionKind) waits(p *spec.Program, s []byte, a *spec.Actor, in *spec.Instr, o *spec.Object, holders []*spec.Actor) string {
	if in.Method != spec.MReacquire {
		return "cannot move"
	}
	if o.Waiting(s, a) {
		return "waits to be notified on " + o.Name
	}
	lk := p.Objects[o.Lock]
	return fmt.Sprintf("notified; %s is %s", lk.Name, ObjectValue(p, s, lk))
}
