// Package machine runs a compiled spec.Program: Machine is the explorer's
// System, computing the successors of a state by running each actor's next
// step (spec -> spec/machine -> explorer). A step runs from one resting
// point of the actor to the next: a blocking operation, a shared access,
// or the end of an atomic block; choices inside a step (either, choose,
// which waiter a notify wakes, which case of a select) are enumerated by
// replaying the step with each vector of choices.
//
// Machine.Explain(s, t) records the events of one transition, the
// material spec/trace makes a story of.
//
// A Machine is not safe for concurrent use; make one per goroutine, any
// number over one Program.
package machine
