package parser

import (
	"strconv"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/interleave-dev/interleave/spec/ast"
)

// converter turns participle's grammar structs into spec/ast nodes.
type converter struct {
	file string
	src  []byte
	errs ast.ErrorList
}

func (c *converter) pos(p lexer.Position) ast.Pos {
	return ast.Pos{File: c.file, Line: p.Line, Col: p.Column, Offset: p.Offset}
}

func (c *converter) ident(g *gIdent) *ast.Ident {
	if g == nil {
		return nil
	}
	return &ast.Ident{NamePos: c.pos(g.Pos), Name: g.Name, Extent: ast.Extent{From: c.pos(g.Pos), To: c.pos(g.EndPos)}}
}

func (c *converter) idents(gs []*gIdent) []*ast.Ident {
	out := make([]*ast.Ident, len(gs))
	for i, g := range gs {
		out[i] = c.ident(g)
	}
	return out
}

func (c *converter) file_(g *gFile) *ast.File {
	f := &ast.File{Name: c.file}
	for _, d := range g.Decls {
		if d.Spec != nil {
			if f.Spec != nil {
				c.errs.Add(c.pos(d.Spec.Pos), "spec name given twice")
			}
			f.Spec = c.ident(d.Spec.Name)
			continue
		}
		f.Decls = append(f.Decls, c.decl(d))
	}
	return f
}

func (c *converter) decl(d *gDecl) ast.Decl {
	switch {
	case d.Const != nil:
		return &ast.ConstDecl{Const: c.pos(d.Const.Pos), Name: c.ident(d.Const.Name), Value: c.expr(d.Const.Value)}
	case d.Enum != nil:
		return &ast.EnumDecl{Enum: c.pos(d.Enum.Pos), Name: c.ident(d.Enum.Name), Members: c.idents(d.Enum.Members)}
	case d.Var != nil:
		v := d.Var
		if v.Type == nil && v.Init == nil {
			c.errs.Add(c.pos(v.Name.Pos), "var %s needs a type or an initial value", v.Name.Name)
		}
		return &ast.VarDecl{Var: c.pos(v.Pos), Name: c.ident(v.Name), Type: c.typ(v.Type), Init: c.exprOpt(v.Init)}
	case d.Object != nil:
		o := d.Object
		return &ast.ObjectDecl{
			Start: c.pos(o.Pos), Count: c.exprOpt(o.Count), Modifier: ast.Modifier(o.Modifier),
			Kind: ast.ObjectKind(o.Kind), Name: c.ident(o.Name), Lock: c.ident(o.Lock),
			Cap: c.exprOpt(o.Cap), Init: c.exprOpt(o.Init), Elem: c.typ(o.Elem),
		}
	case d.Proc != nil:
		p := d.Proc
		return &ast.ProcDecl{Proc: c.pos(p.Pos), Name: c.ident(p.Name), Params: c.params(p.Params), Body: c.block(p.Body)}
	case d.Fn != nil:
		f := d.Fn
		return &ast.FnDecl{Fn: c.pos(f.Pos), Name: c.ident(f.Name), Params: c.params(f.Params), Body: c.expr(f.Body)}
	case d.Actor != nil:
		return c.actor(d.Actor)
	case d.Invariant != nil:
		i := d.Invariant
		return &ast.InvariantDecl{Invariant: c.pos(i.Pos), Name: c.ident(i.Name), Cond: c.expr(i.Body.X),
			Lbrace: c.pos(i.Body.Pos), Rbrace: c.pos(i.Body.Close.Pos)}
	default:
		l := d.Liveness
		return &ast.LivenessDecl{Liveness: c.pos(l.Pos), Name: c.ident(l.Name), Formula: c.expr(l.Body.X),
			Lbrace: c.pos(l.Body.Pos), Rbrace: c.pos(l.Body.Close.Pos)}
	}
}

func (c *converter) actor(g *gActor) *ast.ActorDecl {
	a := &ast.ActorDecl{Actor: c.pos(g.Pos), Name: c.ident(g.Name), Count: c.exprOpt(g.Count), Body: c.block(g.Body)}
	for _, m := range g.Modifiers {
		var dup bool
		switch m.Flag {
		case "dormant":
			dup, a.Dormant = a.Dormant, true
		case "daemon":
			dup, a.Daemon = a.Daemon, true
		case "cooperative":
			dup, a.Cooperative = a.Cooperative, true
		case "fair", "unfair":
			dup, a.Fairness = a.Fairness != ast.FairDefault, ast.Fairness(m.Flag)
		default:
			if m.Strong {
				dup, a.Fairness = a.Fairness != ast.FairDefault, ast.FairStrong
				break
			}
			dup = a.Crashes != nil
			a.Crashes = c.expr(m.Crashes)
		}
		if dup {
			word := m.Flag
			switch {
			case m.Strong || word == "fair" || word == "unfair":
				word = "fairness"
			case word == "":
				word = "crashes"
			}
			c.errs.Add(c.pos(m.Pos), "%s given twice", word)
		}
	}
	return a
}

func (c *converter) params(gs []*gParam) []*ast.Param {
	out := make([]*ast.Param, len(gs))
	for i, g := range gs {
		out[i] = &ast.Param{Name: c.ident(g.Name), Type: c.typ(g.Type)}
	}
	return out
}

func (c *converter) typ(g *gType) ast.Type {
	switch {
	case g == nil:
		return nil
	case g.Len != nil:
		return &ast.ArrayType{Lbrack: c.pos(g.Pos), Len: c.expr(g.Len), Elem: c.typ(g.Elem)}
	case g.Bool:
		return &ast.BoolType{Bool: c.pos(g.Pos)}
	case g.Hi != nil:
		return &ast.RangeType{Lo: c.add(g.Lo), Hi: c.add(g.Hi)}
	}
	lo := c.add(g.Lo)
	if id, ok := lo.(*ast.Ident); ok {
		return &ast.NamedType{Name: id}
	}
	c.errs.Add(lo.Pos(), "not a type: write bool, lo..hi, an enum name or [N]type")
	return &ast.BoolType{Bool: lo.Pos()}
}

// ---- Statements ----

func (c *converter) block(g *gBlock) *ast.Block {
	b := &ast.Block{Lbrace: c.pos(g.Pos), Rbrace: c.pos(g.Close.Pos)}
	b.Stmts = c.stmts(g.Stmts)
	return b
}

func (c *converter) stmts(gs []*gStmt) []ast.Stmt {
	out := make([]ast.Stmt, 0, len(gs))
	for _, g := range gs {
		out = append(out, c.stmt(g))
	}
	return out
}

func (c *converter) stmt(g *gStmt) ast.Stmt {
	sp := ast.Span{From: c.pos(g.Pos), To: c.pos(g.EndPos)}
	switch {
	case g.Let != nil:
		return c.let(sp, g.Let)
	case g.If != nil:
		return c.if_(sp, g.If)
	case g.Loop != nil:
		return &ast.LoopStmt{Span: sp, Body: c.block(g.Loop)}
	case g.While != nil:
		return &ast.WhileStmt{Span: sp, Cond: c.expr(g.While.Cond), Body: c.block(g.While.Body)}
	case g.For != nil:
		f := g.For
		return &ast.ForStmt{Span: sp, Var: c.ident(f.Var), Lo: c.add(f.Lo), Hi: c.add(f.Hi), Body: c.block(f.Body)}
	case g.Atomic != nil:
		return &ast.AtomicStmt{Span: sp, Body: c.block(g.Atomic)}
	case g.Either != nil:
		s := &ast.EitherStmt{Span: sp, Branches: []*ast.Block{c.block(g.Either.First)}}
		for _, b := range g.Either.Or {
			s.Branches = append(s.Branches, c.block(b))
		}
		return s
	case g.Try != nil:
		return c.try(sp, g.Try)
	case g.Select != nil:
		return c.select_(sp, g.Select)
	}
	return c.simpleStmt(sp, g)
}

// simpleStmt converts a statement that holds no other.
func (c *converter) simpleStmt(sp ast.Span, g *gStmt) ast.Stmt {
	switch {
	case g.Break, g.Continue:
		if g.Break {
			return &ast.BranchStmt{Span: sp, Tok: "break"}
		}
		return &ast.BranchStmt{Span: sp, Tok: "continue"}
	case g.Return:
		return &ast.ReturnStmt{Span: sp}
	case g.Await != nil:
		return &ast.AwaitStmt{Span: sp, Cond: c.expr(g.Await)}
	case g.Choose != nil:
		ch := g.Choose
		return &ast.ChooseStmt{Span: sp, Var: c.ident(ch.Var), Lo: c.add(ch.Lo), Hi: c.add(ch.Hi)}
	case g.Assert != nil:
		s := &ast.AssertStmt{Span: sp, Cond: c.expr(g.Assert.Cond)}
		if g.Assert.Msg != nil {
			s.Msg = *g.Assert.Msg
		}
		return s
	case g.Raise != nil:
		s := &ast.RaiseStmt{Span: sp}
		if n := g.Raise.Name; n != nil {
			s.Name = &ast.Ident{NamePos: c.pos(n.Pos), Name: n.Name, Extent: ast.Extent{From: c.pos(n.Pos), To: c.pos(n.EndPos)}}
		}
		return s
	case g.Progress:
		return &ast.ProgressStmt{Span: sp}
	case g.Label != nil:
		return &ast.LabelStmt{Span: sp, Name: c.ident(g.Label)}
	case g.Start != nil:
		return &ast.StartStmt{Span: sp, Target: c.postfix(g.Start)}
	case g.Cancel != nil:
		return &ast.CancelStmt{Span: sp, Target: c.postfix(g.Cancel)}
	case g.Call != nil:
		return &ast.CallStmt{Span: sp, Name: c.ident(g.Call.Name), Args: c.exprs(g.Call.Args)}
	}
	return c.simple(sp, g.Simple)
}

func (c *converter) let(sp ast.Span, g *gLet) *ast.LetStmt {
	return &ast.LetStmt{Span: sp, Names: c.idents(g.Names), Type: c.typ(g.Type), Value: c.expr(g.Value)}
}

func (c *converter) simple(sp ast.Span, g *gSimple) ast.Stmt {
	targets := c.exprs(g.Targets)
	if g.Value == nil {
		if len(targets) > 1 {
			c.errs.Add(targets[1].Pos(), "a list of expressions is not a statement (missing = ?)")
		}
		return &ast.ExprStmt{Span: sp, X: targets[0]}
	}
	return &ast.AssignStmt{Span: sp, Targets: targets, Value: c.expr(g.Value)}
}

func (c *converter) if_(sp ast.Span, g *gIf) *ast.IfStmt {
	s := &ast.IfStmt{Span: sp, Cond: c.expr(g.Cond), Then: c.block(g.Then)}
	switch {
	case g.ElseIf != nil:
		// The span of an else-if runs from its "if" to the end of the chain.
		from := c.pos(g.ElseIf.Then.Pos)
		if p, ok := g.ElseIf.Cond.startPos(); ok {
			from = c.pos(p)
		}
		s.Else = c.if_(ast.Span{From: c.ifKeyword(from), To: sp.To}, g.ElseIf)
	case g.Else != nil:
		s.Else = c.block(g.Else)
	}
	return s
}

// ifKeyword finds the "if" that stands before a condition starting at p.
func (c *converter) ifKeyword(p ast.Pos) ast.Pos {
	i := p.Offset - 1
	for i > 0 && (c.src[i] == ' ' || c.src[i] == '\t' || c.src[i] == '\n' || c.src[i] == '\r') {
		i--
	}
	if i >= 1 && string(c.src[i-1:i+1]) == "if" {
		back := p.Offset - (i - 1)
		if p.Col > back {
			return ast.Pos{File: p.File, Line: p.Line, Col: p.Col - back, Offset: i - 1}
		}
	}
	return p
}

func (c *converter) try(sp ast.Span, g *gTry) *ast.TryStmt {
	s := &ast.TryStmt{Span: sp, Body: c.block(g.Body)}
	for _, k := range g.Catches {
		s.Catches = append(s.Catches, &ast.CatchClause{
			Catch: c.pos(k.Pos), Names: c.idents(k.Names), Any: k.Any, Body: c.block(k.Body),
		})
	}
	if g.Finally != nil {
		s.Finally = c.block(g.Finally)
	}
	if len(s.Catches) == 0 && s.Finally == nil {
		c.errs.Add(sp.From, "try needs a catch or a finally")
	}
	return s
}

func (c *converter) select_(sp ast.Span, g *gSelect) *ast.SelectStmt {
	s := &ast.SelectStmt{Span: sp}
	for _, k := range g.Cases {
		sc := &ast.SelectCase{Case: c.pos(k.Pos), Body: c.stmts(k.Body)}
		switch {
		case k.Let != nil:
			sc.Comm = c.let(ast.Span{From: sc.Case, To: sc.Case}, k.Let)
		case k.Comm != nil:
			sc.Comm = c.simple(ast.Span{From: sc.Case, To: sc.Case}, k.Comm)
		}
		s.Cases = append(s.Cases, sc)
	}
	return s
}

// ---- Expressions ----

func (c *converter) exprs(gs []*gExpr) []ast.Expr {
	out := make([]ast.Expr, len(gs))
	for i, g := range gs {
		out[i] = c.expr(g)
	}
	return out
}

func (c *converter) exprOpt(g *gExpr) ast.Expr {
	if g == nil {
		return nil
	}
	return c.expr(g)
}

func (c *converter) expr(g *gExpr) ast.Expr {
	x := c.or(g.Left)
	if g.Arrow == nil {
		return x
	}
	return binaryExpr(x, c.pos(g.Arrow.Pos), "->", c.expr(g.Right))
}

func (c *converter) or(g *gOr) ast.Expr {
	x := c.and(g.Left)
	for _, t := range g.Rest {
		x = binaryExpr(x, c.pos(t.Pos), t.Op, c.and(t.X))
	}
	return x
}

func (c *converter) and(g *gAnd) ast.Expr {
	x := c.cmp(g.Left)
	for _, t := range g.Rest {
		x = binaryExpr(x, c.pos(t.Pos), t.Op, c.cmp(t.X))
	}
	return x
}

func (c *converter) cmp(g *gCmp) ast.Expr {
	x := c.add(g.Left)
	if g.Tail == nil {
		return x
	}
	return binaryExpr(x, c.pos(g.Tail.Pos), g.Tail.Op, c.add(g.Tail.Right))
}

func (c *converter) add(g *gAdd) ast.Expr {
	x := c.mul(g.Left)
	for _, t := range g.Rest {
		x = binaryExpr(x, c.pos(t.Pos), t.Op, c.mul(t.X))
	}
	return x
}

func (c *converter) mul(g *gMul) ast.Expr {
	x := c.unary(g.Left)
	for _, t := range g.Rest {
		x = binaryExpr(x, c.pos(t.Pos), t.Op, c.unary(t.X))
	}
	return x
}

// binaryExpr returns x op y, whose text runs from x's start to y's end.
func binaryExpr(x ast.Expr, opPos ast.Pos, op string, y ast.Expr) *ast.BinaryExpr {
	return &ast.BinaryExpr{X: x, OpPos: opPos, Op: op, Y: y, Extent: ast.Extent{From: x.Start(), To: y.End()}}
}

func (c *converter) unary(g *gUnary) ast.Expr {
	op, x := g.Op, ast.Expr(nil)
	switch {
	case g.Postfix != nil:
		return c.postfix(g.Postfix)
	case g.Temporal != "":
		op, x = g.Temporal, c.expr(g.Body)
	default:
		x = c.unary(g.X)
	}
	return &ast.UnaryExpr{OpPos: c.pos(g.Pos), Op: op, X: x, Extent: ast.Extent{From: c.pos(g.Pos), To: x.End()}}
}

func (c *converter) postfix(g *gPostfix) ast.Expr {
	x := c.primary(g.Primary)
	for _, s := range g.Suffixes {
		end := ast.Extent{From: x.Start(), To: c.pos(s.EndPos)}
		switch {
		case s.Index != nil:
			x = &ast.IndexExpr{X: x, Lbrack: c.pos(s.Pos), Index: c.expr(s.Index), Extent: end}
		case s.Sel != nil:
			sel := c.ident(s.Sel)
			x = &ast.SelectorExpr{X: x, Sel: sel, Extent: ast.Extent{From: x.Start(), To: sel.End()}}
			if s.Call != nil {
				x = &ast.CallExpr{Fun: x, Lparen: c.pos(s.Call.Pos), Args: c.exprs(s.Call.Args), Extent: end}
			}
		default:
			x = &ast.AtExpr{X: x, Label: c.ident(s.At), Extent: end}
		}
	}
	return x
}

// primary converts a primary expression; its extent is the primary's,
// parentheses included.
func (c *converter) primary(g *gPrimary) ast.Expr {
	x := c.primaryExpr(g)
	x.(interface{ SetExtent(from, to ast.Pos) }).SetExtent(c.pos(g.Pos), c.pos(g.EndPos))
	return x
}

func (c *converter) primaryExpr(g *gPrimary) ast.Expr {
	p := c.pos(g.Pos)
	switch {
	case g.Int != nil:
		v, err := strconv.Atoi(*g.Int)
		if err != nil || v > 1<<30 {
			c.errs.Add(p, "integer %s is too large", *g.Int)
		}
		return &ast.IntLit{ValuePos: p, Value: v}
	case g.True || g.False:
		return &ast.BoolLit{ValuePos: p, Value: g.True}
	case g.Self:
		return &ast.SelfExpr{Self: p}
	case g.Mode != "":
		return &ast.ModeExpr{ModePos: p, Mode: g.Mode}
	case g.Progress:
		return &ast.ProgressExpr{Progress: p}
	case g.Paren != nil:
		return c.expr(g.Paren)
	}
	n := g.Named
	id := c.ident(n.Name)
	if n.Paren == nil {
		return id
	}
	if q := n.Paren.Quant; q != nil {
		return c.quant(id, n.Paren.First, q)
	}
	call := &ast.CallExpr{Fun: id, Lparen: id.NamePos}
	if n.Paren.First != nil {
		call.Args = append([]ast.Expr{c.expr(n.Paren.First)}, c.exprs(n.Paren.Rest)...)
	}
	return call
}

// quant converts count(i in lo..hi: e), forall(...) or exists(...).
func (c *converter) quant(id *ast.Ident, first *gExpr, q *gQuant) *ast.QuantExpr {
	v, ok := c.expr(first).(*ast.Ident)
	if !ok {
		c.errs.Add(id.NamePos, "%s(x in lo..hi: ...) needs a variable name before in", id.Name)
		v = &ast.Ident{NamePos: id.NamePos, Name: "_", Extent: id.Extent}
	}
	switch id.Name {
	case "count", "forall", "exists":
	default:
		c.errs.Add(id.NamePos, "%s(x in lo..hi: ...) is not a quantifier: use count, forall or exists", id.Name)
	}
	return &ast.QuantExpr{OpPos: id.NamePos, Op: id.Name, Var: v, Lo: c.add(q.Lo), Hi: c.add(q.Hi), Body: c.expr(q.Body)}
}

// startPos returns where an expression's first token stands.
func (g *gExpr) startPos() (lexer.Position, bool) {
	u := g.Left.Left.Left.Left.Left.Left
	if u.Postfix == nil {
		return u.Pos, true
	}
	return u.Postfix.Primary.Pos, true
}
