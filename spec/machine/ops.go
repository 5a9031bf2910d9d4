package machine

import (
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

// The semantics of the objects' operations. Every operation decides
// whether it can run before it changes anything, so that a blocked
// operation leaves the state as it was.

// countType is the range of the counts objects keep in one byte: a
// semaphore's value, a reentrant lock's hold count, a wait group's counter.
var countType = &spec.Type{Kind: spec.TInt, Lo: 0, Hi: 255}

func (m *Machine) result(in *spec.Instr, i, v int) {
	if i < len(in.LHS) {
		in.LHS[i].Store(&m.f, v)
	}
}

// call runs an operation on an object.
func (m *Machine) call(a *spec.Actor, in *spec.Instr) (int, int) {
	f := &m.f
	o := in.Obj.Resolve(m.p, f)
	if o == nil {
		return rNext, in.Next
	}
	waits := in.Blocking || in.Mode == spec.ModeTimeout
	if waits && in.Method != spec.MReacquire && m.cancelPending(a) {
		if m.rec != nil {
			m.recEvent(in, "raises "+spec.ErrCancelled.String())
		}
		return m.raise(spec.ErrCancelled), 0
	}
	switch o.Kind {
	case ast.KindLock:
		return m.lockOp(a, in, o)
	case ast.KindSemaphore:
		return m.semOp(in, o)
	case ast.KindEvent:
		return m.eventOp(in, o)
	case ast.KindCondition:
		return m.condOp(a, in, o)
	case ast.KindQueue:
		return m.queueOp(in, o)
	case ast.KindChan:
		return m.chanOp(a, in, o)
	case ast.KindWaitGroup:
		return m.wgOp(in, o)
	}
	return rNext, in.Next
}

// failed reports the outcome of an operation that could not complete at
// once under nowait or timeout: it returns false.
func (m *Machine) failed(in *spec.Instr) (int, int) {
	m.result(in, 0, 0)
	if in.Mode == spec.ModeTimeout {
		m.recEvent(in, "-> timed out")
	} else {
		m.recEvent(in, "-> false")
	}
	return rNext, in.Next
}

func (m *Machine) succeeded(in *spec.Instr) (int, int) {
	m.result(in, 0, 1)
	if in.Mode != spec.ModeBlock {
		m.recEvent(in, "-> true")
	} else {
		m.recEvent(in, "")
	}
	return rNext, in.Next
}

func (m *Machine) raises(in *spec.Instr, e spec.ErrorID) (int, int) {
	if m.rec != nil {
		m.recEvent(in, "raises "+e.String())
	}
	return m.raise(e), 0
}

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
		waiting := o.Waiting(s, a)
		cancel := a.CancelPending(s)
		if waiting && !cancel && in.Mode != spec.ModeTimeout || lk.OwnerID(s) != 0 {
			return rBlocked, 0
		}
		o.SetWaiting(s, a, false)
		lk.SetOwnerID(s, me)
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
	case spec.MNotify, spec.MNotifyAll:
		if lk.OwnerID(s) != me {
			return m.raises(in, spec.ErrUnlocked)
		}
		if in.Method == spec.MNotifyAll {
			o.ClearWaiters(s)
			break
		}
		n := 0
		for _, b := range m.p.Actors {
			if o.Waiting(s, b) {
				n++
			}
		}
		if n == 0 {
			break
		}
		k := m.pick(n)
		for _, b := range m.p.Actors {
			if o.Waiting(s, b) {
				if k == 0 {
					o.SetWaiting(s, b, false)
					if m.rec != nil {
						m.recEvent(in, "wakes "+b.Name)
					}
					return rNext, in.Next
				}
				k--
			}
		}
	}
	m.recEvent(in, "")
	return rNext, in.Next
}

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

// selectOp commits to one ready case: a buffered or closed channel, or an
// unbuffered one with a partner waiting. With none ready it takes the
// default, or blocks.
func (m *Machine) selectOp(a *spec.Actor, in *spec.Instr) (int, int) {
	s := m.f.S
	if in.Blocking && m.cancelPending(a) {
		return m.raises(in, spec.ErrCancelled)
	}
	var ready [spec.MaxSelectCases]int
	n, def := 0, -1
	for k := range in.Cases {
		c := &in.Cases[k]
		if c.Default {
			def = k
			continue
		}
		o := c.Obj.Resolve(m.p, &m.f)
		if o == nil {
			return rNext, in.Next
		}
		count, closed := o.Len(s), o.Closed(s)
		ok := false
		switch {
		case c.Send:
			ok = closed || (o.Cap > 0 && count < o.Cap) || (o.Cap == 0 && len(m.partners(a, o)) > 0)
		default:
			ok = count > 0 || closed || (o.Cap == 0 && m.senderWaiting(a, o))
		}
		if ok {
			ready[n] = k
			n++
		}
	}
	if n == 0 {
		if def < 0 {
			return rBlocked, 0
		}
		m.recEvent(in, "-> default")
		return rNext, in.Cases[def].Body
	}
	c := &in.Cases[ready[m.pick(n)]]
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
