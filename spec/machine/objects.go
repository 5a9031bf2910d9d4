package machine

import (
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

// The objects: each kind in a file of its own (obj_*.go) holds its
// operations, what a crash does to it, how its value reads and why an
// actor waits on it. Every operation decides whether it can run before it
// changes anything, so that a blocked operation leaves the state as it
// was.

// A kind is what the machine knows of one kind of object.
type kind interface {
	// op runs the operation of in on o for actor a (see exec).
	op(m *Machine, a *spec.Actor, in *spec.Instr, o *spec.Object) (int, int)
	// crashed undoes in s what actor a, just crashed, had in o.
	crashed(s []byte, o *spec.Object, a *spec.Actor)
	// value renders o's state in s as the user thinks of it.
	value(p *spec.Program, s []byte, o *spec.Object) string
	// waits says why actor a cannot take its step at in, an operation on
	// o; holders are the actors that hold a unit of o (a semaphore's).
	waits(p *spec.Program, s []byte, a *spec.Actor, in *spec.Instr, o *spec.Object, holders []*spec.Actor) string
}

// kindOf returns what the machine knows of kind k.
func kindOf(k ast.ObjectKind) kind {
	switch k {
	case ast.KindLock:
		return lockKind{}
	case ast.KindSemaphore:
		return semaphoreKind{}
	case ast.KindEvent:
		return eventKind{}
	case ast.KindCondition:
		return conditionKind{}
	case ast.KindQueue:
		return queueKind{}
	case ast.KindChan:
		return chanKind{}
	case ast.KindWaitGroup:
		return waitGroupKind{}
	}
	panic("machine: unknown object kind " + string(k))
}

// ObjectValue renders object o's state in s as the user thinks of it.
func ObjectValue(p *spec.Program, s []byte, o *spec.Object) string {
	return kindOf(o.Kind).value(p, s, o)
}

// WaitReason says why actor a cannot take its step at in, an operation on
// object o; holders are the actors holding a unit of o, for a semaphore.
func WaitReason(p *spec.Program, s []byte, a *spec.Actor, in *spec.Instr, o *spec.Object, holders []*spec.Actor) string {
	return kindOf(o.Kind).waits(p, s, a, in, o, holders)
}

// noCrashEffect is the crash effect of the kinds a crash leaves as they
// are.
type noCrashEffect struct{}

func (noCrashEffect) crashed(s []byte, o *spec.Object, a *spec.Actor) {}

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
	return m.kinds[o.Loc].op(m, a, in, o)
}

// failed reports the outcome of an operation that could not complete at
// once under nowait or timeout: it returns false.
func (m *Machine) failed(in *spec.Instr) (int, int) {
	m.result(in, 0, 0)
	if m.rec != nil {
		outcome := "-> false"
		if in.Mode == spec.ModeTimeout {
			outcome = "-> timed out"
		}
		m.rec.events = append(m.rec.events, Event{Actor: m.f.A, Instr: in, Outcome: outcome, Failed: true})
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
