package explorer

import (
	"bytes"
	"math"
	"time"
)

type search struct {
	sys     System
	opts    Options
	st      *store
	res     *Result
	seen    map[uint64]bool
	start   time.Time
	lastRep time.Time
	rd      *reducer
	onStack []bool // DFS: states on the search stack
	head    int    // BFS: states below head are expanded
	proviso bool   // reduction needs the cycle proviso
	chain   Succs  // scratch for merging local steps
	scratch []byte
	scc     *tarjan // the last pass after the search: its tables are reused
	// stutterer: the liveness properties to check, when a deadlock where
	// a group stutters may break one; deferred: such deadlocks, the first
	// state of each, reported after the liveness check when it found
	// nothing, or when the search keeps going (whether the run it reports
	// ends in one depends on the order of the search).
	stutterer Liveness
	deferred  []Violation
}

// Explore searches the state space of sys.
func Explore(sys System, opts Options) *Result {
	if opts.ProgressEvery == 0 {
		opts.ProgressEvery = 500 * time.Millisecond
	}
	s := &search{sys: sys, opts: opts, st: newStore(sys.StateSize()), res: &Result{Complete: true},
		seen: make(map[uint64]bool), start: time.Now()}
	s.lastRep = s.start
	if l, ok := sys.(Liveness); ok && opts.Liveness && len(l.Properties()) > 0 {
		s.stutterer = l
	}
	if r, ok := sys.(Reducer); ok && opts.Reduce {
		s.rd = newReducer(r)
		s.proviso = r.NeedsProviso()
	}
	init := make([]byte, sys.StateSize())
	sys.Init(init)
	idx, _ := s.st.add(init, noParent)
	if code := sys.CheckState(init); code != 0 {
		s.report(&Violation{Code: code, InState: true}, idx, nil)
	}
	if !s.done() {
		if opts.Order == DFS {
			s.dfs()
		} else {
			s.bfs()
		}
	}
	s.res.States = int64(s.st.n)
	s.checksAfter()
	s.res.Memory = s.st.memory()
	s.res.Elapsed = time.Since(s.start)
	return s.res
}

// checksAfter runs the leak and liveness checks after a complete search,
// and then reports the deadlocks held back for them.
func (s *search) checksAfter() {
	if l, ok := s.sys.(Leaker); ok && s.opts.Liveness && !s.done() {
		s.res.LivenessStopped = !s.leaks(l)
	}
	if l, ok := s.sys.(Liveness); ok && s.opts.Liveness && !s.done() {
		s.res.LivenessStopped = !s.liveness(l)
	}
	if s.scc != nil {
		s.scc.release()
		s.scc = nil
	}
	for i := range s.deferred {
		if len(s.res.Violations) > 0 && !s.opts.KeepGoing {
			break
		}
		s.res.Violations = append(s.res.Violations, &s.deferred[i])
	}
}

// done reports whether the search must end: a violation when not keeping
// going, or a limit.
func (s *search) done() bool {
	return (!s.opts.KeepGoing && len(s.res.Violations) > 0) || !s.res.Complete
}

// checked checks the new state idx against the state properties; false
// when the search must end.
func (s *search) checked(state []byte, idx uint32) bool {
	if code := s.sys.CheckState(state); code != 0 {
		s.report(&Violation{Code: code, InState: true}, idx, nil)
		return !s.done()
	}
	return true
}

// stateBound is the most states the store may come to hold: its indices
// have 32 bits, and the limits may bound them further.
func (s *search) stateBound() int {
	bound := int64(min(math.MaxUint32, math.MaxInt/64))
	if o := s.opts; o.MaxStates > 0 {
		bound = min(bound, o.MaxStates+1)
	} else if o.MaxMemory > 0 {
		bound = min(bound, o.MaxMemory/int64(s.st.rec)+1)
	}
	return int(max(bound, int64(s.st.n)))
}

// full reports whether the store holds as many states as allowed, and
// then records the limit.
func (s *search) full() bool {
	if s.opts.MaxStates > 0 && int64(s.st.n) >= s.opts.MaxStates {
		s.limit()
		return true
	}
	return false
}

// report records a violation whose trace ends at state idx, or, with
// next set, at next reached from idx.
func (s *search) report(v *Violation, idx uint32, next []byte) {
	if s.seen[v.Code] {
		return
	}
	s.seen[v.Code] = true
	v.Trace = s.st.path(idx)
	if next != nil {
		v.Trace = append(v.Trace, append([]byte(nil), next...))
	}
	if s.rd != nil {
		v.Trace = s.unfold(v.Trace)
	}
	s.res.Violations = append(s.res.Violations, v)
}

// deferDeadlock keeps the deadlock code at state idx, where a group
// stutters, for after the liveness check: a run that stays there may
// break a liveness property, which tells more (reduction keeps the
// deadlock, and the liveness check runs without it).
func (s *search) deferDeadlock(code uint64, idx uint32) {
	if s.seen[code] {
		return
	}
	s.seen[code] = true
	v := Violation{Code: code, InState: true, Trace: s.st.path(idx)}
	if s.rd != nil {
		v.Trace = s.unfold(v.Trace)
	}
	s.deferred = append(s.deferred, v)
}

// interrupted reports whether the stop flag is set: polled at every state,
// so a search whose states are slow to expand (a wide invariant) still
// stops at once.
func (s *search) interrupted() bool { return s.opts.Stop != nil && s.opts.Stop.Load() }

// limit checks the limits and the stop flag.
func (s *search) limit() bool {
	o := &s.opts
	switch {
	case o.MaxStates > 0 && int64(s.st.n) >= o.MaxStates:
		s.res.Stopped = "max-states"
	case o.MaxMemory > 0 && s.st.memory()+s.st.growCost() > o.MaxMemory:
		s.res.Stopped = "max-memory"
	case o.Stop != nil && o.Stop.Load():
		s.res.Stopped = "interrupted"
	default:
		return false
	}
	s.res.Complete = false
	return true
}

func (s *search) progress(head int, depth int) {
	if s.opts.Progress == nil {
		return
	}
	now := time.Now()
	if now.Sub(s.lastRep) < s.opts.ProgressEvery {
		return
	}
	s.lastRep = now
	s.opts.Progress(Progress{States: int64(s.st.n), Transitions: s.res.Transitions, Depth: depth,
		Frontier: int64(s.st.n - head), Memory: s.st.memory(), Elapsed: now.Sub(s.start)})
}

// expand generates the successors of state idx that the search keeps and
// adds them to the store, checking each new state; it returns false when
// the search must end.
func (s *search) expand(idx uint32, succ *Succs) bool {
	ok := true
	more := s.successors(idx, succ, func(next []byte) {
		if !ok {
			return
		}
		j, isNew := s.st.add(next, idx)
		if !isNew {
			return
		}
		ok = s.checked(next, j)
	})
	return more && ok
}

// reduce picks the groups whose successors are kept, or nil for all: the
// smallest stubborn set whose transitions are all invisible and that
// passes the cycle proviso. BFS: one of its successors is not yet expanded
// (new, or waiting in the queue). DFS: none of its successors is on the
// search stack.
func (s *search) reduce(cur []byte, succ *Succs) []bool {
	st := &s.res.Stats
	if !s.rd.candidates(cur, succ.Info) {
		if s.rd.single {
			st.Single++
		} else {
			st.FullNoSmall++
		}
		return nil
	}
	why := fullNone
	for ci := range s.rd.cands {
		keep := s.rd.cands[ci].in
		visible, onStack, ahead := s.look(keep, succ)
		switch {
		case visible:
			why = max(why, fullVisible)
		case onStack && s.proviso:
			why = fullOnStack
		case s.proviso && s.onStack == nil && !ahead && !s.rd.single:
			why = max(why, fullProviso)
		default:
			st.Reduced++
			return keep
		}
	}
	switch why {
	case fullVisible:
		st.FullVisible++
	case fullProviso:
		st.FullProviso++
	default:
		st.FullOnStack++
	}
	return nil
}

// look tells, of the successors of the groups in keep, whether one is
// visible, whether one is on the DFS stack, and whether one is ahead of
// the BFS queue's head (new, or not yet expanded).
func (s *search) look(keep []bool, succ *Succs) (visible, onStack, ahead bool) {
	for i, tr := range succ.Info {
		if !keep[tr.Actor] {
			continue
		}
		if s.rd.r.Groups[tr.Actor].Visible {
			return true, false, ahead
		}
		j, known := s.st.lookup(succ.State(i, s.st.size))
		if !known || int(j) > s.head {
			ahead = true
		}
		if known && s.onStack != nil && int(j) < len(s.onStack) && s.onStack[j] {
			return false, true, ahead
		}
	}
	return false, false, ahead
}

func (s *search) bfs() {
	var succ Succs
	levelEnd, depth := 1, 0
	for head := 0; head < s.st.n; head++ {
		if head == levelEnd {
			depth++
			levelEnd = s.st.n
		}
		if head&1023 == 0 || s.interrupted() {
			if s.limit() {
				break
			}
			s.progress(head, depth)
		}
		s.head = head
		if !s.expand(uint32(head), &succ) {
			break
		}
		if s.opts.MaxStates > 0 && int64(s.st.n) >= s.opts.MaxStates && head+1 < s.st.n {
			s.limit()
			break
		}
	}
	s.res.Depth = depth
}

// dfs is a depth-first search with an explicit stack. A state enters the
// visited set when it is pushed, not when it is generated, so that "on the
// stack" means what the cycle proviso of reduction needs: a successor that
// is known is either on the stack or fully explored.
func (s *search) dfs() {
	var d dfsStack
	size := s.st.size
	s.onStack = make([]bool, 0, 1024)
	if !d.push(s, 0) {
		return
	}
	for steps := 0; len(d.frames) > 0; steps++ {
		if steps&1023 == 0 || s.interrupted() {
			if s.limit() {
				return
			}
			s.progress(s.st.n-len(d.states)/size, len(d.frames))
		}
		f := &d.frames[len(d.frames)-1]
		if f.next < f.end {
			next := d.states[f.next : f.next+size]
			f.next += size
			j, isNew := s.st.add(next, f.idx)
			if isNew && (!s.checked(next, j) || !d.push(s, j) || s.full()) {
				return
			}
			continue
		}
		s.mark(f.idx, false)
		d.states = d.states[:f.start]
		d.frames = d.frames[:len(d.frames)-1]
	}
}

// dfsStack is the depth-first search's stack: a frame per state on it,
// with the successors it has still to visit.
type dfsStack struct {
	frames []dfsFrame
	states []byte // successors still to visit, frame after frame
	succ   Succs
}

type dfsFrame struct {
	idx       uint32
	start     int // the frame's successors: states[start:end] (in bytes)
	next, end int
}

// push expands state idx onto the stack; false when the search must end.
func (d *dfsStack) push(s *search, idx uint32) bool {
	s.mark(idx, true)
	start := len(d.states)
	ok := s.successors(idx, &d.succ, func(next []byte) { d.states = append(d.states, next...) })
	d.frames = append(d.frames, dfsFrame{idx: idx, start: start, next: start, end: len(d.states)})
	s.res.Depth = max(s.res.Depth, len(d.frames)-1)
	return ok
}

// mark records whether state i is on the DFS stack.
func (s *search) mark(i uint32, on bool) {
	for int(i) >= len(s.onStack) {
		s.onStack = append(s.onStack, false)
	}
	s.onStack[i] = on
}

// successors computes the successors of state idx that the search keeps
// (all, or those of a stubborn set) and hands each to visit, reporting the
// violations of transitions and deadlocks on the way. It returns false when
// the search must end.
func (s *search) successors(idx uint32, succ *Succs, visit func([]byte)) bool {
	succ.Reset()
	cur := s.st.state(idx)
	s.sys.Successors(cur, succ)
	s.res.Stats.Expanded++
	if onlyCrashes(succ) {
		// A crash is a fault the environment may inject, not a way out:
		// a state where no group can take a step of its own is checked
		// for deadlock whatever crashes remain.
		if code := s.sys.Deadlock(cur); code != 0 {
			if s.stutterer != nil && s.stutterer.Stutters(cur) {
				s.deferDeadlock(code, idx)
			} else if s.report(&Violation{Code: code, InState: true}, idx, nil); s.done() {
				return false
			}
		}
		if succ.Len() == 0 {
			return true
		}
	}
	var keep []bool
	if s.rd != nil {
		s.fold(succ)
		keep = s.reduce(cur, succ)
	}
	return s.take(idx, succ, keep, visit)
}

// take hands each kept successor of state idx to visit, reporting the
// violations of the transitions; false when the search must end.
func (s *search) take(idx uint32, succ *Succs, keep []bool, visit func([]byte)) bool {
	size := s.st.size
	for i, tr := range succ.Info {
		if keep != nil && !keep[tr.Actor] {
			continue
		}
		s.res.Transitions++
		next := succ.State(i, size)
		if tr.Violation != 0 {
			s.report(&Violation{Code: tr.Violation, Transition: tr}, idx, next)
			if s.done() {
				return false
			}
		}
		if !tr.Halt {
			visit(next)
		}
	}
	return true
}

// onlyCrashes reports whether no successor is a step of its own (none, or
// crashes only).
func onlyCrashes(succ *Succs) bool {
	for _, tr := range succ.Info {
		if !tr.Crash {
			return false
		}
	}
	return true
}

// maxChain bounds a chain of folded local steps.
const maxChain = 1 << 12

// fold extends every successor by the local steps its actor takes next:
// steps that touch nothing another actor or an invariant can see, have one
// outcome and commit no violation. The states between are not stored (as
// SPIN merges local statements into the one before them).
func (s *search) fold(succ *Succs) {
	size := s.st.size
	for i, tr := range succ.Info {
		if tr.Violation != 0 || tr.Crash {
			continue
		}
		next := succ.State(i, size)
		g := int(tr.Actor)
		for n := 0; n < maxChain && s.rd.sys.LocalStep(next, g); n++ {
			s.chain.Reset()
			s.rd.sys.GroupSuccessors(next, g, &s.chain)
			if s.chain.Len() != 1 || s.chain.Info[0].Violation != 0 {
				break
			}
			copy(next, s.chain.State(0, size))
			s.res.Stats.Merged++
		}
	}
}

// unfold puts back into a trace the states that fold left out, so that
// each state of the result is a successor of the one before: between two
// stored states it follows the chains fold follows, from each successor,
// to the one that reaches the next stored state. A pair that no chain
// joins (which cannot happen) is kept as it is.
func (s *search) unfold(trace [][]byte) [][]byte {
	out := [][]byte{trace[0]}
	var succ Succs
	for i := 1; i < len(trace); i++ {
		succ.Reset()
		s.sys.Successors(trace[i-1], &succ)
		out = append(out, s.chainTo(&succ, trace[i])...)
	}
	return out
}

// chainTo returns the states from a successor in succ along its folded
// chain to t, t included: t itself when it is a successor.
func (s *search) chainTo(succ *Succs, t []byte) [][]byte {
	size := s.st.size
	for i := range succ.Info {
		if bytes.Equal(succ.State(i, size), t) {
			return [][]byte{t}
		}
	}
	var chain Succs
	for i, tr := range succ.Info {
		if tr.Violation != 0 || tr.Crash {
			continue
		}
		u := append([]byte(nil), succ.State(i, size)...)
		var states [][]byte
		for n := 0; n < maxChain && s.rd.sys.LocalStep(u, int(tr.Actor)); n++ {
			chain.Reset()
			s.rd.sys.GroupSuccessors(u, int(tr.Actor), &chain)
			if chain.Len() != 1 || chain.Info[0].Violation != 0 {
				break
			}
			states = append(states, u)
			u = append([]byte(nil), chain.State(0, size)...)
			if bytes.Equal(u, t) {
				return append(states, t)
			}
		}
	}
	return [][]byte{t}
}
