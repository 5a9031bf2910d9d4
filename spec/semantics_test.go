package spec_test

import (
	"testing"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/machine"
)

// verdict explores src in full and names each violation found, sorted:
// "ok", or e.g. "deadlock", "uncaught Closed", "assertion", "invariant".
func verdict(t *testing.T, src string) string {
	t.Helper()
	p := compile(t, "sem.ilv", []byte(src), nil)
	r := explorer.Explore(machine.New(p), explorer.Options{KeepGoing: true, Liveness: true})
	if !r.Complete {
		t.Fatalf("search incomplete")
	}
	return kinds(p, r)
}

// TestSemantics pins the blocking and raising rules of every object and
// statement with the smallest spec that shows each.
func TestSemantics(t *testing.T) {
	tests := []struct{ name, src, want string }{
		// locks
		{"lock excludes", `lock m
var inside: 0..2 = 0
actor A[2] { m.acquire(); inside = inside + 1; assert inside == 1; inside = inside - 1; m.release() }`, "ok"},
		{"lock twice by owner deadlocks", `lock m
actor A { m.acquire(); m.acquire() }`, "deadlock"},
		{"reentrant lock counts", `reentrant lock r
actor A { r.acquire(); r.acquire(); r.release(); r.release(); assert !r.locked() }`, "ok"},
		{"reentrant release by another", `reentrant lock r
actor A { r.acquire(); await false }
actor B { await r.locked(); r.release() }`, "deadlock, uncaught NotOwner"},
		{"release unheld lock", `lock m
actor A { m.release() }`, "uncaught Unlocked"},
		{"plain lock released by another", `lock m
actor A { m.acquire() }
actor B { await m.locked(); m.release(); assert !m.locked() }`, "ok"},
		{"nowait on held lock is false", `lock m
var got = true
actor A { m.acquire() }
actor B { await A.done; got = m.acquire(nowait); assert !got }`, "ok"},
		{"timeout acquires when free", `lock m
actor A { let ok = m.acquire(timeout); assert ok }`, "ok"},
		// semaphores
		{"semaphore counts", `semaphore s = 2
var inside: 0..3 = 0
actor A[3] { s.acquire(); inside = inside + 1; assert inside <= 2; inside = inside - 1; s.release() }`, "ok"},
		{"bounded semaphore over-release", `bounded semaphore s = 1
actor A { s.release() }`, "uncaught OverRelease"},
		{"semaphore over 255 is a range fault", `semaphore s = 255
actor A { s.release() }`, "range"},
		// events
		{"event wait blocks until set", `event e
var x = false
actor A { e.wait(); assert x }
actor B { x = true; e.set() }`, "ok"},
		{"event wait timeout", `event e
actor A { let ok = e.wait(timeout); assert ok }`, "assertion"},
		// conditions
		{"condition handshake", `lock m
condition cv(m)
var ready = false
actor W { m.acquire(); while !ready { cv.wait() }; m.release() }
actor S { m.acquire(); ready = true; cv.notify(); m.release() }`, "ok"},
		{"lost wakeup without the predicate", `lock m
condition cv(m)
actor W { m.acquire(); cv.wait(); m.release() }
actor S { m.acquire(); cv.notify(); m.release() }`, "deadlock"},
		{"wait without the lock", `lock m
condition cv(m)
actor W { cv.wait() }`, "uncaught Unlocked"},
		{"notify wakes one", `lock m
condition cv(m)
var waiting: 0..2 = 0
var woke: 0..2 = 0
actor W[2] { m.acquire(); waiting = waiting + 1; cv.wait(); woke = woke + 1; m.release() }
actor S { await waiting == 2; m.acquire(); cv.notify(); m.release() }
invariant one { woke <= 1 }`, "deadlock, deadlock"},
		{"notify_all wakes all", `lock m
condition cv(m)
var waiting: 0..2 = 0
var woke: 0..2 = 0
actor W[2] { m.acquire(); waiting = waiting + 1; cv.wait(); woke = woke + 1; m.release() }
actor S { await waiting == 2; m.acquire(); cv.notify_all(); m.release() }`, "ok"},
		// queues
		{"queue fifo", `queue q[2]
actor P { q.put(1); q.put(2) }
actor C { let a = q.get(); let b = q.get(); assert a == 1 && b == 2 }`, "ok"},
		{"queue put blocks when full", `queue q[1]
actor P { q.put(1); q.put(2) }`, "deadlock"},
		{"put nowait on full raises Full", `queue q[1]
actor P { q.put(1); q.put(2, nowait) }`, "uncaught Full"},
		{"get nowait on empty raises Empty", `queue q[1]
actor C { q.get(nowait) }`, "uncaught Empty"},
		{"get after close raises Closed even with items", `queue q[2]
actor A { q.put(1); q.close(); q.get() }`, "uncaught Closed"},
		{"blocked get wakes on close", `queue q[1]
actor C { q.get() }
actor S { q.close() }`, "uncaught Closed"},
		{"put after close", `queue q[1]
actor A { q.close(); q.put(1) }`, "uncaught Closed"},
		{"shutdown drains then raises", `queue q[2]
var got: 0..9 = 0
actor A { q.put(7); q.shutdown(); got = q.get(); assert got == 7; q.get() }`, "uncaught ShutDown"},
		{"shutdown immediate discards", `queue q[2]
actor A { q.put(7); q.shutdown(immediate); q.get() }`, "uncaught ShutDown"},
		// channels
		{"unbuffered rendezvous", `chan c[0]
var got: 0..9 = 0
actor S { c.send(5) }
actor R { got = c.recv(); assert got == 5 }`, "ok"},
		{"unbuffered send with no receiver blocks", `chan c[0]
actor S { c.send(5) }`, "deadlock"},
		{"recv on closed gives zero and false", `chan c[1]
actor A { c.close(); let v, ok = c.recv(); assert !ok && v == 0 }`, "ok"},
		{"close of closed", `chan c[1]
actor A { c.close(); c.close() }`, "uncaught CloseOfClosed"},
		{"send on closed", `chan c[1]
actor A { c.close(); c.send(1) }`, "uncaught SendOnClosed"},
		{"select takes a ready case", `chan a[1]
chan b[1]
var got: 0..9 = 0
actor S { b.send(2) }
actor R { select { case let x = a.recv(): got = x
  case let y = b.recv(): got = y } ; assert got == 2 }`, "ok"},
		{"select default when nothing is ready", `chan a[0]
var d = false
actor R { select { case a.recv(): d = false
  default: d = true }; assert d }`, "ok"},
		{"select send meets select recv", `chan c[0]
var got: 0..9 = 0
actor S { select { case c.send(3): got = got } }
actor R { select { case let v = c.recv(): got = v }; assert got == 3 }`, "ok"},
		// wait groups
		{"waitgroup waits", `waitgroup wg
var n: 0..2 = 0
actor W[2] dormant { n = n + 1; wg.done() }
actor M { wg.add(2); start W; wg.wait(); assert n == 2 }`, "ok"},
		{"negative counter", `waitgroup wg
actor A { wg.done() }`, "uncaught NegativeCounter"},
		{"add after wait", `waitgroup wg
actor A { wg.wait(); wg.add(1) }`, "uncaught AddAfterWait"},
		{"reusable allows add after wait", `reusable waitgroup wg
actor A { wg.wait(); wg.add(1); wg.done(); wg.wait() }`, "ok"},
		// statements
		{"either explores both", `var x: 0..2 = 0
actor A { either { x = 1 } or { x = 2 } ; assert x == 1 }`, "assertion"},
		{"either skips a blocked branch", `var x: 0..2 = 0
actor A { either { await false; x = 1 } or { x = 2 } ; assert x == 2 }`, "ok"},
		{"choose explores every value", `var x: 0..3 = 0
actor A { choose x in 0..3; assert x != 3 }`, "assertion"},
		{"atomic is one step", `var x: 0..2 = 0
actor A { atomic { x = 1; x = 0 } }
actor B { assert x == 0 }`, "ok"},
		{"without atomic the middle shows", `var x: 0..2 = 0
actor A { x = 1; x = 0 }
actor B { assert x == 0 }`, "assertion"},
		{"range violation", `var x: 0..2 = 0
actor A { x = x + 3 }`, "range"},
		{"index out of range", `var a: [2]bool
var i: 0..3 = 0
actor A { i = 2; a[i] = true }`, "range"},
		{"try catch finally", `var log: 0..9 = 0
actor A { try { raise E } catch E { log = 1 } finally { log = log + 2 }; assert log == 3 }`, "ok"},
		{"finally runs on return", `var log = false
actor A { try { return } finally { log = true } }
invariant done_means_logged { !A.done || log }`, "ok"},
		{"finally re-raises", `var log = false
actor A { try { raise E } finally { log = true } }`, "uncaught E"},
		{"break through finally", `var n: 0..9 = 0
actor A { loop { try { break } finally { n = n + 1 } }; assert n == 1 }`, "ok"},
		{"error in proc reaches caller's try", `var ok = false
proc p() { raise E }
actor A { try { call p() } catch E { ok = true }; assert ok }`, "ok"},
		{"re-raise", `actor A { try { raise E } catch any { raise } }`, "uncaught E"},
		{"cancel wakes a blocked get", `queue q[1]
var cleaned = false
actor R { try { q.get() } finally { cleaned = true } }
actor M { cancel R }
invariant quiet { !R.cancelled || cleaned }`, "ok"},
		{"cancelled is not a violation", `event e
actor R { e.wait() }
actor M { cancel R }`, "ok"},
		{"start a running actor", `actor W { await true }
actor M { start W }`, "uncaught AlreadyStarted"},
		{"dormant never started is not a deadlock", `actor W dormant { await false }
actor M { await true }`, "ok"},
		{"daemon blocked is not a deadlock", `actor D daemon { await false }
actor M { await true }`, "ok"},
		{"crash keeps the lock", `lock m
actor A crashes 1 { m.acquire(); m.release() }
actor B { await A.done || A.crashed; m.acquire() }`, "deadlock"},
		{"robust lock is freed on crash", `robust lock m
actor A crashes 1 { m.acquire(); m.release() }
actor B { await A.done || A.crashed; m.acquire() }`, "ok"},
		{"a crash budget is no way out of a deadlock", `lock m
actor A { m.acquire() }
actor B crashes 1 { await A.done; m.acquire(); m.release() }`, "deadlock"},
		{"a blocked actor that may still crash deadlocks", `lock m
actor A crashes 1 { m.acquire(); m.release() }
actor B { m.acquire() }`, "deadlock, deadlock"},
		{"restart after crash", `var runs: 0..3 = 0
actor A crashes 1 { runs = runs + 1 }
actor S daemon { await A.crashed; start A }`, "ok"},
		{"cooperative runs to its next wait", `queue q[1]
var x: 0..2 = 0
actor A cooperative { x = 1; x = 0; q.get() }
actor B cooperative { assert x == 0; q.put(1) }`, "ok"},
		{"label predicate", `var x: 0..1 = 0
actor A[2] { label crit: x = 1 }
invariant one { count(i in 0..1: A[i]@crit) <= 2 }`, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := verdict(t, tt.src); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestBuiltinErrorIDs: the builtin errors have the ids their constants say
// in every program.
func TestBuiltinErrorIDs(t *testing.T) {
	p := compile(t, "e.ilv", []byte("actor A { raise Mine }\n"), nil)
	for e := spec.ErrClosed; e <= spec.ErrAlreadyStarted; e++ {
		if got := p.ErrorName(int(e)); got != e.String() {
			t.Errorf("error %d is %s, want %s", e, got, e.String())
		}
	}
	if got := p.ErrorName(int(spec.ErrAlreadyStarted) + 1); got != "Mine" {
		t.Errorf("the spec's own error is %s, want Mine", got)
	}
}
