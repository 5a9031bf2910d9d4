package spec_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/machine"
	"github.com/interleave-dev/interleave/spec/por"
	"github.com/interleave-dev/interleave/spec/trace"
)

// verdictCase is a spec whose verdict must be the same in every search
// (breadth- and depth-first, with and without reduction), and whose first
// counterexample, explained, must say each of the phrases in says.
type verdictCase struct {
	name, src string
	want      string // the violation kinds found with --keep-going, sorted, or "ok"
	says      []string
}

// checkVerdicts runs each case in the four searches.
func checkVerdicts(t *testing.T, cases []verdictCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			p := compile(t, "v.ilv", []byte(tt.src), nil)
			for _, order := range []explorer.Order{explorer.BFS, explorer.DFS} {
				for _, reduce := range []bool{false, true} {
					r := explorer.Explore(por.New(machine.New(p)), explorer.Options{Order: order, Reduce: reduce, KeepGoing: true, Liveness: true})
					if !r.Complete {
						t.Fatalf("order %d, reduce %v: search incomplete", order, reduce)
					}
					if got := kinds(p, r); got != tt.want {
						t.Errorf("order %d, reduce %v: got %s, want %s", order, reduce, got, tt.want)
					}
				}
			}
			if len(tt.says) == 0 {
				return
			}
			r := explorer.Explore(machine.New(p), explorer.Options{Liveness: true})
			if len(r.Violations) == 0 {
				t.Fatalf("no counterexample to explain")
			}
			text := explained(trace.Explain(p, r.Violations[0]))
			for _, s := range tt.says {
				if !strings.Contains(text, s) {
					t.Errorf("the counterexample does not say %q:\n%s", s, text)
				}
			}
		})
	}
}

// kinds lists the kinds of the violations found, sorted.
func kinds(p *spec.Program, r *explorer.Result) string {
	var out []string
	for _, v := range r.Violations {
		kind, err, _, _ := machine.DecodeViolation(v.Code)
		k := kind.String()
		if kind == machine.VUncaught {
			k += " " + p.ErrorName(err)
		}
		out = append(out, k)
	}
	if len(out) == 0 {
		return "ok"
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

// explained renders a counterexample as plain text, enough to search.
func explained(cx *trace.Counterexample) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n", cx.Title, cx.Message)
	for _, st := range cx.Steps {
		fmt.Fprintf(&b, "%d %s %d %s | %s\n", st.N, st.Actor, st.Line, st.Action, st.Effect)
	}
	for _, l := range cx.Blocked {
		fmt.Fprintf(&b, "blocked %s %d %s: %s\n", l.Actor, l.Line, l.Text, l.Status)
	}
	for _, l := range cx.Final {
		fmt.Fprintf(&b, "final %s: %s\n", l.Actor, l.Status)
	}
	return b.String()
}

// TestCrashesAreNoWayOut: a state where no actor can take a step of its
// own is a deadlock whatever crashes remain.
func TestCrashesAreNoWayOut(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "crash budget of the waiting actor", src: `lock m
actor A { m.acquire() }
actor B crashes 1 { await A.done; m.acquire(); m.release() }`, want: "deadlock",
			says: []string{"B 3 m.acquire(): m is held by A"}},
		{name: "crash budget of a bystander", src: `lock m
var x: 0..1 = 0
actor A { m.acquire(); await x == 1 }
actor C crashes 2 { await A.done }`, want: "deadlock, deadlock"},
		{name: "the crash itself leaves the others stuck", src: `lock m
actor A crashes 1 { m.acquire(); m.release() }
actor B { await A.done || A.crashed; m.acquire(); m.release() }`, want: "deadlock",
			says: []string{"crashed"}},
		{name: "no deadlock, with crashes", src: `robust lock m
actor A crashes 1 { m.acquire(); m.release() }
actor B { await A.done || A.crashed; m.acquire(); m.release() }`, want: "ok"},
	})
}

// TestBusyWaiting: a step that leaves the state as it was is no
// transition; the actor waits there as at an await.
func TestBusyWaiting(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "test-and-set spin lock", src: `var locked: bool
var inside: 0..2 = 0
actor P[2] {
    loop {
        let got = false
        while !got {
            atomic { if !locked { locked = true; got = true } }
        }
        inside = inside + 1
        inside = inside - 1
        locked = false
    }
}
invariant mutex { inside <= 1 }`, want: "ok"},
		{name: "spin lock with break", src: `var locked: bool
var inside: 0..2 = 0
actor P[3] {
    loop {
        loop {
            atomic { if !locked { locked = true; break } }
        }
        inside = inside + 1
        inside = inside - 1
        locked = false
    }
}
invariant mutex { inside <= 1 }`, want: "ok"},
		{name: "broken spin lock", src: `var locked: bool
var inside: 0..2 = 0
actor P[2] {
    loop {
        while locked { }
        locked = true
        inside = inside + 1
        inside = inside - 1
        locked = false
    }
}
invariant mutex { inside <= 1 }`, want: "invariant"},
		{name: "spinning forever is a deadlock", src: `var locked: bool
actor Holder { locked = true }
actor W {
    await Holder.done
    while locked { }
}`, want: "deadlock", says: []string{"blocked W 5 while locked: spins at line 5 until locked is false"}},
		{name: "spinning on a negated flag", src: `var locked: bool = true
var go_: bool
actor P {
    let got = false
    while !got {
        atomic { if !locked { locked = true; got = true } }
    }
}
actor Q { await go_ }`, want: "deadlock", says: []string{"spins at line 6 until locked is false"}},
		{name: "polling with nowait", src: `lock m
actor A { m.acquire() }
actor B {
    await A.done
    loop { if m.acquire(nowait) { break } }
}`, want: "deadlock", says: []string{"retries: m is held by A"}},
		{name: "an endless loop inside atomic", src: `var x: 0..1 = 0
actor A { atomic { while x == 0 { } } }
actor B { x = 1 }`, want: "livelock", says: []string{"loops forever at line 2 inside its atomic block"}},
		{name: "an endless cooperative step", src: `var x: 0..1 = 0
actor A cooperative { while x == 0 { } }
actor B { x = 1 }`, want: "livelock", says: []string{"without reaching a wait"}},
	})
}

// TestTraceText: a rendezvous reads as one handoff; an operation names
// the object it took and the values of its arguments.
func TestTraceText(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "a rendezvous reads as one handoff", src: `chan writes[0]
var got: 0..3 = 0
actor S {
    select {
    case writes.send(1):
        got = 3
    }
}
actor R {
    select {
    case let v = writes.recv():
        got = v
    }
    assert got != 1, "one"
}`, want: "assertion", says: []string{"1 S 4 sends 1 to R over writes | \n2 R 12 got = v"}},
		{name: "an error through a finally is told where it was raised", src: `var x: 0..3 = 0
actor A {
    try {
        x = 1
        raise Oops
    } finally {
        x = 2
    }
}`, want: "uncaught Oops", says: []string{"A raised Oops at line 5 (raise Oops); it went through the finally before line 8, and no catch takes it."}},
		{name: "an operation shows its object and values", src: `[2] lock f
queue q[1]
actor A[2] {
    f[1 - self].acquire()
    q.put(self + 1)
}`, want: "deadlock, deadlock", says: []string{"f[1].acquire()", "q.put(1)", "blocked A[1] 5 q.put(2)"}},
	})
}

// TestRangeViolations: a value never wraps; a range violation says which
// value left which range.
func TestRangeViolations(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "a variable leaves its range", src: `var n: 0..2 = 0
actor A { n = n + 1 }
actor B { n = n + 2 }`, want: "range, range", says: []string{"n = 3 leaves 0..2"}},
		{name: "arithmetic past 64 bits", src: `var big: -32768..32767 = -32768
var x: 0..10 = 0
actor A { let t = big * big * big * big * big; x = 1 }`, want: "range", says: []string{"passes the 64-bit integers"}},
		{name: "negative overflow by subtraction", src: `var big: -32768..32767 = -32768
var y: 0..1 = 0
actor A { let t = big * big * big * big; let u = 0 - t * 8 - t * 8; y = 1 }`, want: "range"},
		{name: "an index leaves its array", src: `var flag: [3]bool
var i: 0..5 = 0
actor A { i = 4; flag[i] = true }`, want: "range", says: []string{"index 4 is outside flag, whose indexes are 0..2"}},
		{name: "an element leaves its queue's type", src: `queue q[1]: 0..3
actor A { q.put(5) }`, want: "range", says: []string{"an element of q would be 5, outside 0..3"}},
		{name: "an enum leaves its members", src: `enum E { X, Y }
var e: E
var k: 0..3 = 3
actor A { let n = k; e = Y }`, want: "ok"},
		{name: "a wait group counter past a byte", src: `waitgroup wg
actor A { wg.add(200); wg.add(100) }`, want: "range", says: []string{"the counter of wg would be 300, outside 0..255"}},
		{name: "division by zero", src: `var d: 0..1 = 0
var x: 0..9 = 0
actor A { x = 4 / d }`, want: "range", says: []string{"division by zero"}},
		{name: "choose over an empty range", src: `var hi: 0..3 = 0
var x: 0..9 = 0
actor A { choose x in 2..hi }`, want: "range", says: []string{"the range 2..0 is empty"}},
	})
}

// TestLabels: a label names the whole statement it stands before,
// wherever inside it the actor stands.
func TestLabels(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "while waiting on a condition", src: `lock m
condition cv(m)
var ready: bool
actor A { m.acquire(); label waiting: cv.wait(); m.release() }
actor B { m.acquire(); ready = true; cv.notify(); m.release() }
invariant never_both { !(A@waiting && ready) }`, want: "deadlock, invariant"},
		{name: "before a call with parameters", src: `var x: 0..3 = 0
proc p(v: 0..3) { x = v }
actor A { label before: call p(1); x = 2 }
invariant at_start { A@before -> x == 0 }`, want: "ok"},
		{name: "before a call without parameters", src: `var x: 0..3 = 0
proc q() { x = 1 }
actor A { label before: call q(); x = 2 }
invariant at_start { A@before -> x == 0 }`, want: "ok"},
		{name: "on a loop, anywhere inside it", src: `var x: 0..3 = 0
actor A { label inside: while x < 2 { x = x + 1 }; x = 3 }
invariant in_loop { x < 2 -> A@inside }`, want: "ok"},
		{name: "on a loop, not after it", src: `var x: 0..3 = 0
actor A { label inside: while x < 2 { x = x + 1 }; x = 3 }
invariant in_loop { A@inside == (x < 3) }`, want: "invariant"},
		{name: "a loop the actor never leaves", src: `var x: 0..1 = 0
actor A { label spinning: loop { x = 1 - x } }
invariant always_there { A@spinning }`, want: "ok"},
	})
}

// TestFailedAssertEndsTheStep: the step ends at a failed assertion, also
// inside atomic and in a cooperative actor; nothing after it runs.
func TestFailedAssertEndsTheStep(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "inside atomic", src: `var x: 0..3 = 0
actor A { atomic { x = 1; assert x == 0, "never"; x = 2 } }
invariant not_two { x != 2 }`, want: "assertion", says: []string{`final A: failed at line 2: assertion "never" failed`, "x=1"}},
		{name: "cooperative", src: `var x: 0..3 = 0
actor A cooperative { x = 1; assert x == 0, "never"; x = 2 }
invariant not_two { x != 2 }`, want: "assertion", says: []string{`final A: failed at line 2: assertion "never" failed`}},
		{name: "plain", src: `var x: 0..3 = 0
actor A { assert x == 1
  x = 2 }
invariant not_two { x != 2 }`, want: "assertion", says: []string{`final A: failed at line 2: assertion "x == 1" failed`}},
	})
}

// TestElementTypes: the element type of a queue or channel declared without
// one is inferred from every value put or sent, locals and parameters
// included.
func TestElementTypes(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "a value got from a typed queue", src: `enum E { X, Y }
queue a[1]: E
queue b[1]
actor P { a.put(Y) }
actor C { let t = a.get(); b.put(t) }
actor D { let u = b.get(); assert u == Y }`, want: "ok"},
		{name: "a chain of inferred queues", src: `enum E { X, Y }
queue a[1]
queue b[1]
actor P { a.put(Y) }
actor C { let t = a.get(); b.put(t) }
actor D { let u = b.get(); assert u == X }`, want: "assertion"},
		{name: "a proc parameter", src: `enum E { X, Y }
queue b[1]
proc send(v: E) { b.put(v) }
actor P { call send(X) }
actor D { let u = b.get(); assert u == X }`, want: "ok"},
		{name: "a received value on a channel", src: `chan c[1]
chan d[1]
actor P { c.send(true) }
actor C { let v, ok = c.recv(); d.send(v) }
actor D { let w, ok = d.recv(); assert w }`, want: "ok"},
	})
}

// TestChoicesInsideLongSteps: a step that goes on through a loop with a
// choice in it (cooperative, or inside atomic) is explored once per rest
// point, not once per sequence of choices (2^30 here).
func TestChoicesInsideLongSteps(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "cooperative", src: `var x: 0..3 = 0
var done: bool
actor D cooperative {
    let i: 0..30 = 0
    while i < 30 {
        either { x = 1 } or { x = 2 }
        i = i + 1
    }
    done = true
}
invariant last_is_one { !done || x == 1 }`, want: "invariant"},
		{name: "atomic", src: `var x: 0..3 = 0
var done: bool
actor D {
    atomic {
        let i: 0..30 = 0
        while i < 30 {
            choose x in 1..2
            i = i + 1
        }
        done = true
    }
}
invariant last_is_one { !done || x == 1 }`, want: "invariant"},
		{name: "a loop that may not end", src: `var x: 0..3 = 0
actor D cooperative {
    loop {
        either { x = 1 } or { break }
    }
}`, want: "livelock"},
	})
}

// TestLeaks: an actor that is not a daemon, blocked so that nothing can
// ever let it go on while others go on forever, is a leak; when every run
// ends instead, it is a deadlock.
func TestLeaks(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "a send nobody receives, beside a server loop", src: `chan c[0]
var n: 0..3 = 0
actor Sender { c.send(1) }
actor Looper { loop { n = (n + 1) % 3 } }`, want: "leak",
			says: []string{"Sender waits forever at line 3 (c.send(1))", "no receiver on c", "blocked Sender 3"}},
		{name: "a daemon server: the waiting client leaks", src: `queue q[1]
lock m
actor Server daemon { loop { m.acquire(); m.release() } }
actor Client { let x = q.get() }`, want: "leak", says: []string{"Client waits forever", "q is empty"}},
		{name: "left waiting when the others end: a deadlock", src: `chan c[0]
actor Sender { c.send(1) }
actor Other { }`, want: "deadlock"},
		{name: "freed on some runs only: a leak on the others", src: `event e
var n: 0..1 = 0
actor W { e.wait() }
actor S { either { e.set() } or { loop { n = 1 - n } } }`, want: "leak", says: []string{"after step 1"}},
		{name: "freed on every run", src: `event e
var n: 0..2 = 0
actor W { e.wait() }
actor S { loop { n = (n + 1) % 3; if n == 2 { e.set() } } }`, want: "ok"},
		{name: "a lock its crashed holder keeps", src: `lock m
var beat: 0..1 = 0
actor Holder crashes 1 { m.acquire(); m.release() }
actor Waiter { await Holder.done || Holder.crashed; m.acquire(); m.release() }
actor Clock daemon { loop { beat = 1 - beat } }`, want: "leak", says: []string{"m is held by Holder"}},
		{name: "a spin nobody ends, beside a loop", src: `var flag: bool
var n: 0..1 = 0
actor Spinner { while !flag { } }
actor Looper { loop { n = 1 - n } }`, want: "leak", says: []string{"spins"}},
		{name: "producer and consumer with a daemon server", src: `queue q[1]
actor Producer { q.put(1); q.put(2) }
actor Consumer daemon { loop { let x = q.get() } }`, want: "ok"},
	})
}

// TestWaitCycles: a deadlock's headline names the circle of waiting in its
// wait-for graph (who holds what another waits for, or alone could give
// it); a blocked line says who alone could change what it waits for.
func TestWaitCycles(t *testing.T) {
	checkVerdicts(t, []verdictCase{
		{name: "two locks taken in opposite orders", src: `lock m
lock k
actor C { m.acquire(); k.acquire(); k.release(); m.release() }
actor D { k.acquire(); m.acquire(); m.release(); k.release() }`, want: "deadlock",
			says: []string{"In a circle: C waits for k, held by D; D waits for m, held by C."}},
		{name: "an event only the holder's waiter sets", src: `lock m
event e
actor A { m.acquire(); e.wait(); m.release() }
actor B { m.acquire(); e.set(); m.release() }`, want: "deadlock",
			says: []string{"In a circle: A waits for e, which only B can give; B waits for m, held by A.",
				"e is not set; only B can change that"}},
		{name: "nobody could give it: no circle", src: `queue q[1]
actor A { let x = q.get() }`, want: "deadlock",
			says: []string{"q is empty; no other actor can change that"}},
	})
}

// philosophers are three dining philosophers who take the lower fork first,
// with the given fairness.
func philosophers(fairness string) string {
	return `const N = 3
[N] lock fork
fn low(i: 0..N-1) = min(i, (i + 1) % N)
fn high(i: 0..N-1) = max(i, (i + 1) % N)
actor Phil[N] ` + fairness + ` {
    loop {
        fork[low(self)].acquire()
        fork[high(self)].acquire()
        label eat:
        fork[high(self)].release()
        progress
        fork[low(self)].release()
    }
}
`
}

// TestLiveness: known answers under weak fairness, each the smallest spec
// that shows it.
func TestLiveness(t *testing.T) {
	const peterson = `var flag: [2]bool
var turn: 0..1 = 0
actor P[2] {
    loop {
        label want:
        flag[self] = true
        turn = 1 - self
        await !flag[1 - self] || turn == self
        label crit:
        flag[self] = false
    }
}
`
	const tas = `var locked: bool
actor P[2] {
    loop {
        label want:
        atomic { await !locked; locked = true }
        label crit:
        locked = false
    }
}
`
	checkVerdicts(t, []verdictCase{
		{name: "a loop that makes progress", src: `var x: 0..1 = 0
actor A { loop { x = 1 - x; progress } }
liveness moves { always eventually progress }`, want: "ok"},
		{name: "a loop beside it that makes none", src: `var x: 0..1 = 0
var y: 0..1 = 0
actor A { loop { x = 1 - x; progress } }
actor B { loop { y = 1 - y } }
liveness moves { always eventually progress }`, want: "ok"},
		{name: "a loop that never makes progress", src: `var x: 0..1 = 0
actor A { loop { x = 1 - x } }
actor B { progress }
liveness moves { always eventually progress }`, want: "liveness",
			says: []string{`liveness "moves" violated: always eventually progress`, "repeat forever and nothing makes progress"}},
		{name: "a run that ends makes no non-progress cycle", src: `actor A { progress }
liveness moves { always eventually progress }`, want: "ok"},
		{name: "eventually: a waiter beside a loop", src: `var x: 0..1 = 0
var go: bool
actor W { await go }
actor L { loop { x = 1 - x } }
liveness served { eventually W.done }`, want: "leak, liveness", says: []string{"W waits forever"}},
		{name: "eventually: weak fairness lets the setter run", src: `var go: bool
var x: 0..1 = 0
actor W { await go }
actor S { go = true }
actor L { loop { x = 1 - x } }
liveness served { eventually W.done }`, want: "ok"},
		{name: "done stays done", src: `var go: bool
actor W { await go }
actor S { go = true }
liveness served { always eventually W.done }`, want: "ok"},
		{name: "Peterson's lock is starvation-free", src: peterson + `liveness served { always (P[0]@want -> eventually P[0]@crit) }`, want: "ok"},
		{name: "a test-and-set lock is not", src: tas + `liveness served { always (P[0]@want -> eventually P[0]@crit) }`, want: "liveness",
			says: []string{"repeat forever and P[0]@crit never holds; only P[1] moves, while P[0] waits at line 5 (await !locked)"}},
		{name: "without fairness Peterson's lock starves too", src: strings.Replace(peterson, "actor P[2] {", "actor P[2] unfair {", 1) +
			`liveness served { always (P[0]@want -> eventually P[0]@crit) }`, want: "liveness"},
		{name: "enabled infinitely often, not continuously: weak fairness starves it", src: `var flag: bool
actor T { loop { flag = true; flag = false } }
actor W { await flag }
liveness served { eventually W.done }`, want: "liveness"},
		{name: "and strong fairness does not", src: `var flag: bool
actor T { loop { flag = true; flag = false } }
actor W strong fair { await flag }
liveness served { eventually W.done }`, want: "ok"},
		{name: "a ticket lock is starvation-free", src: `var next: 0..2 = 0
var serving: 0..2 = 0
actor P[2] {
    loop {
        label want:
        let t: 0..2 = 0
        atomic { t = next; next = (next + 1) % 3 }
        await serving == t
        label crit:
        serving = (serving + 1) % 3
    }
}
liveness served { always (P[0]@want -> eventually P[0]@crit) }`, want: "ok"},
		{name: "ordered forks: someone eats again and again", src: philosophers("") + `liveness eats { always eventually progress }`, want: "ok"},
		{name: "ordered forks: under weak fairness a philosopher may starve", src: philosophers("") + `liveness eats { always eventually Phil[0]@eat }`,
			want: "liveness", says: []string{"Phil[0]@eat never holds"}},
		{name: "ordered forks: under strong fairness none does", src: philosophers("strong fair") + `liveness eats { always eventually Phil[0]@eat }`, want: "ok"},
		{name: "a producer beside a daemon server never starves", src: `queue q[1]
actor Producer { loop { q.put(1); progress } }
actor Server daemon { loop { let x = q.get() } }
liveness moves { always eventually progress }`, want: "ok"},
		{name: "a run that ends without the goal", src: `var x: 0..3 = 0
actor A { x = 1 }
liveness two { eventually x == 2 }`, want: "liveness", says: []string{"x == 2 never holds"}},
		{name: "polling a lock held forever: the poller goes on without progress", src: `lock m
actor A { m.acquire() }
actor B {
    await A.done
    loop { if m.acquire(nowait) { progress; m.release() } }
}
liveness moves { always eventually progress }`, want: "deadlock, liveness",
			says: []string{"After step 2 nothing ever moves again, and nothing makes progress: B spinning at if m.acquire(nowait)",
				"retries: m is held by A"}},
		{name: "polling a lock held forever, with a property that holds there", src: `lock m
actor A { m.acquire() }
actor B {
    await A.done
    loop { if m.acquire(nowait) { progress; m.release() } }
}
liveness finished { eventually A.done }`, want: "deadlock", says: []string{"No actor can move: B spinning at if m.acquire(nowait)"}},
	})
}
