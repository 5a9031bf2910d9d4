package spec

import (
	"math"

	"github.com/interleave-dev/interleave/spec/ast"
)

// texpr is a checked expression: its type, its compiled evaluator, its
// constant value when it has one, and the shared locations it reads.
type texpr struct {
	t     *Type
	eval  Eval
	konst bool
	val   int
	reads []int
	call  *opCall // an operation with an effect: allowed only where a statement says
	pos   ast.Pos
}

// shared reports whether the expression reads shared state.
func (x *texpr) shared() bool { return hasShared(x.reads) }

// Locations read are shared locations (>= 0) or, encoded as -(off+1), the
// locals at offset off of the running actor; the dataflow needs both.
// faultLoc among them marks an expression that may fault (an index that is
// not constant, a division by a value that is not), for reduction's
// analysis of what can commit a violation.
func localLoc(off int) int { return -(off + 1) }

const faultLoc = -(1 << 30)

func hasShared(reads []int) bool {
	for _, r := range reads {
		if r >= 0 {
			return true
		}
	}
	return false
}

// opCall is a checked method call on an object.
type opCall struct {
	obj    ObjRef
	kind   ast.ObjectKind
	info   methodInfo
	args   []*texpr
	mode   Mode
	result *Type // nil when the call returns nothing
	elem   *Type
	reads  []int // locations the object reference reads
	locs   []int // the objects it may touch
	pos    ast.Pos
}

// env is the scope an expression is checked in.
type env struct {
	konstOnly bool
	actor     *ActorType // nil outside actor bodies
	scope     *scope
	quants    []string          // quantified variables, by depth
	params    map[string]*texpr // fn parameters while a fn is expanded
	fns       []string          // the fns being expanded, outermost first
	qwork     int               // values the enclosing quantifiers range over in all
	invariant bool              // no locals, no self
}

// scope holds the locals declared in a block.
type scope struct {
	names  map[string]*Local
	fixed  map[string]bool // for variables: not assignable
	parent *scope
}

func (s *scope) lookup(name string) (*Local, bool) {
	for ; s != nil; s = s.parent {
		if l, ok := s.names[name]; ok {
			return l, s.fixed[name]
		}
	}
	return nil, false
}

func konst(v int, t *Type, pos ast.Pos) *texpr {
	return &texpr{t: t, konst: true, val: v, eval: func(*Frame) int { return v }, pos: pos}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func union(a, b []int) []int {
	out := append([]int(nil), a...)
	for _, x := range b {
		found := false
		for _, y := range out {
			if x == y {
				found = true
				break
			}
		}
		if !found {
			out = append(out, x)
		}
	}
	return out
}

// expr checks and compiles an expression. It returns nil after reporting an
// error.
func (c *checker) expr(e ast.Expr, en *env) *texpr {
	switch e := e.(type) {
	case *ast.Ident:
		return c.ident(e, en)
	case *ast.UnaryExpr:
		return c.unary(e, en)
	case *ast.BinaryExpr:
		return c.binary(e, en)
	case *ast.IndexExpr:
		return c.index(e, en)
	case *ast.SelectorExpr:
		return c.selector(e, en)
	case *ast.CallExpr:
		return c.callExpr(e, en)
	case *ast.AtExpr:
		return c.at(e, en)
	case *ast.QuantExpr:
		return c.quant(e, en)
	}
	return c.literal(e, en)
}

// literal types a literal, self, or a word that is no expression here.
func (c *checker) literal(e ast.Expr, en *env) *texpr {
	switch e := e.(type) {
	case *ast.IntLit:
		return konst(e.Value, intType, e.ValuePos)
	case *ast.BoolLit:
		return konst(boolInt(e.Value), boolType, e.ValuePos)
	case *ast.SelfExpr:
		if en.konstOnly || en.actor == nil {
			c.errorf(e.Self, "self is only defined inside an actor or proc")
			return nil
		}
		if !en.actor.Array {
			return konst(0, intType, e.Self)
		}
		return &texpr{t: intType, eval: func(f *Frame) int { return f.A.Index }, pos: e.Self}
	case *ast.ModeExpr:
		c.errorf(e.ModePos, "%s is only an argument of an operation, as in m.acquire(%s)", e.Mode, e.Mode)
		return nil
	case *ast.ProgressExpr:
		c.errorf(e.Progress, "progress is a statement, or an atom of a liveness formula")
		return nil
	}
	c.errorf(e.Pos(), "unexpected expression")
	return nil
}

func (c *checker) ident(e *ast.Ident, en *env) *texpr {
	for d := len(en.quants) - 1; d >= 0; d-- {
		if en.quants[d] == e.Name {
			return &texpr{t: intType, eval: func(f *Frame) int { return f.Q[d] }, pos: e.NamePos}
		}
	}
	if x, ok := en.params[e.Name]; ok {
		return x
	}
	if l, _ := en.scope.lookup(e.Name); l != nil {
		if l.Type == badType {
			return nil // its declaration failed and was reported
		}
		if en.konstOnly {
			c.errorf(e.NamePos, "not a constant expression: %s is a local", e.Name)
			return nil
		}
		return c.localRead(l, e.NamePos)
	}
	s := c.names[e.Name]
	if s == nil {
		c.undefined(e, c.visibleNames(en))
		return nil
	}
	switch s.kind {
	case symConst:
		k := c.constValue(s)
		return konst(k.Value, k.Type, e.NamePos)
	case symMember:
		return konst(s.member, &Type{Kind: TEnum, Enum: s.enum}, e.NamePos)
	case symVar:
		if en.konstOnly {
			c.errorf(e.NamePos, "not a constant expression: %s is a variable", e.Name)
			return nil
		}
		v := s.v
		if v.Type.Kind == TArray {
			c.errorf(e.NamePos, "%s is an array: index it", e.Name)
			return nil
		}
		t, off, w := v.Type, v.Off, v.Type.Width()
		x := &texpr{t: t, reads: []int{v.Loc}, pos: e.NamePos}
		if w == 1 {
			lo := t.Min()
			x.eval = func(f *Frame) int { return int(f.S[off]) + lo }
		} else {
			x.eval = func(f *Frame) int { return Load(f.S, off, t, w) }
		}
		return x
	}
	c.errorf(e.NamePos, "%s is a %s, not a value", e.Name, c.describe(s))
	return nil
}

// describe names what a symbol is, for messages.
func (c *checker) describe(s *symbol) string {
	switch s.kind {
	case symObject:
		return string(s.odecl.Kind)
	case symActor:
		return "actor"
	}
	return symKindNames[s.kind]
}

func (c *checker) localRead(l *Local, pos ast.Pos) *texpr {
	t, off, w := l.Type, l.Off, l.Type.Width()
	lo := t.Min()
	x := &texpr{t: t, pos: pos, reads: []int{localLoc(off)}}
	if w == 1 {
		x.eval = func(f *Frame) int { return int(f.S[f.A.Locals+off]) + lo }
	} else {
		x.eval = func(f *Frame) int { return Load(f.S, f.A.Locals+off, t, w) }
	}
	return x
}

func (c *checker) unary(e *ast.UnaryExpr, en *env) *texpr {
	if e.Op == "always" || e.Op == "eventually" {
		c.errorf(e.OpPos, "%s is a temporal operator: use it in a liveness property", e.Op)
		return nil
	}
	x := c.operand(e.X, en)
	if x == nil {
		return nil
	}
	want := intType
	if e.Op == "!" {
		want = boolType
	}
	if x.t.Kind != want.Kind {
		c.errorf(e.OpPos, "operator %s needs %s, not %s", e.Op, kindWord(want), x.t)
		return nil
	}
	if x.konst && e.Op == "!" {
		return konst(1-x.val, boolType, e.OpPos)
	}
	out := &texpr{t: want, reads: x.reads, pos: e.OpPos, eval: negEval(x.eval, e.OpPos)}
	if e.Op == "!" {
		xe := x.eval
		out.eval = func(f *Frame) int { return 1 - xe(f) }
	}
	if x.konst {
		return c.fold(out)
	}
	return out
}

// operand types the operand of an operator: an operation on an object is
// none (it has an effect).
func (c *checker) operand(e ast.Expr, en *env) *texpr {
	x := c.expr(e, en)
	if x != nil && x.call != nil {
		c.effectInExpr(x)
		return nil
	}
	return x
}

// negEval evaluates -x, faulting on the one value it overflows.
func negEval(xe Eval, pos ast.Pos) Eval {
	return func(f *Frame) int {
		r, ok := sub(0, xe(f))
		if !ok {
			f.fault(FaultOverflow, pos)
		}
		return r
	}
}

func kindWord(t *Type) string {
	switch t.Kind {
	case TBool:
		return "a bool"
	case TEnum:
		return "an enum value"
	}
	return "an int"
}

func (c *checker) effectInExpr(x *texpr) {
	c.errorf(x.pos, "%s() changes %s: call it as a statement, on the right of an assignment, or as the whole condition of if or while",
		x.call.info.m, x.call.obj.Group.Name)
}

func (c *checker) binary(e *ast.BinaryExpr, en *env) *texpr {
	x, y := c.expr(e.X, en), c.expr(e.Y, en)
	if x == nil || y == nil {
		return nil
	}
	for _, z := range []*texpr{x, y} {
		if z.call != nil {
			c.effectInExpr(z)
			return nil
		}
	}
	out := &texpr{reads: union(x.reads, y.reads), pos: e.OpPos}
	var ok bool
	switch e.Op {
	case "&&", "||", "->":
		ok = c.logical(e, x, y, out)
	case "==", "!=", "<", "<=", ">", ">=":
		ok = c.comparison(e, x, y, out)
	default: // + - * / %
		ok = c.arithmetic(e, x, y, out)
	}
	if !ok {
		return nil
	}
	if x.konst && y.konst {
		return c.fold(out)
	}
	return out
}

// logical types x op y for &&, || and -> into out.
func (c *checker) logical(e *ast.BinaryExpr, x, y, out *texpr) bool {
	if x.t.Kind != TBool || y.t.Kind != TBool {
		c.errorf(e.OpPos, "operator %s needs bools, not %s and %s", e.Op, x.t, y.t)
		return false
	}
	out.t = boolType
	xe, ye := x.eval, y.eval
	switch e.Op {
	case "&&":
		out.eval = func(f *Frame) int {
			if xe(f) == 0 {
				return 0
			}
			return ye(f)
		}
	case "||":
		out.eval = func(f *Frame) int {
			if xe(f) != 0 {
				return 1
			}
			return ye(f)
		}
	default:
		out.eval = func(f *Frame) int {
			if xe(f) == 0 {
				return 1
			}
			return ye(f)
		}
	}
	return true
}

// comparison types x op y for == != < <= > >= into out.
func (c *checker) comparison(e *ast.BinaryExpr, x, y, out *texpr) bool {
	switch {
	case (e.Op == "==" || e.Op == "!=") && !comparable(x.t, y.t):
		c.errorf(e.OpPos, "cannot compare %s with %s", x.t, y.t)
		return false
	case e.Op != "==" && e.Op != "!=" && (x.t.Kind != TInt || y.t.Kind != TInt):
		c.errorf(e.OpPos, "operator %s needs ints, not %s and %s", e.Op, x.t, y.t)
		return false
	}
	out.t = boolType
	xe, ye := x.eval, y.eval
	switch e.Op {
	case "==":
		out.eval = func(f *Frame) int { return boolInt(xe(f) == ye(f)) }
	case "!=":
		out.eval = func(f *Frame) int { return boolInt(xe(f) != ye(f)) }
	case "<":
		out.eval = func(f *Frame) int { return boolInt(xe(f) < ye(f)) }
	case "<=":
		out.eval = func(f *Frame) int { return boolInt(xe(f) <= ye(f)) }
	case ">":
		out.eval = func(f *Frame) int { return boolInt(xe(f) > ye(f)) }
	default:
		out.eval = func(f *Frame) int { return boolInt(xe(f) >= ye(f)) }
	}
	return true
}

// arithmetic types x op y for + - * / % into out. A division by a value
// that is not constant may fault, which reduction must know.
func (c *checker) arithmetic(e *ast.BinaryExpr, x, y, out *texpr) bool {
	if x.t.Kind != TInt || y.t.Kind != TInt {
		c.errorf(e.OpPos, "operator %s needs ints, not %s and %s", e.Op, x.t, y.t)
		return false
	}
	out.t = intType
	xe, ye, pos := x.eval, y.eval, e.OpPos
	switch e.Op {
	case "+":
		out.eval = addEval(xe, ye, pos)
	case "-":
		out.eval = subEval(xe, ye, pos)
	case "*":
		out.eval = mulEval(xe, ye, pos)
	default: // / %
		if y.konst && y.val == 0 {
			c.errorf(e.OpPos, "division by zero")
			return false
		}
		out.eval = divEval(e.Op, xe, ye, pos)
		if !y.konst {
			out.reads = union(out.reads, []int{faultLoc})
		}
	}
	return true
}

// divEval evaluates x / y or x % y (floored), faulting on a zero divisor
// and on the one quotient that overflows.
func divEval(op string, xe, ye Eval, pos ast.Pos) Eval {
	if op == "%" {
		return func(f *Frame) int {
			d := ye(f)
			if d == 0 {
				f.fault(FaultDivide, pos)
				return 0
			}
			return floorMod(xe(f), d)
		}
	}
	return func(f *Frame) int {
		d := ye(f)
		if d == 0 {
			f.fault(FaultDivide, pos)
			return 0
		}
		x := xe(f)
		if x == math.MinInt && d == -1 {
			f.fault(FaultOverflow, pos)
			return 0
		}
		return floorDiv(x, d)
	}
}

// fold evaluates a constant expression; arithmetic that overflows is an
// error here, as it is a range violation at run time.
func (c *checker) fold(x *texpr) *texpr {
	var f Frame
	v := x.eval(&f)
	if f.Fault != NoFault {
		c.errorf(x.pos, "constant overflow: the value passes the 64-bit integers")
		return nil
	}
	return konst(v, x.t, x.pos)
}

// addEval, subEval and mulEval evaluate x+y, x-y and x*y, recording an
// overflow as a fault at pos. Each calls its operation directly, so that
// it is inlined: these run on the search's hot path.
func addEval(xe, ye Eval, pos ast.Pos) Eval {
	return func(f *Frame) int {
		r, ok := add(xe(f), ye(f))
		if !ok {
			f.fault(FaultOverflow, pos)
		}
		return r
	}
}

func subEval(xe, ye Eval, pos ast.Pos) Eval {
	return func(f *Frame) int {
		r, ok := sub(xe(f), ye(f))
		if !ok {
			f.fault(FaultOverflow, pos)
		}
		return r
	}
}

func mulEval(xe, ye Eval, pos ast.Pos) Eval {
	return func(f *Frame) int {
		r, ok := mul(xe(f), ye(f))
		if !ok {
			f.fault(FaultOverflow, pos)
		}
		return r
	}
}

// Integer arithmetic never wraps: a result past the 64-bit integers is a
// fault (a range violation), as a value leaving its declared range is.
// add, sub and mul report whether the result is exact.
func add(a, b int) (int, bool) {
	r := a + b
	return r, (r > a) == (b > 0)
}

func sub(a, b int) (int, bool) {
	r := a - b
	return r, (r < a) == (b > 0)
}

func mul(a, b int) (int, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	r := a * b
	return r, r/b == a && !(a == -1 && b == math.MinInt) && !(b == -1 && a == math.MinInt)
}

// floorDiv and floorMod round toward negative infinity, so that (i-1)%N
// stays in 0..N-1 for i = 0.
func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int {
	m := a % b
	if m != 0 && ((m < 0) != (b < 0)) {
		m += b
	}
	return m
}

// index checks x[i] where x is an array variable. Arrays of objects and of
// actors are indexed where they are used (index.go, actors).
func (c *checker) index(e *ast.IndexExpr, en *env) *texpr {
	if id, ok := e.X.(*ast.Ident); ok {
		if s := c.names[id.Name]; s != nil && (s.kind == symObject || s.kind == symActor) && !c.shadowed(id.Name, en) {
			c.errorf(e.Pos(), "%s[...] is a %s, not a value", id.Name, c.describe(s))
			return nil
		}
	}
	id, ok := e.X.(*ast.Ident)
	var v *Var
	if ok && !c.shadowed(id.Name, en) {
		if s := c.names[id.Name]; s != nil && s.kind == symVar {
			v = s.v
		}
	}
	if v == nil || v.Type.Kind != TArray {
		if x := c.expr(e.X, en); x != nil {
			c.errorf(e.Lbrack, "cannot index %s", x.t)
		}
		return nil
	}
	if en.konstOnly {
		c.errorf(e.Pos(), "not a constant expression: %s is a variable", v.Name)
		return nil
	}
	ix := c.intExpr(e.Index, en, "an array index")
	if ix == nil {
		return nil
	}
	et, base, w, n := v.Type.Elem, v.Off, v.Type.Elem.Width(), v.Type.Len
	if ix.konst {
		if ix.val < 0 || ix.val >= n {
			c.errorf(e.Index.Pos(), "index %d is out of range 0..%d of %s", ix.val, n-1, v.Name)
			return nil
		}
		off := base + ix.val*w
		return &texpr{t: et, reads: []int{v.Loc}, pos: e.Pos(), eval: func(f *Frame) int { return Load(f.S, off, et, w) }}
	}
	return &texpr{t: et, reads: union([]int{v.Loc, faultLoc}, ix.reads), pos: e.Pos(), eval: elemEval(v, ix.eval, e.Lbrack)}
}

// elemEval reads the element of array v at a computed index, faulting
// when it is out of range.
func elemEval(v *Var, ie Eval, pos ast.Pos) Eval {
	et, base, w, n, name := v.Type.Elem, v.Off, v.Type.Elem.Width(), v.Type.Len, v.Name
	return func(f *Frame) int {
		i := ie(f)
		if i < 0 || i >= n {
			f.FaultOf(FaultIndex, pos, "", name, i, nil)
			return et.Min()
		}
		return Load(f.S, base+i*w, et, w)
	}
}

// shadowed reports whether a local or quantified name hides a global one.
func (c *checker) shadowed(name string, en *env) bool {
	if l, _ := en.scope.lookup(name); l != nil {
		return true
	}
	if _, ok := en.params[name]; ok {
		return true
	}
	for _, q := range en.quants {
		if q == name {
			return true
		}
	}
	return false
}

func (c *checker) intExpr(e ast.Expr, en *env, what string) *texpr {
	x := c.expr(e, en)
	if x == nil {
		return nil
	}
	if x.call != nil {
		c.effectInExpr(x)
		return nil
	}
	if x.t.Kind != TInt {
		c.errorf(e.Pos(), "%s must be an int, not %s", what, x.t)
		return nil
	}
	return x
}

func (c *checker) boolExpr(e ast.Expr, en *env, what string) *texpr {
	x := c.expr(e, en)
	if x == nil {
		return nil
	}
	if x.call != nil {
		c.effectInExpr(x)
		return nil
	}
	if x.t.Kind != TBool {
		c.errorf(e.Pos(), "%s must be a bool, not %s", what, x.t)
		return nil
	}
	return x
}

// maxQuantWork bounds the values nested quantifiers range over in all, so
// that no state property takes long to evaluate.
const maxQuantWork = 1 << 20

// quantSpan returns how many values lo..hi may span, from their values
// when constant and their types otherwise.
func quantSpan(lo, hi *texpr) int {
	l, h := lo.t.Min(), hi.t.Max()
	if lo.konst {
		l = lo.val
	}
	if hi.konst {
		h = hi.val
	}
	return max(h-l+1, 1)
}

func (c *checker) quant(e *ast.QuantExpr, en *env) *texpr {
	if en.konstOnly {
		c.errorf(e.OpPos, "not a constant expression")
		return nil
	}
	if len(en.quants) >= maxQuant {
		c.errorf(e.OpPos, "quantifiers nested more than %d deep", maxQuant)
		return nil
	}
	lo, hi := c.intExpr(e.Lo, en, "a range bound"), c.intExpr(e.Hi, en, "a range bound")
	if lo == nil || hi == nil {
		return nil
	}
	inner := *en
	inner.quants = append(append([]string(nil), en.quants...), e.Var.Name)
	inner.qwork = max(en.qwork, 1) * quantSpan(lo, hi)
	if inner.qwork > maxQuantWork {
		c.errorf(e.OpPos, "these quantifiers range over more than 1,048,576 values in all, the most evaluated per state")
		return nil
	}
	body := c.expr(e.Body, &inner)
	if body == nil {
		return nil
	}
	if body.call != nil {
		c.effectInExpr(body)
		return nil
	}
	if body.t.Kind != TBool {
		c.errorf(e.Body.Pos(), "the body of %s must be a bool, not %s", e.Op, body.t)
		return nil
	}
	out := &texpr{t: boolType, reads: union(union(lo.reads, hi.reads), body.reads), pos: e.OpPos}
	if e.Op == "count" {
		out.t = intType
	}
	out.eval = quantEval(e.Op, len(en.quants), lo.eval, hi.eval, body.eval)
	return out
}

// quantEval evaluates count, forall or exists over lo..hi, with the
// quantified variable in slot d of the frame.
func quantEval(op string, d int, le, he, be Eval) Eval {
	switch op {
	case "count":
		return func(f *Frame) int {
			n := 0
			for i, h := le(f), he(f); i <= h; i++ {
				f.Q[d] = i
				n += be(f)
			}
			return n
		}
	case "forall":
		return func(f *Frame) int {
			for i, h := le(f), he(f); i <= h; i++ {
				f.Q[d] = i
				if be(f) == 0 {
					return 0
				}
			}
			return 1
		}
	}
	return func(f *Frame) int {
		for i, h := le(f), he(f); i <= h; i++ {
			f.Q[d] = i
			if be(f) != 0 {
				return 1
			}
		}
		return 0
	}
}
