package por

import (
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

// NeedsProviso reports whether the search under reduction needs its cycle
// proviso. Stubborn sets keep every deadlock without it; the proviso keeps
// a postponed step from being ignored forever, which matters only for steps
// that can commit a violation and for invariants. So it is not needed when
// the program has no invariant and no instruction that can commit a
// violation: no assert, raise or start, no store that may leave its range,
// no expression that may fault, no operation that may raise (a release of
// a lock not provably held, an operation on a queue or channel that may be
// closed, ...), no loop inside an atomic block or a cooperative actor.
func (m *Reducer) NeedsProviso() bool { return m.fp.proviso }

func (p program) needsProviso() bool {
	if len(p.Invariant) > 0 {
		return true
	}
	cancelled := make([]bool, len(p.Actors))
	closable := make(map[*spec.Group]bool)
	for _, at := range p.Types {
		for _, in := range at.Code {
			switch {
			case in.Op == spec.OpCancel:
				for i := 0; i < in.Actor.Type.Count; i++ {
					cancelled[in.Actor.Type.First+i] = true
				}
			case in.Op == spec.OpCall && (in.Method == spec.MClose || in.Method == spec.MShutdown):
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
func (p program) groupOf(g *spec.Group) *spec.Group {
	for _, d := range p.Groups {
		if g.First >= d.First && g.First < d.First+d.Count {
			return d
		}
	}
	return g
}

// mayViolate reports whether actor a's instruction at pc may commit a
// violation.
func (p program) mayViolate(a *spec.Actor, pc int, cancelled bool, closable map[*spec.Group]bool, held *heldLocks) bool {
	in := &a.Type.Code[pc]
	if in.MayFault {
		return true
	}
	if in.Atomic != 0 && in.Op == spec.OpJump && in.Target <= pc {
		return true // a loop inside atomic may never end
	}
	switch in.Op {
	case spec.OpAssert, spec.OpRaise, spec.OpStart, spec.OpSelect:
		return true
	case spec.OpAssign, spec.OpBind, spec.OpChoose:
		return !in.SafeStore
	case spec.OpAwait:
		return cancelled
	case spec.OpCall:
	default:
		return false
	}
	if cancelled && (in.Blocking || in.Mode == spec.ModeTimeout) {
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
	return objectMayViolate(a, pc, in, o, p.groupOf(o.Group), closable, held)
}

// objectMayViolate reports whether operation in, at pc of actor a, on
// object o (of the declared group g) may commit a violation.
func objectMayViolate(a *spec.Actor, pc int, in *spec.Instr, o *spec.Object, g *spec.Group, closable map[*spec.Group]bool, held *heldLocks) bool {
	switch o.Kind {
	case ast.KindLock:
		switch {
		case o.Mod == ast.Reentrant:
			return true
		case in.Method == spec.MRelease:
			return !held.safe[o] || !held.at(a, pc, o)
		}
		return false
	case ast.KindSemaphore:
		return in.Method == spec.MRelease
	case ast.KindEvent:
		return false
	case ast.KindCondition:
		return in.Method != spec.MReacquire
	case ast.KindQueue, ast.KindChan:
		switch in.Method {
		case spec.MPut, spec.MSend:
			return closable[g] || in.Mode != spec.ModeBlock || o.Elem.Kind == spec.TInt
		case spec.MGet, spec.MRecv:
			return closable[g] || in.Mode != spec.ModeBlock || narrower(in.LHS, o.Elem)
		case spec.MClose:
			return o.Kind == ast.KindChan
		}
		return false
	case ast.KindWaitGroup:
		return in.Method != spec.MWait
	}
	return true
}

// narrower reports whether some target cannot hold every value of t.
func narrower(lhs []*spec.LValue, t *spec.Type) bool {
	for _, lv := range lhs {
		if lv.Type.Min() > t.Min() || lv.Type.Max() < t.Max() {
			return true
		}
	}
	return false
}

// objectFor resolves an object reference for actor a when it depends on
// self and constants only; nil when it may not resolve.
func (p program) objectFor(a *spec.Actor, ref spec.ObjRef) *spec.Object {
	if ref.Index == nil {
		return p.Objects[ref.Group.First]
	}
	if !ref.Static {
		return nil
	}
	f := spec.Frame{S: p.Initial(), A: a}
	o := ref.Resolve(p.Program, &f)
	if f.Fault != spec.NoFault {
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
	in   map[*spec.Actor][]map[*spec.Object]bool // per actor, per pc: the locks surely held
	safe map[*spec.Object]bool                   // every release of the lock is by its holder
}

func (h *heldLocks) at(a *spec.Actor, pc int, o *spec.Object) bool { return h.in[a][pc][o] }

func (p program) mustHeld() *heldLocks {
	h := &heldLocks{in: make(map[*spec.Actor][]map[*spec.Object]bool), safe: make(map[*spec.Object]bool)}
	for _, o := range p.Objects {
		if o.Kind == ast.KindLock {
			h.safe[o] = true
		}
	}
	for _, a := range p.Actors {
		in := p.heldIn(a)
		h.in[a] = in
		for pc := range a.Type.Code {
			c := &a.Type.Code[pc]
			if c.Op != spec.OpCall || c.Method != spec.MRelease || c.Obj.Group.Kind != ast.KindLock {
				continue
			}
			if o := p.objectFor(a, c.Obj); o != nil {
				h.safe[o] = h.safe[o] && in[pc] != nil && in[pc][o]
				continue
			}
			for _, x := range p.Objects {
				if x.Group == c.Obj.Group || p.groupOf(c.Obj.Group) == x.Group {
					h.safe[x] = false
				}
			}
		}
	}
	return h
}

// heldIn computes, per pc of actor a, the locks it surely holds there: a
// forward dataflow to a fixpoint, intersecting at joins.
func (p program) heldIn(a *spec.Actor) []map[*spec.Object]bool {
	code := a.Type.Code
	in := make([]map[*spec.Object]bool, len(code)) // nil: not reached yet (top)
	in[0] = map[*spec.Object]bool{}
	for changed := true; changed; {
		changed = false
		for pc := range code {
			if in[pc] == nil {
				continue
			}
			out := p.heldAfter(a, &code[pc], in[pc])
			for _, s := range code[pc].Succs {
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
	return in
}

// heldAfter is the transfer function of mustHeld.
func (p program) heldAfter(a *spec.Actor, in *spec.Instr, before map[*spec.Object]bool) map[*spec.Object]bool {
	if in.Op != spec.OpCall || in.Obj.Group == nil {
		return before
	}
	var lock *spec.Object
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
	case in.Method == spec.MAcquire && in.Mode == spec.ModeBlock, in.Method == spec.MReacquire:
		after[lock] = true
	case in.Method == spec.MRelease, in.Method == spec.MWait && in.Obj.Group.Kind == ast.KindCondition:
		delete(after, lock)
	}
	return after
}

func copyHeld(m map[*spec.Object]bool) map[*spec.Object]bool {
	out := make(map[*spec.Object]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
