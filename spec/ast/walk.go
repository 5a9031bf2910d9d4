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

// add collects the nodes of xs that are there (not nil).
func add[T interface {
	Node
	comparable
}](k *kids, xs ...T) {
	var none T
	for _, x := range xs {
		if x != none {
			*k = append(*k, x)
		}
	}
}

// of collects the children of n, in source order.
func (k *kids) of(n Node) {
	switch n := n.(type) {
	case *File:
		add(k, n.Spec)
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
		add(k, n.Name)
		add(k, n.Type)
	case *CatchClause:
		add(k, n.Names...)
		add(k, n.Body)
	case *SelectCase:
		add(k, n.Comm)
		add(k, n.Body...)
	}
}

func (k *kids) decl(d Decl) {
	switch d := d.(type) {
	case *ConstDecl:
		add(k, d.Name)
		add(k, d.Value)
	case *EnumDecl:
		add(k, d.Name)
		add(k, d.Members...)
	case *VarDecl:
		add(k, d.Name)
		add(k, d.Type)
		add(k, d.Init)
	case *ObjectDecl:
		add(k, d.Count)
		add(k, d.Name, d.Lock)
		add(k, d.Cap, d.Init)
		add(k, d.Elem)
	case *ProcDecl:
		add(k, d.Name)
		add(k, d.Params...)
		add(k, d.Body)
	case *FnDecl:
		add(k, d.Name)
		add(k, d.Params...)
		add(k, d.Body)
	case *ActorDecl:
		add(k, d.Name)
		add(k, d.Count, d.Crashes)
		add(k, d.Body)
	case *InvariantDecl:
		add(k, d.Name)
		add(k, d.Cond)
	case *LivenessDecl:
		add(k, d.Name)
		add(k, d.Formula)
	}
}

func (k *kids) statement(s Stmt) {
	switch s := s.(type) {
	case *Block:
		add(k, s.Stmts...)
	case *LetStmt:
		add(k, s.Names...)
		add(k, s.Type)
		add(k, s.Value)
	case *AssignStmt:
		add(k, s.Targets...)
		add(k, s.Value)
	case *ExprStmt:
		add(k, s.X)
	case *IfStmt:
		add(k, s.Cond)
		add(k, s.Then)
		add(k, s.Else)
	case *LoopStmt, *WhileStmt, *ForStmt:
		k.loop(s)
	case *AtomicStmt:
		add(k, s.Body)
	case *EitherStmt:
		add(k, s.Branches...)
	case *TryStmt:
		add(k, s.Body)
		for _, c := range s.Catches {
			*k = append(*k, c)
		}
		add(k, s.Finally)
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
		add(k, s.Cond)
	case *ChooseStmt:
		add(k, s.Var)
		add(k, s.Lo, s.Hi)
	case *AssertStmt:
		add(k, s.Cond)
	case *RaiseStmt:
		add(k, s.Name)
	case *LabelStmt:
		add(k, s.Name)
	case *StartStmt:
		add(k, s.Target)
	case *CancelStmt:
		add(k, s.Target)
	case *CallStmt:
		add(k, s.Name)
		add(k, s.Args...)
	}
}

func (k *kids) loop(s Stmt) {
	switch s := s.(type) {
	case *LoopStmt:
		add(k, s.Body)
	case *WhileStmt:
		add(k, s.Cond)
		add(k, s.Body)
	case *ForStmt:
		add(k, s.Var)
		add(k, s.Lo, s.Hi)
		add(k, s.Body)
	}
}

func (k *kids) expression(e Expr) {
	switch e := e.(type) {
	case *UnaryExpr:
		add(k, e.X)
	case *BinaryExpr:
		add(k, e.X, e.Y)
	case *IndexExpr:
		add(k, e.X, e.Index)
	case *SelectorExpr:
		add(k, e.X)
		add(k, e.Sel)
	case *CallExpr:
		add(k, e.Fun)
		add(k, e.Args...)
	case *AtExpr:
		add(k, e.X)
		add(k, e.Label)
	case *QuantExpr:
		add(k, e.Var)
		add(k, e.Lo, e.Hi, e.Body)
	}
}

func (k *kids) typeParts(t Type) {
	switch t := t.(type) {
	case *RangeType:
		add(k, t.Lo, t.Hi)
	case *NamedType:
		add(k, t.Name)
	case *ArrayType:
		add(k, t.Len)
		add(k, t.Elem)
	}
}
