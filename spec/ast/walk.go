package ast

// A Node is any node of the syntax tree: a declaration, statement,
// expression, type, or one of their parts (File, Param, CatchClause,
// SelectCase).
type Node interface{ Pos() Pos }

// Pos returns the position of a parameter's name.
func (p *Param) Pos() Pos { return p.Name.NamePos }

// Pos returns the position of the catch keyword.
func (c *CatchClause) Pos() Pos { return c.Catch }

// Pos returns the position of the case or default keyword.
func (c *SelectCase) Pos() Pos { return c.Case }

// Pos returns the start of the file.
func (f *File) Pos() Pos { return Pos{File: f.Name, Line: 1, Col: 1} }

// Inspect walks the tree under n depth first, in source order: it calls
// f(n), and when that returns true, walks each child of n the same way.
// Absent children (a let without a type, an if without else) are skipped.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	var k kids
	k.of(n)
	for _, c := range k {
		Inspect(c, f)
	}
}

// kids collects the children of a node, leaving out absent ones.
type kids []Node

func (k *kids) expr(es ...Expr) {
	for _, e := range es {
		if e != nil {
			*k = append(*k, e)
		}
	}
}

func (k *kids) ident(ids ...*Ident) {
	for _, id := range ids {
		if id != nil {
			*k = append(*k, id)
		}
	}
}

func (k *kids) block(bs ...*Block) {
	for _, b := range bs {
		if b != nil {
			*k = append(*k, b)
		}
	}
}

func (k *kids) typ(t Type) {
	if t != nil {
		*k = append(*k, t)
	}
}

func (k *kids) stmt(ss ...Stmt) {
	for _, s := range ss {
		if s != nil {
			*k = append(*k, s)
		}
	}
}

func (k *kids) params(ps []*Param) {
	for _, p := range ps {
		*k = append(*k, p)
	}
}

// of collects the children of n, in source order.
func (k *kids) of(n Node) {
	switch n := n.(type) {
	case *File:
		k.ident(n.Spec)
		for _, d := range n.Decls {
			*k = append(*k, d)
		}
	case Decl:
		k.decl(n)
	case Stmt:
		k.statement(n)
	case Expr:
		k.expression(n)
	case Type:
		k.typeParts(n)
	case *Param:
		k.ident(n.Name)
		k.typ(n.Type)
	case *CatchClause:
		k.ident(n.Names...)
		k.block(n.Body)
	case *SelectCase:
		k.stmt(n.Comm)
		k.stmt(n.Body...)
	}
}

func (k *kids) decl(d Decl) {
	switch d := d.(type) {
	case *ConstDecl:
		k.ident(d.Name)
		k.expr(d.Value)
	case *EnumDecl:
		k.ident(d.Name)
		k.ident(d.Members...)
	case *VarDecl:
		k.ident(d.Name)
		k.typ(d.Type)
		k.expr(d.Init)
	case *ObjectDecl:
		k.expr(d.Count)
		k.ident(d.Name, d.Lock)
		k.expr(d.Cap, d.Init)
		k.typ(d.Elem)
	case *ProcDecl:
		k.ident(d.Name)
		k.params(d.Params)
		k.block(d.Body)
	case *FnDecl:
		k.ident(d.Name)
		k.params(d.Params)
		k.expr(d.Body)
	case *ActorDecl:
		k.ident(d.Name)
		k.expr(d.Count, d.Crashes)
		k.block(d.Body)
	case *InvariantDecl:
		k.ident(d.Name)
		k.expr(d.Cond)
	case *LivenessDecl:
		k.ident(d.Name)
		k.expr(d.Formula)
	}
}

func (k *kids) statement(s Stmt) {
	switch s := s.(type) {
	case *Block:
		k.stmt(s.Stmts...)
	case *LetStmt:
		k.ident(s.Names...)
		k.typ(s.Type)
		k.expr(s.Value)
	case *AssignStmt:
		k.expr(s.Targets...)
		k.expr(s.Value)
	case *ExprStmt:
		k.expr(s.X)
	case *IfStmt:
		k.expr(s.Cond)
		k.block(s.Then)
		k.stmt(s.Else)
	case *LoopStmt, *WhileStmt, *ForStmt:
		k.loop(s)
	case *AtomicStmt:
		k.block(s.Body)
	case *EitherStmt:
		k.block(s.Branches...)
	case *TryStmt:
		k.block(s.Body)
		for _, c := range s.Catches {
			*k = append(*k, c)
		}
		k.block(s.Finally)
	case *SelectStmt:
		for _, c := range s.Cases {
			*k = append(*k, c)
		}
	default:
		k.simple(s)
	}
}

// simple collects the children of a statement that holds no other.
func (k *kids) simple(s Stmt) {
	switch s := s.(type) {
	case *AwaitStmt:
		k.expr(s.Cond)
	case *ChooseStmt:
		k.ident(s.Var)
		k.expr(s.Lo, s.Hi)
	case *AssertStmt:
		k.expr(s.Cond)
	case *RaiseStmt:
		k.ident(s.Name)
	case *LabelStmt:
		k.ident(s.Name)
	case *StartStmt:
		k.expr(s.Target)
	case *CancelStmt:
		k.expr(s.Target)
	case *CallStmt:
		k.ident(s.Name)
		k.expr(s.Args...)
	}
}

func (k *kids) loop(s Stmt) {
	switch s := s.(type) {
	case *LoopStmt:
		k.block(s.Body)
	case *WhileStmt:
		k.expr(s.Cond)
		k.block(s.Body)
	case *ForStmt:
		k.ident(s.Var)
		k.expr(s.Lo, s.Hi)
		k.block(s.Body)
	}
}

func (k *kids) expression(e Expr) {
	switch e := e.(type) {
	case *UnaryExpr:
		k.expr(e.X)
	case *BinaryExpr:
		k.expr(e.X, e.Y)
	case *IndexExpr:
		k.expr(e.X, e.Index)
	case *SelectorExpr:
		k.expr(e.X)
		k.ident(e.Sel)
	case *CallExpr:
		k.expr(e.Fun)
		k.expr(e.Args...)
	case *AtExpr:
		k.expr(e.X)
		k.ident(e.Label)
	case *QuantExpr:
		k.ident(e.Var)
		k.expr(e.Lo, e.Hi, e.Body)
	}
}

func (k *kids) typeParts(t Type) {
	switch t := t.(type) {
	case *RangeType:
		k.expr(t.Lo, t.Hi)
	case *NamedType:
		k.ident(t.Name)
	case *ArrayType:
		k.expr(t.Len)
		k.typ(t.Elem)
	}
}
