package explorer

import "slices"

// tarjan is Tarjan's algorithm for strongly connected components, in
// Pearce's form (one word per state: its DFS number, its low link while
// its component is open, what the check keeps once it is complete), run
// iteratively over the stored state graph by the checks that follow a
// search (leaks.go, liveness.go). A check (an sccPass) says which
// successors to follow and what each state's frame accumulates; tarjan
// numbers the states, keeps Tarjan's stack and the DFS frames, adds the
// states it meets to the store, and tells the check of each edge inside a
// component, each edge to a completed one, each child that joins its
// parent's component, and each component completed (rindex then holds
// completed plus what the check returns for it).
type tarjan struct {
	s        *search
	pass     sccPass
	accWords int      // the words a frame accumulates
	rindex   []uint32 // per state: 0 before; its low link; completed + the check's value
	stack    []uint32 // finished states whose component is still open
	frames   []sccFrame
	pending  []sccEdge // the frames' edges still to follow, frame after frame, last first
	acc      []uint64  // per frame: what the check accumulates (accWords each)
	mem      tables    // where the tables above are mapped
	buf      Succs
	next     uint32
	stopped  bool // a check asked to stop (it found what it looked for)
}

// completed is added, in rindex, to what a check keeps for a state of a
// completed component: above every DFS number.
const completed = 1 << 31

// sccFrame is a state being visited. Its edges to states not yet
// visited when it was are pending[base:] while it is on top (the next
// last), the last of them below a child's the edge to that child; its
// edges to states visited before it were followed at once.
type sccFrame struct {
	v, base uint32
	inner   bool // an edge inside its component was seen
	root    bool // no edge seen yet leads below it: it may root a component
}

// value returns what the check kept for w, whose component is complete.
func (t *tarjan) value(w uint32) uint32 { return t.rindex[w] - completed }

// visited reports whether state v was visited.
func (t *tarjan) visited(v uint32) bool { return t.rindex[v] != 0 }

// sccEdge is a successor a check follows: its state, and the group that
// moves by it, or -1 for a crash (nobody takes a step of its own).
type sccEdge struct {
	to    uint32
	group int32
}

// moveEdge returns the edge of transition tr to w.
func moveEdge(w uint32, tr Transition) sccEdge {
	if tr.Crash {
		return sccEdge{w, -1}
	}
	return sccEdge{w, tr.Actor}
}

// An sccPass is what a check does at each event of tarjan.
type sccPass interface {
	// follow reports whether the DFS follows transition tr to next; it may
	// note tr (the groups enabled in the state) in acc, the new frame's. It
	// sees every transition of the state before the state's edges are.
	follow(tr Transition, next []byte, acc []uint64) bool
	// start initialises acc, the frame of state v, before follow.
	start(v uint32, acc []uint64)
	// visited is called once v's successors were followed.
	visited(v uint32, acc []uint64)
	// inner notes an edge inside the frame's component.
	inner(acc []uint64, e sccEdge)
	// meet notes an edge to state w of a completed component.
	meet(acc []uint64, w uint32)
	// merge notes that a child with acc child joined its parent's (acc)
	// component, by the tree edge e.
	merge(acc, child []uint64, e sccEdge)
	// done is called with a completed component (its states, its root's
	// frame acc, whether an edge stays inside it); it returns what low
	// keeps for the component's states. It may set tarjan.stopped.
	done(members []uint32, acc []uint64, inner bool) uint32
}

// newTarjan sizes the tables to the store; the passes after a search
// share them, one after the other, and release them at the end.
func newTarjan(s *search, pass sccPass, accWords int) *tarjan {
	n := s.st.n
	t := &tarjan{s: s, pass: pass, accWords: accWords}
	if old := s.scc; old != nil {
		t.mem, t.rindex, t.stack, t.frames, t.pending, t.acc = old.mem, old.rindex, old.stack[:0], old.frames[:0], old.pending[:0], old.acc[:0]
	} else if n >= mapFrom {
		bound := s.stateBound()
		t.rindex, t.stack = reserve[uint32](&t.mem, bound), reserve[uint32](&t.mem, bound)
		t.frames, t.pending = reserve[sccFrame](&t.mem, bound), reserve[sccEdge](&t.mem, bound)
		t.acc = reserve[uint64](&t.mem, bound*accWords)
	}
	if cap(t.rindex) >= n {
		t.rindex = t.rindex[:n]
		clear(t.rindex)
	} else {
		t.rindex = make([]uint32, n)
	}
	s.scc = t
	return t
}

// mapFrom is the number of states from which the tables are mapped: below
// it they are small, and a mapping costs more than it saves.
var mapFrom = 1 << 16

// release gives the tables back, once the passes are done.
func (t *tarjan) release() {
	t.rindex, t.stack, t.frames, t.pending, t.acc = nil, nil, nil, nil, nil
	t.mem.release()
}

// from runs the DFS from state root, unless visited already. It returns
// false when a limit or a signal stopped it.
func (t *tarjan) from(root uint32) bool {
	if t.visited(root) {
		return true
	}
	if !t.visit(root) {
		return false
	}
	for steps := 0; len(t.frames) > 0 && !t.stopped; steps++ {
		if (steps&1023 == 0 || t.s.interrupted()) && t.s.limit() {
			return false
		}
		if !t.step() {
			return false
		}
	}
	return true
}

// visit pushes state v. The edges the check follows to states visited
// already are followed at once: what they tell cannot change before v's
// component completes (a completed state stays so; an open one was
// visited before v and stays open while v is). The others wait in
// pending, last first. false when the store is full.
func (t *tarjan) visit(v uint32) bool {
	s := t.s
	t.buf.Reset()
	s.sys.Successors(s.st.state(v), &t.buf)
	s.res.LivenessStates++
	t.next++
	t.rindex[v] = t.next
	f := sccFrame{v: v, base: uint32(len(t.pending)), root: true}
	base := len(t.acc)
	t.acc = append(t.acc, make([]uint64, t.accWords)...)
	acc := t.acc[base:]
	t.pass.start(v, acc)
	for i, tr := range t.buf.Info {
		next := t.buf.State(i, s.st.size)
		if !t.pass.follow(tr, next, acc) {
			continue
		}
		w, isNew := s.st.add(next, v)
		if isNew {
			if s.full() {
				return false
			}
			t.rindex = append(t.rindex, 0)
		}
		t.pending = append(t.pending, moveEdge(w, tr))
	}
	t.followVisited(&f, acc)
	t.pass.visited(v, acc)
	t.frames = append(t.frames, f)
	return true
}

// followVisited follows, once follow has seen every transition of frame
// f, its edges to visited states, and leaves the others pending, last
// first.
func (t *tarjan) followVisited(f *sccFrame, acc []uint64) {
	kept := t.pending[:f.base]
	for _, e := range t.pending[f.base:] {
		if t.rindex[e.to] == 0 {
			kept = append(kept, e)
		} else {
			t.edge(f, acc, e)
		}
	}
	t.pending = kept
	slices.Reverse(t.pending[f.base:])
}

// step goes on with the top frame: its next pending edge, or, when it has
// none left, its completion. false when the store is full.
func (t *tarjan) step() bool {
	fi := len(t.frames) - 1
	f := &t.frames[fi]
	acc := t.acc[fi*t.accWords : (fi+1)*t.accWords]
	if last := len(t.pending) - 1; last >= int(f.base) {
		e := t.pending[last]
		if t.rindex[e.to] == 0 {
			return t.visit(e.to) // the edge stays until the child is done
		}
		t.pending = t.pending[:last]
		t.edge(f, acc, e)
		return true
	}
	v, inner, root := f.v, f.inner, f.root
	t.frames = t.frames[:fi]
	var tree sccEdge // the edge to v, the last of its parent's
	if fi > 0 {
		tree = t.pending[len(t.pending)-1]
		t.pending = t.pending[:len(t.pending)-1]
	}
	if root {
		t.complete(v, acc, inner)
	} else {
		// v's component is its parent's, and so is the tree edge to v.
		t.stack = append(t.stack, v)
		p := &t.frames[fi-1]
		if t.rindex[v] < t.rindex[p.v] {
			t.rindex[p.v], p.root = t.rindex[v], false
		}
		p.inner = true
		t.pass.merge(t.acc[(fi-1)*t.accWords:fi*t.accWords], acc, tree)
	}
	t.acc = t.acc[:fi*t.accWords]
	return true
}

// edge follows e, to a visited state, from the frame f, whose accumulator
// is acc: to one of f's own component, or to a completed one.
func (t *tarjan) edge(f *sccFrame, acc []uint64, e sccEdge) {
	if r := t.rindex[e.to]; r >= completed {
		t.pass.meet(acc, e.to)
	} else { // its component is open: it is f's
		if r < t.rindex[f.v] {
			t.rindex[f.v], f.root = r, false
		}
		f.inner = true
		t.pass.inner(acc, e)
	}
}

// complete pops the component rooted at v and tells the check; the
// parent, if any, then meets it.
func (t *tarjan) complete(v uint32, acc []uint64, inner bool) {
	t.stack = append(t.stack, v)
	i := len(t.stack) - 1
	for i > 0 && t.rindex[t.stack[i-1]] >= t.rindex[v] {
		i--
	}
	members := t.stack[i:]
	c := completed + t.pass.done(members, acc, inner)
	for _, u := range members {
		t.rindex[u] = c
	}
	t.stack = t.stack[:i]
	if fi := len(t.frames) - 1; fi >= 0 {
		t.pass.meet(t.acc[fi*t.accWords:(fi+1)*t.accWords], v)
	}
}

// setBit adds group g to the set b.
func setBit(b []uint64, g int32) { b[g/64] |= 1 << (uint(g) % 64) }

// hasBit reports whether group g is in the set b.
func hasBit(b []uint64, g int32) bool { return b[g/64]&(1<<(uint(g)%64)) != 0 }
