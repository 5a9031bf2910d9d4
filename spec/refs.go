package spec

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/interleave-dev/interleave/spec/ast"
)

// labelRef is a use of Actor@label, resolved once every body is lowered.
type labelRef struct {
	at    *ActorType
	name  *ast.Ident
	label **Label
}

// actorRef resolves A or A[i] to an actor type and an optional index.
// ok is false when e does not name an actor; an error has been reported
// when it names one wrongly.
func (c *checker) actorRef(e ast.Expr, en *env) (at *ActorType, ix *texpr, isActor, ok bool) {
	var id *ast.Ident
	var ie ast.Expr
	switch x := e.(type) {
	case *ast.Ident:
		id = x
	case *ast.IndexExpr:
		if i, ok := x.X.(*ast.Ident); ok {
			id, ie = i, x.Index
		}
	}
	if id == nil || c.shadowed(id.Name, en) {
		return nil, nil, false, false
	}
	s := c.names[id.Name]
	if s == nil || s.kind != symActor {
		return nil, nil, false, false
	}
	at = s.actor
	if ie == nil {
		return at, nil, true, true
	}
	if !at.Array {
		c.errorf(id.NamePos, "%s is a single actor: it has no index", at.Name)
		return at, nil, true, false
	}
	ix = c.intExpr(ie, en, "an actor index")
	if ix == nil {
		return at, nil, true, false
	}
	if ix.konst && (ix.val < 0 || ix.val >= at.Count) {
		c.errorf(ie.Pos(), "index %d is out of range: %s has instances 0..%d", ix.val, at.Name, at.Count-1)
		return at, nil, true, false
	}
	return at, ix, true, true
}

// actorPick compiles the choice of one actor instance: it returns a
// function giving the instance (nil after a fault) and the locations read.
func (c *checker) actorPick(at *ActorType, ix *texpr, pos ast.Pos, use string) (func(f *Frame) *Actor, []int, bool) {
	p := c.prog
	if ix == nil && at.Array {
		c.errorf(pos, "%s has %d instances: write %s[i]%s", at.Name, at.Count, at.Name, use)
		return nil, nil, false
	}
	if ix == nil || ix.konst {
		i := 0
		if ix != nil {
			i = ix.val
		}
		a := p.Actors[at.First+i]
		return func(*Frame) *Actor { return a }, []int{a.Loc}, true
	}
	var reads []int
	for i := 0; i < at.Count; i++ {
		reads = append(reads, p.Actors[at.First+i].Loc)
	}
	ie, first, n, name := ix.eval, at.First, at.Count, at.Name
	reads = union(reads, []int{faultLoc})
	return func(f *Frame) *Actor {
		i := ie(f)
		if i < 0 || i >= n {
			f.FaultOf(FaultIndex, pos, "", name, i, nil)
			return nil
		}
		return p.Actors[first+i]
	}, union(reads, ix.reads), true
}

var actorFields = map[string]int{
	"done": Done, "crashed": Crashed, "alive": Running, "cancelled": Cancelled, "failed": Failed,
}

func (c *checker) selector(e *ast.SelectorExpr, en *env) *texpr {
	if at, ix, isActor, ok := c.actorRef(e.X, en); isActor {
		if !ok {
			return nil
		}
		want, known := actorFields[e.Sel.Name]
		if !known {
			c.errorf(e.Sel.NamePos, "actor %s has no field %s (it has done, crashed, alive, cancelled, failed)", at.Name, e.Sel.Name)
			return nil
		}
		if en.konstOnly {
			c.errorf(e.Pos(), "not a constant expression")
			return nil
		}
		pick, reads, ok := c.actorPick(at, ix, e.Pos(), "."+e.Sel.Name)
		if !ok {
			return nil
		}
		for _, r := range reads {
			if r >= 0 {
				c.statusReads = append(c.statusReads, r)
			}
		}
		return &texpr{t: boolType, reads: reads, pos: e.Pos(), eval: statusEval(pick, want)}
	}
	if g := c.groupOf(e.X); g != nil && !c.shadowedRef(e.X, en) {
		if _, ok := methods[g.Kind][e.Sel.Name]; ok {
			c.errorf(e.Sel.NamePos, "%s is a method of %s: write %s.%s()", e.Sel.Name, g.Kind, g.Name, e.Sel.Name)
		} else {
			c.noMethod(g, e.Sel)
		}
		return nil
	}
	if x := c.expr(e.X, en); x != nil {
		c.errorf(e.Sel.NamePos, "%s has no field %s", x.t, e.Sel.Name)
	}
	return nil
}

func (c *checker) shadowedRef(x ast.Expr, en *env) bool {
	if ix, ok := x.(*ast.IndexExpr); ok {
		x = ix.X
	}
	id, ok := x.(*ast.Ident)
	return ok && c.shadowed(id.Name, en)
}

func (c *checker) noMethod(g *Group, sel *ast.Ident) {
	var names []string
	for n := range methods[g.Kind] {
		names = append(names, n)
	}
	sort.Strings(names)
	msg := "%s %s has no method %s"
	if alt := c.suggest(sel.Name, names); alt != "" {
		c.errorf(sel.NamePos, msg+" (did you mean %s?)", g.Kind, g.Name, sel.Name, alt)
		return
	}
	c.errorf(sel.NamePos, msg+" (it has %s)", g.Kind, g.Name, sel.Name, strings.Join(names, ", "))
}

// objectRef resolves q or q[i] to an object reference.
func (c *checker) objectRef(x ast.Expr, en *env) (ref ObjRef, reads, locs []int, ok bool) {
	g := c.groupOf(x)
	if g == nil || c.shadowedRef(x, en) {
		return ref, nil, nil, false
	}
	ref = ObjRef{Group: g, Pos: x.Pos()}
	ix, indexed := x.(*ast.IndexExpr)
	switch {
	case !indexed && g.Array:
		c.errorf(x.Pos(), "%s is an array of %d %ss: index it", g.Name, g.Count, g.Kind)
		return ref, nil, nil, false
	case indexed && !g.Array:
		c.errorf(ix.Lbrack, "%s is a single %s: it has no index", g.Name, g.Kind)
		return ref, nil, nil, false
	case !indexed:
		return ref, nil, []int{c.prog.Objects[g.First].Loc}, true
	}
	i := c.intExpr(ix.Index, en, "an object index")
	if i == nil {
		return ref, nil, nil, false
	}
	if i.konst {
		if i.val < 0 || i.val >= g.Count {
			c.errorf(ix.Index.Pos(), "index %d is out of range: %s has elements 0..%d", i.val, g.Name, g.Count-1)
			return ref, nil, nil, false
		}
		// A constant index names one object: resolve it now.
		ref.Group = c.elementGroup(g, i.val)
		return ref, nil, []int{c.prog.Objects[g.First+i.val].Loc}, true
	}
	ref.Index = i.eval
	ref.Static = len(i.reads) == 0 && len(en.quants) == 0
	ref.Pos = ix.Lbrack
	reads = i.reads
	if !ref.Static {
		reads = union(reads, []int{faultLoc})
	}
	return ref, reads, c.elementLocs(g), true
}

// elementLocs returns the locations of every object of group g.
func (c *checker) elementLocs(g *Group) []int {
	locs := make([]int, g.Count)
	for k := range locs {
		locs[k] = c.prog.Objects[g.First+k].Loc
	}
	return locs
}

// elementGroup returns a one-object view of element i of an array of
// objects, so that a constant index resolves without evaluation.
func (c *checker) elementGroup(g *Group, i int) *Group {
	key := elemKey{g, i}
	if c.elems == nil {
		c.elems = make(map[elemKey]*Group)
	}
	if e, ok := c.elems[key]; ok {
		return e
	}
	e := &Group{Name: c.prog.Objects[g.First+i].Name, Kind: g.Kind, Mod: g.Mod, Count: 1, First: g.First + i, Pos: g.Pos}
	c.elems[key] = e
	return e
}

type elemKey struct {
	g *Group
	i int
}

func (c *checker) callExpr(e *ast.CallExpr, en *env) *texpr {
	switch fun := e.Fun.(type) {
	case *ast.Ident:
		return c.fnCall(e, fun, en)
	case *ast.SelectorExpr:
		if ref, reads, locs, ok := c.objectRef(fun.X, en); ok {
			return c.methodCall(e, fun.Sel, ref, reads, locs, en)
		}
		if g := c.groupOf(fun.X); g != nil && !c.shadowedRef(fun.X, en) {
			return nil // objectRef reported it
		}
		if at, _, isActor, _ := c.actorRef(fun.X, en); isActor {
			c.errorf(fun.Sel.NamePos, "actor %s has no methods; use start %s or cancel %s", at.Name, at.Name, at.Name)
			return nil
		}
		if x := c.expr(fun.X, en); x != nil {
			c.errorf(fun.Sel.NamePos, "%s has no method %s", x.t, fun.Sel.Name)
		}
		return nil
	}
	c.errorf(e.Pos(), "cannot call this expression")
	return nil
}

// Bounds on the expansion of fns, which are macros: how deep they nest and
// how many expansions a spec may take in all.
const (
	maxFnDepth      = 64
	maxFnExpansions = 1 << 16
)

// expandFn counts one more expansion of fn id inside the fns being
// expanded in en and returns the chain of them, or reports why it cannot
// be expanded: it calls itself, nests too deep, or the spec's expansions
// are used up.
func (c *checker) expandFn(id *ast.Ident, en *env) ([]string, bool) {
	chain := append(slices.Clone(en.fns), id.Name)
	switch {
	case slices.Contains(en.fns, id.Name):
		c.errorf(id.NamePos, "fn %s calls itself (%s): fns are expanded where they are used, so they cannot recurse", id.Name, strings.Join(chain, " -> "))
		return nil, false
	case len(chain) > maxFnDepth:
		c.errorf(id.NamePos, "fns nested more than %d deep (%s)", maxFnDepth, strings.Join(chain, " -> "))
		return nil, false
	case c.fnExpansions >= maxFnExpansions:
		if c.fnExpansions == maxFnExpansions {
			c.errorf(id.NamePos, "fns expand more than 65,536 times in this spec; the last expansion was %s", strings.Join(chain, " -> "))
			c.fnExpansions++
		}
		return nil, false
	}
	c.fnExpansions++
	return chain, true
}

// fnCall expands an expression macro with its arguments.
func (c *checker) fnCall(e *ast.CallExpr, id *ast.Ident, en *env) *texpr {
	s := c.names[id.Name]
	if s == nil && (id.Name == "min" || id.Name == "max") && !c.shadowed(id.Name, en) {
		return c.minMax(e, id, en)
	}
	if c.shadowed(id.Name, en) || s == nil {
		if s == nil {
			c.undefined(id, c.visibleNames(en))
		} else {
			c.errorf(id.NamePos, "%s is not a fn", id.Name)
		}
		return nil
	}
	switch s.kind {
	case symFn:
	case symProc:
		c.errorf(id.NamePos, "%s is a proc: run it with call %s(...)", id.Name, id.Name)
		return nil
	default:
		c.errorf(id.NamePos, "%s is a %s, not a fn", id.Name, c.describe(s))
		return nil
	}
	d := s.fn
	if len(e.Args) != len(d.Params) {
		c.errorf(e.Lparen, "%s takes %s, got %d", id.Name, plural(len(d.Params), "argument"), len(e.Args))
		return nil
	}
	chain, ok := c.expandFn(id, en)
	if !ok {
		return nil
	}
	inner := &env{konstOnly: en.konstOnly, actor: en.actor, invariant: en.invariant,
		params: make(map[string]*texpr), fns: chain}
	for i, p := range d.Params {
		a := c.expr(e.Args[i], en)
		if a == nil {
			return nil
		}
		pt := c.typ(p.Type)
		if a.call != nil {
			c.effectInExpr(a)
			return nil
		}
		if !assignable(pt.Scalar(), a.t) || pt.Kind == TArray {
			c.errorf(e.Args[i].Pos(), "argument %d of %s must be %s, not %s", i+1, id.Name, pt, a.t)
			return nil
		}
		inner.params[p.Name.Name] = a
	}
	x := c.expr(d.Body, inner)
	if x == nil {
		return nil
	}
	out := *x
	out.pos = e.Pos()
	return &out
}

// minMax compiles the builtins min(a, b) and max(a, b).
func (c *checker) minMax(e *ast.CallExpr, id *ast.Ident, en *env) *texpr {
	if len(e.Args) != 2 {
		c.errorf(e.Lparen, "%s takes 2 arguments, got %d", id.Name, len(e.Args))
		return nil
	}
	x, y := c.intExpr(e.Args[0], en, "an argument of "+id.Name), c.intExpr(e.Args[1], en, "an argument of "+id.Name)
	if x == nil || y == nil {
		return nil
	}
	xe, ye := x.eval, y.eval
	less := id.Name == "min"
	out := &texpr{t: intType, reads: union(x.reads, y.reads), pos: e.Pos(), eval: func(f *Frame) int {
		a, b := xe(f), ye(f)
		if (a < b) == less {
			return a
		}
		return b
	}}
	if x.konst && y.konst {
		return konst(out.eval(&Frame{}), intType, e.Pos())
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func (c *checker) at(e *ast.AtExpr, en *env) *texpr {
	at, ix, isActor, ok := c.actorRef(e.X, en)
	if !isActor {
		c.errorf(e.X.Pos(), "@%s needs an actor on its left", e.Label.Name)
		return nil
	}
	if !ok {
		return nil
	}
	if en.konstOnly {
		c.errorf(e.Pos(), "not a constant expression")
		return nil
	}
	pick, reads, ok := c.actorPick(at, ix, e.Pos(), "@"+e.Label.Name)
	if !ok {
		return nil
	}
	lb := new(*Label)
	c.labels = append(c.labels, labelRef{at: at, name: e.Label, label: lb})
	return &texpr{t: boolType, reads: reads, pos: e.Pos(), eval: func(f *Frame) int {
		a := pick(f)
		if a == nil {
			return 0
		}
		return boolInt(int(a.Status(f.S)) == Running && (*lb).Has(a.PC(f.S)))
	}}
}

func (c *checker) resolveLabels() {
	for _, l := range c.labels {
		lb, ok := l.at.Labels[l.name.Name]
		if !ok {
			var names []string
			for n := range l.at.Labels {
				names = append(names, n)
			}
			if alt := c.suggest(l.name.Name, names); alt != "" {
				c.errorf(l.name.NamePos, "actor %s has no label %s (did you mean %s?)", l.at.Name, l.name.Name, alt)
			} else {
				c.errorf(l.name.NamePos, "actor %s has no label %s", l.at.Name, l.name.Name)
			}
			continue
		}
		*l.label = lb
	}
}

// statusEval tests whether the actor pick names has status want.
func statusEval(pick func(f *Frame) *Actor, want int) Eval {
	return func(f *Frame) int {
		a := pick(f)
		if a == nil {
			return 0
		}
		return boolInt(int(a.Status(f.S)) == want)
	}
}
