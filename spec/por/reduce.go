package por

import (
	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/machine"
)

// Reducer is a Machine that describes each state for partial-order
// reduction: an explorer.Reducer. Its tables are computed once, by New,
// and only read after.
type Reducer struct {
	*machine.Machine
	p    *spec.Program
	fp   *footprints
	ends explorer.Succs       // scratch for visible
	dyn  []explorer.Footprint // footprints whose visibility is decided per state
}

// program gives the analysis's functions the Program's fields.
type program struct{ *spec.Program }

// New returns m with the reduction's tables of its program. Any number
// of Reducers may run at once over one Program, each with its own Machine.
func New(m *machine.Machine) *Reducer {
	p := m.Program()
	return &Reducer{Machine: m, p: p, fp: program{p}.buildFootprints(), dyn: make([]explorer.Footprint, len(p.Actors))}
}

// Locations returns the number of shared locations.
func (m *Reducer) Locations() int { return len(m.p.Locs) }

// footprints returns the reduction's tables.
func (m *Reducer) footprints() *footprints { return m.fp }

// Reduction describes state s: each actor's footprint at its pc, and who
// holds each lock.
func (m *Reducer) Reduction(s []byte, r *explorer.Reduction) {
	fp := m.footprints()
	for i := range r.Holder {
		r.Holder[i] = -1
	}
	for _, o := range fp.locks {
		if owner := o.OwnerID(s); owner != 0 {
			r.Holder[o.Loc] = int32(owner) - 1
		}
	}
	for _, a := range m.p.Actors {
		switch {
		case a.Running(s):
			pc := a.PC(s)
			g := &fp.prints[a.ID][pc]
			if g.Visible && fp.visPC[a.ID][pc] && fp.self[a.ID][pc] {
				// Whether it is visible is decided in this state.
				d := &m.dyn[a.ID]
				*d = *g
				d.Visible = m.visible(s, a, pc)
				g = d
			}
			r.Groups[a.ID] = g
		case fp.start[a.ID]:
			// It may be started: its future is its body.
			r.Groups[a.ID] = &fp.dormant[a.ID]
		default:
			r.Groups[a.ID] = &fp.inactive
		}
	}
}

// LocalStep reports whether actor g stands, in s, at a step that touches
// nothing another actor can see and no invariant depends on.
func (m *Reducer) LocalStep(s []byte, g int) bool {
	a := m.p.Actors[g]
	if !a.Running(s) {
		return false
	}
	pc := a.PC(s)
	return m.footprints().local[g][pc] && !m.visible(s, a, pc)
}

// visible reports whether actor a's step from pc may change an invariant.
// A step that is visible only because it may move a onto or off a label
// is looked at more closely when where it ends depends on a's own locals
// alone: that cannot change while the step waits, so the place it ends in
// s is the place it ends whenever it runs.
func (m *Reducer) visible(s []byte, a *spec.Actor, pc int) bool {
	fp := m.footprints()
	if !fp.vis[a.ID][pc] {
		return false
	}
	if !fp.visPC[a.ID][pc] || !fp.self[a.ID][pc] {
		return true
	}
	pcs := fp.watch[a.ID].pcs
	for _, lp := range pcs {
		if lp == pc {
			return true
		}
	}
	m.ends.Reset()
	m.GroupSuccessors(s, a.ID, &m.ends)
	for i := range m.ends.Info {
		t := m.ends.State(i, m.p.StateSize)
		if !a.Running(t) {
			continue
		}
		end := a.PC(t)
		for _, lp := range pcs {
			if lp == end {
				return true
			}
		}
	}
	return false
}

// GroupSuccessors appends the successors of actor g's next step in s.
func (m *Reducer) GroupSuccessors(s []byte, g int, out *explorer.Succs) {
	m.ActorSteps(s, m.p.Actors[g], out)
}

// Keys returns the number of footprint keys: one per actor and pc.
func (m *Reducer) Keys() int { return m.footprints().nkeys }

// Locks returns the locations of the locks.
func (m *Reducer) Locks() explorer.Bits {
	fp := m.footprints()
	b := make(explorer.Bits, fp.words)
	for _, o := range fp.locks {
		b.Set(o.Loc)
	}
	return b
}
