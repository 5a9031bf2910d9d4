package ast

// A Stmt is a statement in an actor or proc body. End is the position just
// past its last token, so Src[Pos().Offset:End().Offset] is its text.
type Stmt interface {
	Pos() Pos
	End() Pos
	stmtNode()
}

// Span is the extent of a statement in the source.
type Span struct{ From, To Pos }

// Pos returns the start of the span.
func (s Span) Pos() Pos { return s.From }

// End returns the position just past the span.
func (s Span) End() Pos { return s.To }

// Block is a braced list of statements.
type Block struct {
	Lbrace, Rbrace Pos
	Stmts          []Stmt
}

// LetStmt declares locals: `let x: 0..9 = e`, `let v, ok = c.recv()`.
type LetStmt struct {
	Span
	Names []*Ident
	Type  Type // may be nil
	Value Expr
}

// AssignStmt is `a, b = e`.
type AssignStmt struct {
	Span
	Targets []Expr
	Value   Expr
}

// ExprStmt is an expression used as a statement: a method call.
type ExprStmt struct {
	Span
	X Expr
}

// IfStmt is `if c { } else if c { } else { }`; Else is nil, *IfStmt or *Block.
type IfStmt struct {
	Span
	Cond Expr
	Then *Block
	Else Stmt
}

// LoopStmt is `loop { }`.
type LoopStmt struct {
	Span
	Body *Block
}

// WhileStmt is `while c { }`.
type WhileStmt struct {
	Span
	Cond Expr
	Body *Block
}

// ForStmt is `for i in lo..hi { }`.
type ForStmt struct {
	Span
	Var    *Ident
	Lo, Hi Expr
	Body   *Block
}

// BranchStmt is `break` or `continue`.
type BranchStmt struct {
	Span
	Tok string
}

// ReturnStmt is `return`.
type ReturnStmt struct{ Span }

// AwaitStmt is `await c`.
type AwaitStmt struct {
	Span
	Cond Expr
}

// AtomicStmt is `atomic { }`.
type AtomicStmt struct {
	Span
	Body *Block
}

// EitherStmt is `either { } or { } ...`.
type EitherStmt struct {
	Span
	Branches []*Block
}

// ChooseStmt is `choose x in lo..hi`.
type ChooseStmt struct {
	Span
	Var    *Ident
	Lo, Hi Expr
}

// AssertStmt is `assert c, "message"`.
type AssertStmt struct {
	Span
	Cond Expr
	Msg  string
}

// RaiseStmt is `raise Name`, or `raise` alone (Name nil) to re-raise.
type RaiseStmt struct {
	Span
	Name *Ident
}

// CatchClause is `catch A, B { }` or `catch any { }`.
type CatchClause struct {
	Catch Pos
	Names []*Ident // empty when Any
	Any   bool
	Body  *Block
}

// TryStmt is `try { } catch ... { } finally { }`.
type TryStmt struct {
	Span
	Body    *Block
	Catches []*CatchClause
	Finally *Block
}

// ProgressStmt marks progress for liveness properties.
type ProgressStmt struct{ Span }

// LabelStmt is `label name:`.
type LabelStmt struct {
	Span
	Name *Ident
}

// StartStmt is `start A` or `start A[i]`.
type StartStmt struct {
	Span
	Target Expr
}

// CancelStmt is `cancel A` or `cancel A[i]`.
type CancelStmt struct {
	Span
	Target Expr
}

// CallStmt is `call p(args)`.
type CallStmt struct {
	Span
	Name *Ident
	Args []Expr
}

// SelectCase is `case comm: stmts` or, with Comm nil, `default: stmts`.
type SelectCase struct {
	Case Pos
	Comm Stmt // *ExprStmt, *AssignStmt or *LetStmt
	Body []Stmt
}

// SelectStmt is `select { case ...: ... default: ... }`.
type SelectStmt struct {
	Span
	Cases []*SelectCase
}

func (*LetStmt) stmtNode()      {}
func (*AssignStmt) stmtNode()   {}
func (*ExprStmt) stmtNode()     {}
func (*IfStmt) stmtNode()       {}
func (*LoopStmt) stmtNode()     {}
func (*WhileStmt) stmtNode()    {}
func (*ForStmt) stmtNode()      {}
func (*BranchStmt) stmtNode()   {}
func (*ReturnStmt) stmtNode()   {}
func (*AwaitStmt) stmtNode()    {}
func (*AtomicStmt) stmtNode()   {}
func (*EitherStmt) stmtNode()   {}
func (*ChooseStmt) stmtNode()   {}
func (*AssertStmt) stmtNode()   {}
func (*RaiseStmt) stmtNode()    {}
func (*TryStmt) stmtNode()      {}
func (*ProgressStmt) stmtNode() {}
func (*LabelStmt) stmtNode()    {}
func (*StartStmt) stmtNode()    {}
func (*CancelStmt) stmtNode()   {}
func (*CallStmt) stmtNode()     {}
func (*SelectStmt) stmtNode()   {}

// Pos returns the position of the opening brace.
func (b *Block) Pos() Pos { return b.Lbrace }

// End returns the position just past the closing brace.
func (b *Block) End() Pos {
	e := b.Rbrace
	e.Col++
	e.Offset++
	return e
}

func (*Block) stmtNode() {}
