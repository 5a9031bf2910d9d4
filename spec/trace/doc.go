// Package trace explains a violation the explorer found in a run of a
// spec.Program: a side road of the pipeline spec -> spec/machine ->
// explorer. Explain replays the trace one transition at a time
// (machine.Machine.Explain) and builds a Counterexample: its steps with
// their effects, the headline sentence, and for a deadlock who waits for
// what, held by whom. Every renderer (text, JSON) reads the
// Counterexample alone.
package trace
