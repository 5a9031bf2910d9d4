package explorer

import "slices"

// The liveness check. A property in one of three shapes is broken by a run
// that never reaches its goal G (a state predicate, or progress: a
// transition flagged Progress) from some point on:
//
//	always eventually G      from any reachable state
//	eventually G             from the initial state
//	always (P -> eventually G)  from any reachable state where P holds
//
// Such a run stays, from that point (an entry), in the region of states
// where G is false, along transitions that are no progress when G is
// progress. It either ends (a state where no group can take a step of its
// own: the run stays there forever; for progress, a run that ends is no
// counterexample, as for SPIN's non-progress cycles), or it loops forever in a strongly
// connected component of the region. Under weak fairness a group that is
// enabled continuously must move; a component holds a fair cycle exactly
// when each group with weak fairness moves along one of the component's
// own edges or is disabled in one of its states: the cycle through every
// state and edge of the component is then fair, and when a group is
// enabled in every state and never moves inside, no cycle in it is. (A
// crash is never an obligation: it does not count as being enabled.)
// Tarjan's algorithm finds the components, as for leaks; the first one that
// is fair, or the first end, gives the lasso: the store's path to the
// entry, a shortest path in the region to the component, and a cycle
// inside it that meets every group's obligation.

// Shape is the shape of a liveness property.
type Shape uint8

// The shapes of liveness properties.
const (
	AlwaysEventually Shape = iota
	Eventually
	LeadsTo
)

// Fairness is what a group is promised.
type Fairness uint8

// The fairness a group may have.
const (
	Weak       Fairness = iota // a group enabled continuously takes a step
	NoFairness                 // nothing is promised
	Strong                     // a group enabled infinitely often takes a step
)

// Property is a liveness property the explorer checks.
type Property struct {
	Code  uint64 // the violation code of a run that breaks it
	Shape Shape
	// P is the trigger of LeadsTo; G the goal, nil for progress.
	P, G func(s []byte) bool
}

// Liveness is implemented by systems with liveness properties.
type Liveness interface {
	System
	Groups() int
	// Properties returns the properties to check.
	Properties() []Property
	// Fairness returns what group g is promised.
	Fairness(g int) Fairness
	// Stutters reports whether, in s, where no group can take a step of
	// its own, some group keeps taking steps that leave s as it is (a busy
	// wait): a run that stays in s goes on forever there, without
	// progress. The search reports such a state as a deadlock only when no
	// liveness property it checks is broken by staying there, or when it
	// keeps going (then both).
	Stutters(s []byte) bool
}

// livePass is the state of the check of one property. A frame holds the
// groups that move along an edge inside its component or are disabled in
// one of its states: those that meet weak fairness there.
type livePass struct {
	s       *search
	l       Liveness
	prop    Property
	t       *tarjan
	words   int
	weak    []uint64 // the groups with weak fairness
	strong  []uint64 // the groups with strong fairness
	moves   bool     // the state being visited has a step of some group's own
	found   bool
	root    uint32   // the entry the current search started from
	members []uint32 // the fair component found, or the end
	ends    bool     // the run found ends (members holds one state)
}

// liveness checks each property of l and reports those a run breaks. It
// returns false when a limit or a signal stopped it.
func (s *search) liveness(l Liveness) bool {
	for _, prop := range l.Properties() {
		lp := &livePass{s: s, l: l, prop: prop, words: (l.Groups() + 63) / 64}
		lp.weak, lp.strong = make([]uint64, lp.words), make([]uint64, lp.words)
		for g := range l.Groups() {
			switch l.Fairness(g) {
			case Weak:
				lp.weak[g/64] |= 1 << (g % 64)
			case Strong:
				lp.strong[g/64] |= 1 << (g % 64)
			}
		}
		if !lp.run() {
			return false
		}
		if lp.found {
			v := lp.lasso()
			v.Code = prop.Code
			s.res.Violations = append(s.res.Violations, v)
			s.seen[prop.Code] = true
			if s.done() {
				return true
			}
		}
	}
	return true
}

// region reports whether state s is one where the goal is false.
func (lp *livePass) region(s []byte) bool { return lp.prop.G == nil || !lp.prop.G(s) }

// entry reports whether a run breaking the property may start at s.
func (lp *livePass) entry(idx uint32) bool {
	s := lp.s.st.state(idx)
	switch lp.prop.Shape {
	case Eventually:
		return idx == 0 && lp.region(s)
	case LeadsTo:
		return lp.prop.P(s) && lp.region(s)
	}
	return lp.region(s)
}

// run searches from each entry, in the store's order, until a fair
// component or an end is found. false when stopped by a limit.
func (lp *livePass) run() bool {
	lp.t = newTarjan(lp.s, lp, lp.words)
	for idx := uint32(0); int(idx) < lp.s.st.n && !lp.found; idx++ {
		if lp.t.visited(idx) || !lp.entry(idx) {
			continue
		}
		lp.root = idx
		if !lp.t.from(idx) {
			return false
		}
	}
	return true
}

// The check follows the steps that stay in the region (and make no
// progress, for progress), crashes included; a group moves by a step of
// its own.

func (lp *livePass) start(v uint32, acc []uint64) {
	lp.moves = false
	for i := range acc {
		acc[i] = ^uint64(0)
	}
}

func (lp *livePass) follow(tr Transition, next []byte, acc []uint64) bool {
	if !tr.Crash {
		lp.moves = true
		acc[tr.Actor/64] &^= 1 << (uint(tr.Actor) % 64)
	}
	return !(tr.Halt || lp.prop.G == nil && tr.Progress) && lp.region(next)
}

// visited stops at a state where no group can take a step of its own: a
// run that breaks the property may end there (not one of progress, unless
// the state stutters: the run goes on there forever).
func (lp *livePass) visited(v uint32, _ []uint64) {
	if lp.moves {
		return
	}
	if lp.prop.G != nil || lp.l.Stutters(lp.s.st.state(v)) {
		lp.found, lp.ends, lp.members = true, true, []uint32{v}
		lp.t.stopped = true
	}
}

func (lp *livePass) inner(acc []uint64, e sccEdge) {
	if e.group >= 0 {
		setBit(acc, e.group)
	}
}

func (lp *livePass) meet([]uint64, uint32) {}

func (lp *livePass) merge(acc, child []uint64, e sccEdge) {
	for i := range acc {
		acc[i] |= child[i]
	}
	lp.inner(acc, e)
}

// done tells whether a completed component is a counterexample: it has a
// cycle and every group with weak fairness moves inside it or is
// disabled somewhere in it (and strong fairness holds on some part).
func (lp *livePass) done(members []uint32, acc []uint64, inner bool) uint32 {
	if !inner || lp.found {
		return 0
	}
	for i := range lp.words {
		if lp.weak[i]&^acc[i] != 0 {
			return 0
		}
	}
	if !slices.ContainsFunc(lp.strong, func(w uint64) bool { return w != 0 }) {
		lp.found, lp.members = true, slices.Clone(members) // weak fairness holds on all of it
		lp.t.stopped = true
		return 0
	}
	if fair := lp.strongly(slices.Clone(members)); fair != nil {
		lp.found, lp.members = true, fair
		lp.t.stopped = true
	}
	return 0
}

// strongly returns a part of the component members, all of it when it
// can, that holds a cycle fair to the groups with strong fairness (and
// weak): a group enabled somewhere on the cycle must move on it. A group
// enabled somewhere in the component that never moves inside it is fair
// only on cycles that avoid the states where it is enabled: those are
// taken out and the components of the rest tried in turn (the
// refinement of Emerson and Lei). nil when no part holds one.
func (lp *livePass) strongly(members []uint32) []uint32 {
	in := make(map[uint32]bool, len(members))
	for _, u := range members {
		in[u] = true
	}
	moves, enabledSome, disabledSome, cyclic := lp.inside(members, in)
	if !cyclic {
		return nil
	}
	var out []uint32 // states where a strong group that never moves is enabled
	for g := range lp.l.Groups() {
		bit, w := uint64(1)<<(g%64), g/64
		if lp.weak[w]&bit != 0 && moves[w]&bit == 0 && disabledSome[w]&bit == 0 {
			return nil // no cycle in it is weakly fair to g
		}
		if lp.strong[w]&bit == 0 || moves[w]&bit != 0 || enabledSome[w]&bit == 0 {
			continue
		}
		for _, u := range members {
			if _, en := lp.edges(u); en[w]&bit != 0 {
				out = append(out, u)
			}
		}
	}
	if len(out) == 0 {
		return members
	}
	for _, u := range out {
		delete(in, u)
	}
	for _, part := range lp.components(in) {
		if fair := lp.strongly(part); fair != nil {
			return fair
		}
	}
	return nil
}

// inside tells, of the states in (listed in members): the groups that
// move along an edge inside, those enabled in some state, those disabled
// in some state, and whether an edge stays inside at all.
func (lp *livePass) inside(members []uint32, in map[uint32]bool) (moves, enabledSome, disabledSome []uint64, cyclic bool) {
	moves, enabledSome, disabledSome = make([]uint64, lp.words), make([]uint64, lp.words), make([]uint64, lp.words)
	for _, u := range members {
		es, en := lp.edges(u)
		for i := range en {
			enabledSome[i] |= en[i]
			disabledSome[i] |= ^en[i]
		}
		for _, e := range es {
			if in[e.to] {
				cyclic = true
				if e.group >= 0 {
					setBit(moves, e.group)
				}
			}
		}
	}
	return moves, enabledSome, disabledSome, cyclic
}

// components returns the strongly connected components of the states in
// in, along the edges between them: Tarjan's algorithm, recursive, as it
// runs on one component's states only.
func (lp *livePass) components(in map[uint32]bool) [][]uint32 {
	c := subComponents{lp: lp, in: in, index: map[uint32]int{}, low: map[uint32]int{}, onStack: map[uint32]bool{}}
	keys := make([]uint32, 0, len(in))
	for u := range in {
		keys = append(keys, u)
	}
	slices.Sort(keys)
	for _, u := range keys {
		if _, seen := c.index[u]; !seen {
			c.visit(u)
		}
	}
	return c.out
}

// subComponents is the state of livePass.components.
type subComponents struct {
	lp         *livePass
	in         map[uint32]bool
	index, low map[uint32]int
	onStack    map[uint32]bool
	stack      []uint32
	out        [][]uint32
}

func (c *subComponents) visit(v uint32) {
	c.index[v], c.low[v] = len(c.index), len(c.index)
	c.stack = append(c.stack, v)
	c.onStack[v] = true
	es, _ := c.lp.edges(v)
	for _, e := range es {
		if !c.in[e.to] {
			continue
		}
		if _, seen := c.index[e.to]; !seen {
			c.visit(e.to)
			c.low[v] = min(c.low[v], c.low[e.to])
		} else if c.onStack[e.to] {
			c.low[v] = min(c.low[v], c.index[e.to])
		}
	}
	if c.low[v] != c.index[v] {
		return
	}
	i := len(c.stack) - 1
	for c.stack[i] != v {
		i--
	}
	comp := slices.Clone(c.stack[i:])
	for _, w := range comp {
		c.onStack[w] = false
	}
	c.stack = c.stack[:i]
	c.out = append(c.out, comp)
}

// lasso builds the counterexample: the store's path to the entry the
// search started from, a shortest path inside the region to the component
// (or the end), and a cycle inside the component that meets every weak
// group's obligation. Violation.Loop is where the cycle starts.
func (lp *livePass) lasso() *Violation {
	st := lp.s.st
	in := make(map[uint32]bool, len(lp.members))
	for _, u := range lp.members {
		in[u] = true
	}
	everywhere := func(uint32) bool { return true }
	path := lp.bfs(lp.root, everywhere, func(u uint32) bool { return in[u] })
	prefix := st.path(lp.root)
	if lp.s.rd != nil {
		prefix = lp.s.unfold(prefix)
	}
	c0 := lp.root
	if len(path) > 0 {
		c0 = path[len(path)-1]
	}
	trace := append(prefix, lp.states(path)...)
	v := &Violation{InState: true, Lasso: true, Loop: len(trace) - 1}
	if !lp.ends {
		trace = append(trace, lp.states(lp.cycle(c0, in))...)
	}
	v.Trace = trace
	return v
}

// states copies the states of a path.
func (lp *livePass) states(path []uint32) [][]byte {
	out := make([][]byte, len(path))
	for i, u := range path {
		out[i] = append([]byte(nil), lp.s.st.state(u)...)
	}
	return out
}

// edges returns the edges from u that a run breaking the property may
// take, and the groups that can take a step of their own in u.
func (lp *livePass) edges(u uint32) ([]sccEdge, []uint64) {
	s := lp.s
	var buf Succs
	s.sys.Successors(s.st.state(u), &buf)
	enabled := make([]uint64, lp.words)
	var out []sccEdge
	for i, tr := range buf.Info {
		if !tr.Crash {
			enabled[tr.Actor/64] |= 1 << (uint(tr.Actor) % 64)
		}
		if tr.Halt || lp.prop.G == nil && tr.Progress {
			continue
		}
		next := buf.State(i, s.st.size)
		if !lp.region(next) {
			continue
		}
		if w, ok := s.st.lookup(next); ok {
			out = append(out, moveEdge(w, tr))
		}
	}
	return out, enabled
}

// bfs returns a shortest path of edges staying in keep from u to a state
// where goal holds: the states after u, the last one satisfying goal
// (empty when u does).
func (lp *livePass) bfs(u uint32, keep, goal func(uint32) bool) []uint32 {
	if goal(u) {
		return nil
	}
	prev := map[uint32]uint32{u: u}
	for queue := []uint32{u}; len(queue) > 0; queue = queue[1:] {
		es, _ := lp.edges(queue[0])
		for _, e := range es {
			if _, seen := prev[e.to]; seen || !keep(e.to) {
				continue
			}
			prev[e.to] = queue[0]
			if goal(e.to) {
				var path []uint32
				for x := e.to; x != u; x = prev[x] {
					path = append(path, x)
				}
				slices.Reverse(path)
				return path
			}
			queue = append(queue, e.to)
		}
	}
	panic("explorer: liveness: the component cannot be reached")
}

// cycle returns a cycle inside the component in, from c0 back to c0 (the
// states after c0, c0 last), on which every fair group moves, or, with
// weak fairness, is disabled somewhere.
func (lp *livePass) cycle(c0 uint32, in map[uint32]bool) []uint32 {
	inside := func(u uint32) bool { return in[u] }
	var path []uint32
	cur := c0
	for g := range lp.l.Groups() {
		weak, strong := lp.weak[g/64]&(1<<(g%64)) != 0, lp.strong[g/64]&(1<<(g%64)) != 0
		if !weak && !strong {
			continue
		}
		movesHere := slices.ContainsFunc(lp.members, func(u uint32) bool { return lp.stepInside(u, int32(g), in) >= 0 })
		goal := func(u uint32) bool { _, en := lp.edges(u); return en[g/64]&(1<<(g%64)) == 0 }
		switch {
		case movesHere:
			goal = func(u uint32) bool { return lp.stepInside(u, int32(g), in) >= 0 }
		case strong:
			continue // disabled everywhere in the component: nothing is owed
		}
		path = append(path, lp.bfs(cur, inside, goal)...)
		if len(path) > 0 {
			cur = path[len(path)-1]
		}
		if movesHere { // take g's step
			cur = uint32(lp.stepInside(cur, int32(g), in))
			path = append(path, cur)
		}
	}
	if len(path) == 0 { // a step away first, so that the cycle is one
		cur = uint32(lp.stepInside(c0, -1, in))
		path = append(path, cur)
	}
	if cur != c0 {
		path = append(path, lp.bfs(cur, inside, func(u uint32) bool { return u == c0 })...)
	}
	return path
}

// stepInside returns where a step of group g from u leads inside in (any
// step for g < 0, crashes included; g's own otherwise), or -1.
func (lp *livePass) stepInside(u uint32, g int32, in map[uint32]bool) int64 {
	es, _ := lp.edges(u)
	for _, e := range es {
		if in[e.to] && (g < 0 || e.group == g) {
			return int64(e.to)
		}
	}
	return -1
}
