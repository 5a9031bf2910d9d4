package spec

import (
	"fmt"

	"github.com/interleave-dev/interleave/spec/ast"
)

// A Program is a checked and lowered spec: what the explorer runs. It holds
// no syntax tree; positions come from its instructions.
type Program struct {
	Name      string
	File      string
	Src       []byte
	Consts    []*Const
	Enums     []*Enum
	Vars      []*Var
	Objects   []*Object // every object instance; arrays of objects are consecutive
	Groups    []*Group  // objects as declared
	Types     []*ActorType
	Actors    []*Actor // every actor instance, in declaration order
	Invariant []*Invariant
	Liveness  []*Liveness
	LeftOut   []string // properties not checked: Options.Only left them out
	Errors    []string // error names; an error's id is its index + 1
	Locs      []Loc    // the shared locations instructions read and write

	StateSize int
	init      []byte
}

// Const is a named constant and its value after overrides.
type Const struct {
	Name     string
	Value    int
	Type     *Type
	Override bool // set from the command line
}

// Enum is an enumeration; a value is a member's index.
type Enum struct {
	Name    string
	Members []string
}

// Var is a global variable stored at Off in the state.
type Var struct {
	Name string
	Type *Type
	Off  int
	Loc  int // index into Program.Locs
	Pos  ast.Pos
}

// Group is an object declaration: one object, or an array of Count objects
// starting at Program.Objects[First].
type Group struct {
	Name  string
	Kind  ast.ObjectKind
	Mod   ast.Modifier
	Array bool
	Count int
	First int
	Pos   ast.Pos
}

// Object is one shared object instance and its place in the state.
//
// State per kind (bytes at Off): lock: owner (actor ID+1, 0 free) and, for a
// reentrant lock, the count; semaphore: value; event: flag; condition: one
// bit per actor instance in the wait set; queue and chan: count, flags,
// then Cap items of the element type, packed from the front; waitgroup:
// counter, flags.
type Object struct {
	Name  string // fork[2]
	Group *Group
	Kind  ast.ObjectKind
	Mod   ast.Modifier
	Off   int
	Size  int
	Cap   int   // queue, chan
	Init  int   // semaphore: initial value
	Max   int   // semaphore: largest value
	Elem  *Type // queue, chan
	Lock  int   // condition: the index of its lock object
	Loc   int
}

// Actor is one actor instance.
type Actor struct {
	ID     int    // index into Program.Actors
	Name   string // Worker[1]
	Type   *ActorType
	Index  int // self
	Off    int // status byte; pc, crash count and locals follow (see ActorType)
	Loc    int // the actor's status, as a shared location others may read
	Locals int // offset of the first local
}

// Status values of an actor, in the low bits of its status byte.
const (
	Dormant   = 0 // not started
	Running   = 1 // started, not ended
	Done      = 2 // reached its end
	Crashed   = 3 // killed by a crash
	Failed    = 4 // ended by an uncaught error
	Cancelled = 5 // ended by a Cancelled error
)

// CancelBit in the status byte: a cancel is pending.
const CancelBit = 0x80

// ActorType is an actor declaration with its lowered code, shared by its
// instances.
type ActorType struct {
	Name        string
	Count       int
	Array       bool
	Dormant     bool
	Daemon      bool
	Cooperative bool
	Fairness    ast.Fairness // as declared; ast.FairDefault: the run's default
	Crashes     int
	Code        []Instr
	Locals      []*Local
	LocalSize   int
	PCWidth     int // bytes of the program counter
	HasCrash    bool
	Labels      map[string]*Label
	First       int // ID of instance 0
	Pos         ast.Pos
	End         int // pc of the end of the body
}

// Label names the statement it stands before: PCs are the resting points
// inside it, where an actor is at the label.
type Label struct {
	Name string
	PCs  []int
	in   []bool // by pc
}

// Has reports whether an actor standing at pc is at the label.
func (l *Label) Has(pc int) bool { return pc < len(l.in) && l.in[pc] }

// Local is an actor-local slot: a let, a for variable, a proc parameter, or
// bookkeeping of the lowering (caught errors, pending finally actions,
// results of operations tested by if).
type Local struct {
	Name string
	Type *Type
	Off  int // relative to the actor's locals
	Pos  ast.Pos
}

// Invariant is a state predicate that must hold in every reachable state.
type Invariant struct {
	Name       string
	Pos        ast.Pos
	Text       string
	Cond       Eval
	Reads      []int      // what it reads, for reduction's visibility
	labels     []labelRef // the labels it tests
	ActorReads []int      // the actor locations its status predicates read
}

// Labels calls f for every label the invariant tests, with the actor type
// it belongs to.
func (inv *Invariant) Labels(f func(at *ActorType, l *Label)) {
	for _, lr := range inv.labels {
		f(lr.at, *lr.label)
	}
}

// Liveness is a temporal property, checked by the liveness search.
type Liveness struct {
	Name    string
	Pos     ast.Pos
	Text    string
	Formula *Formula
}

// Formula is a liveness formula: Op is "always", "eventually", "->", "!",
// "&&", "||", or "" for a state predicate (Pred) or progress (Progress).
type Formula struct {
	Op       string
	X, Y     *Formula
	Pred     Eval
	Progress bool
	Text     string // a predicate's source
}

// LocKind tells what a shared location is.
type LocKind uint8

// The kinds of shared locations.
const (
	LocVar LocKind = iota
	LocObject
	LocActor
)

// Loc is a shared location: a global variable (an array is one location),
// an object instance, or an actor's status and program counter.
type Loc struct {
	Kind  LocKind
	Index int // into Vars, Objects or Actors
	Name  string
}

// Init writes the initial state into dst, which must be StateSize long.
func (p *Program) Init(dst []byte) { copy(dst, p.init) }

// Initial returns the initial state, shared: it must not be written.
func (p *Program) Initial() []byte { return p.init }

// Const returns the named constant, or nil.
func (p *Program) Const(name string) *Const {
	for _, c := range p.Consts {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// ErrorName returns the name of error id.
func (p *Program) ErrorName(id int) string {
	if id <= 0 || id > len(p.Errors) {
		return fmt.Sprintf("error#%d", id)
	}
	return p.Errors[id-1]
}
