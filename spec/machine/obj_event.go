package machine

import (
	"github.com/interleave-dev/interleave/spec"
)

func (m *Machine) eventOp(in *spec.Instr, o *spec.Object) (int, int) {
	s := m.f.S
	switch in.Method {
	case spec.MSet:
		o.SetValue(s, 1)
	case spec.MClear:
		o.SetValue(s, 0)
	case spec.MWait:
		if o.Value(s) == 0 {
			if in.Mode == spec.ModeBlock {
				return rBlocked, 0
			}
			return m.failed(in)
		}
		return m.succeeded(in)
	}
	m.recEvent(in, "")
	return rNext, in.Next
}

// eventKind: an event, a flag actors wait on.
type eventKind struct{ noCrashEffect }

func (eventKind) op(m *Machine, a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int) {
	return m.eventOp(in, o)
}

func (eventKind) value(p *spec.Program, s []byte, o *spec.Object) string {
	if o.Value(s) != 0 {
		return "set"
	}
	return "clear"
}

func (eventKind) waits(p *spec.Program, s []byte, a *spec.Actor, in *spec.Instr, o *spec.Object, holders []*spec.Actor) string {
	return o.Name + " is not set"
}
