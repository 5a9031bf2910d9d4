package machine

import (
	"fmt"

	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

func (m *Machine) lockOp(a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int) {
	s := m.f.S
	me := byte(a.ID + 1)
	owner := o.OwnerID(s)
	reentrant := o.Mod == ast.Reentrant
	switch in.Method {
	case spec.MAcquire:
		if owner != 0 && !(reentrant && owner == me) {
			if in.Mode == spec.ModeBlock {
				return rBlocked, 0
			}
			return m.failed(in)
		}
		if reentrant {
			if o.Holds(s) == 255 {
				m.f.FaultOf(spec.FaultRange, in.Pos, "the hold count of", o.Name, 256, countType)
				return rNext, in.Next
			}
			o.SetHolds(s, o.Holds(s)+1)
		}
		o.SetOwnerID(s, me)
		return m.succeeded(in)
	case spec.MRelease:
		switch {
		case owner == 0:
			return m.raises(in, spec.ErrUnlocked)
		case reentrant && owner != me:
			return m.raises(in, spec.ErrNotOwner)
		case reentrant:
			o.SetHolds(s, o.Holds(s)-1)
			if o.Holds(s) == 0 {
				o.SetOwnerID(s, 0)
			}
		default:
			o.SetOwnerID(s, 0)
		}
	}
	m.recEvent(in, "")
	return rNext, in.Next
}

// lockKind: a lock, plain, reentrant (a count of holds) or robust (a crash
// of its holder frees it).
type lockKind struct{}

func (lockKind) op(m *Machine, a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int) {
	return m.lockOp(a, in, o)
}

func (lockKind) crashed(s []byte, o *spec.Object, a *spec.Actor) {
	if o.Mod == ast.Robust && o.OwnedBy(s, a) {
		o.SetOwnerID(s, 0)
	}
}

func (lockKind) value(p *spec.Program, s []byte, o *spec.Object) string {
	if owner := int(o.OwnerID(s)); owner != 0 {
		if o.Mod == ast.Reentrant && o.Holds(s) > 1 {
			return fmt.Sprintf("held by %s (%d times)", p.Actors[owner-1].Name, o.Holds(s))
		}
		return "held by " + p.Actors[owner-1].Name
	}
	return "free"
}

func (k lockKind) waits(p *spec.Program, s []byte, a *spec.Actor, in *spec.Instr, o *spec.Object, holders []*spec.Actor) string {
	return fmt.Sprintf("%s is %s", o.Name, k.value(p, s, o))
}
