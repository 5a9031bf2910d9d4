package ast

// File is one parsed .ilv file.
type File struct {
	Name  string // the file's path, as given
	Src   []byte // the source text
	Spec  *Ident // the spec's declared name, or nil
	Decls []Decl
}

// Ident is a name at a position.
type Ident struct {
	Extent
	NamePos Pos
	Name    string
}

// Pos returns the position of the name.
func (x *Ident) Pos() Pos { return x.NamePos }

// ---- Declarations ----

// A Decl is a top-level declaration.
type Decl interface {
	Pos() Pos
	declNode()
}

// ConstDecl is `const NAME = expr`.
type ConstDecl struct {
	Const Pos
	Name  *Ident
	Value Expr
}

// EnumDecl is `enum NAME { A, B }`.
type EnumDecl struct {
	Enum    Pos
	Name    *Ident
	Members []*Ident
}

// VarDecl is `var NAME: Type = expr`; Type or Init may be nil, not both.
type VarDecl struct {
	Var  Pos
	Name *Ident
	Type Type
	Init Expr
}

// ObjectKind names the kinds of shared objects.
type ObjectKind string

// The object kinds.
const (
	KindLock      ObjectKind = "lock"
	KindSemaphore ObjectKind = "semaphore"
	KindEvent     ObjectKind = "event"
	KindCondition ObjectKind = "condition"
	KindQueue     ObjectKind = "queue"
	KindChan      ObjectKind = "chan"
	KindWaitGroup ObjectKind = "waitgroup"
)

// Fairness is what an actor is promised in the liveness search.
type Fairness string

// The fairness an actor may be given.
const (
	FairDefault Fairness = ""            // as the run says (--fairness, weak by default)
	FairWeak    Fairness = "fair"        // weak: enabled continuously, it moves
	FairStrong  Fairness = "strong fair" // strong: enabled infinitely often, it moves
	FairNone    Fairness = "unfair"      // nothing
)

// Modifier refines an object kind.
type Modifier string

// The modifiers, and the kind each applies to.
const (
	NoModifier Modifier = ""
	Reentrant  Modifier = "reentrant" // lock: the owner may acquire it again
	Robust     Modifier = "robust"    // lock: released when its owner crashes
	Bounded    Modifier = "bounded"   // semaphore: no release past the initial value
	Reusable   Modifier = "reusable"  // waitgroup: Go's sync.WaitGroup
)

// ObjectDecl declares a shared object, or an array of them:
// `[N] bounded semaphore s = 2`, `queue q[4]: Msg`, `condition cv(m)`.
type ObjectDecl struct {
	Start    Pos
	Count    Expr // array length, or nil
	Modifier Modifier
	Kind     ObjectKind
	KindPos  Pos
	Name     *Ident
	Lock     *Ident // condition: the lock it is bound to
	Cap      Expr   // queue, chan: capacity
	Init     Expr   // semaphore: initial value
	Elem     Type   // queue, chan: element type, or nil to infer
}

// Param is a typed proc or fn parameter.
type Param struct {
	Name *Ident
	Type Type
}

// ProcDecl is an inlined procedure.
type ProcDecl struct {
	Proc   Pos
	Name   *Ident
	Params []*Param
	Body   *Block
}

// FnDecl is an expression macro: `fn running() = state == RUNNING`.
type FnDecl struct {
	Fn     Pos
	Name   *Ident
	Params []*Param
	Body   Expr
}

// ActorDecl declares an actor, or an array of instances of one.
type ActorDecl struct {
	Actor       Pos
	Name        *Ident
	Count       Expr // nil: one instance
	Dormant     bool
	Daemon      bool
	Cooperative bool
	Fairness    Fairness // what the actor is promised; FairDefault: what --fairness says
	Crashes     Expr     // nil: never crashes
	Body        *Block
}

// InvariantDecl is `invariant NAME { expr }`.
type InvariantDecl struct {
	Invariant      Pos
	Name           *Ident
	Cond           Expr
	Lbrace, Rbrace Pos
}

// LivenessDecl is `liveness NAME { formula }`; the formula may use the
// temporal operators always and eventually, -> and progress.
type LivenessDecl struct {
	Liveness       Pos
	Name           *Ident
	Formula        Expr
	Lbrace, Rbrace Pos
}

func (d *ConstDecl) Pos() Pos     { return d.Const }
func (d *EnumDecl) Pos() Pos      { return d.Enum }
func (d *VarDecl) Pos() Pos       { return d.Var }
func (d *ObjectDecl) Pos() Pos    { return d.Start }
func (d *ProcDecl) Pos() Pos      { return d.Proc }
func (d *FnDecl) Pos() Pos        { return d.Fn }
func (d *ActorDecl) Pos() Pos     { return d.Actor }
func (d *InvariantDecl) Pos() Pos { return d.Invariant }
func (d *LivenessDecl) Pos() Pos  { return d.Liveness }

func (*ConstDecl) declNode()     {}
func (*EnumDecl) declNode()      {}
func (*VarDecl) declNode()       {}
func (*ObjectDecl) declNode()    {}
func (*ProcDecl) declNode()      {}
func (*FnDecl) declNode()        {}
func (*ActorDecl) declNode()     {}
func (*InvariantDecl) declNode() {}
func (*LivenessDecl) declNode()  {}

// ---- Types ----

// A Type is written in var, let and parameter declarations.
type Type interface {
	Pos() Pos
	typeNode()
}

// BoolType is `bool`.
type BoolType struct{ Bool Pos }

// RangeType is `lo..hi`.
type RangeType struct {
	Lo, Hi Expr
}

// NamedType names an enum.
type NamedType struct{ Name *Ident }

// ArrayType is `[len]elem`.
type ArrayType struct {
	Lbrack Pos
	Len    Expr
	Elem   Type
}

func (t *BoolType) Pos() Pos  { return t.Bool }
func (t *RangeType) Pos() Pos { return t.Lo.Pos() }
func (t *NamedType) Pos() Pos { return t.Name.NamePos }
func (t *ArrayType) Pos() Pos { return t.Lbrack }

func (*BoolType) typeNode()  {}
func (*RangeType) typeNode() {}
func (*NamedType) typeNode() {}
func (*ArrayType) typeNode() {}
