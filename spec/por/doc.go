// Package por is the partial-order reduction analysis of a compiled
// spec.Program: a side road of the pipeline spec -> spec/machine ->
// explorer. New wraps a Machine into an explorer.Reducer with tables
// computed once from the lowered code:
//
//   - footprints per actor and pc: the shared locations the next step
//     reads and writes, and those the actor's future may touch (summed
//     over the strongly connected components of its control flow), with
//     the locks its future can only first take with a blocking acquire;
//   - visibility: which steps may change an invariant (a location it
//     reads, an actor status it tests, a label it names);
//   - local steps, which the explorer folds into the step before;
//   - whether the search needs its cycle proviso at all (it does not
//     when nothing but deadlocks can be violated).
//
// The explorer's package doc gives the conditions these tables must meet
// for the reduction to be sound; models/differential_test.go checks them
// against the unreduced search.
package por
