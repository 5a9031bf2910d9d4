package spec

import (
	"github.com/interleave-dev/interleave/spec/ast"
)

// try lowers try/catch/finally. Errors raised in the body go to a dispatch
// (OpCatch) that picks the first matching arm; errors from the arms, and
// errors no arm takes, run the finally with the error pending. A finally
// ends in OpFinally, which acts on its pending action: fall through,
// re-raise, or leave through break, continue or return (see exit).
func (l *lowerer) try(s *ast.TryStmt) {
	outer := l.handler
	after, dispatch := l.newLabel(), l.newLabel()
	var fin *finCtx
	if s.Finally != nil {
		slot := l.newLocal("(pending)", pendingType, s.Pos())
		fin = &finCtx{slot: slot.Off, entry: l.newLabel()}
		l.fins = append(l.fins, fin)
	}
	// leave ends the body or an arm: on to the finally, or past the try.
	leave := func(pos ast.Pos) {
		if fin == nil {
			l.jump(after, pos)
			return
		}
		l.emit(Instr{Op: OpBind, LHS: []*LValue{l.pendingLV(fin)}, Value: func(*Frame) int { return 0 }, Pos: pos, SafeStore: true})
		l.jump(fin.entry, pos)
	}
	l.handler = dispatch
	l.block(s.Body)
	l.handler = outer
	leave(s.Body.Rbrace)

	caught, arms, armLabels := l.catchArms(s)
	finSlot, finEntry := -1, 0
	if fin != nil {
		finSlot, finEntry = fin.slot, fin.entry
	}
	l.place(dispatch)
	l.emit(Instr{Op: OpCatch, Catch: arms, Slot: finSlot, Target: finEntry, Pos: s.Pos(), Text: "catch"})
	armHandler := outer
	if fin != nil {
		armHandler = l.newLabel()
		l.place(armHandler)
		l.emit(Instr{Op: OpCatch, Slot: finSlot, Target: finEntry, Pos: s.Pos(), Text: "catch"})
	}
	for i, k := range s.Catches {
		l.place(armLabels[i])
		l.handler = armHandler
		l.catches = append(l.catches, caught.Off)
		l.block(k.Body)
		l.catches = l.catches[:len(l.catches)-1]
		l.handler = outer
		leave(k.Body.Rbrace)
	}
	if fin != nil {
		l.finally(s.Finally, fin, after)
	}
	l.place(after)
}

// catchArms declares the slot of the caught error and the arms of a
// try's catch clauses, each with the label of its body.
func (l *lowerer) catchArms(s *ast.TryStmt) (*Local, []CatchArm, []int) {
	var caught *Local
	if len(s.Catches) > 0 {
		caught = l.newLocal("(caught)", pendingType, s.Pos())
	}
	arms := make([]CatchArm, len(s.Catches))
	labels := make([]int, len(s.Catches))
	for i, k := range s.Catches {
		labels[i] = l.newLabel()
		arms[i] = CatchArm{Any: k.Any, Slot: caught.Off, Body: labels[i]}
		for _, n := range k.Names {
			if sym := l.c.names[n.Name]; sym != nil {
				l.c.errorf(n.NamePos, "%s is a %s, not an error name", n.Name, l.c.describe(sym))
			}
			arms[i].Errs = append(arms[i].Errs, l.c.errorIDAt(n))
		}
		if k.Any && i != len(s.Catches)-1 {
			l.c.errorf(s.Catches[i+1].Catch, "unreachable catch: catch any above takes every error")
		}
	}
	return caught, arms, labels
}

// finally lowers a finally block: run on every way out of the try, it
// ends by going on the way it was entered (past the try, or on with a
// pending error, return, break or continue).
func (l *lowerer) finally(b *ast.Block, fin *finCtx, after int) {
	l.fins = l.fins[:len(l.fins)-1]
	l.place(fin.entry)
	l.block(b)
	exits := make([]int, len(fin.exits))
	for i := range exits {
		exits[i] = l.newLabel()
	}
	l.emit(Instr{Op: OpFinally, Slot: fin.slot, Exits: exits, Target: after, Pos: b.Rbrace, Text: "finally",
		Access: Access{Reads: []int{localLoc(fin.slot)}}})
	for i, a := range fin.exits {
		l.place(exits[i])
		l.exit(a)
	}
}

func (l *lowerer) startCancel(op Op, target ast.Expr, s ast.Stmt) {
	at, ix, isActor, ok := l.c.actorRef(target, l.env())
	if !isActor {
		word := "start"
		if op == OpCancel {
			word = "cancel"
		}
		l.c.errorf(target.Pos(), "%s needs an actor: %s A or %s A[i]", word, word, word)
		return
	}
	if !ok {
		return
	}
	ref := ActorRef{Type: at}
	var reads, locs []int
	if ix != nil {
		ref.Index, reads = ix.eval, ix.reads
	}
	for i := 0; i < at.Count; i++ {
		if ix == nil || !ix.konst || ix.val == i {
			locs = append(locs, l.c.prog.Actors[at.First+i].Loc)
		}
	}
	if ix != nil && ix.konst {
		v := ix.val
		ref.Index = func(*Frame) int { return v }
	}
	l.emit(Instr{Op: op, Actor: ref, Pos: s.Pos(), Text: l.stmtText(s), Access: Access{Reads: union(reads, locs), Writes: locs}})
}

// callProc inlines a proc: its parameters become locals bound at the call,
// its body is lowered in a scope of its own, and return jumps to its end.
func (l *lowerer) callProc(s *ast.CallStmt) {
	d := l.procOf(s)
	if d == nil {
		return
	}
	inner, ok := l.bindParams(s, d)
	if !ok {
		return
	}
	saved, savedLoops, savedCatches := l.scope, l.loops, l.catches
	l.scope, l.loops, l.catches = inner, nil, nil
	pc := &procCtx{name: s.Name.Name, end: l.newLabel(), fins: len(l.fins)}
	l.procs = append(l.procs, pc)
	l.block(d.Body)
	l.procs = l.procs[:len(l.procs)-1]
	l.place(pc.end)
	l.scope, l.loops, l.catches = saved, savedLoops, savedCatches
}

// procOf returns the proc a call names, or nil after reporting why it
// cannot be called so.
func (l *lowerer) procOf(s *ast.CallStmt) *ast.ProcDecl {
	sym := l.c.names[s.Name.Name]
	switch {
	case sym == nil:
		l.c.undefined(s.Name, l.c.procNames())
		return nil
	case sym.kind != symProc:
		l.c.errorf(s.Name.NamePos, "%s is a %s, not a proc", s.Name.Name, l.c.describe(sym))
		return nil
	}
	for _, p := range l.procs {
		if p.name == s.Name.Name {
			l.c.errorf(s.Name.NamePos, "recursive call of proc %s: procs are inlined and cannot call themselves", s.Name.Name)
			return nil
		}
	}
	d := sym.proc
	if len(s.Args) != len(d.Params) {
		l.c.errorf(s.Name.NamePos, "%s takes %s, got %d", s.Name.Name, plural(len(d.Params), "argument"), len(s.Args))
		return nil
	}
	return d
}

// bindParams binds each parameter of proc d to its argument in a local,
// in the scope of the proc's body it returns.
func (l *lowerer) bindParams(s *ast.CallStmt, d *ast.ProcDecl) (*scope, bool) {
	en := l.env()
	inner := &scope{names: map[string]*Local{}}
	for i, p := range d.Params {
		x := l.c.expr(s.Args[i], en)
		pt := l.c.typ(p.Type)
		if x == nil || !l.argFits(s, i, p, x, pt) {
			return nil, false
		}
		loc := l.newLocal(p.Name.Name, pt, p.Name.NamePos)
		inner.names[p.Name.Name] = loc
		l.emit(Instr{Op: OpBind, LHS: []*LValue{localLValue(loc)}, Value: x.eval, Pos: s.Pos(), Text: l.stmtText(s),
			Access: Access{Reads: x.reads}, SafeStore: x.konst})
	}
	return inner, true
}

// argFits checks argument i of a call, x, against its parameter p of
// type pt.
func (l *lowerer) argFits(s *ast.CallStmt, i int, p *ast.Param, x *texpr, pt *Type) bool {
	switch {
	case x.call != nil:
		l.c.effectInExpr(x)
	case pt.Kind == TArray:
		l.c.errorf(p.Type.Pos(), "parameters are scalars")
	case !assignable(pt, x.t):
		l.c.errorf(s.Args[i].Pos(), "argument %d of %s must be %s, not %s", i+1, s.Name.Name, pt, x.t)
	case x.konst && !pt.Contains(x.val):
		l.c.errorf(s.Args[i].Pos(), "argument %s is outside the range of parameter %s (%s)", pt.Format(x.val), p.Name.Name, pt)
	default:
		return true
	}
	return false
}

func (c *checker) procNames() []string {
	var out []string
	for _, s := range c.order {
		if s.kind == symProc {
			out = append(out, s.name)
		}
	}
	return out
}

// MaxSelectCases bounds the cases of a select (the interpreter keeps the
// ready ones in a fixed array).
const MaxSelectCases = 16

// select_ lowers a select: one step that completes one ready channel
// operation (or the default) and continues in that case's body.
func (l *lowerer) select_(s *ast.SelectStmt) {
	after := l.newLabel()
	in := Instr{Op: OpSelect, Pos: s.Pos(), Text: "select", Blocking: true}
	var bodies []pendingCase
	seenDefault := false
	if len(s.Cases) > MaxSelectCases {
		l.c.errorf(s.Cases[MaxSelectCases].Case, "a select may have at most %d cases", MaxSelectCases)
		return
	}
	for _, k := range s.Cases {
		l.push()
		sc, ok := l.selectCase(k, &in)
		if k.Comm == nil {
			if seenDefault {
				l.c.errorf(k.Case, "select has two default cases")
			}
			seenDefault = true
			in.Blocking = false
		}
		if ok {
			sc.Body = l.newLabel()
			in.Cases = append(in.Cases, sc)
			bodies = append(bodies, pendingCase{k.Body, sc.Body, l.scope})
		}
		l.pop()
	}
	l.emit(in)
	saved := l.scope
	for _, b := range bodies {
		l.scope = b.scope
		l.place(b.label)
		for _, st := range b.body {
			l.stmt(st)
		}
		l.jump(after, s.End())
	}
	l.scope = saved
	l.place(after)
}

// pendingCase is a select case's body, lowered after the select.
type pendingCase struct {
	body  []ast.Stmt
	label int
	scope *scope
}

// selectCase checks the communication of one case.
func (l *lowerer) selectCase(k *ast.SelectCase, in *Instr) (SelectCase, bool) {
	sc := SelectCase{Pos: k.Case}
	if k.Comm == nil {
		sc.Default, sc.Text = true, "default"
		return sc, true
	}
	call, targets, names := commParts(k.Comm)
	x := l.c.expr(call, l.env())
	if x == nil {
		return sc, false
	}
	if x.call == nil || x.call.kind != ast.KindChan || (x.call.info.m != MSend && x.call.info.m != MRecv) {
		l.c.errorf(call.Pos(), "a select case is a channel send or receive")
		return sc, false
	}
	oc := x.call
	sc.Obj, sc.Send = oc.obj, oc.info.m == MSend
	sc.Text = l.text(commStart(call, targets, names), call.End())
	if sc.Send {
		sc.Value = oc.args[0].eval
		in.Access.Reads = union(in.Access.Reads, oc.args[0].reads)
		if len(targets) > 0 || len(names) > 0 {
			l.c.errorf(call.Pos(), "send gives no value")
			return sc, false
		}
	}
	in.Access.Reads = union(in.Access.Reads, union(oc.reads, oc.locs))
	in.Access.Writes = union(in.Access.Writes, oc.locs)
	if len(targets)+len(names) > 2 {
		l.c.errorf(call.Pos(), "recv gives 2 values, not %d", len(targets)+len(names))
		return sc, false
	}
	lhs, ok := l.recvTargets(targets, names, []*Type{oc.result, boolType})
	sc.LHS = lhs
	return sc, ok
}

// commParts splits a case's communication into the call and where its
// results go.
func commParts(comm ast.Stmt) (call ast.Expr, targets []ast.Expr, names []*ast.Ident) {
	switch c := comm.(type) {
	case *ast.ExprStmt:
		call = c.X
	case *ast.AssignStmt:
		call, targets = c.Value, c.Targets
	case *ast.LetStmt:
		call, names = c.Value, c.Names
	}
	return call, targets, names
}

// commStart is where the text of a case's communication starts.
func commStart(call ast.Expr, targets []ast.Expr, names []*ast.Ident) ast.Pos {
	switch {
	case len(targets) > 0:
		return targets[0].Pos()
	case len(names) > 0:
		return names[0].NamePos
	}
	return call.Pos()
}

// recvTargets resolves where a receiving case stores its results: the
// targets of an assignment, or the locals a let declares.
func (l *lowerer) recvTargets(targets []ast.Expr, names []*ast.Ident, results []*Type) ([]*LValue, bool) {
	var lhs []*LValue
	for i, t := range targets {
		lv := l.lvalue(t)
		if lv == nil {
			return lhs, false
		}
		if !assignable(lv.Type, results[i]) {
			l.c.errorf(t.Pos(), "cannot assign %s to %s (%s)", results[i], lv.Name, lv.Type)
			return lhs, false
		}
		lhs = append(lhs, lv)
	}
	for i, n := range names {
		lhs = append(lhs, localLValue(l.declare(n, results[i], false)))
	}
	return lhs, true
}
