package machine

import (
	"strings"

	"github.com/interleave-dev/interleave/spec"
)

func (m *Machine) queueOp(in *spec.Instr, o *spec.Object) (int, int) {
	s := m.f.S
	n := o.Len(s)
	flags := o.Flags(s)
	switch in.Method {
	case spec.MPut:
		v := in.Args[0](&m.f)
		switch {
		case flags&spec.FlagClosed != 0:
			return m.raises(in, spec.ErrClosed)
		case flags&spec.FlagShutdown != 0:
			return m.raises(in, spec.ErrShutDown)
		case n >= o.Cap && in.Mode == spec.ModeBlock:
			return rBlocked, 0
		case n >= o.Cap:
			return m.raises(in, spec.ErrFull)
		case !o.Elem.Contains(v):
			m.f.FaultOf(spec.FaultRange, in.Pos, "an element of", o.Name, v, o.Elem)
			return rNext, in.Next
		}
		o.Push(s, v)
	case spec.MGet:
		switch {
		case flags&spec.FlagClosed != 0:
			return m.raises(in, spec.ErrClosed)
		case n > 0:
			v := o.Pop(s)
			m.result(in, 0, v)
			if m.rec != nil {
				m.recEvent(in, "-> "+o.Elem.Format(v))
			}
			return rNext, in.Next
		case flags&spec.FlagShutdown != 0:
			return m.raises(in, spec.ErrShutDown)
		case in.Mode == spec.ModeBlock:
			return rBlocked, 0
		}
		return m.raises(in, spec.ErrEmpty)
	case spec.MClose:
		o.SetFlag(s, spec.FlagClosed)
	case spec.MShutdown:
		o.SetFlag(s, spec.FlagShutdown)
		if in.Mode == spec.ModeImmediate {
			o.ClearItems(s)
		}
	}
	m.recEvent(in, "")
	return rNext, in.Next
}

// queueKind: a bounded FIFO queue that can be closed or shut down.
type queueKind struct{ noCrashEffect }

func (queueKind) op(m *Machine, a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int) {
	return m.queueOp(in, o)
}

func (queueKind) value(p *spec.Program, s []byte, o *spec.Object) string {
	return itemsValue(s, o)
}

// itemsValue renders a queue's or a channel's items and flags.
func itemsValue(s []byte, o *spec.Object) string {
	items := make([]string, o.Len(s))
	for i := range items {
		items[i] = o.Elem.Format(o.Item(s, i))
	}
	v := "[" + strings.Join(items, ", ") + "]"
	flags := o.Flags(s)
	if flags&spec.FlagClosed != 0 {
		v += " closed"
	}
	if flags&spec.FlagShutdown != 0 {
		v += " shut down"
	}
	return v
}

func (queueKind) waits(p *spec.Program, s []byte, a *spec.Actor, in *spec.Instr, o *spec.Object, holders []*spec.Actor) string {
	if in.Method == spec.MGet {
		return o.Name + " is empty"
	}
	return o.Name + " is full"
}
