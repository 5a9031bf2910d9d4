package explorer

// The leak check: after a complete search, a depth-first pass over the
// whole state graph (without reduction) computes its strongly connected
// components with Tarjan's algorithm. Components complete sink first, so
// when one completes, all it can reach is known: the groups that can take
// a step of their own from somewhere in it or after it, and whether a
// cycle (an infinite run) can be reached from it. A group that must still
// move in a state (Leaker.Leak) but can never take a step again from the
// state's component, while a cycle stays reachable, is leaked there: it
// waits forever while the others go on. (When no cycle is reachable every
// run ends, and a group left waiting is a deadlock, which the safety
// search reports.) The trace goes to the first such state in the store's
// order: for states the breadth-first search stored, a shortest one.

// leakPass is the state of the leak check.
type leakPass struct {
	s     *search
	words int // words of a set of groups
	// num is a state's DFS number, 0 before it is visited and complete
	// once its component is; low is Tarjan's low link, and once the
	// component is complete, the number of what the component reaches.
	num, low []uint32
	// What completed components reach, each distinct one once (most
	// components reach the same): the groups that can move (words each),
	// and whether a cycle can be reached.
	reaches map[string]uint32
	moves   []uint64
	cyclic  []bool
	key     []byte
	stack   []uint32 // Tarjan's stack of states in incomplete components
	frames  []leakFrame
	succ    []uint32 // the successors of the frames, frame after frame
	acc     []uint64 // per frame: what its state's component reaches (words each)
	buf     Succs
	found   map[uint64]uint32 // leak code -> the first state it shows in
	next    uint32
}

// complete marks, in num, a state whose component is complete.
const complete = ^uint32(0)

// leakFrame is a state being visited: its successors are succ[next:end],
// after those of the frame below.
type leakFrame struct {
	v, next, end uint32
	cyclic       bool // its component is known to reach a cycle
}

// leaks runs the leak check and reports what it finds. It returns false
// when a limit or a signal stopped it.
func (s *search) leaks(l Leaker) bool {
	n := s.st.n
	lp := &leakPass{s: s, words: (l.Groups() + 63) / 64, found: make(map[uint64]uint32), reaches: make(map[string]uint32),
		num: make([]uint32, n, n+n/8), low: make([]uint32, n, n+n/8), stack: make([]uint32, 0, n)}
	if !lp.visit(0) {
		return false
	}
	for steps := 0; len(lp.frames) > 0; steps++ {
		if steps&1023 == 0 || s.interrupted() {
			if s.limit() {
				return false
			}
		}
		if !lp.step(l) {
			return false
		}
	}
	lp.report()
	return true
}

// grow makes the per-state tables cover every stored state.
func (lp *leakPass) grow() {
	for len(lp.num) < lp.s.st.n {
		lp.num = append(lp.num, 0)
		lp.low = append(lp.low, 0)
	}
}

// intern returns the number of what a component reaches: the groups that
// can move, and whether a cycle can be reached.
func (lp *leakPass) intern(moves []uint64, cyclic bool) uint32 {
	lp.key = lp.key[:0]
	for _, w := range moves {
		for i := range 8 {
			lp.key = append(lp.key, byte(w>>(8*i)))
		}
	}
	if cyclic {
		lp.key = append(lp.key, 1)
	}
	if id, ok := lp.reaches[string(lp.key)]; ok {
		return id
	}
	id := uint32(len(lp.cyclic))
	lp.reaches[string(lp.key)] = id
	lp.moves = append(lp.moves, moves...)
	lp.cyclic = append(lp.cyclic, cyclic)
	return id
}

// visit pushes state v: it numbers it and computes its successors (every
// transition, crashes included, but not those that halt the system), and
// notes the groups that can take a step of their own in it. false when
// the store is full.
func (lp *leakPass) visit(v uint32) bool {
	s := lp.s
	lp.buf.Reset()
	s.sys.Successors(s.st.state(v), &lp.buf)
	s.res.LeakStates++
	f := leakFrame{v: v, next: uint32(len(lp.succ))}
	base := len(lp.acc)
	lp.acc = append(lp.acc, make([]uint64, lp.words)...)
	for i, tr := range lp.buf.Info {
		if !tr.Crash {
			lp.acc[base+int(tr.Actor)/64] |= 1 << (uint(tr.Actor) % 64)
		}
		if tr.Halt {
			continue
		}
		w, isNew := s.st.add(lp.buf.State(i, s.st.size), v)
		if isNew && s.full() {
			return false
		}
		if w == v {
			f.cyclic = true
		}
		lp.succ = append(lp.succ, w)
	}
	f.end = uint32(len(lp.succ))
	lp.grow()
	lp.next++
	lp.num[v], lp.low[v] = lp.next, lp.next
	lp.stack = append(lp.stack, v)
	lp.frames = append(lp.frames, f)
	return true
}

// step goes on with the top frame: its next successor, or, when it has
// none left, its completion. false when the store is full.
func (lp *leakPass) step(l Leaker) bool {
	fi := len(lp.frames) - 1
	f := &lp.frames[fi]
	acc := lp.acc[fi*lp.words : (fi+1)*lp.words]
	if f.next < f.end {
		w := lp.succ[f.next]
		f.next++
		switch {
		case lp.num[w] == 0:
			return lp.visit(w)
		case lp.num[w] != complete: // on the stack: in f's component, a cycle
			lp.low[f.v] = min(lp.low[f.v], lp.num[w])
			f.cyclic = true
		default:
			c := int(lp.low[w])
			for i := range acc {
				acc[i] |= lp.moves[c*lp.words+i]
			}
			f.cyclic = f.cyclic || lp.cyclic[c]
		}
		return true
	}
	v, cyclic := f.v, f.cyclic
	lp.frames = lp.frames[:fi]
	if fi > 0 {
		lp.succ = lp.succ[:lp.frames[fi-1].end]
	} else {
		lp.succ = lp.succ[:0]
	}
	if lp.low[v] == lp.num[v] {
		lp.complete(l, v, acc, cyclic)
	} else {
		// v's component is its parent's: the parent takes what v reaches.
		p := &lp.frames[fi-1]
		lp.low[p.v] = min(lp.low[p.v], lp.low[v])
		pacc := lp.acc[(fi-1)*lp.words : fi*lp.words]
		for i := range pacc {
			pacc[i] |= acc[i]
		}
		p.cyclic = p.cyclic || cyclic
	}
	lp.acc = lp.acc[:fi*lp.words]
	return true
}

// complete pops the component rooted at v, which reaches the groups in
// moves and, when cyclic, a cycle; it notes the leaks of its states and
// hands what it reaches to v's parent.
func (lp *leakPass) complete(l Leaker, v uint32, moves []uint64, cyclic bool) {
	c := lp.intern(moves, cyclic)
	for {
		u := lp.stack[len(lp.stack)-1]
		lp.stack = lp.stack[:len(lp.stack)-1]
		lp.num[u], lp.low[u] = complete, c
		if cyclic {
			lp.noteLeaks(l, u, moves)
		}
		if u == v {
			break
		}
	}
	if fi := len(lp.frames) - 1; fi >= 0 {
		p := &lp.frames[fi]
		pacc := lp.acc[fi*lp.words : (fi+1)*lp.words]
		for i := range pacc {
			pacc[i] |= moves[i]
		}
		p.cyclic = p.cyclic || cyclic
	}
}

// noteLeaks notes, for state u, each group that must move but is not
// among those that can.
func (lp *leakPass) noteLeaks(l Leaker, u uint32, moves []uint64) {
	state := lp.s.st.state(u)
	for g := 0; g < len(moves)*64 && g < l.Groups(); g++ {
		if moves[g/64]&(1<<(g%64)) != 0 {
			continue
		}
		if code := l.Leak(state, g); code != 0 {
			if first, ok := lp.found[code]; !ok || u < first {
				lp.found[code] = u
			}
		}
	}
}

// report reports each leak at the first state it shows in, in the
// store's order.
func (lp *leakPass) report() {
	type leak struct {
		code uint64
		at   uint32
	}
	var all []leak
	for code, at := range lp.found {
		all = append(all, leak{code, at})
	}
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && (all[j].at < all[j-1].at || all[j].at == all[j-1].at && all[j].code < all[j-1].code); j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
	for _, k := range all {
		lp.s.report(&Violation{Code: k.code, InState: true}, k.at, nil)
		if lp.s.done() {
			return
		}
	}
}
