package explorer

import (
	"math/bits"
	"slices"
	"sort"
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
	// Global: the next step may touch anything (conflicts with every
	// group).
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
}

// Reduction describes a state for partial-order reduction.
type Reduction struct {
	Groups []Footprint
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
}

// Why a state was expanded in full.
const (
	fullNone          = iota // reduced
	fullNoSmall              // no stubborn set smaller than all enabled groups
	fullVisible              // the reduced set had a visible transition
	fullProviso              // the reduced set led to no new state (cycle proviso)
	fullOnStackReason        // a successor of the reduced set is on the DFS stack
)

// reducer computes stubborn sets.
type reducer struct {
	sys     Reducer
	r       Reduction
	enabled []bool
	in      []bool // groups in the set being built
	work    []int
	cands   []candidate
	single  bool // the last state had at most one enabled group
}

func newReducer(sys Reducer) *reducer {
	n, words := sys.Groups(), (sys.Locations()+63)/64
	rd := &reducer{sys: sys, enabled: make([]bool, n), in: make([]bool, n)}
	rd.r.Groups = make([]Footprint, n)
	for i := range rd.r.Groups {
		g := &rd.r.Groups[i]
		g.Read, g.Write = make(Bits, words), make(Bits, words)
		g.FutureRead, g.FutureWrite, g.AcqFirst = make(Bits, words), make(Bits, words), make(Bits, words)
	}
	rd.r.Holder = make([]int32, sys.Locations())
	return rd
}

// candidates computes, for state s, the stubborn sets grown from each
// enabled group, smallest first, leaving out those that hold every enabled
// group. It returns false when there is no candidate; rd.single tells
// whether that is because at most one group is enabled.
func (rd *reducer) candidates(s []byte, info []Transition) bool {
	for i := range rd.enabled {
		rd.enabled[i] = false
	}
	nEnabled := 0
	for _, tr := range info {
		if !rd.enabled[tr.Actor] {
			rd.enabled[tr.Actor] = true
			nEnabled++
		}
	}
	rd.cands = rd.cands[:0]
	if nEnabled <= 1 {
		rd.single = true
		return false
	}
	rd.single = false
	rd.sys.Reduction(s, &rd.r)
	for seed, en := range rd.enabled {
		if !en {
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
	sort.Slice(rd.cands, func(i, j int) bool { return rd.cands[i].count < rd.cands[j].count })
	return len(rd.cands) > 0
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
// blocking acquire cannot touch it while the holder, in the set, holds it.
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
	gs := rd.r.Groups
	for len(rd.work) > 0 && count < limit {
		a := rd.work[len(rd.work)-1]
		rd.work = rd.work[:len(rd.work)-1]
		fa := &gs[a]
		if fa.Global {
			for b := range gs {
				if gs[b].Active {
					add(b)
				}
			}
			continue
		}
		// Holders of locks a's step touches must stay in the set, so
		// that the locks stay held while others are left out.
		rd.holders(fa.Read, add)
		rd.holders(fa.Write, add)
		for b := range gs {
			if rd.in[b] || !gs[b].Active {
				continue
			}
			fb := &gs[b]
			if rd.enabled[a] {
				if rd.meets(fa.Write, fb.FutureRead, fb) || rd.meets(fa.Write, fb.FutureWrite, fb) || rd.meets(fa.Read, fb.FutureWrite, fb) {
					add(b)
				}
			} else if rd.meets(fa.Read, fb.FutureWrite, fb) {
				add(b)
			}
		}
	}
	return count
}

// meets reports whether x and y share a location that group fb may touch
// before the group holding it (in the set) lets it go.
func (rd *reducer) meets(x, y Bits, fb *Footprint) bool {
	for w := range x {
		m := x[w] & y[w]
		for m != 0 {
			i := w<<6 + bits.TrailingZeros64(m)
			m &= m - 1
			if h := rd.r.Holder[i]; h >= 0 && rd.in[h] && fb.AcqFirst.Has(i) {
				continue
			}
			return true
		}
	}
	return false
}

func (rd *reducer) holders(x Bits, add func(int)) {
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
