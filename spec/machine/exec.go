package machine

import (
	"bytes"
	"strconv"

	"github.com/interleave-dev/interleave/spec"
)

// Results of executing one instruction.
const (
	rNext    = iota // go on at the returned pc
	rBlocked        // the instruction cannot run now; nothing was changed
	rRaise          // an error (Machine.err) was raised
	rEither         // a branch was chosen; the step has not happened yet
	rEnd            // the actor reached its end
	rFail           // a violation ended the actor where it stands (a failed assert)
)

// maxRun bounds the instructions of one step, so that a loop of local
// bookkeeping that never ends is reported instead of hanging the search.
const maxRun = 1 << 16

// VKind is the kind of a violation.
type VKind uint8

// The violation kinds.
const (
	VNone VKind = iota
	VAssert
	VInvariant
	VUncaught
	VDeadlock
	VRange
	VLoop
	VLeak
	VLiveness
)

var vkindNames = [...]string{"none", "assertion", "invariant", "uncaught", "deadlock", "range", "livelock", "leak", "liveness"}

func (k VKind) String() string { return vkindNames[k] }

// A violation code names a violation by its kind and place: the error, the
// actor type and the pc (or the invariant's index).
func violationCode(kind VKind, err, typ, pc int) uint64 {
	return uint64(kind)<<56 | uint64(err)<<40 | uint64(typ)<<24 | uint64(pc)
}

// DecodeViolation splits a violation code.
func DecodeViolation(code uint64) (kind VKind, err, typ, pc int) {
	if VKind(code>>56) == VDeadlock {
		return VDeadlock, 0, 0, 0
	}
	return VKind(code >> 56), int(code>>40) & 0xffff, int(code>>24) & 0xffff, int(code & 0xffffff)
}

// DeadlockCode is the kind part of a deadlock's violation code; the rest
// tells deadlocks apart by where the blocked actors stand.
var DeadlockCode = violationCode(VDeadlock, 0, 0, 0)

func (m *Machine) typeIndex(at *spec.ActorType) int {
	for i, t := range m.p.Types {
		if t == at {
			return i
		}
	}
	return 0
}

func (m *Machine) violate(kind VKind, err int, a *spec.Actor, pc int) {
	if m.viol == 0 {
		m.viol = violationCode(kind, err, m.typeIndex(a.Type), pc)
	}
	if m.rec != nil {
		m.rec.violation(kind, err)
	}
}

// step runs the next step of actor a in dst; false if it cannot move.
// The snapshots of the step before are dropped: a step that ends by a
// fault or at the end of its actor leaves its last one unused.
func (m *Machine) step(dst []byte, a *spec.Actor) bool {
	m.f = spec.Frame{S: dst, A: a}
	m.viol, m.pruned, m.halt, m.nsnap, m.progress = 0, false, false, 0, false
	m.walk++
	return m.run(a, a.PC(dst), true, -1) && !m.pruned
}

// settle moves actor a from pc through bookkeeping to where it stands.
func (m *Machine) settle(a *spec.Actor, pc int) {
	for guard := 0; guard < maxRun; guard++ {
		in := &a.Type.Code[pc]
		if in.Rest {
			break
		}
		r, next := m.exec(a, in)
		if r != rNext || m.f.Fault != spec.NoFault {
			break // bookkeeping neither raises nor blocks; be safe
		}
		pc = next
	}
	m.rest(a, pc)
}

// rest makes actor a stand at pc: dead locals are zeroed; at the end of
// its body the actor is done.
func (m *Machine) rest(a *spec.Actor, pc int) {
	s := m.f.S
	in := &a.Type.Code[pc]
	if in.Op == spec.OpEnd {
		m.end(s, a, spec.Done)
		a.SetPC(s, pc)
		return
	}
	a.SetPC(s, pc)
	m.clearDead(a, in)
}

// clearDead zeroes the locals that are dead where actor a stands at in.
// A step that goes on past a rest point clears them there too, so that
// the walks of a step compare their states (visit) without stale values.
func (m *Machine) clearDead(a *spec.Actor, in *spec.Instr) {
	loc := a.LocalBytes(m.f.S)
	for i, k := range in.Clear {
		loc[i] &= k
	}
}

// run executes actor a from pc. With first set, the instruction at pc is
// the step's first and the step is not enabled if it blocks; otherwise the
// step has already happened (a rendezvous partner continues its own step).
// A step runs on through bookkeeping to the next resting instruction, and
// further inside an atomic region or for a cooperative actor.
func (m *Machine) run(a *spec.Actor, pc int, first bool, region int) bool {
	code := a.Type.Code
	st := runState{committed: !first, resume: -1, region: region}
	m.loopActor = nil
	for guard := 0; ; guard++ {
		if guard > maxRun {
			return m.runaway(a, pc)
		}
		in := &code[pc]
		if st.region > 0 && in.Atomic != st.region {
			st.region = 0 // the step left its atomic region: it ends at the next rest
		}
		if in.Rest && st.committed && st.resume < 0 {
			if st.endsAt(a, in) {
				break
			}
			if !m.goOnPast(a, pc, &st) {
				return true
			}
		}
		r, next := m.exec(a, in)
		if r != rNext || m.f.Fault != spec.NoFault {
			var how int
			if pc, how = m.outcome(a, in, pc, r, next, &st); how != goOn {
				if how == settled {
					break
				}
				return how == stepDone
			}
			continue
		}
		if in.Rest {
			m.passed(in, &st)
		}
		pc = next
	}
	m.rest(a, pc)
	return true
}

// runState is where a run of a step stands.
type runState struct {
	committed bool // the step has happened: a later block does not undo it
	resume    int  // start of a segment that may still block (cooperative), or -1
	snap      int  // the snapshot taken at resume
	region    int  // the atomic region the step runs in, 0 none, -1 the one it enters
}

// runaway ends a step that ran past maxRun instructions: a loop of local
// steps that never ends (a livelock).
func (m *Machine) runaway(a *spec.Actor, pc int) bool {
	m.violate(VLoop, 0, a, pc)
	m.fail(a, pc)
	return true
}

// endsAt reports whether a step that has happened ends at in, a resting
// instruction: it does unless it runs on inside its atomic region or in a
// cooperative actor.
func (st *runState) endsAt(a *spec.Actor, in *spec.Instr) bool {
	inRegion := st.region > 0 && in.Atomic == st.region
	return !inRegion && (!a.Type.Cooperative || in.Op == spec.OpEnd)
}

// passed notes that the step ran a resting instruction: it has happened,
// and a segment that could block is over.
func (m *Machine) passed(in *spec.Instr, st *runState) {
	if !st.committed {
		st.committed = true
		if st.region < 0 {
			st.region = in.Atomic
		}
	}
	if st.resume >= 0 {
		m.popSnap()
		st.resume = -1
	}
}

// How a run goes on after outcome.
const (
	goOn     = iota // at the returned pc
	settled         // the step ends, the actor resting at the returned pc
	stepDone        // the step ended (run returns true)
	notTaken        // the step cannot be taken (run returns false)
)

// goOnPast is run's way past a rest point inside an atomic region or a
// cooperative actor: the dead locals are cleared and the walk recorded
// (see visit); from here on the step may block again, which would undo
// what it did since. false when the step ends here.
func (m *Machine) goOnPast(a *spec.Actor, pc int, st *runState) bool {
	m.clearDead(a, &a.Type.Code[pc])
	switch how, from := m.visit(a, pc, m.f.S); how {
	case walkLoops:
		// The code names the loop by its first rest point, not by where
		// the walk happened to close it; the step never ends, so nothing
		// follows it (Transition.Halt).
		m.violate(VLoop, 0, a, m.loopHead(a, from))
		m.halt = true
		m.fail(a, pc)
		return false
	case walkCut:
		m.pruned = true
		return false
	}
	st.resume = pc
	st.snap = m.pushSnap(m.f.S)
	return true
}

// outcome handles what exec returned other than going on (r), or a fault:
// it returns where run goes on and how.
func (m *Machine) outcome(a *spec.Actor, in *spec.Instr, pc, r, next int, st *runState) (int, int) {
	if f := &m.f; f.Fault != spec.NoFault {
		if m.rec != nil {
			m.rec.fault, m.rec.why = f.Fault, f.Why
		}
		m.violate(VRange, 0, a, pc)
		m.fail(a, pc)
		return pc, stepDone
	}
	switch r {
	case rBlocked:
		if st.resume >= 0 {
			copy(m.f.S, m.snaps[st.snap])
			m.popSnap()
			return st.resume, settled
		}
		if !st.committed {
			return pc, notTaken
		}
		return pc, settled // cannot happen: only rest instructions block
	case rEither:
		return next, goOn
	case rRaise:
		return m.raised(a, in, pc, st)
	case rEnd:
		m.rest(a, pc)
		return pc, stepDone
	}
	// rFail
	if st.resume >= 0 {
		m.popSnap()
	}
	m.fail(a, pc)
	return pc, stepDone
}

// raised handles an error raised at pc: on to its handler, or the actor
// fails. The step has happened: a later block does not undo it.
func (m *Machine) raised(a *spec.Actor, in *spec.Instr, pc int, st *runState) (int, int) {
	if in.Op != spec.OpCatch {
		m.errPC = pc // where the error was raised, for the report
	}
	st.committed = true
	if st.resume >= 0 {
		m.popSnap()
		st.resume = -1
	}
	if in.Handler < 0 {
		m.uncaught(a, m.errPC)
		return pc, stepDone
	}
	return in.Handler, goOn
}

// loops reports whether a walk without choices came back to a rest point
// it passed with the state as it was then: it would loop forever. Brent's
// method: the state is remembered at the 1st, 2nd, 4th, ... rest point.
// A rendezvous partner's run inside the step starts its own count.
func (m *Machine) loops(a *spec.Actor, pc int, s []byte) (bool, int) {
	if m.loopActor != a {
		m.loopActor, m.rests = a, 0
	}
	m.rests++
	if m.rests > 1 && pc == m.loopPC && bytes.Equal(s, m.loopState) {
		return true, m.loopAt
	}
	if m.rests&(m.rests-1) == 0 {
		m.loopPC, m.loopAt = pc, len(m.path)-1
		m.loopState = append(m.loopState[:0], s...)
	}
	return false, 0
}

// walkPoint is a rest point a walk passed.
type walkPoint struct {
	a  *spec.Actor
	pc int
}

// loopHead names the loop a walk of actor a closed, which runs from the
// walk's point from to its last: the smallest pc of a's rest points on it.
func (m *Machine) loopHead(a *spec.Actor, from int) int {
	head := -1
	for _, p := range m.path[from:] {
		if p.a == a && (head < 0 || p.pc < head) {
			head = p.pc
		}
	}
	return head
}

// A step that goes on past its rest points (inside an atomic block, or a
// cooperative actor's) is a walk over rest points; with choices inside it,
// every vector of choices is one walk, and there may be exponentially many.
// So the walks of one step share what they found: the first walk that
// comes to a rest point (with the state as it is) explores on from there,
// and so do the walks that made the same choices up to it (they are its
// continuations); any other walk that comes there is cut, as everything
// that can follow was or will be explored by that first one. A walk that
// comes back to a rest point it passed loops forever. Until the first
// choice a step has only one walk: Brent's method (loops) finds its loops
// without remembering every point.
const (
	walkOn = iota
	walkCut
	walkLoops
)

// restPoint is what the walks of a step know of one rest point.
type restPoint struct {
	prefix []choice // the choices made before it by the first walk there
	walk   int      // the last walk that passed it
	at     int      // where on that walk's path
}

// visit records that the current walk of actor a passed rest point pc in
// state s and says how the walk goes on; when it loops, from is where on
// its path it passed the point before.
func (m *Machine) visit(a *spec.Actor, pc int, s []byte) (how, from int) {
	if m.pathWalk != m.walk {
		m.path, m.pathWalk = m.path[:0], m.walk
	}
	m.path = append(m.path, walkPoint{a, pc})
	at := len(m.path) - 1
	if m.depth == 0 {
		if loops, from := m.loops(a, pc, s); loops {
			return walkLoops, from
		}
		return walkOn, 0
	}
	m.key = append(append(m.key[:0], s...), byte(a.ID), byte(pc), byte(pc>>8))
	rp, ok := m.stepSeen[string(m.key)]
	if !ok {
		if m.stepSeen == nil {
			m.stepSeen = make(map[string]*restPoint)
		}
		m.stepSeen[string(m.key)] = &restPoint{prefix: append([]choice(nil), m.choices[:m.depth]...), walk: m.walk, at: at}
		return walkOn, 0
	}
	if rp.walk == m.walk {
		return walkLoops, rp.at
	}
	rp.walk, rp.at = m.walk, at
	if len(rp.prefix) != m.depth {
		return walkCut, 0
	}
	for i, c := range rp.prefix {
		if c.v != m.choices[i].v {
			return walkCut, 0
		}
	}
	return walkOn, 0
}

// firstChoices starts the enumeration of a step's choice vectors.
func (m *Machine) firstChoices() {
	m.choices = m.choices[:0]
	if len(m.stepSeen) > 0 {
		clear(m.stepSeen)
	}
}

// uncaught ends actor a with the error being raised: a Cancelled error ends
// it quietly, any other is a violation.
func (m *Machine) uncaught(a *spec.Actor, pc int) {
	if m.err == int(spec.ErrCancelled) {
		m.end(m.f.S, a, spec.Cancelled)
		return
	}
	m.violate(VUncaught, m.err, a, pc)
	m.fail(a, pc)
}

// fail ends actor a at pc with an error; it stands there for the report.
func (m *Machine) fail(a *spec.Actor, pc int) {
	m.end(m.f.S, a, spec.Failed)
	a.SetPC(m.f.S, pc)
}

// Snapshots of the state, for a cooperative step that may have to stop
// before an operation that cannot complete at once.
func (m *Machine) pushSnap(s []byte) int {
	m.nsnap++
	if m.nsnap > len(m.snaps) {
		m.snaps = append(m.snaps, make([]byte, len(s)))
	}
	copy(m.snaps[m.nsnap-1], s)
	return m.nsnap - 1
}

func (m *Machine) popSnap() { m.nsnap-- }

func (m *Machine) raise(e spec.ErrorID) int {
	m.err = int(e)
	return rRaise
}

// cancelPending reports and consumes a pending cancel of actor a.
func (m *Machine) cancelPending(a *spec.Actor) bool {
	s := m.f.S
	if !a.CancelPending(s) {
		return false
	}
	a.SetCancel(s, false)
	return true
}

// exec runs one instruction of actor a in the current frame.
func (m *Machine) exec(a *spec.Actor, in *spec.Instr) (int, int) {
	f := &m.f
	switch in.Op {
	case spec.OpJump:
		return rNext, in.Target
	case spec.OpProgress:
		m.progress = true
		return rNext, in.Next
	case spec.OpBranch:
		v := in.Cond(f)
		if in.Rest {
			m.recEvent(in, boolWord(v))
		}
		if v != 0 {
			return rNext, in.Next
		}
		return rNext, in.Target
	case spec.OpBind, spec.OpAssign:
		v := in.Value(f)
		if f.Fault == spec.NoFault {
			in.LHS[0].Store(f, v)
		}
		if in.Rest {
			m.recEvent(in, "")
		}
		return rNext, in.Next
	case spec.OpAwait:
		if in.Blocking && m.cancelPending(a) {
			m.recEvent(in, "raises Cancelled")
			return m.raise(spec.ErrCancelled), 0
		}
		if in.Cond(f) == 0 {
			return rBlocked, 0
		}
		m.recEvent(in, "")
		return rNext, in.Next
	case spec.OpAssert:
		ok := in.Cond(f) != 0
		m.recEvent(in, "")
		if !ok && f.Fault == spec.NoFault {
			m.violate(VAssert, 0, a, m.pcOf(a, in))
			return rFail, 0 // the step ends at the failed assertion
		}
		return rNext, in.Next
	case spec.OpRaise:
		m.err = in.Err
		if in.Err == 0 {
			m.err = a.Slot(f.S, in.Slot)
		}
		if m.rec != nil {
			m.recEvent(in, "raises "+m.p.ErrorName(m.err))
		}
		return rRaise, 0
	case spec.OpCall:
		return m.call(a, in)
	case spec.OpStart:
		return m.start(a, in)
	case spec.OpCancel:
		m.forTargets(in, func(b *spec.Actor) {
			if b.Running(f.S) {
				b.SetCancel(f.S, true)
			}
		})
		m.recEvent(in, "")
		return rNext, in.Next
	case spec.OpChoose:
		lo, hi := in.Lo(f), in.Hi(f)
		if hi < lo {
			f.FaultOf(spec.FaultEmpty, in.Pos, "", "", lo, &spec.Type{Kind: spec.TInt, Lo: lo, Hi: hi})
			return rNext, in.Next
		}
		v := lo + m.pick(hi-lo+1)
		in.LHS[0].Store(f, v)
		if m.rec != nil {
			m.recEvent(in, "-> "+strconv.Itoa(v))
		}
		return rNext, in.Next
	case spec.OpEither:
		return rEither, in.Targets[m.pick(len(in.Targets))]
	case spec.OpSelect:
		return m.selectOp(a, in)
	case spec.OpCatch:
		for _, arm := range in.Catch {
			if arm.Any || containsInt(arm.Errs, m.err) {
				a.SetSlot(f.S, arm.Slot, m.err)
				return rNext, arm.Body
			}
		}
		if in.Slot >= 0 {
			a.SetSlot(f.S, in.Slot, m.err)
			return rNext, in.Target
		}
		return rRaise, 0
	case spec.OpFinally:
		v := a.Slot(f.S, in.Slot)
		switch {
		case v == 0:
			return rNext, in.Target
		case v > spec.PendingExit0-len(in.Exits):
			return rNext, in.Exits[spec.PendingExit0-v]
		}
		m.err = v
		return rRaise, 0
	case spec.OpEnd:
		return rEnd, 0
	}
	return rNext, in.Next
}

func (m *Machine) recEvent(in *spec.Instr, outcome string) {
	if m.rec != nil {
		m.rec.add(m.f.A, in, outcome)
	}
}

// pcOf returns the pc of an instruction of a's code.
func (m *Machine) pcOf(a *spec.Actor, in *spec.Instr) int {
	code := a.Type.Code
	for i := range code {
		if &code[i] == in {
			return i
		}
	}
	return 0
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func boolWord(v int) string {
	if v != 0 {
		return "-> true"
	}
	return "-> false"
}

// forTargets calls fn for each actor an OpStart or OpCancel names.
func (m *Machine) forTargets(in *spec.Instr, fn func(*spec.Actor)) {
	at := in.Actor.Type
	if in.Actor.Index == nil {
		for i := 0; i < at.Count; i++ {
			fn(m.p.Actors[at.First+i])
		}
		return
	}
	i := in.Actor.Index(&m.f)
	if i < 0 || i >= at.Count {
		m.f.FaultOf(spec.FaultIndex, in.Pos, "", at.Name, i, nil)
		return
	}
	fn(m.p.Actors[at.First+i])
}

// start starts dormant, done, crashed or ended actors with fresh locals;
// starting one that runs raises AlreadyStarted.
func (m *Machine) start(a *spec.Actor, in *spec.Instr) (int, int) {
	s := m.f.S
	running := false
	m.forTargets(in, func(b *spec.Actor) { running = running || b.Running(s) })
	if m.f.Fault != spec.NoFault {
		return rNext, in.Next
	}
	if running {
		if m.rec != nil {
			m.recEvent(in, "raises "+spec.ErrAlreadyStarted.String())
		}
		return m.raise(spec.ErrAlreadyStarted), 0
	}
	m.recEvent(in, "")
	self := m.f
	m.forTargets(in, func(b *spec.Actor) {
		clear(b.LocalBytes(s))
		b.SetStatus(s, spec.Running)
		m.f = spec.Frame{S: s, A: b}
		m.settle(b, 0)
	})
	m.f = self
	return rNext, in.Next
}
