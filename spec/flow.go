package spec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/interleave-dev/interleave/spec/ast"
)

// finish resolves labels to pcs and analyses the finished code: where an
// actor can stand, what each instruction reads and writes, blocking inside
// atomic blocks, loops that take no step, and which locals are dead at each
// resting point.
func (l *lowerer) finish() {
	code := l.code
	res := func(label int) int { return l.labels[label] }
	for pc := range code {
		in := &code[pc]
		if in.Next == -1 {
			in.Next = pc + 1
		}
		switch in.Op {
		case OpJump:
			if in.Target == -1 {
				in.Target = pc + 1
			} else {
				in.Target = res(in.Target)
			}
		case OpBranch, OpFinally:
			in.Target = res(in.Target)
		case OpCatch:
			if in.Slot >= 0 {
				in.Target = res(in.Target)
			}
		}
		if in.Handler >= 0 {
			in.Handler = res(in.Handler)
		}
		for i := range in.Targets {
			in.Targets[i] = res(in.Targets[i])
		}
		for i := range in.Exits {
			in.Exits[i] = res(in.Exits[i])
		}
		for i := range in.Cases {
			in.Cases[i].Body = res(in.Cases[i].Body)
		}
		for i := range in.Catch {
			in.Catch[i].Body = res(in.Catch[i].Body)
		}
		l.splitAccess(in)
	}
	l.at.Code = code
	l.at.End = len(code) - 1
	l.at.PCWidth = 1
	if len(code) > 255 {
		l.at.PCWidth = 2
	}
	for pc := range code {
		code[pc].Succs = l.succs(pc)
	}
	l.resolveLabelPCs()
	l.checkAtomic()
	if len(l.c.errs) == l.errs {
		// A statement that failed to lower may have emptied a loop.
		l.checkStepless()
	}
	l.deadLocals()
}

// splitAccess separates the locals an instruction reads and writes from
// the shared locations, and decides whether it is a step.
func (l *lowerer) splitAccess(in *Instr) {
	var shared []int
	for _, r := range in.Access.Reads {
		switch {
		case r == faultLoc:
			in.MayFault = true
		case r < 0:
			in.uses = append(in.uses, -r-1)
		default:
			shared = append(shared, r)
		}
	}
	for _, lv := range in.LHS {
		for _, r := range lv.reads {
			switch {
			case r == faultLoc:
				in.MayFault = true
			case r < 0:
				in.uses = append(in.uses, -r-1)
			default:
				shared = union(shared, []int{r})
			}
		}
		if lv.Local {
			in.defs = append(in.defs, lv.Off)
		} else {
			in.Access.Writes = union(in.Access.Writes, []int{lv.Loc})
		}
	}
	for _, c := range in.Cases {
		for _, lv := range c.LHS {
			if lv.Local {
				in.defs = append(in.defs, lv.Off)
			} else {
				in.Access.Writes = union(in.Access.Writes, []int{lv.Loc})
			}
		}
	}
	for _, a := range in.Catch {
		in.defs = append(in.defs, a.Slot)
	}
	if in.Op == OpCatch && in.Slot >= 0 {
		in.defs = append(in.defs, in.Slot)
	}
	in.Access.Reads = shared
	in.Shared = len(shared) > 0 || len(in.Access.Writes) > 0
	switch in.Op {
	case OpJump, OpProgress, OpCatch, OpFinally:
		in.Rest = false
	case OpBranch, OpBind:
		in.Rest = in.Shared
	default:
		in.Rest = true
	}
}

// succs lists the instructions control can reach from pc, including the
// handler an error raised there goes to.
func (l *lowerer) succs(pc int) []int {
	in := &l.code[pc]
	var out []int
	switch in.Op {
	case OpJump:
		return []int{in.Target}
	case OpBranch:
		out = []int{in.Next, in.Target}
	case OpEither:
		return append(out, in.Targets...)
	case OpSelect:
		for _, c := range in.Cases {
			out = append(out, c.Body)
		}
	case OpCatch:
		for _, a := range in.Catch {
			out = append(out, a.Body)
		}
		if in.Slot >= 0 {
			out = append(out, in.Target)
		}
	case OpFinally:
		out = append([]int{in.Target}, in.Exits...)
	case OpEnd:
		return nil
	case OpRaise:
	default:
		out = []int{in.Next}
	}
	if in.Handler >= 0 && (in.Rest || in.Op == OpRaise || in.Op == OpCatch || in.Op == OpFinally) {
		out = append(out, in.Handler)
	}
	return out
}

// resolveLabelPCs gives each label the resting points of the statement it
// stands before: an actor is at the label wherever inside the statement it
// stands (at the wait or at the reacquire of a cv.wait(), in any step of
// a block).
func (l *lowerer) resolveLabelPCs() {
	for name, start := range l.labelAt {
		lb := &Label{Name: name, in: make([]bool, len(l.code))}
		for pc := start; pc < l.labelEnd[name]; pc++ {
			if l.code[pc].Rest && l.code[pc].Op != OpEnd {
				lb.PCs = append(lb.PCs, pc)
				lb.in[pc] = true
			}
		}
		if len(lb.PCs) == 0 {
			l.c.errorf(l.code[start].Pos, "label %s must stand before a statement that takes a step", name)
			continue
		}
		l.at.Labels[name] = lb
	}
}

// heads returns the resting instructions reachable from pc without taking
// a step.
func (l *lowerer) heads(pc int) map[int]bool {
	out := map[int]bool{}
	seen := map[int]bool{}
	var walk func(pc int)
	walk = func(pc int) {
		if seen[pc] {
			return
		}
		seen[pc] = true
		in := &l.code[pc]
		if in.Rest {
			out[pc] = true
			if in.Op != OpEither {
				return
			}
		}
		for _, s := range in.Succs {
			if in.Op == OpEither || s != in.Handler {
				walk(s)
			}
		}
	}
	walk(pc)
	return out
}

// checkAtomic reports blocking statements inside an atomic block that are
// not where the block starts: once it has begun, an atomic block runs to its
// end.
func (l *lowerer) checkAtomic() {
	for id := 1; id < len(l.regions); id++ {
		entry := l.regions[id]
		if entry >= len(l.code) || l.code[entry].Atomic != id {
			continue
		}
		heads := l.heads(entry)
		for pc := range l.code {
			in := &l.code[pc]
			if in.Atomic != id || !in.Blocking || heads[pc] {
				continue
			}
			if in.Method == MReacquire {
				l.c.errorf(in.Pos, "%s blocks to re-take its lock: it cannot stand inside atomic", in.Text)
			} else {
				l.c.errorf(in.Pos, "%s may block: inside atomic only the first statement may block", in.Text)
			}
		}
	}
}

// checkStepless reports loops made only of jumps and tests of locals that
// nothing in the loop changes: an actor would spin in them forever without
// taking a step. (A loop that counts a local, as a for loop does, ends; the
// interpreter bounds such runs.)
func (l *lowerer) checkStepless() {
	const (
		white = iota
		grey
		black
	)
	color := make([]uint8, len(l.code))
	var visit func(pc int) bool
	visit = func(pc int) bool {
		color[pc] = grey
		in := &l.code[pc]
		for _, s := range in.Succs {
			if s == in.Handler || l.code[s].Rest || len(l.code[s].defs) > 0 {
				continue
			}
			if color[s] == grey {
				l.c.errorf(l.code[s].Pos, "this loop takes no step: an actor would run it forever without anyone seeing (test a shared variable, or add a statement)")
				return true
			}
			if color[s] == white && visit(s) {
				return true
			}
		}
		color[pc] = black
		return false
	}
	for pc := range l.code {
		if color[pc] == white && !l.code[pc].Rest && visit(pc) {
			return
		}
	}
}

// deadLocals computes, for every resting instruction, which locals are
// dead there (no path reads them before writing them) and stores the mask
// that zeroes them, so that states differing only in dead values are one.
func (l *lowerer) deadLocals() {
	n := l.at.LocalSize
	if n == 0 {
		return
	}
	liveIn := l.liveLocals(n)
	for pc := range l.code {
		in := &l.code[pc]
		if !in.Rest {
			continue
		}
		in.Clear = make([]byte, n)
		for i, live := range liveIn[pc] {
			if live {
				in.Clear[i] = 0xff
			}
		}
	}
}

// liveLocals computes, per pc, which of the n bytes of locals are live on
// entry: a backward dataflow to a fixpoint.
func (l *lowerer) liveLocals(n int) [][]bool {
	code := l.code
	liveIn := make([][]bool, len(code))
	for i := range liveIn {
		liveIn[i] = make([]bool, n)
	}
	width := make(map[int]int)
	for _, loc := range l.at.Locals {
		width[loc.Off] = loc.Type.Width()
	}
	out := make([]bool, n)
	for changed := true; changed; {
		changed = false
		for pc := len(code) - 1; pc >= 0; pc-- {
			liveAt(&code[pc], liveIn, out, width)
			for i := range out {
				if out[i] != liveIn[pc][i] {
					liveIn[pc][i] = out[i]
					changed = true
				}
			}
		}
	}
	return liveIn
}

// liveAt computes into out what is live on entry to in. Live out along
// normal edges loses what the instruction defines; along the handler edge
// the definition has not happened, so nothing is killed.
func liveAt(in *Instr, liveIn [][]bool, out []bool, width map[int]int) {
	mark := func(off int, v bool) {
		for i := 0; i < width[off]; i++ {
			out[off+i] = v
		}
	}
	clear(out)
	for _, s := range in.Succs {
		if s == in.Handler && in.Op != OpCatch {
			continue
		}
		for i, v := range liveIn[s] {
			out[i] = out[i] || v
		}
	}
	for _, d := range in.defs {
		mark(d, false)
	}
	for _, u := range in.uses {
		mark(u, true)
	}
	if in.Handler >= 0 {
		for i, v := range liveIn[in.Handler] {
			out[i] = out[i] || v
		}
	}
}

// checkProperties compiles invariants and liveness properties.
func (c *checker) checkProperties(only []string) {
	var names []string
	for _, d := range c.file.Decls {
		switch d := d.(type) {
		case *ast.InvariantDecl:
			names = append(names, d.Name.Name)
			nlabels, nstatus := len(c.labels), len(c.statusReads)
			x := c.boolExpr(d.Cond, &env{invariant: true}, "an invariant")
			if x == nil {
				continue
			}
			if !selected(only, d.Name.Name, true) {
				c.prog.LeftOut = append(c.prog.LeftOut, d.Name.Name)
				continue
			}
			c.prog.Invariant = append(c.prog.Invariant, &Invariant{Name: d.Name.Name, Pos: d.Name.NamePos,
				Text: c.bracedText(d.Lbrace, d.Rbrace), Cond: x.eval, Reads: x.reads, labels: c.labels[nlabels:],
				ActorReads: c.statusReads[nstatus:]})
		case *ast.LivenessDecl:
			names = append(names, d.Name.Name)
			f := c.formula(d.Formula)
			if f == nil {
				continue
			}
			if !selected(only, d.Name.Name, false) {
				c.prog.LeftOut = append(c.prog.LeftOut, d.Name.Name)
				continue
			}
			c.prog.Liveness = append(c.prog.Liveness, &Liveness{Name: d.Name.Name, Pos: d.Name.NamePos,
				Text: c.bracedText(d.Lbrace, d.Rbrace), Formula: f})
		}
	}
	c.checkOnly(only, names)
}

// checkOnly reports the names of --only that name no property.
func (c *checker) checkOnly(only, names []string) {
	for _, n := range only {
		if n == OnlySafety || slices.Contains(names, n) {
			continue
		}
		msg := fmt.Sprintf("--only %s: the spec has no property %s", n, n)
		if alt := c.suggest(n, names); alt != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", alt)
		} else if len(names) > 0 {
			msg += " (it has " + strings.Join(names, ", ") + ")"
		}
		c.errorf(ast.Pos{}, "%s", msg) // a flag, not a place in the file
	}
}

// OnlySafety in Options.Only selects every invariant and no liveness
// property.
const OnlySafety = "safety"

// selected reports whether the property name is checked under only: every
// property when only is empty; else those it names, and every invariant
// when it names OnlySafety.
func selected(only []string, name string, invariant bool) bool {
	return len(only) == 0 || slices.Contains(only, name) || (invariant && slices.Contains(only, OnlySafety))
}

// formula checks a liveness formula: temporal operators over state
// predicates and progress.
func (c *checker) formula(e ast.Expr) *Formula {
	switch e := e.(type) {
	case *ast.ProgressExpr:
		return &Formula{Progress: true}
	case *ast.UnaryExpr:
		if e.Op == "always" || e.Op == "eventually" || (e.Op == "!" && temporal(e.X)) {
			x := c.formula(e.X)
			if x == nil {
				return nil
			}
			return &Formula{Op: e.Op, X: x}
		}
	case *ast.BinaryExpr:
		if (e.Op == "->" || e.Op == "&&" || e.Op == "||") && (temporal(e.X) || temporal(e.Y)) {
			x, y := c.formula(e.X), c.formula(e.Y)
			if x == nil || y == nil {
				return nil
			}
			return &Formula{Op: e.Op, X: x, Y: y}
		}
	}
	x := c.boolExpr(e, &env{invariant: true}, "a liveness formula")
	if x == nil {
		return nil
	}
	return &Formula{Pred: x.eval, Text: collapse(string(c.file.Src[e.Start().Offset:e.End().Offset]))}
}

// temporal reports whether an expression uses always, eventually or
// progress.
func temporal(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.ProgressExpr:
		return true
	case *ast.UnaryExpr:
		return e.Op == "always" || e.Op == "eventually" || temporal(e.X)
	case *ast.BinaryExpr:
		return temporal(e.X) || temporal(e.Y)
	}
	return false
}

// bracedText returns the source between two braces as one line.
func (c *checker) bracedText(lbrace, rbrace ast.Pos) string {
	return collapse(string(c.file.Src[lbrace.Offset+1 : rbrace.Offset]))
}
