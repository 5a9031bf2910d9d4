package machine

import (
	"github.com/interleave-dev/interleave/spec"
)

func (m *Machine) chanOp(a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int) {
	s := m.f.S
	closed := o.Closed(s)
	switch in.Method {
	case spec.MSend:
		v := in.Args[0](&m.f)
		if closed {
			return m.raises(in, spec.ErrSendOnClosed)
		}
		if !o.Elem.Contains(v) {
			m.f.FaultOf(spec.FaultRange, in.Pos, "an element of", o.Name, v, o.Elem)
			return rNext, in.Next
		}
		if o.Cap > 0 {
			if o.Len(s) >= o.Cap {
				return rBlocked, 0
			}
			o.Push(s, v)
			break
		}
		if !m.rendezvous(a, in, o, v) {
			return rBlocked, 0
		}
		return rNext, in.Next
	case spec.MRecv:
		switch {
		case o.Len(s) > 0:
			v := o.Pop(s)
			m.result(in, 0, v)
			m.result(in, 1, 1)
			if m.rec != nil {
				m.recEvent(in, "-> "+o.Elem.Format(v))
			}
		case closed:
			m.result(in, 0, o.Elem.Min())
			m.result(in, 1, 0)
			if m.rec != nil {
				m.recEvent(in, "-> "+o.Elem.Format(o.Elem.Min())+", closed")
			}
		default:
			return rBlocked, 0
		}
		return rNext, in.Next
	case spec.MClose:
		if closed {
			return m.raises(in, spec.ErrCloseOfClosed)
		}
		o.SetFlag(s, spec.FlagClosed)
	}
	m.recEvent(in, "")
	return rNext, in.Next
}

// partners lists the actors, other than a, standing at a receive from the
// unbuffered channel o: a plain recv, or a select case.
func (m *Machine) partners(a *spec.Actor, o *spec.Object) []partner {
	m.cands = m.standing(a, o, false, m.cands[:0])
	return m.cands
}

// senderWaiting reports whether an actor other than a stands at a send on
// the unbuffered channel o (a plain send, or a select with a send case).
func (m *Machine) senderWaiting(a *spec.Actor, o *spec.Object) bool {
	m.cands = m.standing(a, o, true, m.cands[:0])
	return len(m.cands) > 0
}

// standing appends the actors other than a that stand at a send (send
// set) or a receive on channel o, with the select case they would take.
func (m *Machine) standing(a *spec.Actor, o *spec.Object, send bool, out []partner) []partner {
	s := m.f.S
	method := spec.MRecv
	if send {
		method = spec.MSend
	}
	for _, b := range m.p.Actors {
		if b == a || !b.Running(s) || b.CancelPending(s) || m.isMoving(b) {
			continue
		}
		bin := &b.Type.Code[b.PC(s)]
		m.g = spec.Frame{S: s, A: b}
		switch {
		case bin.Op == spec.OpCall && bin.Method == method:
			if bin.Obj.Resolve(m.p, &m.g) == o {
				out = append(out, partner{b, -1})
			}
		case bin.Op == spec.OpSelect:
			for k, c := range bin.Cases {
				if !c.Default && c.Send == send && c.Obj.Resolve(m.p, &m.g) == o {
					out = append(out, partner{b, k})
				}
			}
		}
	}
	return out
}

// isMoving reports whether actor b is a sender whose rendezvous runs the
// current receiver on: its step is running, it stands nowhere, so it is
// no partner (else two cooperative actors would hand a value back and
// forth without end).
func (m *Machine) isMoving(b *spec.Actor) bool {
	for _, x := range m.moving {
		if x == b {
			return true
		}
	}
	return false
}

// rendezvous hands v from sender a to a receiver standing at a receive from
// o, chosen among all such, and runs the receiver's step on from there.
func (m *Machine) rendezvous(a *spec.Actor, in *spec.Instr, o *spec.Object, v int) bool {
	cands := m.partners(a, o)
	if len(cands) == 0 {
		return false
	}
	p := cands[m.pick(len(cands))]
	if m.rec != nil {
		m.recEvent(in, "-> "+p.a.Name)
	}
	self := m.f
	m.f = spec.Frame{S: self.S, A: p.a}
	bin := &p.a.Type.Code[p.a.PC(self.S)]
	next := bin.Next
	lhs := bin.LHS
	if p.kase >= 0 {
		lhs, next = bin.Cases[p.kase].LHS, bin.Cases[p.kase].Body
	}
	if len(lhs) > 0 {
		lhs[0].Store(&m.f, v)
	}
	if len(lhs) > 1 {
		lhs[1].Store(&m.f, 1)
	}
	if m.rec != nil {
		m.recEvent(bin, "-> "+o.Elem.Format(v))
	}
	m.moving = append(m.moving, a)
	m.run(p.a, next, false, bin.Atomic)
	m.moving = m.moving[:len(m.moving)-1]
	m.f = self
	return true
}

// readyCases lists the cases of select in that are ready into ready, and
// finds the default case (-1 if none); false when a case names no object
// (an index fault).
func (m *Machine) readyCases(a *spec.Actor, in *spec.Instr, ready *[spec.MaxSelectCases]int) (n, def int, ok bool) {
	s := m.f.S
	def = -1
	for k := range in.Cases {
		c := &in.Cases[k]
		if c.Default {
			def = k
			continue
		}
		o := c.Obj.Resolve(m.p, &m.f)
		if o == nil {
			return 0, 0, false
		}
		count, closed := o.Len(s), o.Closed(s)
		var can bool
		if c.Send {
			can = closed || (o.Cap > 0 && count < o.Cap) || (o.Cap == 0 && len(m.partners(a, o)) > 0)
		} else {
			can = count > 0 || closed || (o.Cap == 0 && m.senderWaiting(a, o))
		}
		if can {
			ready[n] = k
			n++
		}
	}
	return n, def, true
}

// selectOp commits to one ready case: a buffered or closed channel, or an
// unbuffered one with a partner waiting. With none ready it takes the
// default, or blocks.
func (m *Machine) selectOp(a *spec.Actor, in *spec.Instr) (int, int) {
	if in.Blocking && m.cancelPending(a) {
		return m.raises(in, spec.ErrCancelled)
	}
	var ready [spec.MaxSelectCases]int
	n, def, ok := m.readyCases(a, in, &ready)
	if !ok {
		return rNext, in.Next
	}
	if n == 0 {
		if def < 0 {
			return rBlocked, 0
		}
		m.recEvent(in, "-> default")
		return rNext, in.Cases[def].Body
	}
	return m.commitCase(a, in, &in.Cases[ready[m.pick(n)]])
}

// commitCase runs the chosen case c of select in.
func (m *Machine) commitCase(a *spec.Actor, in *spec.Instr, c *spec.SelectCase) (int, int) {
	s := m.f.S
	o := c.Obj.Resolve(m.p, &m.f)
	closed := o.Closed(s)
	switch {
	case c.Send && closed:
		if m.rec != nil {
			m.recEvent(in, c.Text+" raises "+spec.ErrSendOnClosed.String())
		}
		return m.raise(spec.ErrSendOnClosed), 0
	case c.Send && o.Cap > 0:
		o.Push(s, c.Value(&m.f))
	case c.Send:
		if !m.rendezvous(a, in, o, c.Value(&m.f)) {
			return rBlocked, 0
		}
	case o.Len(s) > 0:
		v := o.Pop(s)
		m.selectResult(c, v, 1)
	case closed:
		m.selectResult(c, o.Elem.Min(), 0)
	default:
		// An unbuffered receive: the sender's step makes the exchange.
		return rBlocked, 0
	}
	m.recEvent(in, c.Text)
	return rNext, c.Body
}
func (m *Machine) selectResult(c *spec.SelectCase, v, ok int) {
	if len(c.LHS) > 0 {
		c.LHS[0].Store(&m.f, v)
	}
	if len(c.LHS) > 1 {
		c.LHS[1].Store(&m.f, ok)
	}
}

// chanKind: a Go channel, buffered or unbuffered (a send meets a
// receiver, see rendezvous), with close and select.
type chanKind struct{ noCrashEffect }

func (chanKind) op(m *Machine, a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int) {
	return m.chanOp(a, in, o)
}

func (chanKind) value(p *spec.Program, s []byte, o *spec.Object) string {
	return itemsValue(s, o)
}

func (chanKind) waits(p *spec.Program, s []byte, a *spec.Actor, in *spec.Instr, o *spec.Object, holders []*spec.Actor) string {
	switch {
	case in.Method == spec.MRecv:
		return "nothing to receive on " + o.Name
	case o.Cap > 0:
		return o.Name + " is full"
	}
	return "no receiver on " + o.Name
}
