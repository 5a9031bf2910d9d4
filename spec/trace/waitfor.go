package trace

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dominikbraun/graph"

	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
	"github.com/interleave-dev/interleave/spec/machine"
)

// The wait-for graph of the actors blocked in a state: an edge from A to B
// when B holds what A waits for (a lock, a semaphore unit) or B is one of
// the only actors whose code could give it (set the event, notify the
// condition, put into the empty queue, receive from the channel, write
// what the await reads). A cycle in it is a circle of waiting, the heart
// of a deadlock; the headline names it.

// waitsFor is what a blocked actor waits for: the object or condition
// (what), and the actors that hold it or could give it (who).
type waitsFor struct {
	what  string
	who   []*spec.Actor
	holds bool // who hold what (else: only who can give it)
}

// waitFor says what actor a, blocked at in in state s, waits for. A lock
// held by a itself, when a crashed and was started again since, is held
// by its dead incarnation: nobody can give it back.
func (p program) waitFor(s []byte, a *spec.Actor, in *spec.Instr, holders map[*spec.Object][]*spec.Actor, crashed map[*spec.Actor]bool) waitsFor {
	if in.Op == spec.OpAwait {
		return waitsFor{what: strings.TrimPrefix(in.Text, "await "), who: p.writers(a, in.Access.Reads)}
	}
	if in.Op != spec.OpCall {
		return waitsFor{}
	}
	f := spec.Frame{S: s, A: a}
	o := in.Obj.Resolve(p.Program, &f)
	if o == nil {
		return waitsFor{}
	}
	switch o.Kind {
	case ast.KindLock:
		if id := int(o.OwnerID(s)); id != 0 {
			return p.heldLock(a, o, p.Actors[id-1], crashed)
		}
	case ast.KindSemaphore:
		// Units are given back by whoever releases them: the holders of a
		// semaphore used as a lock, the consumers of one that counts slots.
		givers := p.givers(a, o, in.Method)
		var held []*spec.Actor
		for _, h := range holders[o] {
			if slices.Contains(givers, h) && !slices.Contains(held, h) {
				held = append(held, h)
			}
		}
		if len(held) > 0 {
			return waitsFor{what: o.Name, who: held, holds: true}
		}
		return waitsFor{what: o.Name, who: givers}
	case ast.KindCondition:
		if in.Method == spec.MReacquire && !o.Waiting(s, a) {
			lk := p.Objects[o.Lock]
			if id := int(lk.OwnerID(s)); id != 0 {
				return waitsFor{what: lk.Name, who: []*spec.Actor{p.Actors[id-1]}, holds: true}
			}
		}
	}
	return waitsFor{what: o.Name, who: p.givers(a, o, in.Method)}
}

// heldLock is a wait for lock o, held by owner: nobody can give it back
// when the owner is a itself, crashed and started again since.
func (p program) heldLock(a *spec.Actor, o *spec.Object, owner *spec.Actor, crashed map[*spec.Actor]bool) waitsFor {
	if owner == a && crashed[a] {
		return waitsFor{what: o.Name, holds: true}
	}
	return waitsFor{what: o.Name, who: []*spec.Actor{owner}, holds: true}
}

// givers are the actors other than a whose code could let an operation
// m on object o go on: the operations that free it.
func (p program) givers(a *spec.Actor, o *spec.Object, m spec.Method) []*spec.Actor {
	frees := map[spec.Method][]spec.Method{
		spec.MWait:      {spec.MSet, spec.MNotify, spec.MNotifyAll, spec.MDone},
		spec.MReacquire: {spec.MNotify, spec.MNotifyAll},
		spec.MGet:       {spec.MPut, spec.MClose, spec.MShutdown},
		spec.MPut:       {spec.MGet, spec.MClose, spec.MShutdown},
		spec.MSend:      {spec.MRecv, spec.MClose},
		spec.MRecv:      {spec.MSend, spec.MClose},
		spec.MAcquire:   {spec.MRelease},
	}[m]
	return p.actorsWith(a, func(in *spec.Instr) bool {
		if in.Op == spec.OpSelect {
			for _, c := range in.Cases {
				if !c.Default && c.Obj.Group == o.Group && (c.Send && m == spec.MRecv || !c.Send && m == spec.MSend) {
					return true
				}
			}
		}
		return in.Op == spec.OpCall && sameObjects(in.Obj.Group, o.Group) && slices.Contains(frees, in.Method)
	})
}

// sameObjects reports whether two object references may name one object:
// the same group, or element views of one array.
func sameObjects(g, h *spec.Group) bool {
	return g == h || g != nil && h != nil && g.First <= h.First && h.First < g.First+g.Count || g != nil && h != nil && h.First <= g.First && g.First < h.First+h.Count
}

// writers are the actors other than a whose code writes one of locations
// ls, or whose status is one of them (an actor ends, crashes or starts).
func (p program) writers(a *spec.Actor, ls []int) []*spec.Actor {
	var out []*spec.Actor
	for _, l := range ls {
		if l >= 0 && p.Locs[l].Kind == spec.LocActor && p.Locs[l].Index != a.ID {
			out = append(out, p.Actors[p.Locs[l].Index])
		}
	}
	for _, b := range p.actorsWith(a, func(in *spec.Instr) bool {
		for _, w := range in.Access.Writes {
			if slices.Contains(ls, w) {
				return true
			}
		}
		return false
	}) {
		if !slices.Contains(out, b) {
			out = append(out, b)
		}
	}
	return out
}

// actorsWith lists the actors other than a with an instruction for which
// has is true.
func (p program) actorsWith(a *spec.Actor, has func(*spec.Instr) bool) []*spec.Actor {
	var out []*spec.Actor
	for _, b := range p.Actors {
		if b == a {
			continue
		}
		for i := range b.Type.Code {
			if has(&b.Type.Code[i]) {
				out = append(out, b)
				break
			}
		}
	}
	return out
}

// waitCycle returns the circle of waiting among the blocked actors of s,
// as a sentence, or "" when there is none.
func (p program) waitCycle(s []byte, trace [][]byte, steps []machine.Step) string {
	holders, crashed := p.semHolders(trace, steps), crashes(steps)
	waits := map[string]waitsFor{}
	g := graph.New(graph.StringHash, graph.Directed())
	var names []string
	for _, a := range p.Actors {
		if a.Running(s) {
			_ = g.AddVertex(a.Name)
			names = append(names, a.Name)
		}
	}
	for _, a := range p.Actors {
		if !a.Running(s) {
			continue
		}
		w := p.waitFor(s, a, &a.Type.Code[a.PC(s)], holders, crashed)
		waits[a.Name] = w
		for _, b := range w.who {
			if b.Running(s) {
				_ = g.AddEdge(a.Name, b.Name)
			}
		}
	}
	cycle := findCycle(g, names)
	if len(cycle) == 0 {
		return ""
	}
	parts := make([]string, len(cycle))
	for i, a := range cycle {
		next := cycle[(i+1)%len(cycle)]
		w := waits[a]
		if w.holds {
			parts[i] = fmt.Sprintf("%s waits for %s, held by %s", a, w.what, next)
		} else {
			parts[i] = fmt.Sprintf("%s waits for %s, which only %s can give", a, w.what, joinAnd(actorNames(w.who)))
		}
	}
	return strings.Join(parts, "; ")
}

// findCycle returns a shortest cycle through the first vertex, in the
// order of names, that lies on one; ties go to the earlier names, so the
// sentence is the same on every run.
func findCycle(g graph.Graph[string, string], names []string) []string {
	adj, err := g.AdjacencyMap()
	if err != nil {
		return nil
	}
	rank := map[string]int{}
	for i, n := range names {
		rank[n] = i
	}
	succ := func(v string) []string {
		var out []string
		for w := range adj[v] {
			out = append(out, w)
		}
		slices.SortFunc(out, func(a, b string) int { return rank[a] - rank[b] })
		return out
	}
	for _, v := range names {
		if cycle := cycleThrough(v, succ); cycle != nil {
			return cycle
		}
	}
	return nil
}

// cycleThrough returns a shortest cycle through v, breadth-first from
// v's successors back to v (v first), or nil.
func cycleThrough(v string, succ func(string) []string) []string {
	prev := map[string]string{}
	var queue []string
	visit := func(from, w string) {
		if _, ok := prev[w]; !ok {
			prev[w] = from
			queue = append(queue, w)
		}
	}
	for _, w := range succ(v) {
		visit(v, w)
	}
	for ; len(queue) > 0; queue = queue[1:] {
		u := queue[0]
		if u == v {
			var cycle []string
			for x := prev[v]; x != v; x = prev[x] {
				cycle = append(cycle, x)
			}
			cycle = append(cycle, v)
			slices.Reverse(cycle)
			return cycle
		}
		for _, w := range succ(u) {
			visit(u, w)
		}
	}
	return nil
}

// crashes lists the actors that crashed in a trace.
func crashes(steps []machine.Step) map[*spec.Actor]bool {
	out := map[*spec.Actor]bool{}
	for _, st := range steps {
		if st.Crash {
			out[st.Actor] = true
		}
	}
	return out
}

// givenBy says who alone could give what an actor waits for.
func givenBy(who []*spec.Actor) string {
	if len(who) == 0 {
		return "; no other actor can change that"
	}
	return "; only " + joinAnd(actorNames(who)) + " can change that"
}

func actorNames(as []*spec.Actor) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Name
	}
	return out
}
