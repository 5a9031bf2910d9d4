// Package explorer searches the state space of a finite transition system:
// the last stage of the pipeline parser -> spec -> spec/machine ->
// explorer. It knows nothing of the language: the model is a System over
// fixed-size byte states, and violations are opaque codes the System gives
// and explains.
//
// States are stored as bytes in large arenas, each with the index of its
// parent, so a counterexample is rebuilt by following parents. The default
// search is breadth-first: without reduction, the first counterexample
// found is a shortest one.
//
// # Partial-order reduction
//
// With Options.Reduce and a System that is a Reducer, each state is
// expanded with the successors of a stubborn set of transition groups (the
// system's actors) instead of all of them. The Reducer describes each group
// by the locations its next step reads and writes and the locations its
// future may touch (Footprint). The reduction preserves every violation of
// the safety search (deadlocks, assertions, uncaught errors, range errors
// and invariants) because the set T kept in a state s satisfies:
//
//  1. Persistence. For an enabled group a in T, every group whose future
//     may touch a location a's step writes, or write a location a's step
//     reads, is in T; for a disabled group in T, every group whose future
//     may write a location its step reads (the only ones that can enable
//     it) is in T, and so is the holder of a lock it waits for. A lock held
//     by a group in T does not count for a group that can only first touch
//     it with a blocking acquire: that group cannot reach it before the
//     holder lets it go. So no sequence of transitions outside T can
//     interfere with T's transitions or enable a group in T: every
//     execution from s is equivalent, up to the order of independent steps,
//     to one that starts in T. Deadlocks are kept (Valmari); a violation a
//     step commits depends only on what it reads, which independent steps
//     do not change, so assertions, uncaught errors and range errors are
//     kept as well.
//  2. Visibility. If T is not every enabled group, none of its steps may
//     change the value of an invariant anywhere it could run: steps that
//     may write a location an invariant reads, end an actor whose status it
//     reads, or move an actor onto or off a label it tests are visible.
//     (Where a step ends may be decided in the state when it depends only
//     on the actor's own locals, which cannot change while it waits.)
//  3. The cycle proviso, against ignoring a transition forever around a
//     cycle. Breadth-first: T is kept only if one of its successors is not
//     yet expanded (new, or still in the queue); depth-first: only if none
//     of its successors is on the search stack (states are visited when
//     they are pushed, so a known state is on the stack or explored). Otherwise the state is
//     expanded in full. Deadlocks are kept without any proviso, so it is
//     left out when the Reducer says nothing else can be violated
//     (NeedsProviso: no invariant, and no instruction that can commit a
//     violation).
//
// Among the sets grown from each enabled group, the smallest one that
// satisfies 2 and 3 is taken. A crash (Transition.Crash) is a fault the
// environment may inject, not a step of its own: a state whose only
// successors are crashes is checked for deadlock, and a set is grown only
// from a group with a step of its own enabled, which no transition outside
// the set can disable (the key transition that keeps deadlocks). In addition, a step that touches nothing
// another actor or an invariant can see, has one outcome and commits no
// violation is folded into the transition before it (SPIN's statement
// merging), so the state between is not stored. A reported trace has
// those states put back (the explorer follows the same chains again): each
// of its states is a successor of the one before, and the tests replay
// every counterexample found under reduction without it.
//
// Reduction is checked differentially: on every model and on thousands of
// generated specs, the violations found with and without it must be the
// same (models/differential_test.go).
//
// # Leaks and liveness
//
// With Options.Liveness, a complete search is followed by the leak check
// of a Leaker (leaks.go) and the liveness check of each property of a
// Liveness system (liveness.go), under the fairness each group is
// promised: passes of Tarjan's algorithm (scc.go) over the whole state
// graph, without reduction, in the same store. They rely on nothing of
// the reduction: a reduced search only leaves them states to add. A
// liveness violation is a lasso (Violation.Lasso, Loop).
package explorer

import (
	"sync/atomic"
	"time"
)

// System is a finite transition system over fixed-size states.
type System interface {
	StateSize() int
	Init(dst []byte)
	// Successors appends the successors of s to out; out is empty on entry.
	Successors(s []byte, out *Succs)
	// Deadlock returns the violation code of a state without successors
	// when that is a deadlock, or 0 when it is a valid end.
	Deadlock(s []byte) uint64
	// CheckState returns the violation code of a property s breaks, or 0.
	CheckState(s []byte) uint64
}

// A Leaker is a system whose groups may have to move again: after a
// complete search the explorer looks for a state from which a group that
// must still move can never take a step of its own again, on any
// continuation, while the system goes on forever (a cycle stays
// reachable): the group is leaked. When every continuation ends instead,
// the group is left in a deadlock, which the search reports. The check
// runs over the whole state graph, without reduction (leaks.go).
type Leaker interface {
	System
	// Groups returns the number of transition groups.
	Groups() int
	// Leak returns the violation code of group g waiting forever in s, or
	// 0 when g need not move again there (it has ended, or it is a daemon).
	Leak(s []byte, g int) uint64
}

// Transition describes one successor.
type Transition struct {
	Actor     int32  // who moved
	Crash     bool   // the move was a crash
	Violation uint64 // the violation the move committed, 0 if none
	// Halt: the move never ends (a livelock), so no state follows it: the
	// search reports the violation and does not go on from there.
	Halt bool
	// Progress: the move passed a progress mark (liveness).
	Progress bool
}

// Succs receives the successors of a state: States holds them back to back.
type Succs struct {
	States []byte
	Info   []Transition
}

// Reset empties the buffer, keeping its storage.
func (s *Succs) Reset() {
	s.States = s.States[:0]
	s.Info = s.Info[:0]
}

// Len returns the number of successors.
func (s *Succs) Len() int { return len(s.Info) }

// State returns successor i of states of the given size.
func (s *Succs) State(i, size int) []byte { return s.States[i*size : (i+1)*size] }

// Order is a search order.
type Order int

// The search orders.
const (
	BFS Order = iota
	DFS
)

// Options control a search.
type Options struct {
	Order Order
	// Reduce enables partial-order reduction when the system is a Reducer.
	Reduce    bool
	KeepGoing bool  // go on past violations, one counterexample per violation code
	MaxStates int64 // stop after this many states (0: no limit)
	MaxMemory int64 // stop before the store exceeds this many bytes (0: no limit)
	// Stop is polled during the search; setting it stops the search with a
	// partial result (Ctrl-C).
	Stop *atomic.Bool
	// Liveness checks, after a complete search, for groups left waiting
	// forever (a Leaker, see leaks.go) and the liveness properties of a
	// Liveness system (liveness.go).
	Liveness bool
	// Progress, when set, is called about every ProgressEvery.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// Progress is a snapshot of a running search.
type Progress struct {
	States, Transitions int64
	Depth               int
	Frontier            int64
	Memory              int64
	Elapsed             time.Duration
}

// Result is the outcome of a search.
type Result struct {
	States      int64
	Transitions int64
	Depth       int // the largest number of steps from the initial state to a state found
	Complete    bool
	Stopped     string // why an incomplete search stopped: "max-states", "max-memory", "interrupted"
	Violations  []*Violation
	Memory      int64
	Elapsed     time.Duration
	Stats       Stats
	// LivenessStates counts the states the leak and liveness checks
	// expanded, over all their passes (they add to the store the states a
	// reduced search did not store).
	LivenessStates int64
	// LivenessStopped: the safety search ended, and a limit or a signal
	// stopped the checks after it (Complete is false).
	LivenessStopped bool
}

// Stats count the expanded states by how reduction treated them.
type Stats struct {
	Expanded    int64 // states whose successors were computed
	Reduced     int64 // expanded with a stubborn set smaller than all enabled groups
	Single      int64 // expanded with one enabled group only: nothing to reduce
	FullNoSmall int64 // in full: no stubborn set was smaller
	FullVisible int64 // in full: the stubborn set had a visible transition
	FullProviso int64 // in full: the stubborn set led to no new state (cycle proviso)
	FullOnStack int64 // in full: the stubborn set led back onto the DFS stack (cycle proviso)
	Merged      int64 // local steps merged into the transition before them
}

// Violation is one counterexample.
type Violation struct {
	Code uint64
	// Trace holds the states from the initial state to the state where
	// the violation shows: after the violating transition, or the state
	// that breaks a state property or deadlocks. Each state is a successor
	// of the one before (steps folded by reduction are put back).
	Trace [][]byte
	// Transition is the violating transition, for violations committed by
	// a step; InState is set for deadlocks and state properties.
	Transition Transition
	InState    bool
	// Lasso: the violation is a run that goes on forever (a liveness
	// property): after Trace[Loop], the states from Trace[Loop+1] to the
	// last, which is Trace[Loop] again, repeat forever; with Loop the last
	// index, the run stays in its last state forever.
	Lasso bool
	Loop  int
}
