package por

import (
	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

// footprints holds, per actor instance and pc, what partial-order
// reduction needs: the locations the step starting there reads and writes,
// the locations the actor may read and write from there on, and the locks
// its future can only first touch with a blocking acquire.
type footprints struct {
	p       *spec.Program
	words   int
	tables  [][]uint64     // per actor: per pc, 5 bit sets (read, write, future read, future write, acquire-first)
	global  [][]bool       // per actor: per pc, the step may involve another actor (a rendezvous)
	local   [][]bool       // per actor: per pc, the step touches nothing others or invariants see
	ends    [][][]int      // per actor: per pc, the rest pcs a step from there can end at
	vis     [][]bool       // per actor: per pc, the step may change what an invariant reads
	visPC   [][]bool       // per actor: per pc, vis only because it may move onto or off a label
	self    [][]bool       // per actor: per pc, where the step ends depends on the actor's locals only
	start   []bool         // per actor: something can start (or restart) it
	watch   []watch        // per actor: what invariants read of its state
	vars    []bool         // per location: an invariant reads it
	locks   []*spec.Object // the lock objects
	keyBase []int          // per actor: the key of its pc 0
	nkeys   int
	proviso bool // NeedsProviso
	// partners: per unbuffered channel group, the locations of the actors
	// whose code uses it. A rendezvous, and a select deciding whether a
	// case on it is ready, read where those actors stand.
	partners map[*spec.Group]explorer.Bits

	prints   [][]explorer.Footprint // per actor, per pc: as the explorer sees it
	dormant  []explorer.Footprint   // per actor: not running, may be started
	inactive explorer.Footprint
}

// buildPrints fills the footprints the explorer reads.
func (fp *footprints) buildPrints(p *spec.Program) {
	for _, a := range p.Actors {
		prints := make([]explorer.Footprint, len(a.Type.Code))
		for pc := range prints {
			prints[pc] = explorer.Footprint{
				Active: true, Global: fp.global[a.ID][pc], Visible: fp.vis[a.ID][pc],
				Key:  int32(fp.keyBase[a.ID] + pc),
				Read: fp.set(a.ID, pc, fpRead), Write: fp.set(a.ID, pc, fpWrite),
				FutureRead: fp.set(a.ID, pc, fpFutRead), FutureWrite: fp.set(a.ID, pc, fpFutWrite),
				AcqFirst: fp.set(a.ID, pc, fpAcqFirst),
			}
		}
		fp.prints = append(fp.prints, prints)
		d := prints[0]
		d.Visible = true
		fp.dormant = append(fp.dormant, d)
	}
}

type watch struct {
	status bool  // an invariant reads done, crashed, alive, ...
	pcs    []int // the pcs of the labels invariants test
}

const (
	fpRead = iota
	fpWrite
	fpFutRead
	fpFutWrite
	fpAcqFirst
	fpSets
)

func (fp *footprints) set(a, pc, k int) explorer.Bits {
	off := (pc*fpSets + k) * fp.words
	return explorer.Bits(fp.tables[a][off : off+fp.words])
}

// buildFootprints computes the tables for every actor instance.
func (p program) buildFootprints() *footprints {
	fp := &footprints{p: p.Program, words: (len(p.Locs) + 63) / 64}
	fp.start = p.started()
	fp.findPartners()
	for _, a := range p.Actors {
		p.actorSets(fp, a)
	}
	// An actor that cannot move has a footprint of nothing, with a key of
	// its own: the explorer remembers conflicts and locks by key.
	fp.inactive = explorer.Footprint{Key: int32(fp.nkeys)}
	fp.nkeys++
	for _, o := range p.Objects {
		if o.Kind == ast.KindLock {
			fp.locks = append(fp.locks, o)
		}
	}
	fp.proviso = p.needsProviso()
	fp.watchInvariants(p.Program)
	fp.findVisible(p.Program)
	fp.findLocal(p.Program)
	fp.buildPrints(p.Program)
	return fp
}

// findVisible marks the steps that may change the value of an invariant:
// those that may write a location an invariant reads (or start, cancel or
// crash an actor whose state it reads), may end an actor whose status it
// reads, or may move an actor onto or off a label it tests. Visibility is
// a property of the step wherever it runs, not of one state.
func (fp *footprints) findVisible(p *spec.Program) {
	for _, a := range p.Actors {
		w := fp.watch[a.ID]
		code := a.Type.Code
		vis, visPC, self := make([]bool, len(code)), make([]bool, len(code)), make([]bool, len(code))
		for pc := range code {
			v := w.status || (a.Type.HasCrash && len(w.pcs) > 0)
			wr := fp.set(a.ID, pc, fpWrite)
			for l, watched := range fp.vars {
				if watched && wr.Has(l) && l != a.Loc {
					v = true
				}
			}
			label := false
			for _, lp := range w.pcs {
				label = label || lp == pc
				for _, e := range fp.ends[a.ID][pc] {
					label = label || e == lp
				}
			}
			vis[pc], visPC[pc] = v || label, !v && label
			in := &code[pc]
			self[pc] = len(in.Access.Reads) == 0 && (in.Op == spec.OpAssign || in.Op == spec.OpBind || in.Op == spec.OpChoose)
		}
		fp.vis, fp.visPC, fp.self = append(fp.vis, vis), append(fp.visPC, visPC), append(fp.self, self)
	}
}

// findLocal marks the steps that touch no shared location, when no other
// actor looks at the actor's status or program counter. (Whether an
// invariant does is the business of visibility.)
func (fp *footprints) findLocal(p *spec.Program) {
	watched := make([]bool, len(p.Locs))
	for _, at := range p.Types {
		for _, in := range at.Code {
			for _, l := range in.Access.Reads {
				watched[l] = true
			}
		}
	}
	for _, a := range p.Actors {
		seen := watched[a.Loc]
		fp.local = append(fp.local, make([]bool, len(a.Type.Code)))
		for pc := range a.Type.Code {
			if seen || fp.global[a.ID][pc] {
				continue
			}
			r, wr := fp.set(a.ID, pc, fpRead), fp.set(a.ID, pc, fpWrite)
			only := true
			for l := 0; l < len(p.Locs); l++ {
				if l != a.Loc && (r.Has(l) || wr.Has(l)) {
					only = false
					break
				}
			}
			fp.local[a.ID][pc] = only
		}
	}
}

// instanceAccess returns an instruction's reads and writes for actor a: an
// object chosen by an index that depends only on self is resolved to the
// one object it names for this instance.
func (p program) instanceAccess(a *spec.Actor, in *spec.Instr, words int) [2]explorer.Bits {
	r, w := make(explorer.Bits, words), make(explorer.Bits, words)
	for _, l := range in.Access.Reads {
		r.Set(l)
	}
	for _, l := range in.Access.Writes {
		w.Set(l)
	}
	refs := []spec.ObjRef{in.Obj}
	for _, c := range in.Cases {
		refs = append(refs, c.Obj)
	}
	for _, ref := range refs {
		if ref.Group == nil || ref.Index == nil || !ref.Static {
			continue
		}
		f := spec.Frame{S: p.Initial(), A: a}
		o := ref.Resolve(p.Program, &f)
		if o == nil {
			continue
		}
		for i := 0; i < ref.Group.Count; i++ {
			loc := p.Objects[ref.Group.First+i].Loc
			if loc != o.Loc && in.Op != spec.OpSelect {
				r[loc>>6] &^= 1 << (loc & 63)
				w[loc>>6] &^= 1 << (loc & 63)
			}
		}
	}
	return [2]explorer.Bits{r, w}
}

// stepSets computes the footprint of a step from pc: the instruction there,
// the bookkeeping after it, the rest of its atomic region, the heads of an
// either; the actor's own status; a crash.
func (fp *footprints) stepSets(a *spec.Actor, pc int, access [][2]explorer.Bits) {
	code := a.Type.Code
	r, w := fp.set(a.ID, pc, fpRead), fp.set(a.ID, pc, fpWrite)
	r.Set(a.Loc)
	w.Set(a.Loc)
	// The step runs from pc (through the heads of an either) to its first
	// instruction, then on through bookkeeping and the rest of that
	// instruction's atomic region; once it leaves the region, it ends at the
	// next resting point (as Machine.run does).
	type at struct {
		q, region int
		first     bool
	}
	seen := make(map[at]bool)
	var walk func(q int, first bool, region int)
	walk = func(q int, first bool, region int) {
		in := &code[q]
		if region != 0 && in.Atomic != region {
			region = 0
		}
		if seen[at{q, region, first}] {
			return
		}
		seen[at{q, region, first}] = true
		if in.Rest && first && in.Op != spec.OpEither {
			first, region = false, in.Atomic
		} else if in.Rest && !first && !(region != 0 && in.Atomic == region) {
			fp.ends[a.ID][pc] = append(fp.ends[a.ID][pc], q)
			return
		}
		r.Or(access[q][0])
		w.Or(access[q][1])
		// A send on an unbuffered channel moves a receiver too, and needs
		// one standing at a receive; a select's case on one is ready or
		// not by where the partners stand.
		if in.Op == spec.OpCall && in.Method == spec.MSend && fp.p.Objects[in.Obj.Group.First].Cap == 0 {
			fp.global[a.ID][pc] = true
			r.Or(fp.partners[program{fp.p}.groupOf(in.Obj.Group)])
		}
		for _, c := range in.Cases {
			if c.Default || fp.p.Objects[c.Obj.Group.First].Cap != 0 {
				continue
			}
			if c.Send {
				fp.global[a.ID][pc] = true
			}
			r.Or(fp.partners[program{fp.p}.groupOf(c.Obj.Group)])
		}
		for _, s := range in.Succs {
			walk(s, first, region)
		}
	}
	walk(pc, true, 0)
	if a.Type.Cooperative {
		// A cooperative step runs on to its next wait: anywhere.
		fp.global[a.ID][pc] = true
	}
	if a.Type.HasCrash {
		fp.crashSet(w)
	}
}

// findPartners finds, for each unbuffered channel group (an element named
// by a constant index counts as its array), the actors whose code sends or
// receives on it.
func (fp *footprints) findPartners() {
	p := fp.p
	fp.partners = make(map[*spec.Group]explorer.Bits)
	add := func(g *spec.Group, a *spec.Actor) {
		if g == nil || p.Objects[g.First].Kind != ast.KindChan || p.Objects[g.First].Cap != 0 {
			return
		}
		g = program{p}.groupOf(g)
		if fp.partners[g] == nil {
			fp.partners[g] = make(explorer.Bits, fp.words)
		}
		fp.partners[g].Set(a.Loc)
	}
	for _, a := range p.Actors {
		for _, in := range a.Type.Code {
			if in.Op == spec.OpCall {
				add(in.Obj.Group, a)
			}
			for _, c := range in.Cases {
				add(c.Obj.Group, a)
			}
		}
	}
}

// crashSet adds what a crash writes: the actor's status, the robust locks
// it may hold, the wait sets it leaves.
func (fp *footprints) crashSet(w explorer.Bits) {
	for _, o := range fp.p.Objects {
		if (o.Kind == ast.KindLock && o.Mod == ast.Robust) || o.Kind == ast.KindCondition {
			w.Set(o.Loc)
		}
	}
}

// futureSets computes, for every pc of actor a, what the actor may touch
// from there on (and from its first instruction again, when it can be
// restarted after it ends there), and the locks whose first touch on every path is a blocking
// acquire. The step sets must be computed first. It takes time linear in
// the code: the futures are summed over the strongly connected components
// of the control flow graph, and each lock's acquire-first set is one
// backward pass.
func (fp *footprints) futureSets(a *spec.Actor, access [][2]explorer.Bits, restart bool) {
	code := a.Type.Code
	succs := successors(code, restart)
	comp, sums := fp.futureSums(a, access, succs)
	locks := fp.lockLocs(a)
	first := make([][]bool, len(locks))
	for i, l := range locks {
		first[i] = fp.acquireFirst(a, l, access, succs)
	}
	for pc := range code {
		fr, fw := fp.set(a.ID, pc, fpFutRead), fp.set(a.ID, pc, fpFutWrite)
		fr.Or(sums[comp[pc]][0])
		fw.Or(sums[comp[pc]][1])
		fr.Set(a.Loc)
		fw.Set(a.Loc)
		if a.Type.HasCrash {
			fp.crashSet(fw)
		}
		acq := fp.set(a.ID, pc, fpAcqFirst)
		for w := range acq {
			acq[w] |= ^(fr[w] | fw[w]) // never touched
		}
		for i, l := range locks {
			if first[i][pc] {
				acq.Set(l)
			}
		}
	}
}

// started marks the actors some actor may start.
func (p program) started() []bool {
	start := make([]bool, len(p.Actors))
	for _, at := range p.Types {
		for _, in := range at.Code {
			if in.Op == spec.OpStart {
				t := in.Actor.Type
				for i := 0; i < t.Count; i++ {
					start[t.First+i] = true
				}
			}
		}
	}
	return start
}

// actorSets computes actor a's footprints at each of its pcs.
func (p program) actorSets(fp *footprints, a *spec.Actor) {
	code := a.Type.Code
	fp.keyBase = append(fp.keyBase, fp.nkeys)
	fp.nkeys += len(code)
	fp.tables = append(fp.tables, make([]uint64, len(code)*fpSets*fp.words))
	fp.global = append(fp.global, make([]bool, len(code)))
	fp.ends = append(fp.ends, make([][]int, len(code)))
	access := make([][2]explorer.Bits, len(code)) // per instruction, for this instance
	for pc := range code {
		access[pc] = p.instanceAccess(a, &code[pc], fp.words)
	}
	for pc := range code {
		fp.stepSets(a, pc, access)
	}
	fp.futureSets(a, access, fp.start[a.ID] || a.Type.HasCrash)
}

// successors returns the control flow successors of each pc of code. An
// actor that can be restarted may go back to its first instruction from
// anywhere: it may end at any step (done, failed by an uncaught error or a
// fault, cancelled, crashed) and be started again.
func successors(code []spec.Instr, restart bool) func(int) []int {
	if !restart {
		return func(q int) []int { return code[q].Succs }
	}
	restartSuccs := make([][]int, len(code))
	return func(q int) []int {
		if restartSuccs[q] == nil {
			restartSuccs[q] = append(append([]int{}, code[q].Succs...), 0)
		}
		return restartSuccs[q]
	}
}

// futureSums returns the strongly connected component of each pc and,
// per component, every location its instructions and those it reaches
// read and write: each component's own accesses, then its successors',
// sinks first.
func (fp *footprints) futureSums(a *spec.Actor, access [][2]explorer.Bits, succs func(int) []int) ([]int, [][2]explorer.Bits) {
	code := a.Type.Code
	comp, n := components(len(code), succs)
	sums := make([][2]explorer.Bits, n)
	members := make([][]int, n)
	for c := range sums {
		sums[c] = [2]explorer.Bits{make(explorer.Bits, fp.words), make(explorer.Bits, fp.words)}
	}
	for q := range code {
		c := comp[q]
		members[c] = append(members[c], q)
		sums[c][0].Or(access[q][0])
		sums[c][1].Or(access[q][1])
		sums[c][0].Or(fp.set(a.ID, q, fpRead))
		sums[c][1].Or(fp.set(a.ID, q, fpWrite))
	}
	for c := range n {
		for _, q := range members[c] {
			for _, s := range succs(q) {
				if d := comp[s]; d != c {
					sums[c][0].Or(sums[d][0])
					sums[c][1].Or(sums[d][1])
				}
			}
		}
	}
	return comp, sums
}

// components numbers the strongly connected components of the graph of n
// nodes (Tarjan): comp gives each node's component. A component's number
// is larger than that of every other component it reaches, so counting up
// visits them sinks first.
func components(n int, succs func(int) []int) (comp []int, count int) {
	t := tarjan{succs: succs, comp: make([]int, n), index: make([]int, n), low: make([]int, n), onStack: make([]bool, n)}
	for i := range t.index {
		t.index[i] = -1
	}
	for v := range n {
		if t.index[v] < 0 {
			t.visit(v)
		}
	}
	return t.comp, t.count
}

// tarjan is the state of Tarjan's algorithm for strongly connected
// components.
type tarjan struct {
	succs            func(int) []int
	comp, index, low []int
	onStack          []bool
	stack            []int
	next, count      int
}

func (t *tarjan) visit(v int) {
	t.index[v], t.low[v] = t.next, t.next
	t.next++
	t.stack = append(t.stack, v)
	t.onStack[v] = true
	for _, w := range t.succs(v) {
		switch {
		case t.index[w] < 0:
			t.visit(w)
			t.low[v] = min(t.low[v], t.low[w])
		case t.onStack[w]:
			t.low[v] = min(t.low[v], t.index[w])
		}
	}
	if t.low[v] != t.index[v] {
		return
	}
	for {
		w := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.onStack[w] = false
		t.comp[w] = t.count
		if w == v {
			break
		}
	}
	t.count++
}

// lockLocs lists the lock locations actor a's code touches.
func (fp *footprints) lockLocs(a *spec.Actor) []int {
	var out []int
	seen := map[int]bool{}
	for _, in := range a.Type.Code {
		if in.Op != spec.OpCall || in.Obj.Group == nil || in.Obj.Group.Kind != ast.KindLock {
			continue
		}
		for _, l := range in.Access.Writes {
			if !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
	return out
}

// acquireFirst reports, for every pc, whether every path from pc (its own
// instruction included) touches lock location l first with a blocking
// acquire, or never. A pc is not so when its instruction touches l
// otherwise, or it does not touch l and some successor is not so: the
// greatest fixpoint, found by one backward pass from the bad touches.
func (fp *footprints) acquireFirst(a *spec.Actor, l int, access [][2]explorer.Bits, succs func(int) []int) []bool {
	code := a.Type.Code
	preds := make([][]int, len(code))
	for q := range code {
		for _, s := range succs(q) {
			preds[s] = append(preds[s], q)
		}
	}
	touches := func(q int) bool { return access[q][0].Has(l) || access[q][1].Has(l) }
	bad := make([]bool, len(code))
	var work []int
	for q := range code {
		in := &code[q]
		if touches(q) && !(in.Op == spec.OpCall && in.Method == spec.MAcquire && in.Mode == spec.ModeBlock) || eitherReads(code, q, touches) {
			bad[q] = true
			work = append(work, q)
		}
	}
	for len(work) > 0 {
		q := work[len(work)-1]
		work = work[:len(work)-1]
		for _, p := range preds[q] {
			if !bad[p] && !touches(p) {
				bad[p] = true
				work = append(work, p)
			}
		}
	}
	ok := make([]bool, len(code))
	for q := range code {
		ok[q] = !bad[q]
	}
	return ok
}

// eitherReads reports whether instruction q is an either one of whose
// branches starts by touching the lock: the either offers that branch or
// not by the lock's state, so it reads the lock without blocking on it
// (with the lock held, it takes another branch at once).
func eitherReads(code []spec.Instr, q int, touches func(int) bool) bool {
	if code[q].Op != spec.OpEither {
		return false
	}
	for _, t := range code[q].Targets {
		if touches(t) {
			return true
		}
	}
	return false
}

// watchInvariants records what the invariants read: locations, and per
// actor its status and the label pcs they test.
func (fp *footprints) watchInvariants(p *spec.Program) {
	fp.vars = make([]bool, len(p.Locs))
	fp.watch = make([]watch, len(p.Actors))
	for _, inv := range p.Invariant {
		for _, l := range inv.Reads {
			if l >= 0 {
				fp.vars[l] = true // for actors: start, cancel and crash change what it reads
			}
		}
		for _, l := range inv.ActorReads {
			fp.watch[p.Locs[l].Index].status = true
		}
		inv.Labels(func(at *spec.ActorType, l *spec.Label) {
			for i := 0; i < at.Count; i++ {
				w := &fp.watch[at.First+i]
				w.pcs = append(w.pcs, l.PCs...)
			}
		})
	}
}
