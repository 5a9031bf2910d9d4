package spec

import "github.com/interleave-dev/interleave/spec/ast"

// The table of object kinds: the methods of each, what they accept and
// return, when they block, and the bytes an object takes in the state.
// What the machine does with them is in spec/machine, one file per kind.

// Method is an operation on an object.
type Method uint8

// The methods of the object kinds.
const (
	MNone Method = iota
	MAcquire
	MRelease
	MLocked
	MValue
	MSet
	MClear
	MIsSet
	MWait
	MNotify
	MNotifyAll
	MPut
	MGet
	MClose
	MShutdown
	MSize
	MEmpty
	MFull
	MClosed
	MSend
	MRecv
	MAdd
	MDone
	MReacquire // second half of condition.wait(): re-take the lock
)

// Mode is the optional last argument of a blocking operation.
type Mode uint8

// The modes.
const (
	ModeBlock Mode = iota
	ModeNowait
	ModeTimeout
	ModeImmediate
)

var modeNames = map[string]Mode{"nowait": ModeNowait, "timeout": ModeTimeout, "immediate": ModeImmediate}

// ResultKind says what an operation returns.
type ResultKind uint8

// The result kinds.
const (
	ResNone ResultKind = iota
	ResBool
	ResInt
	ResElem   // the element type of the queue or channel
	ResBoolIf // bool when called with a mode, nothing otherwise
)

// methodInfo describes a method of an object kind.
type methodInfo struct {
	m      Method
	args   int    // value arguments
	modes  []Mode // the modes it accepts as an extra last argument
	query  bool   // reads the object only; usable in any expression
	result ResultKind
}

// The method set of each object kind.
var methods = map[ast.ObjectKind]map[string]methodInfo{
	ast.KindLock: {
		"acquire": {m: MAcquire, modes: []Mode{ModeNowait, ModeTimeout}, result: ResBoolIf},
		"release": {m: MRelease},
		"locked":  {m: MLocked, query: true, result: ResBool},
	},
	ast.KindSemaphore: {
		"acquire": {m: MAcquire, modes: []Mode{ModeNowait, ModeTimeout}, result: ResBoolIf},
		"release": {m: MRelease},
		"value":   {m: MValue, query: true, result: ResInt},
	},
	ast.KindEvent: {
		"set":    {m: MSet},
		"clear":  {m: MClear},
		"is_set": {m: MIsSet, query: true, result: ResBool},
		"wait":   {m: MWait, modes: []Mode{ModeTimeout}, result: ResBoolIf},
	},
	ast.KindCondition: {
		"wait":       {m: MWait, modes: []Mode{ModeTimeout}, result: ResBoolIf},
		"notify":     {m: MNotify},
		"notify_all": {m: MNotifyAll},
	},
	ast.KindQueue: {
		"put":      {m: MPut, args: 1, modes: []Mode{ModeNowait, ModeTimeout}},
		"get":      {m: MGet, modes: []Mode{ModeNowait, ModeTimeout}, result: ResElem},
		"close":    {m: MClose},
		"shutdown": {m: MShutdown, modes: []Mode{ModeImmediate}},
		"size":     {m: MSize, query: true, result: ResInt},
		"empty":    {m: MEmpty, query: true, result: ResBool},
		"full":     {m: MFull, query: true, result: ResBool},
		"closed":   {m: MClosed, query: true, result: ResBool},
	},
	ast.KindChan: {
		"send":   {m: MSend, args: 1},
		"recv":   {m: MRecv, result: ResElem},
		"close":  {m: MClose},
		"closed": {m: MClosed, query: true, result: ResBool},
		"size":   {m: MSize, query: true, result: ResInt},
	},
	ast.KindWaitGroup: {
		"add":  {m: MAdd, args: 1},
		"done": {m: MDone},
		"wait": {m: MWait},
	},
}

var methodNames = map[Method]string{
	MAcquire: "acquire", MRelease: "release", MLocked: "locked", MValue: "value",
	MSet: "set", MClear: "clear", MIsSet: "is_set", MWait: "wait", MNotify: "notify",
	MNotifyAll: "notify_all", MPut: "put", MGet: "get", MClose: "close",
	MShutdown: "shutdown", MSize: "size", MEmpty: "empty", MFull: "full",
	MClosed: "closed", MSend: "send", MRecv: "recv", MAdd: "add", MDone: "done",
	MReacquire: "wait",
}

func (m Method) String() string { return methodNames[m] }

// blocking reports whether an operation can be disabled: it then waits
// instead of completing. Operations with nowait or timeout never wait: a
// timeout is a nondeterministic outcome that is always enabled.
func blocking(kind ast.ObjectKind, m Method, mode Mode) bool {
	if mode != ModeBlock {
		return m == MReacquire
	}
	switch m {
	case MAcquire, MPut, MGet, MSend, MRecv, MReacquire:
		return true
	case MWait:
		return kind != ast.KindCondition // a condition blocks in MReacquire
	}
	return false
}

// ErrorID is an error's id: its index in Program.Errors plus one. The
// builtin errors come first, in this order, so their ids are constants.
type ErrorID int

// Builtin errors raised by operations.
const (
	ErrClosed ErrorID = iota + 1
	ErrShutDown
	ErrEmpty
	ErrFull
	ErrUnlocked
	ErrNotOwner
	ErrOverRelease
	ErrSendOnClosed
	ErrCloseOfClosed
	ErrNegativeCounter
	ErrAddAfterWait
	ErrCancelled
	ErrAlreadyStarted
)

// builtinErrors names the builtin errors, by id - 1.
var builtinErrors = [...]string{"Closed", "ShutDown", "Empty", "Full", "Unlocked", "NotOwner", "OverRelease",
	"SendOnClosed", "CloseOfClosed", "NegativeCounter", "AddAfterWait", "Cancelled", "AlreadyStarted"}

// Every builtin error has a name.
var _ = builtinErrors[ErrAlreadyStarted-1]

// String returns the builtin error's name.
func (e ErrorID) String() string { return builtinErrors[e-1] }

// objectSize returns the bytes an object takes in the state.
func objectSize(o *Object, actors int) int {
	switch o.Kind {
	case ast.KindLock:
		if o.Mod == ast.Reentrant {
			return 2 // owner, count
		}
		return 1 // owner
	case ast.KindSemaphore, ast.KindEvent:
		return 1
	case ast.KindCondition:
		return (actors + 7) / 8 // the wait set
	case ast.KindQueue, ast.KindChan:
		return 2 + o.Cap*o.Elem.Width() // count, flags, items
	case ast.KindWaitGroup:
		return 2 // counter, flags
	}
	return 0
}

// String is the mode as written.
func (m Mode) String() string {
	for name, mode := range modeNames {
		if mode == m {
			return name
		}
	}
	return ""
}
