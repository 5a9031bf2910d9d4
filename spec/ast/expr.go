package ast

// An Expr is an expression. Pos is where a message about it points: its
// first token (an operator's left operand's). Start and End delimit its
// text, parentheses around it included: Src[Start().Offset:End().Offset].
type Expr interface {
	Pos() Pos
	Start() Pos
	End() Pos
	exprNode()
}

// Extent records where an expression's text starts and ends (see Expr).
type Extent struct{ From, To Pos }

// Start returns the position of the expression's first character.
func (x *Extent) Start() Pos { return x.From }

// End returns the position just past the expression.
func (x *Extent) End() Pos { return x.To }

// SetExtent sets the extent of the expression: the parser widens it over
// the parentheses of a parenthesised expression.
func (x *Extent) SetExtent(from, to Pos) { x.From, x.To = from, to }

// IntLit is an integer literal.
type IntLit struct {
	Extent
	ValuePos Pos
	Value    int
}

// BoolLit is true or false.
type BoolLit struct {
	Extent
	ValuePos Pos
	Value    bool
}

// SelfExpr is `self`, the index of the running actor instance.
type SelfExpr struct {
	Extent
	Self Pos
}

// ModeExpr is one of the operation modes `timeout`, `nowait`, `immediate`.
type ModeExpr struct {
	Extent
	ModePos Pos
	Mode    string
}

// ProgressExpr is `progress` inside a liveness formula.
type ProgressExpr struct {
	Extent
	Progress Pos
}

// UnaryExpr is `!x`, `-x`, `always f` or `eventually f`.
type UnaryExpr struct {
	Extent
	OpPos Pos
	Op    string
	X     Expr
}

// BinaryExpr is `x op y`; OpPos is the operator's position.
type BinaryExpr struct {
	Extent
	X     Expr
	OpPos Pos
	Op    string
	Y     Expr
}

// IndexExpr is `x[i]`.
type IndexExpr struct {
	Extent
	X      Expr
	Lbrack Pos
	Index  Expr
}

// SelectorExpr is `x.name`.
type SelectorExpr struct {
	Extent
	X   Expr
	Sel *Ident
}

// CallExpr is `f(args)` or `x.m(args)`.
type CallExpr struct {
	Extent
	Fun    Expr // *Ident or *SelectorExpr
	Lparen Pos
	Args   []Expr
}

// AtExpr is `Actor@label`: the actor stands at the label.
type AtExpr struct {
	Extent
	X     Expr
	Label *Ident
}

// QuantExpr is `count(i in lo..hi: e)`, `forall(...)` or `exists(...)`.
type QuantExpr struct {
	Extent
	OpPos  Pos
	Op     string
	Var    *Ident
	Lo, Hi Expr
	Body   Expr
}

func (x *IntLit) Pos() Pos       { return x.ValuePos }
func (x *BoolLit) Pos() Pos      { return x.ValuePos }
func (x *SelfExpr) Pos() Pos     { return x.Self }
func (x *ModeExpr) Pos() Pos     { return x.ModePos }
func (x *ProgressExpr) Pos() Pos { return x.Progress }
func (x *UnaryExpr) Pos() Pos    { return x.OpPos }
func (x *BinaryExpr) Pos() Pos   { return x.X.Pos() }
func (x *IndexExpr) Pos() Pos    { return x.X.Pos() }
func (x *SelectorExpr) Pos() Pos { return x.X.Pos() }
func (x *CallExpr) Pos() Pos     { return x.Fun.Pos() }
func (x *AtExpr) Pos() Pos       { return x.X.Pos() }
func (x *QuantExpr) Pos() Pos    { return x.OpPos }

func (*Ident) exprNode()        {}
func (*IntLit) exprNode()       {}
func (*BoolLit) exprNode()      {}
func (*SelfExpr) exprNode()     {}
func (*ModeExpr) exprNode()     {}
func (*ProgressExpr) exprNode() {}
func (*UnaryExpr) exprNode()    {}
func (*BinaryExpr) exprNode()   {}
func (*IndexExpr) exprNode()    {}
func (*SelectorExpr) exprNode() {}
func (*CallExpr) exprNode()     {}
func (*AtExpr) exprNode()       {}
func (*QuantExpr) exprNode()    {}
