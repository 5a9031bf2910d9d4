package spec

import (
	"strconv"
	"strings"

	"github.com/interleave-dev/interleave/spec/ast"
)

// lowerer turns one actor body into flat code. Jump fields hold label ids
// while lowering; finish() turns them into pcs.
type lowerer struct {
	c        *checker
	at       *ActorType
	code     []Instr
	labels   []int // label id -> pc
	scope    *scope
	handler  int // label of the OpCatch for errors raised here, -1: uncaught
	atomic   int
	regions  []int // atomic region id -> entry pc
	loops    []*loopCtx
	fins     []*finCtx
	procs    []*procCtx
	catches  []int          // caught-error slots of the enclosing catch bodies
	end      int            // label of the actor's OpEnd
	labelAt  map[string]int // label -> the pc of its statement's first instruction
	labelEnd map[string]int // label -> the pc after its statement
	errs     int            // errors reported before this body
	tooBig   bool           // the code passed maxCode: lowering stops
}

type loopCtx struct {
	brk, cont int
	fins      int
}

type finCtx struct {
	slot  int // offset of the pending-action local
	entry int // label of the finally body
	exits []exitAction
}

type exitAction struct {
	tok  string // break, continue, return
	loop *loopCtx
	proc *procCtx
	pos  ast.Pos
}

type procCtx struct {
	name string
	end  int
	fins int
}

// PendingExit0 is the pending code of a finally's first exit; exit k is
// PendingExit0 - k. Codes 1..len(Errors) re-raise an error; 0 falls through.
const PendingExit0 = 255

func (l *lowerer) newLabel() int {
	l.labels = append(l.labels, -1)
	return len(l.labels) - 1
}

func (l *lowerer) place(label int) { l.labels[label] = len(l.code) }

func (l *lowerer) emit(in Instr) int {
	in.Atomic = l.atomic
	in.Handler = l.handler
	if in.Next == 0 {
		in.Next = -1 // the next instruction
	}
	l.code = append(l.code, in)
	return len(l.code) - 1
}

func (l *lowerer) jump(label int, pos ast.Pos) {
	l.emit(Instr{Op: OpJump, Target: label, Pos: pos})
}

func (l *lowerer) newLocal(name string, t *Type, pos ast.Pos) *Local {
	loc := &Local{Name: name, Type: t, Off: l.at.LocalSize, Pos: pos}
	l.at.LocalSize += t.Width()
	l.at.Locals = append(l.at.Locals, loc)
	return loc
}

func (l *lowerer) env() *env { return &env{actor: l.at, scope: l.scope} }

func (l *lowerer) push() { l.scope = &scope{names: map[string]*Local{}, parent: l.scope} }
func (l *lowerer) pop()  { l.scope = l.scope.parent }

// declare enters a local in the innermost scope.
func (l *lowerer) declare(id *ast.Ident, t *Type, fixed bool) *Local {
	if old, ok := l.scope.names[id.Name]; ok {
		l.c.errorf(id.NamePos, "%s redeclared in this block (first declared at line %d)", id.Name, old.Pos.Line)
	}
	if s := l.c.names[id.Name]; s != nil && (s.kind == symObject || s.kind == symActor) {
		l.c.errorf(id.NamePos, "local %s hides the %s %s", id.Name, l.c.describe(s), id.Name)
	}
	loc := l.newLocal(id.Name, t, id.NamePos)
	l.scope.names[id.Name] = loc
	if fixed {
		if l.scope.fixed == nil {
			l.scope.fixed = map[string]bool{}
		}
		l.scope.fixed[id.Name] = true
	}
	return loc
}

// text returns the source of a span as one line.
func (l *lowerer) text(from, to ast.Pos) string {
	src := l.c.file.Src
	if from.Offset < 0 || to.Offset > len(src) || from.Offset >= to.Offset {
		return ""
	}
	s := strings.TrimSpace(string(src[from.Offset:to.Offset]))
	s = strings.TrimSpace(strings.TrimSuffix(s, ";"))
	return strings.Join(strings.Fields(s), " ")
}

func (l *lowerer) stmtText(s ast.Stmt) string { return l.text(s.Pos(), s.End()) }

// lowerActor lowers the body of an actor declaration.
func (c *checker) lowerActor(at *ActorType) {
	s := c.names[at.Name]
	l := &lowerer{c: c, at: at, handler: -1, labelAt: map[string]int{}, labelEnd: map[string]int{}, regions: []int{0}, errs: len(c.errs)}
	l.end = l.newLabel()
	l.scope = &scope{names: map[string]*Local{}}
	l.block(s.adecl.Body)
	l.place(l.end)
	l.emit(Instr{Op: OpEnd, Pos: s.adecl.Body.Rbrace, Text: "end"})
	l.finish()
}

func (l *lowerer) block(b *ast.Block) {
	l.push()
	var pending []string // labels standing before the next statement
	for _, s := range b.Stmts {
		l.stmt(s)
		if ls, ok := s.(*ast.LabelStmt); ok {
			pending = append(pending, ls.Name.Name)
			continue
		}
		for _, name := range pending {
			l.labelEnd[name] = len(l.code)
		}
		pending = pending[:0]
	}
	for _, name := range pending {
		l.labelEnd[name] = len(l.code)
	}
	l.pop()
}

// maxCode bounds the lowered code of one actor declaration, procs
// inlined: the program counter is stored in two bytes.
const maxCode = 1<<16 - 1

// fits reports whether the code has room for statement s; when it has not,
// it says so once, naming the chain of inlined procs, and lowering stops.
func (l *lowerer) fits(s ast.Stmt) bool {
	if l.tooBig {
		return false
	}
	if len(l.code) < maxCode {
		return true
	}
	l.tooBig = true
	chain := ""
	if len(l.procs) > 0 {
		names := []string{l.at.Name}
		for _, p := range l.procs {
			names = append(names, p.name)
		}
		chain = "; procs are inlined, and this is " + strings.Join(names, " -> ")
	}
	l.c.errorf(s.Pos(), "actor %s lowers to more than 65,535 instructions, the most an actor may have%s", l.at.Name, chain)
	return false
}

func (l *lowerer) stmt(s ast.Stmt) {
	if !l.fits(s) {
		return
	}
	switch s := s.(type) {
	case *ast.Block:
		l.block(s)
	case *ast.LetStmt:
		l.let(s)
	case *ast.AssignStmt:
		l.assign(s)
	case *ast.ExprStmt:
		l.exprStmt(s)
	case *ast.IfStmt:
		l.if_(s)
	case *ast.LoopStmt:
		l.loop(s)
	case *ast.WhileStmt:
		l.while(s)
	case *ast.ForStmt:
		l.for_(s)
	case *ast.BranchStmt:
		l.branch(s)
	case *ast.ReturnStmt:
		l.return_(s)
	case *ast.AtomicStmt:
		l.atomicBlock(s)
	case *ast.EitherStmt:
		l.either(s)
	case *ast.TryStmt:
		l.try(s)
	case *ast.SelectStmt:
		l.select_(s)
	default:
		l.simpleStmt(s)
	}
}

// simpleStmt lowers a statement that holds no other.
func (l *lowerer) simpleStmt(s ast.Stmt) {
	switch s := s.(type) {
	case *ast.AwaitStmt:
		x := l.c.boolExpr(s.Cond, l.env(), "the condition of await")
		if x != nil {
			l.emit(Instr{Op: OpAwait, Cond: x.eval, Pos: s.Pos(), Text: l.stmtText(s), Blocking: !x.konst || x.val == 0,
				Access: Access{Reads: x.reads}})
		}
	case *ast.ChooseStmt:
		l.choose(s)
	case *ast.AssertStmt:
		l.assert(s)
	case *ast.RaiseStmt:
		l.raise(s)
	case *ast.ProgressStmt:
		l.emit(Instr{Op: OpProgress, Pos: s.Pos(), Text: "progress"})
	case *ast.LabelStmt:
		l.label(s)
	case *ast.StartStmt:
		l.startCancel(OpStart, s.Target, s)
	case *ast.CancelStmt:
		l.startCancel(OpCancel, s.Target, s)
	case *ast.CallStmt:
		l.callProc(s)
	}
}

func (l *lowerer) assert(s *ast.AssertStmt) {
	x := l.c.boolExpr(s.Cond, l.env(), "an assertion")
	if x == nil {
		return
	}
	msg := s.Msg
	if msg == "" {
		msg = l.text(s.Cond.Pos(), s.End())
	}
	l.emit(Instr{Op: OpAssert, Cond: x.eval, Msg: msg, Pos: s.Pos(), Text: l.stmtText(s), Access: Access{Reads: x.reads}})
}

// label names the instruction that follows it.
func (l *lowerer) label(s *ast.LabelStmt) {
	if old, ok := l.labelAt[s.Name.Name]; ok {
		l.c.errorf(s.Name.NamePos, "label %s declared twice in %s (first at line %d)", s.Name.Name, l.at.Name, l.code[old].Pos.Line)
		return
	}
	l.labelAt[s.Name.Name] = len(l.code)
	l.emit(Instr{Op: OpJump, Target: -1, Pos: s.Pos(), Text: "label " + s.Name.Name})
}

func (l *lowerer) let(s *ast.LetStmt) {
	x := l.c.expr(s.Value, l.env())
	if x == nil {
		for _, id := range s.Names {
			l.declare(id, badType, false) // known, so later uses report nothing
		}
		return
	}
	var declared *Type
	if s.Type != nil {
		declared = l.c.typ(s.Type)
		if declared.Kind == TArray {
			l.c.errorf(s.Type.Pos(), "locals are scalars: declare arrays with var")
			return
		}
	}
	results := l.results(x)
	if results == nil {
		l.c.errorf(s.Value.Pos(), "%s() returns no value", x.call.info.m)
		return
	}
	if len(s.Names) > len(results) {
		l.c.errorf(s.Names[len(results)].NamePos, "%s gives %s, not %d", l.describeValue(x), plural(len(results), "value"), len(s.Names))
		return
	}
	lhs := make([]*LValue, len(s.Names))
	for i, id := range s.Names {
		t := l.localType(s, i, x, results[i], declared)
		if t == nil {
			return
		}
		lhs[i] = localLValue(l.declare(id, t, false))
	}
	l.assignValue(x, lhs, s)
}

// localType is the type of the i-th local a let declares, given the type t
// of its value and the declared type; nil after an error.
func (l *lowerer) localType(s *ast.LetStmt, i int, x *texpr, t, declared *Type) *Type {
	id := s.Names[i]
	if i == 0 && declared != nil {
		if !assignable(declared, t) {
			l.c.errorf(s.Value.Pos(), "cannot initialise %s (%s) with %s", id.Name, declared, t)
			return nil
		}
		t = declared
	} else if t.Kind == TInt && (t == intType || x.call == nil) {
		t = byteType // an int local without a declared range: 0..255
	}
	if x.konst && i == 0 && !t.Contains(x.val) {
		l.c.errorf(s.Value.Pos(), "initial value %s is outside the range of %s (%s)", t.Format(x.val), id.Name, t)
		return nil
	}
	return t
}

// results lists the types of the values an expression gives: one for a
// plain value, the results of an operation (none, one, or value and ok).
func (l *lowerer) results(x *texpr) []*Type {
	if x.call == nil {
		return []*Type{x.t}
	}
	if x.call.result == nil {
		return nil
	}
	if x.call.info.m == MRecv {
		return []*Type{x.call.result, boolType}
	}
	return []*Type{x.call.result}
}

func (l *lowerer) describeValue(x *texpr) string {
	if x.call != nil {
		return x.call.obj.Group.Name + "." + x.call.info.m.String() + "()"
	}
	return "the expression"
}

func localLValue(loc *Local) *LValue {
	return &LValue{Name: loc.Name, Local: true, Off: loc.Off, Type: loc.Type, Width: loc.Type.Width(), Loc: -1, Pos: loc.Pos}
}

// assignValue emits the step that stores a value or the results of an
// operation.
func (l *lowerer) assignValue(x *texpr, lhs []*LValue, s ast.Stmt) {
	text := l.stmtText(s)
	if x.call != nil {
		l.opCall(x.call, lhs, text, s.Pos())
		return
	}
	safe := x.konst
	for _, lv := range lhs {
		safe = safe && lv.Index == nil && lv.Type.Contains(x.val)
	}
	l.emit(Instr{Op: OpAssign, Value: x.eval, LHS: lhs, Pos: s.Pos(), Text: text, Access: Access{Reads: x.reads}, SafeStore: safe})
}

func (l *lowerer) assign(s *ast.AssignStmt) {
	x := l.c.expr(s.Value, l.env())
	var lhs []*LValue
	for _, t := range s.Targets {
		lv := l.lvalue(t)
		if lv == nil {
			return
		}
		lhs = append(lhs, lv)
	}
	if x == nil {
		return
	}
	results := l.results(x)
	if results == nil {
		l.c.errorf(s.Value.Pos(), "%s() returns no value", x.call.info.m)
		return
	}
	if len(lhs) > len(results) {
		l.c.errorf(s.Targets[len(results)].Pos(), "%s gives %s, not %d", l.describeValue(x), plural(len(results), "value"), len(lhs))
		return
	}
	for i, lv := range lhs {
		if !assignable(lv.Type, results[i]) {
			l.c.errorf(s.Value.Pos(), "cannot assign %s to %s (%s)", results[i], lv.Name, lv.Type)
			return
		}
		if x.konst && !lv.Type.Contains(x.val) {
			l.c.errorf(s.Value.Pos(), "value %s is outside the range of %s (%s)", lv.Type.Format(x.val), lv.Name, lv.Type)
			return
		}
	}
	l.assignValue(x, lhs, s)
}

// lvalue resolves an assignment target.
func (l *lowerer) lvalue(e ast.Expr) *LValue {
	switch e := e.(type) {
	case *ast.Ident:
		return l.nameLValue(e)
	case *ast.IndexExpr:
		return l.elemLValue(e)
	}
	l.c.errorf(e.Pos(), "cannot assign to this expression")
	return nil
}

// nameLValue resolves an assignment to a name: a local or a global.
func (l *lowerer) nameLValue(e *ast.Ident) *LValue {
	if loc, fixed := l.scope.lookup(e.Name); loc != nil {
		if fixed {
			l.c.errorf(e.NamePos, "cannot assign to %s: it is the variable of a for loop", e.Name)
			return nil
		}
		return localLValue(loc)
	}
	en := l.env()
	s := l.c.names[e.Name]
	switch {
	case s == nil && l.c.suggest(e.Name, l.c.visibleNames(en)) == "":
		l.c.errorf(e.NamePos, "undefined: %s (declare a local with let %s = ...)", e.Name, e.Name)
	case s == nil:
		l.c.undefined(e, l.c.visibleNames(en))
	case s.kind == symVar && s.v.Type.Kind == TArray:
		l.c.errorf(e.NamePos, "%s is an array: assign to its elements", e.Name)
	case s.kind == symVar:
		v := s.v
		return &LValue{Name: v.Name, Off: v.Off, Type: v.Type, Width: v.Type.Width(), Loc: v.Loc, Pos: e.NamePos}
	default:
		l.c.errorf(e.NamePos, "cannot assign to %s: it is a %s", e.Name, l.c.describe(s))
	}
	return nil
}

// elemLValue resolves an assignment to an element of a global array.
func (l *lowerer) elemLValue(e *ast.IndexExpr) *LValue {
	en := l.env()
	id, ok := e.X.(*ast.Ident)
	var s *symbol
	if ok && !l.c.shadowed(id.Name, en) {
		s = l.c.names[id.Name]
	}
	if s == nil || s.kind != symVar || s.v.Type.Kind != TArray {
		l.c.errorf(e.Pos(), "cannot assign to this expression")
		return nil
	}
	v := s.v
	ix := l.c.intExpr(e.Index, en, "an array index")
	if ix == nil {
		return nil
	}
	lv := &LValue{Name: v.Name, Off: v.Off, Type: v.Type.Elem, Width: v.Type.Elem.Width(), Len: v.Type.Len, Loc: v.Loc, Pos: e.Lbrack}
	if !ix.konst {
		lv.Index, lv.reads = ix.eval, union(ix.reads, []int{faultLoc})
		return lv
	}
	if ix.val < 0 || ix.val >= v.Type.Len {
		l.c.errorf(e.Index.Pos(), "index %d is out of range 0..%d of %s", ix.val, v.Type.Len-1, v.Name)
		return nil
	}
	lv.Off += ix.val * lv.Width
	lv.Name = v.Name + "[" + strconv.Itoa(ix.val) + "]"
	lv.Len = 0
	return lv
}

func (l *lowerer) exprStmt(s *ast.ExprStmt) {
	x := l.c.expr(s.X, l.env())
	if x == nil {
		return
	}
	if x.call == nil {
		if call, ok := s.X.(*ast.CallExpr); ok {
			if _, isFn := call.Fun.(*ast.Ident); !isFn {
				l.c.errorf(s.Pos(), "the result of %s is not used", l.text(s.Pos(), s.End()))
				return
			}
		}
		l.c.errorf(s.Pos(), "%s is not a statement", l.text(s.Pos(), s.End()))
		return
	}
	l.opCall(x.call, nil, l.stmtText(s), s.Pos())
}

// opCall emits an operation on an object. A condition's wait() is two
// steps: leave the lock and wait to be notified, then re-take the lock.
func (l *lowerer) opCall(call *opCall, lhs []*LValue, text string, pos ast.Pos) {
	var args []Eval
	reads := union(call.reads, call.locs)
	for _, a := range call.args {
		args = append(args, a.eval)
		reads = union(reads, a.reads)
	}
	in := Instr{Op: OpCall, Obj: call.obj, Method: call.info.m, Args: args, Mode: call.mode, LHS: lhs,
		Pos: pos, Text: text, Access: Access{Reads: reads, Writes: call.locs}}
	in.Blocking = blocking(call.kind, call.info.m, call.mode)
	if call.kind == ast.KindCondition && call.info.m == MWait {
		lockLocs := l.c.condLockLocs(call)
		in.Access.Reads = union(in.Access.Reads, lockLocs)
		in.Access.Writes = union(in.Access.Writes, lockLocs)
		first := in
		first.LHS = nil
		first.Blocking = false
		l.emit(first)
		in.Method = MReacquire
		in.Blocking = true
	}
	l.emit(in)
}

// condLockLocs returns the locations of the locks of the conditions a call
// may touch.
func (c *checker) condLockLocs(call *opCall) []int {
	var out []int
	g := call.obj.Group
	for i := 0; i < g.Count; i++ {
		if lk := c.prog.Objects[g.First+i].Lock; lk >= 0 {
			out = union(out, []int{c.prog.Objects[lk].Loc})
		}
	}
	return out
}

// cond lowers a condition that jumps to label `no` when false. A condition
// that is an operation (or its negation), as in `if sem.acquire(nowait)`,
// runs the operation as the step and branches on its result.
func (l *lowerer) cond(e ast.Expr, no int, text string, pos ast.Pos, what string) {
	neg := false
	inner := e
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == "!" {
		if _, isCall := u.X.(*ast.CallExpr); isCall {
			neg, inner = true, u.X
		}
	}
	if call, ok := inner.(*ast.CallExpr); ok {
		if _, isMethod := call.Fun.(*ast.SelectorExpr); isMethod {
			x := l.c.expr(call, l.env())
			if x == nil {
				return
			}
			if x.call != nil {
				if x.call.result == nil || x.call.result.Kind != TBool {
					l.c.errorf(call.Pos(), "%s is not a condition: it returns %s", l.describeValue(x), resultWord(x.call.result))
					return
				}
				tmp := l.newLocal("("+x.call.info.m.String()+")", boolType, pos)
				l.opCall(x.call, []*LValue{localLValue(tmp)}, text, pos)
				read := l.c.localRead(tmp, pos).eval
				test := read
				if neg {
					test = func(f *Frame) int { return 1 - read(f) }
				}
				l.emit(Instr{Op: OpBranch, Cond: test, Target: no, Pos: pos, Text: text, Access: Access{Reads: []int{localLoc(tmp.Off)}}})
				return
			}
		}
	}
	x := l.c.boolExpr(e, l.env(), what)
	if x == nil {
		return
	}
	l.emit(Instr{Op: OpBranch, Cond: x.eval, Target: no, Pos: pos, Text: text, Access: Access{Reads: x.reads}})
}

func resultWord(t *Type) string {
	if t == nil {
		return "nothing"
	}
	return t.String()
}

func (l *lowerer) if_(s *ast.IfStmt) {
	els, after := l.newLabel(), l.newLabel()
	l.cond(s.Cond, els, l.text(s.Pos(), s.Then.Lbrace), s.Pos(), "the condition of if")
	l.block(s.Then)
	if s.Else != nil {
		l.jump(after, s.Then.Rbrace)
	}
	l.place(els)
	if s.Else != nil {
		l.stmt(s.Else)
	}
	l.place(after)
}

func (l *lowerer) loop(s *ast.LoopStmt) {
	top, exit := l.newLabel(), l.newLabel()
	l.place(top)
	l.loops = append(l.loops, &loopCtx{brk: exit, cont: top, fins: len(l.fins)})
	l.block(s.Body)
	l.loops = l.loops[:len(l.loops)-1]
	l.jump(top, s.Body.Rbrace)
	l.place(exit)
}

func (l *lowerer) while(s *ast.WhileStmt) {
	top, exit := l.newLabel(), l.newLabel()
	l.place(top)
	l.cond(s.Cond, exit, l.text(s.Pos(), s.Body.Lbrace), s.Pos(), "the condition of while")
	l.loops = append(l.loops, &loopCtx{brk: exit, cont: top, fins: len(l.fins)})
	l.block(s.Body)
	l.loops = l.loops[:len(l.loops)-1]
	l.jump(top, s.Body.Rbrace)
	l.place(exit)
}

// for_ lowers `for i in lo..hi { body }`:
//
//	i = lo; if !(i <= hi) goto exit
//	body: ...
//	cont: if !(i < hi) goto exit; i = i + 1; goto body
//	exit:
func (l *lowerer) for_(s *ast.ForStmt) {
	en := l.env()
	lo, hi := l.c.intExpr(s.Lo, en, "a range bound"), l.c.intExpr(s.Hi, en, "a range bound")
	if lo == nil || hi == nil {
		return
	}
	t := byteType
	if lo.konst && hi.konst {
		if lo.val > hi.val {
			return // an empty range: the loop never runs
		}
		t = &Type{Kind: TInt, Lo: lo.val, Hi: hi.val}
	}
	l.push()
	v := l.declare(s.Var, t, true)
	lv := localLValue(v)
	read := l.c.localRead(v, s.Var.NamePos).eval
	text := l.text(s.Pos(), s.Body.Lbrace)
	body, cont, exit := l.newLabel(), l.newLabel(), l.newLabel()
	l.emit(Instr{Op: OpBind, LHS: []*LValue{lv}, Value: lo.eval, Pos: s.Pos(), Text: text, Access: Access{Reads: lo.reads},
		SafeStore: lo.konst && t.Contains(lo.val)})
	he := hi.eval
	l.emit(Instr{Op: OpBranch, Cond: func(f *Frame) int { return boolInt(read(f) <= he(f)) }, Target: exit,
		Pos: s.Pos(), Text: text, Access: Access{Reads: union(hi.reads, []int{localLoc(v.Off)})}})
	l.place(body)
	l.loops = append(l.loops, &loopCtx{brk: exit, cont: cont, fins: len(l.fins)})
	l.block(s.Body)
	l.loops = l.loops[:len(l.loops)-1]
	l.place(cont)
	l.emit(Instr{Op: OpBranch, Cond: func(f *Frame) int { return boolInt(read(f) < he(f)) }, Target: exit,
		Pos: s.Pos(), Text: text, Access: Access{Reads: union(hi.reads, []int{localLoc(v.Off)})}})
	// The counter grows only while below hi: in range when hi is its bound.
	l.emit(Instr{Op: OpBind, LHS: []*LValue{lv}, Value: func(f *Frame) int { return read(f) + 1 }, Pos: s.Pos(), Text: text,
		Access: Access{Reads: []int{localLoc(v.Off)}}, SafeStore: lo.konst && hi.konst})
	l.jump(body, s.Body.Rbrace)
	l.place(exit)
	l.pop()
}

func (l *lowerer) branch(s *ast.BranchStmt) {
	if len(l.loops) == 0 {
		l.c.errorf(s.Pos(), "%s outside a loop", s.Tok)
		return
	}
	l.exit(exitAction{tok: s.Tok, loop: l.loops[len(l.loops)-1], pos: s.Pos()})
}

func (l *lowerer) return_(s *ast.ReturnStmt) {
	var p *procCtx
	if len(l.procs) > 0 {
		p = l.procs[len(l.procs)-1]
	}
	l.exit(exitAction{tok: "return", proc: p, pos: s.Pos()})
}

// exit leaves the current block for a loop's exit or head, a proc's end or
// the actor's end, running the finally blocks in between.
func (l *lowerer) exit(a exitAction) {
	depth, target := 0, l.end
	switch {
	case a.loop != nil:
		depth, target = a.loop.fins, a.loop.cont
		if a.tok == "break" {
			target = a.loop.brk
		}
	case a.proc != nil:
		depth, target = a.proc.fins, a.proc.end
	}
	if len(l.fins) > depth {
		fin := l.fins[len(l.fins)-1]
		if len(fin.exits) == maxExits {
			l.c.errorf(a.pos, "more than %d exits through one finally", maxExits)
			return
		}
		code := PendingExit0 - len(fin.exits)
		fin.exits = append(fin.exits, a)
		l.emit(Instr{Op: OpBind, LHS: []*LValue{l.pendingLV(fin)}, Value: func(*Frame) int { return code }, Pos: a.pos, Text: a.tok, SafeStore: true})
		l.jump(fin.entry, a.pos)
		return
	}
	l.jump(target, a.pos)
}

var pendingType = &Type{Kind: TInt, Lo: 0, Hi: 255}

func (l *lowerer) pendingLV(fin *finCtx) *LValue {
	return &LValue{Name: "(pending)", Local: true, Off: fin.slot, Type: pendingType, Width: 1, Loc: -1}
}

func (l *lowerer) atomicBlock(s *ast.AtomicStmt) {
	if l.atomic != 0 {
		l.block(s.Body) // nested: part of the enclosing region
		return
	}
	l.atomic = len(l.regions)
	l.regions = append(l.regions, len(l.code))
	l.block(s.Body)
	l.atomic = 0
}

func (l *lowerer) either(s *ast.EitherStmt) {
	after := l.newLabel()
	heads := make([]int, len(s.Branches))
	for i := range heads {
		heads[i] = l.newLabel()
	}
	l.emit(Instr{Op: OpEither, Targets: heads, Pos: s.Pos(), Text: "either"})
	for i, b := range s.Branches {
		l.place(heads[i])
		l.block(b)
		l.jump(after, b.Rbrace)
	}
	l.place(after)
}

func (l *lowerer) choose(s *ast.ChooseStmt) {
	en := l.env()
	lo, hi := l.c.intExpr(s.Lo, en, "a range bound"), l.c.intExpr(s.Hi, en, "a range bound")
	if lo == nil || hi == nil {
		return
	}
	var lv *LValue
	if loc, _ := l.scope.lookup(s.Var.Name); loc != nil || l.c.names[s.Var.Name] != nil {
		if lv = l.lvalue(s.Var); lv == nil {
			return
		}
		if lv.Type.Kind != TInt {
			l.c.errorf(s.Var.NamePos, "choose needs an int variable; %s is %s", lv.Name, lv.Type)
			return
		}
	} else {
		if !lo.konst || !hi.konst {
			l.c.errorf(s.Var.NamePos, "choose declares %s: its bounds must be constant", s.Var.Name)
			return
		}
		if lo.val > hi.val {
			l.c.errorf(s.Lo.Pos(), "empty range %d..%d", lo.val, hi.val)
			return
		}
		lv = localLValue(l.declare(s.Var, &Type{Kind: TInt, Lo: lo.val, Hi: hi.val}, false))
	}
	acc := Access{Reads: union(lo.reads, hi.reads)}
	if lv.Loc >= 0 {
		acc.Writes = []int{lv.Loc}
	}
	safe := lo.konst && hi.konst && lv.Index == nil && lv.Type.Contains(lo.val) && lv.Type.Contains(hi.val)
	l.emit(Instr{Op: OpChoose, LHS: []*LValue{lv}, Lo: lo.eval, Hi: hi.eval, Pos: s.Pos(), Text: l.stmtText(s), Access: acc, SafeStore: safe})
}

func (l *lowerer) raise(s *ast.RaiseStmt) {
	if s.Name == nil {
		if len(l.catches) == 0 {
			l.c.errorf(s.Pos(), "raise without an error name re-raises: it belongs inside a catch")
			return
		}
		slot := l.catches[len(l.catches)-1]
		l.emit(Instr{Op: OpRaise, Slot: slot, Pos: s.Pos(), Text: "raise", Access: Access{Reads: []int{localLoc(slot)}}})
		return
	}
	if sym := l.c.names[s.Name.Name]; sym != nil {
		l.c.errorf(s.Name.NamePos, "%s is a %s, not an error name", s.Name.Name, l.c.describe(sym))
		return
	}
	l.emit(Instr{Op: OpRaise, Err: l.c.errorIDAt(s.Name), Pos: s.Pos(), Text: l.stmtText(s)})
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
