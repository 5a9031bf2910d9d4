package machine

import (
	"fmt"

	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

func (m *Machine) wgOp(in *spec.Instr, o *spec.Object) (int, int) {
	s := m.f.S
	c := o.Counter(s)
	switch in.Method {
	case spec.MAdd, spec.MDone:
		n := -1
		if in.Method == spec.MAdd {
			n = in.Args[0](&m.f)
		}
		switch {
		case c+n < 0:
			return m.raises(in, spec.ErrNegativeCounter)
		case n > 0 && o.Flag(s, spec.FlagWaited) && o.Mod != ast.Reusable:
			return m.raises(in, spec.ErrAddAfterWait)
		case c+n > 255:
			m.f.FaultOf(spec.FaultRange, in.Pos, "the counter of", o.Name, c+n, countType)
			return rNext, in.Next
		}
		o.SetCounter(s, c+n)
	case spec.MWait:
		if c > 0 {
			return rBlocked, 0
		}
		o.SetFlag(s, spec.FlagWaited)
	}
	m.recEvent(in, "")
	return rNext, in.Next
}

// waitGroupKind: a Go sync.WaitGroup, reusable or not.
type waitGroupKind struct{ noCrashEffect }

func (waitGroupKind) op(m *Machine, a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int) {
	return m.wgOp(in, o)
}

func (waitGroupKind) value(p *spec.Program, s []byte, o *spec.Object) string {
	return fmt.Sprintf("counter %d", o.Counter(s))
}

func (k waitGroupKind) waits(p *spec.Program, s []byte, a *spec.Actor, in *spec.Instr, o *spec.Object, holders []*spec.Actor) string {
	return fmt.Sprintf("%s has %s", o.Name, k.value(p, s, o))
}
