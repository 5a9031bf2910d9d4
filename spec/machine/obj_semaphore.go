package machine

import (
	"fmt"
	"strings"

	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

func (m *Machine) semOp(in *spec.Instr, o *spec.Object) (int, int) {
	s := m.f.S
	v := o.Value(s)
	switch in.Method {
	case spec.MAcquire:
		if v == 0 {
			if in.Mode == spec.ModeBlock {
				return rBlocked, 0
			}
			return m.failed(in)
		}
		o.SetValue(s, o.Value(s)-1)
		return m.succeeded(in)
	case spec.MRelease:
		if v >= o.Max {
			if o.Mod == ast.Bounded {
				return m.raises(in, spec.ErrOverRelease)
			}
			m.f.FaultOf(spec.FaultRange, in.Pos, "the value of", o.Name, v+1, countType)
			return rNext, in.Next
		}
		o.SetValue(s, o.Value(s)+1)
	}
	m.recEvent(in, "")
	return rNext, in.Next
}

// semaphoreKind: a counting semaphore, bounded by its initial value or not.
type semaphoreKind struct{ noCrashEffect }

func (semaphoreKind) op(m *Machine, a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int) {
	return m.semOp(in, o)
}

func (semaphoreKind) value(p *spec.Program, s []byte, o *spec.Object) string {
	return fmt.Sprintf("%d of %d free", o.Value(s), o.Init)
}

func (k semaphoreKind) waits(p *spec.Program, s []byte, a *spec.Actor, in *spec.Instr, o *spec.Object, holders []*spec.Actor) string {
	msg := fmt.Sprintf("%s: %s", o.Name, k.value(p, s, o))
	if len(holders) == 0 {
		return msg
	}
	units := map[*spec.Actor]int{}
	var order []*spec.Actor
	for _, h := range holders {
		if units[h] == 0 {
			order = append(order, h)
		}
		units[h]++
	}
	names := make([]string, len(order))
	for i, h := range order {
		names[i] = h.Name
		if units[h] > 1 {
			names[i] = fmt.Sprintf("%s (%d units)", h.Name, units[h])
		}
	}
	return msg + "; held by " + strings.Join(names, ", ")
}
