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
	l     Leaker
	t     *tarjan
	words int // the words of a frame: the groups that can move from its
	// component, then the bit cyclic, set when a cycle can be reached
	// from it.
	cyclic int32
	// What completed components reach, each distinct set once (most
	// components reach the same, words each); low keeps its number.
	reaches map[string]uint32
	sets    []uint64
	key     []byte
	found   map[uint64]uint32 // leak code -> the first state it shows in
}

// leaks runs the leak check and reports what it finds. It returns false
// when a limit or a signal stopped it.
func (s *search) leaks(l Leaker) bool {
	g := l.Groups()
	lp := &leakPass{s: s, l: l, words: (g + 1 + 63) / 64, cyclic: int32(g), found: make(map[uint64]uint32), reaches: make(map[string]uint32)}
	lp.t = newTarjan(s, lp, lp.words)
	if !lp.t.from(0) {
		return false
	}
	lp.report()
	return true
}

// intern returns the number of the set a component reaches.
func (lp *leakPass) intern(set []uint64) uint32 {
	lp.key = lp.key[:0]
	for _, w := range set {
		for i := range 8 {
			lp.key = append(lp.key, byte(w>>(8*i)))
		}
	}
	if id, ok := lp.reaches[string(lp.key)]; ok {
		return id
	}
	id := uint32(len(lp.sets) / lp.words)
	lp.reaches[string(lp.key)] = id
	lp.sets = append(lp.sets, set...)
	return id
}

// The leak check follows every transition, crashes included, but not
// those that halt the system; a group moves by a step of its own.

func (lp *leakPass) start(uint32, []uint64)   {}
func (lp *leakPass) visited(uint32, []uint64) {}

func (lp *leakPass) follow(tr Transition, _ []byte, acc []uint64) bool {
	if !tr.Crash {
		setBit(acc, tr.Actor)
	}
	return !tr.Halt
}

func (lp *leakPass) inner(acc []uint64, _ sccEdge) { setBit(acc, lp.cyclic) }

func (lp *leakPass) meet(acc []uint64, w uint32) {
	c := int(lp.t.value(w)) * lp.words
	for i := range acc {
		acc[i] |= lp.sets[c+i]
	}
}

func (lp *leakPass) merge(acc, child []uint64, _ sccEdge) {
	for i := range acc {
		acc[i] |= child[i]
	}
	setBit(acc, lp.cyclic)
}

// done notes the leaks of a completed component's states, when a cycle
// can be reached from it.
func (lp *leakPass) done(members []uint32, acc []uint64, inner bool) uint32 {
	if inner {
		setBit(acc, lp.cyclic)
	}
	if hasBit(acc, lp.cyclic) {
		for _, u := range members {
			lp.noteLeaks(lp.l, u, acc)
		}
	}
	return lp.intern(acc)
}

// noteLeaks notes, for state u, each group that must move but is not
// among those that can.
func (lp *leakPass) noteLeaks(l Leaker, u uint32, moves []uint64) {
	state := lp.s.st.state(u)
	for g := range lp.cyclic {
		if hasBit(moves, g) {
			continue
		}
		if code := l.Leak(state, int(g)); code != 0 {
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
