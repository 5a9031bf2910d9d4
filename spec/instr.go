package spec

import "github.com/interleave-dev/interleave/spec/ast"

// Op is the operation of an instruction.
type Op uint8

// The instructions. "Rest" marks where an actor can stand between steps.
const (
	OpJump     Op = iota // goto Target
	OpBranch             // if !Cond goto Target; a step when Cond reads shared state
	OpBind               // LHS[0] = Value, bookkeeping; a step when Value reads shared state
	OpAssign             // LHS... = Value (let, assignment)
	OpAwait              // blocks until Cond
	OpAssert             // Cond, or an assertion violation
	OpRaise              // raise error Err; Err 0 re-raises the error in local Slot
	OpCall               // an operation on an object (Obj, Method, Args, Mode), results to LHS
	OpStart              // start Actor
	OpCancel             // cancel Actor
	OpChoose             // LHS[0] = any value in Lo..Hi
	OpEither             // one of Targets, committed with the first step of that branch
	OpSelect             // one ready case of Cases, or the default
	OpProgress           // marks progress; no step of its own
	OpCatch              // dispatch of a raised error to the arms in Catch
	OpFinally            // after a finally body: act on the pending action in Slot
	OpEnd                // the end of the actor's body
)

var opNames = [...]string{"jump", "branch", "bind", "assign", "await", "assert", "raise", "call",
	"start", "cancel", "choose", "either", "select", "progress", "catch", "finally", "end"}

func (op Op) String() string { return opNames[op] }

// Eval evaluates an expression in a frame. Booleans are 0 and 1.
type Eval func(f *Frame) int

// Instr is one instruction of an actor's lowered code.
type Instr struct {
	Op       Op
	Pos      ast.Pos
	Text     string // the statement as written, for traces
	Rest     bool   // an actor can stand here: the instruction starts a step
	Shared   bool   // reads or writes shared state
	Blocking bool   // may be disabled (an await, a plain acquire, get, put, ...)
	Next     int    // the instruction that follows
	Target   int    // jump or branch target
	Handler  int    // the OpCatch that errors raised here go to; -1: uncaught
	Atomic   int    // atomic region, 0 outside one

	Cond   Eval
	Value  Eval
	LHS    []*LValue
	Obj    ObjRef
	Method Method
	Args   []Eval
	Mode   Mode
	Err    int
	Slot   int // offset of a local: the caught error (OpRaise), the pending action (OpFinally)
	Lo, Hi Eval
	Actor  ActorRef

	Targets []int        // OpEither: branch heads
	Cases   []SelectCase // OpSelect
	Catch   []CatchArm   // OpCatch
	Exits   []int        // OpFinally: pc per pending exit code
	Msg     string       // OpAssert

	Access Access
	Clear  []byte // at a rest instruction: AND mask that zeroes the dead locals

	// For reduction's analysis of what can commit a violation:
	MayFault  bool // an expression may fault (index, division)
	SafeStore bool // what it stores is in range wherever it runs

	uses, defs []int // local slots read and written, for the dataflow
	Succs      []int // successors in the control flow graph, computed after lowering
}

// Access lists the shared locations (indices into Program.Locs) an
// instruction may read and write.
type Access struct {
	Reads, Writes []int
}

// LValue is a place an assignment stores to.
type LValue struct {
	Name  string
	Local bool
	Off   int   // offset in the state, or in the actor's locals
	Type  *Type // the scalar type stored
	Width int
	Len   int  // array length, 0 for a scalar
	Index Eval // nil for a scalar
	Loc   int  // shared location, -1 for a local
	Pos   ast.Pos
	reads []int // what the index reads
}

// ObjRef names an object: a single object, or an element of an array of
// objects chosen by Index.
type ObjRef struct {
	Group  *Group
	Index  Eval
	Static bool // Index depends on self and constants only
	Pos    ast.Pos
}

// ActorRef names an actor instance, or with Index nil all instances of Type.
type ActorRef struct {
	Type  *ActorType
	Index Eval
}

// SelectCase is one case of a select: a channel operation and the body it
// leads to. Default cases have Send false and Obj.Group nil.
type SelectCase struct {
	Default bool
	Send    bool
	Obj     ObjRef
	Value   Eval      // the value sent
	LHS     []*LValue // where a received value (and ok) go
	Body    int       // pc of the case body
	Text    string
	Pos     ast.Pos
}

// CatchArm sends the errors in Errs (or any error) to pc Body after storing
// the error id in local Slot.
type CatchArm struct {
	Errs []int
	Any  bool
	Slot int
	Body int
}

// Frame is what an expression is evaluated against: the state, the running
// actor and the values of quantified variables. A fault (an index out of
// range, a division by zero, a value out of its range) is recorded in Fault
// and Why and ends the evaluation's use.
type Frame struct {
	S        []byte
	A        *Actor
	Q        [maxQuant]int
	Fault    FaultKind
	FaultPos ast.Pos
	Why      FaultInfo
}

const maxQuant = 8

// FaultKind is a runtime fault found while evaluating.
type FaultKind uint8

// The faults.
const (
	NoFault       FaultKind = iota
	FaultIndex              // an index outside its array
	FaultDivide             // a division by zero
	FaultRange              // a value outside the range of where it goes
	FaultOverflow           // arithmetic past the 64-bit integers
	FaultEmpty              // choose over an empty range
)

// FaultInfo says what went wrong, for the report: the value, the range it
// left (nil for an index: the array's own), and what it was stored to or
// indexed (a variable, an array, a queue's elements).
type FaultInfo struct {
	Val  int
	In   *Type
	Part string // "an element of", "the counter of", or "" for the thing itself
	Name string
}

func (f *Frame) fault(k FaultKind, pos ast.Pos) {
	if f.Fault == NoFault {
		f.Fault, f.FaultPos = k, pos
	}
}

// FaultOf records a fault with its details; nothing is formatted until a
// trace is rendered.
func (f *Frame) FaultOf(k FaultKind, pos ast.Pos, part, name string, v int, in *Type) {
	if f.Fault == NoFault {
		f.Fault, f.FaultPos = k, pos
		f.Why = FaultInfo{Val: v, In: in, Part: part, Name: name}
	}
}

// Resolve returns the object an ObjRef names in frame f, or nil after a fault.
func (r *ObjRef) Resolve(p *Program, f *Frame) *Object {
	if r.Index == nil {
		return p.Objects[r.Group.First]
	}
	i := r.Index(f)
	if i < 0 || i >= r.Group.Count {
		f.FaultOf(FaultIndex, r.Pos, "", r.Group.Name, i, nil)
		return nil
	}
	return p.Objects[r.Group.First+i]
}

// Store writes v to the lvalue, or records a fault when v or the index is
// out of range.
func (lv *LValue) Store(f *Frame, v int) {
	off := lv.Off
	if lv.Local {
		off += f.A.Locals
	}
	if lv.Index != nil {
		i := lv.Index(f)
		if i < 0 || i >= lv.Len {
			f.FaultOf(FaultIndex, lv.Pos, "", lv.Name, i, nil)
			return
		}
		off += i * lv.Width
	}
	if !lv.Type.Contains(v) {
		f.FaultOf(FaultRange, lv.Pos, "", lv.Name, v, lv.Type)
		return
	}
	store(f.S, off, lv.Type, lv.Width, v)
}
