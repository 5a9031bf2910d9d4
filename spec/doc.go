// Package spec compiles a parsed .ilv file into a Program: the middle of
// the pipeline parser -> spec/ast -> spec -> spec/machine -> explorer.
// Compile resolves names, checks types, evaluates constants (with --set
// overrides) and lowers each actor body to flat code (procs and fns
// inlined) over a fixed byte layout of the state; state.go holds the one
// decoding of that layout. A Program is read only once compiled: any
// number of machines (spec/machine) may run it at once, with the
// reduction's tables (spec/por) beside them.
//
// The shared objects, and when their operations block (an operation with
// nowait or timeout never blocks: it reports whether it could complete at
// once, or raises Empty/Full):
//
//	kind       operation                 blocks while               raises
//	lock       acquire                   held                       -
//	           release                   -                          Unlocked if free; NotOwner (reentrant) if another's
//	semaphore  acquire                   value is 0                 -
//	           release                   -                          OverRelease past the initial value (bounded)
//	event      wait                      not set                    -
//	           set, clear, is_set        -                          -
//	condition  wait                      until notified, then until Unlocked if its lock is not held
//	                                     it re-takes the lock
//	           notify, notify_all        -                          Unlocked if its lock is not held
//	queue      put                       full                       Closed, ShutDown
//	           get                       empty                      Closed; ShutDown once drained
//	           close, shutdown           -                          -
//	chan       send                      no receiver (unbuffered),  SendOnClosed
//	                                     buffer full (buffered)
//	           recv                      nothing to receive, open   - (closed and drained: zero value, ok false)
//	           close                     -                          CloseOfClosed
//	waitgroup  add, done                 -                          NegativeCounter; AddAfterWait (not reusable)
//	           wait                      counter above 0            -
//
// Every blocking operation of a cancelled actor raises Cancelled instead.
// A crash ends an actor at once: no finally runs, its locks stay held
// (robust ones are released) and it leaves every wait set.
//
// Integers never wrap: arithmetic past 64 bits, or a value outside the
// range of where it is stored, is a range violation (a constant overflow
// is a compile error).
package spec
