package spec

import "github.com/interleave-dev/interleave/spec/ast"

// NeedsProviso reports whether the search under reduction needs its cycle
// proviso. Stubborn sets keep every deadlock without it; the proviso keeps
// a postponed step from being ignored forever, which matters only for steps
// that can commit a violation and for invariants. So it is not needed when
// the program has no invariant and no instruction that can commit a
// violation: no assert, raise or start, no store that may leave its range,
// no expression that may fault, no operation that may raise (a release of
// a lock not provably held, an operation on a queue or channel that may be
// closed, ...), no loop inside an atomic block or a cooperative actor.
func (m *Machine) NeedsProviso() bool { return m.p.fp.proviso }

func (p *Program) needsProviso() bool {
	if len(p.Invariant) > 0 {
		return true
	}
	cancelled := make([]bool, len(p.Actors))
	closable := make(map[*Group]bool)
	for _, at := range p.Types {
		for _, in := range at.Code {
			switch {
			case in.Op == OpCancel:
				for i := 0; i < in.Actor.Type.Count; i++ {
					cancelled[in.Actor.Type.First+i] = true
				}
			case in.Op == OpCall && (in.Method == MClose || in.Method == MShutdown):
				closable[in.Obj.Group] = true
				closable[p.groupOf(in.Obj.Group)] = true
			}
		}
	}
	held := p.mustHeld()
	for _, a := range p.Actors {
		if a.Type.Cooperative {
			return true
		}
		for pc := range a.Type.Code {
			if p.mayViolate(a, pc, cancelled[a.ID], closable, held) {
				return true
			}
		}
	}
	return false
}

// groupOf returns the declared group an element view belongs to.
func (p *Program) groupOf(g *Group) *Group {
	for _, d := range p.Groups {
		if g.First >= d.First && g.First < d.First+d.Count {
			return d
		}
	}
	return g
}

// mayViolate reports whether actor a's instruction at pc may commit a
// violation.
func (p *Program) mayViolate(a *Actor, pc int, cancelled bool, closable map[*Group]bool, held *heldLocks) bool {
	in := &a.Type.Code[pc]
	if in.MayFault {
		return true
	}
	if in.Atomic != 0 && in.Op == OpJump && in.Target <= pc {
		return true // a loop inside atomic may never end
	}
	switch in.Op {
	case OpAssert, OpRaise, OpStart, OpSelect:
		return true
	case OpAssign, OpBind, OpChoose:
		return !in.SafeStore
	case OpAwait:
		return cancelled
	case OpCall:
	default:
		return false
	}
	if cancelled && (in.Blocking || in.Mode == ModeTimeout) {
		return true
	}
	o := p.objectFor(a, in.Obj)
	if o == nil {
		return true // an index that may be out of range
	}
	for _, lv := range in.LHS {
		if lv.Index != nil {
			return true
		}
	}
	switch o.Kind {
	case ast.KindLock:
		switch {
		case o.Mod == ast.Reentrant:
			return true
		case in.Method == MRelease:
			return !held.safe[o] || !held.at(a, pc, o)
		}
		return false
	case ast.KindSemaphore:
		return in.Method == MRelease
	case ast.KindEvent:
		return false
	case ast.KindCondition:
		return in.Method != MReacquire
	case ast.KindQueue, ast.KindChan:
		g := p.groupOf(o.Group)
		switch in.Method {
		case MPut, MSend:
			return closable[g] || in.Mode != ModeBlock || o.Elem.Kind == TInt
		case MGet, MRecv:
			if closable[g] || in.Mode != ModeBlock {
				return true
			}
			for _, lv := range in.LHS {
				if lv.Type.Min() > o.Elem.Min() || lv.Type.Max() < o.Elem.Max() {
					return true
				}
			}
			return false
		case MClose:
			return o.Kind == ast.KindChan
		}
		return false
	case ast.KindWaitGroup:
		return in.Method != MWait
	}
	return true
}

// objectFor resolves an object reference for actor a when it depends on
// self and constants only; nil when it may not resolve.
func (p *Program) objectFor(a *Actor, ref ObjRef) *Object {
	if ref.Index == nil {
		return p.Objects[ref.Group.First]
	}
	if !ref.Static {
		return nil
	}
	f := Frame{S: p.init, A: a}
	o := ref.Resolve(p, &f)
	if f.Fault != NoFault {
		return nil
	}
	return o
}

// heldLocks is a must analysis of the plain and robust locks each actor
// holds at each pc: acquired by a blocking acquire on every path, and not
// released since. A release of a lock it holds cannot raise Unlocked; if
// every release of a lock in the program is such, none can, since only its
// holder releases it.
type heldLocks struct {
	in   map[*Actor][]map[*Object]bool // per actor, per pc: the locks surely held
	safe map[*Object]bool              // every release of the lock is by its holder
}

func (h *heldLocks) at(a *Actor, pc int, o *Object) bool { return h.in[a][pc][o] }

func (p *Program) mustHeld() *heldLocks {
	h := &heldLocks{in: make(map[*Actor][]map[*Object]bool), safe: make(map[*Object]bool)}
	for _, o := range p.Objects {
		if o.Kind == ast.KindLock {
			h.safe[o] = true
		}
	}
	for _, a := range p.Actors {
		code := a.Type.Code
		in := make([]map[*Object]bool, len(code)) // nil: not reached yet (top)
		in[0] = map[*Object]bool{}
		for changed := true; changed; {
			changed = false
			for pc := range code {
				if in[pc] == nil {
					continue
				}
				out := p.heldAfter(a, &code[pc], in[pc])
				for _, s := range code[pc].succs {
					next := out
					if s == code[pc].Handler {
						next = in[pc] // the operation did not complete
					}
					if in[s] == nil {
						in[s] = copyHeld(next)
						changed = true
						continue
					}
					for o := range in[s] {
						if !next[o] {
							delete(in[s], o)
							changed = true
						}
					}
				}
			}
		}
		h.in[a] = in
		for pc := range code {
			c := &code[pc]
			if c.Op == OpCall && c.Method == MRelease && c.Obj.Group.Kind == ast.KindLock {
				o := p.objectFor(a, c.Obj)
				if o == nil {
					for _, x := range p.Objects {
						if x.Group == c.Obj.Group || p.groupOf(c.Obj.Group) == x.Group {
							h.safe[x] = false
						}
					}
					continue
				}
				if in[pc] == nil || !in[pc][o] {
					h.safe[o] = false
				}
			}
		}
	}
	return h
}

// heldAfter is the transfer function of mustHeld.
func (p *Program) heldAfter(a *Actor, in *Instr, before map[*Object]bool) map[*Object]bool {
	if in.Op != OpCall || in.Obj.Group == nil {
		return before
	}
	var lock *Object
	if in.Obj.Group.Kind == ast.KindLock {
		lock = p.objectFor(a, in.Obj)
	} else if in.Obj.Group.Kind == ast.KindCondition {
		if cv := p.objectFor(a, in.Obj); cv != nil && cv.Lock >= 0 {
			lock = p.Objects[cv.Lock]
		}
	}
	if lock == nil {
		return before
	}
	after := copyHeld(before)
	switch {
	case in.Method == MAcquire && in.Mode == ModeBlock, in.Method == MReacquire:
		after[lock] = true
	case in.Method == MRelease, in.Method == MWait && in.Obj.Group.Kind == ast.KindCondition:
		delete(after, lock)
	}
	return after
}

func copyHeld(m map[*Object]bool) map[*Object]bool {
	out := make(map[*Object]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
