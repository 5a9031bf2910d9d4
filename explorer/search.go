package explorer

import (
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
	depth   []uint32 // DFS: the depth of each state
}

// Explore searches the state space of sys.
func Explore(sys System, opts Options) *Result {
	if opts.ProgressEvery == 0 {
		opts.ProgressEvery = 500 * time.Millisecond
	}
	s := &search{sys: sys, opts: opts, st: newStore(sys.StateSize()), res: &Result{Complete: true},
		seen: make(map[uint64]bool), start: time.Now()}
	s.lastRep = s.start
	init := make([]byte, sys.StateSize())
	sys.Init(init)
	idx, _ := s.st.add(init, noParent)
	if opts.Order == DFS {
		s.depth = append(s.depth, 0)
	}
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
	s.res.Memory = s.st.memory()
	s.res.Elapsed = time.Since(s.start)
	return s.res
}

// done reports whether the search must end: a violation when not keeping
// going, or a limit.
func (s *search) done() bool {
	return (!s.opts.KeepGoing && len(s.res.Violations) > 0) || !s.res.Complete
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
	s.res.Violations = append(s.res.Violations, v)
}

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

// expand generates the successors of state idx and adds them; it returns
// false when the search must end.
func (s *search) expand(idx uint32, succ *Succs, added func(uint32)) bool {
	size := s.st.size
	succ.Reset()
	cur := s.st.state(idx)
	s.sys.Successors(cur, succ)
	if succ.Len() == 0 {
		if code := s.sys.Deadlock(cur); code != 0 {
			s.report(&Violation{Code: code, InState: true}, idx, nil)
			if s.done() {
				return false
			}
		}
	}
	for i, tr := range succ.Info {
		s.res.Transitions++
		next := succ.State(i, size)
		if tr.Violation != 0 {
			s.report(&Violation{Code: tr.Violation, Transition: tr}, idx, next)
			if s.done() {
				return false
			}
		}
		j, isNew := s.st.add(next, idx)
		if !isNew {
			continue
		}
		added(j)
		if code := s.sys.CheckState(next); code != 0 {
			s.report(&Violation{Code: code, InState: true}, j, nil)
			if s.done() {
				return false
			}
		}
	}
	return true
}

func (s *search) bfs() {
	var succ Succs
	levelEnd, depth := 1, 0
	for head := 0; head < s.st.n; head++ {
		if head == levelEnd {
			depth++
			levelEnd = s.st.n
		}
		if head&1023 == 0 {
			if s.limit() {
				break
			}
			s.progress(head, depth)
		}
		if !s.expand(uint32(head), &succ, func(uint32) {}) {
			break
		}
		if s.opts.MaxStates > 0 && int64(s.st.n) >= s.opts.MaxStates && head+1 < s.st.n {
			s.limit()
			break
		}
	}
	s.res.Depth = depth
}

// dfs visits states depth-first, newest first.
func (s *search) dfs() {
	var succ Succs
	stack := []uint32{0}
	for steps := 0; len(stack) > 0; steps++ {
		idx := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		d := s.depth[idx]
		if steps&1023 == 0 {
			if s.limit() {
				break
			}
			s.progress(s.st.n-len(stack), int(d))
		}
		ok := s.expand(idx, &succ, func(j uint32) {
			s.depth = append(s.depth, d+1)
			s.res.Depth = max(s.res.Depth, int(d+1))
			stack = append(stack, j)
		})
		if !ok {
			break
		}
		if s.opts.MaxStates > 0 && int64(s.st.n) >= s.opts.MaxStates && len(stack) > 0 {
			s.limit()
			break
		}
	}
}
