package explorer

import (
	"math/bits"
	"slices"
)

// Bits is a set of locations.
type Bits []uint64

// Has reports whether location i is in the set.
func (b Bits) Has(i int) bool { return b[i>>6]&(1<<(i&63)) != 0 }

// Set adds location i.
func (b Bits) Set(i int) { b[i>>6] |= 1 << (i & 63) }

// Or adds every location of c.
func (b Bits) Or(c Bits) {
	for i := range b {
		b[i] |= c[i]
	}
}

// Footprint is what reduction needs to know of one group of transitions
// (one actor) in a state: the locations its next step may read and write,
// and those its later steps may read and write.
type Footprint struct {
	// Active: the group has a next step, enabled or not (a running
	// actor), or may get one (an actor that can still be started).
	Active bool
	// Global: the next step may touch anything: it conflicts with every
	// group, both ways (a group whose step is global joins any set with
	// another group in it; the held-lock exception does not apply to it).
	Global bool
	// Visible: the next step may change the value of a state property
	// (in some state, not only in this one).
	Visible     bool
	Read, Write Bits
	// FutureRead and FutureWrite: every location the group may touch from
	// now on, its next step included.
	FutureRead, FutureWrite Bits
	// AcqFirst: locks the group's future can only first touch with a
	// blocking acquire, so it cannot touch them while someone holds them.
	AcqFirst Bits
	// Key names the footprint: two footprints with one key are equal. It
	// lets the explorer remember conflicts; 0 <= Key < Reducer.Keys().
	Key int32
}

// Reduction describes a state for partial-order reduction. The system
// points Groups at footprints of its own, which the explorer only reads.
type Reduction struct {
	Groups []*Footprint
	// Holder gives, per location, the group holding it when it is a held
	// lock, or -1.
	Holder []int32
}

// Reducer is implemented by systems that support partial-order reduction.
type Reducer interface {
	// Locations returns the number of shared locations.
	Locations() int
	// Groups returns the number of transition groups.
	Groups() int
	// Reduction describes state s into r.
	Reduction(s []byte, r *Reduction)
	// LocalStep reports whether group g's next step in s touches nothing
	// another group or a property can see.
	LocalStep(s []byte, g int) bool
	// GroupSuccessors appends the successors of group g's next step in s.
	GroupSuccessors(s []byte, g int, out *Succs)
	// Keys returns the number of distinct footprint keys.
	Keys() int
	// NeedsProviso reports whether the cycle proviso is needed: whether
	// anything besides deadlocks can be violated (stubborn sets keep
	// every deadlock without a proviso).
	NeedsProviso() bool
	// Locks returns the locations that are locks.
	Locks() Bits
}

// Why a state was expanded in full.
const (
	fullNone    = iota // reduced
	fullVisible        // the reduced set had a visible transition
	fullProviso        // the reduced set led to no new state (BFS cycle proviso)
	fullOnStack        // a successor of the reduced set is on the DFS stack
)

// reducer computes stubborn sets.
type reducer struct {
	sys     Reducer
	r       Reduction
	enabled []bool
	steps   []bool // enabled groups with a step of their own, not a crash only
	in      []bool // groups in the set being built
	work    []int
	cands   []candidate
	single  bool     // the last state had at most one enabled group
	locked  bool     // some lock is held in this state
	held    Bits     // every lock held in this state
	rows    []uint64 // graphCandidates: per group, the groups it brings in
	rowDone uint64   // graphCandidates: the rows computed in this state
	rowFull uint64   // graphCandidates: the rows that bring in every enabled group
	// graphCandidates: the enabled and the active groups of this state.
	enabledMask, activeMask uint64
	// memo caches conflicts by footprint keys: for (a's key, a enabled,
	// b's key), 0 unknown, 1 none, 2 conflict, 3 conflict through locks
	// only (then decided in the state, by who holds them).
	memo     []uint8
	keys     int
	locks    Bits
	keyLocks [][]int32 // per footprint key, the locks its step touches
}

const memoMaxKeys = 2048

func newReducer(sys Reducer) *reducer {
	n, words := sys.Groups(), (sys.Locations()+63)/64
	rd := &reducer{sys: sys, enabled: make([]bool, n), steps: make([]bool, n), in: make([]bool, n)}
	rd.r.Groups = make([]*Footprint, n)
	rd.r.Holder = make([]int32, sys.Locations())
	rd.held = make(Bits, words)
	rd.rows = make([]uint64, n)
	rd.locks = sys.Locks()
	if k := sys.Keys(); k <= memoMaxKeys {
		rd.keys = k
		rd.memo = make([]uint8, 2*k*k)
		rd.keyLocks = make([][]int32, k)
	}
	return rd
}

// noteHeld records which locks are held in the state described.
func (rd *reducer) noteHeld() {
	rd.locked = false
	for w := range rd.held {
		rd.held[w] = 0
	}
	for l, h := range rd.r.Holder {
		if h >= 0 {
			rd.held.Set(l)
			rd.locked = true
		}
	}
}

// candidates computes, for state s, the stubborn sets grown from each
// enabled group, smallest first, leaving out those that hold every enabled
// group. It returns false when there is no candidate; rd.single tells
// whether that is because at most one group is enabled.
func (rd *reducer) candidates(s []byte, info []Transition) bool {
	for i := range rd.enabled {
		rd.enabled[i], rd.steps[i] = false, false
	}
	nEnabled := 0
	for _, tr := range info {
		if !rd.enabled[tr.Actor] {
			rd.enabled[tr.Actor] = true
			nEnabled++
		}
		rd.steps[tr.Actor] = rd.steps[tr.Actor] || !tr.Crash
	}
	rd.cands = rd.cands[:0]
	if nEnabled <= 1 {
		rd.single = true
		return false
	}
	rd.single = false
	rd.sys.Reduction(s, &rd.r)
	rd.noteHeld()
	if len(rd.enabled) <= 64 {
		rd.graphCandidates(nEnabled)
	} else {
		rd.seedCandidates(nEnabled)
	}
	// Few candidates: sort by size in place, without allocating.
	for i := 1; i < len(rd.cands); i++ {
		for j := i; j > 0 && rd.cands[j].count < rd.cands[j-1].count; j-- {
			rd.cands[j], rd.cands[j-1] = rd.cands[j-1], rd.cands[j]
		}
	}
	return len(rd.cands) > 0
}

// graphCandidates computes the stubborn set of every seed at once: an
// edge a -> b says b must join any set that holds a (see closure); the
// sets are the transitive closure of the graph, rows of bits.
func (rd *reducer) graphCandidates(nEnabled int) {
	gs := rd.r.Groups
	var seeds uint64
	rd.enabledMask, rd.activeMask = 0, 0
	for a := range gs {
		if rd.enabled[a] {
			rd.enabledMask |= 1 << a
		}
		if rd.steps[a] {
			seeds |= 1 << a
		}
		if gs[a].Active {
			rd.activeMask |= 1 << a
		}
	}
	rd.rowDone, rd.rowFull = 0, 0
	for m := seeds; m != 0; m &= m - 1 {
		set, ok := rd.grow(bits.TrailingZeros64(m))
		if !ok {
			continue
		}
		count := bits.OnesCount64(set & rd.enabledMask)
		if count >= nEnabled || rd.seenMask(set) {
			continue
		}
		c := rd.candidate()
		c.count, c.mask = count, set
		for g := range c.in {
			c.in[g] = set&(1<<g) != 0
		}
	}
}

// grow returns the set grown from seed through the rows; false when a
// row on the way holds every enabled group (no smaller set that way).
func (rd *reducer) grow(seed int) (uint64, bool) {
	set, todo := uint64(1)<<seed, uint64(1)<<seed
	for todo != 0 {
		x := bits.TrailingZeros64(todo)
		todo &^= 1 << x
		r := rd.row(x)
		if rd.rowFull&(1<<x) != 0 {
			return 0, false
		}
		todo |= r &^ set
		set |= r
	}
	return set, true
}

// row computes the groups a brings in, once per state. It stops early
// when they hold every enabled group: then no set through a can be
// smaller than a full expansion (rowFull).
func (rd *reducer) row(a int) uint64 {
	if rd.rowDone&(1<<a) != 0 {
		return rd.rows[a]
	}
	rd.rowDone |= 1 << a
	gs := rd.r.Groups
	fa := gs[a]
	r := uint64(1) << a
	if fa.Global {
		r = rd.activeMask
	} else {
		r |= rd.lockHolders(fa)
		en := rd.enabled[a]
		// Enabled groups first: they decide saturation.
		for _, m := range [2]uint64{rd.enabledMask &^ r, rd.activeMask &^ rd.enabledMask &^ r} {
			for ; m != 0 && r&rd.enabledMask != rd.enabledMask; m &= m - 1 {
				b := bits.TrailingZeros64(m)
				if gs[b].Global || rd.conflict(fa, gs[b], en) {
					r |= 1 << b
				}
			}
		}
	}
	if r&rd.enabledMask == rd.enabledMask {
		rd.rowFull |= 1 << a
	}
	rd.rows[a] = r
	return r
}

// lockHolders returns the groups holding a lock fa's step touches. The
// locks a footprint touches are found once per key.
func (rd *reducer) lockHolders(fa *Footprint) uint64 {
	if !rd.locked {
		return 0
	}
	var locks []int32
	if rd.keyLocks != nil {
		locks = rd.keyLocks[fa.Key]
		if locks == nil {
			for w := range fa.Read {
				for m := (fa.Read[w] | fa.Write[w]) & rd.locks[w]; m != 0; m &= m - 1 {
					locks = append(locks, int32(w<<6+bits.TrailingZeros64(m)))
				}
			}
			if locks == nil {
				locks = []int32{}
			}
			rd.keyLocks[fa.Key] = locks
		}
	} else {
		return rd.holderMask(fa.Read) | rd.holderMask(fa.Write)
	}
	var mask uint64
	for _, l := range locks {
		if h := rd.r.Holder[l]; h >= 0 {
			mask |= 1 << h
		}
	}
	return mask
}

func (rd *reducer) seenMask(set uint64) bool {
	for _, c := range rd.cands {
		if c.mask == set {
			return true
		}
	}
	return false
}

// holderMask returns the groups holding a lock in x.
func (rd *reducer) holderMask(x Bits) uint64 {
	var m uint64
	rd.holders(x, func(h int) { m |= 1 << h })
	return m
}

// conflict is conflictsHeld, remembered by footprint keys.
func (rd *reducer) conflict(fa, fb *Footprint, enabled bool) bool {
	if rd.memo == nil {
		return rd.conflictsHeld(fa, fb, enabled)
	}
	i := int(fa.Key)*2*rd.keys + int(fb.Key)
	if enabled {
		i += rd.keys
	}
	v := rd.memo[i]
	if v == 0 {
		v = rd.classify(fa, fb, enabled)
		rd.memo[i] = v
	}
	switch v {
	case 1:
		return false
	case 2:
		return true
	}
	return !rd.locked || rd.conflictsHeld(fa, fb, enabled)
}

// classify finds whether two footprints conflict with no lock held: 1 no,
// 2 yes, 3 yes but only through locks.
func (rd *reducer) classify(fa, fb *Footprint, enabled bool) uint8 {
	any, other := false, false
	for w := range fa.Read {
		m := fa.Read[w] & fb.FutureWrite[w]
		if enabled {
			m |= fa.Write[w] & (fb.FutureRead[w] | fb.FutureWrite[w])
		}
		any = any || m != 0
		other = other || m&^rd.locks[w] != 0
	}
	switch {
	case !any:
		return 1
	case other:
		return 2
	}
	return 3
}

// conflictsHeld is conflicts with the protection of held locks decided by
// their holders alone: a lock a's step touches brings its holder into any
// set that holds a (an edge of its own), so it is held by the set.
func (rd *reducer) conflictsHeld(fa, fb *Footprint, enabled bool) bool {
	for w := range fa.Read {
		m := fa.Read[w] & fb.FutureWrite[w]
		if enabled {
			m |= fa.Write[w] & (fb.FutureRead[w] | fb.FutureWrite[w])
		}
		m &^= fb.AcqFirst[w] & rd.held[w]
		if m != 0 {
			return true
		}
	}
	return false
}

// seedCandidates grows a stubborn set from each enabled seed in turn.
func (rd *reducer) seedCandidates(nEnabled int) {
	for seed, st := range rd.steps {
		if !st {
			continue
		}
		count := rd.closure(seed, nEnabled)
		if count >= nEnabled || rd.seen(count) {
			continue
		}
		c := rd.candidate()
		copy(c.in, rd.in)
		c.count = count
	}
}

// seen reports whether the set in rd.in is already a candidate.
func (rd *reducer) seen(count int) bool {
	for _, c := range rd.cands {
		if c.count == count && slices.Equal(c.in, rd.in) {
			return true
		}
	}
	return false
}

type candidate struct {
	in    []bool
	count int
	mask  uint64 // the set as a bit mask, from graphCandidates
}

// candidate appends a candidate, reusing storage.
func (rd *reducer) candidate() *candidate {
	if len(rd.cands) < cap(rd.cands) {
		rd.cands = rd.cands[:len(rd.cands)+1]
	} else {
		rd.cands = append(rd.cands, candidate{})
	}
	c := &rd.cands[len(rd.cands)-1]
	if c.in == nil {
		c.in = make([]bool, len(rd.in))
	}
	return c
}

// closure builds the stubborn set grown from seed into rd.in and returns
// how many enabled groups it holds; it gives up once that reaches limit.
//
// For an enabled group a in the set, every group whose future may touch a
// location a's step writes, or write a location a's step reads, joins:
// except that a group whose future first touches a held lock with a
// blocking acquire cannot touch it while its holder, which the set takes in
// too, holds it.
// For a disabled group in the set, every group that may write what its
// step reads joins (only they can enable it), and the holder of a lock it
// waits for.
func (rd *reducer) closure(seed, limit int) int {
	for i := range rd.in {
		rd.in[i] = false
	}
	rd.in[seed] = true
	rd.work = append(rd.work[:0], seed)
	count := 1
	add := func(b int) {
		if !rd.in[b] {
			rd.in[b] = true
			rd.work = append(rd.work, b)
			if rd.enabled[b] {
				count++
			}
		}
	}
	for len(rd.work) > 0 && count < limit {
		a := rd.work[len(rd.work)-1]
		rd.work = rd.work[:len(rd.work)-1]
		rd.bringIn(a, add)
	}
	return count
}

// bringIn adds to the set, through add, every group that group a's
// footprint brings in.
func (rd *reducer) bringIn(a int, add func(int)) {
	gs := rd.r.Groups
	fa := gs[a]
	if fa.Global {
		for b := range gs {
			if gs[b].Active {
				add(b)
			}
		}
		return
	}
	// Holders of locks a's step touches must stay in the set, so that
	// the locks stay held while others are left out.
	rd.holders(fa.Read, add)
	rd.holders(fa.Write, add)
	for b := range gs {
		if !rd.in[b] && gs[b].Active && (gs[b].Global || rd.conflictsHeld(fa, gs[b], rd.enabled[a])) {
			add(b)
		}
	}
}

func (rd *reducer) holders(x Bits, add func(int)) {
	if !rd.locked {
		return
	}
	for w := range x {
		m := x[w]
		for m != 0 {
			i := w<<6 + bits.TrailingZeros64(m)
			m &= m - 1
			if h := rd.r.Holder[i]; h >= 0 {
				add(int(h))
			}
		}
	}
}
