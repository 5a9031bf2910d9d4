// Package specgen writes random small .ilv specs for differential tests.
// They cover every construct of the language: variables, locks (plain,
// robust, reentrant, arrays of them), semaphores, events, conditions with
// timeouts, queues with close, buffered and unbuffered channels with close
// and select, wait groups (reusable too); asserts, raises through procs
// with parameters, try/catch/finally, atomic blocks, either, choose, loops
// and busy-wait loops, progress marks, labels and invariants over them,
// liveness properties of every form verify checks; dormant actors and
// start, cancel, crashes, daemons, cooperative actors, and actors with
// strong fairness or none. The same seed
// gives the same spec.
package specgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Spec returns a random spec for the seed. One seed in three gives a spec
// in which nothing but a deadlock can go wrong (no assert, raise, close,
// cancel or store that may leave its range; locks released only by their
// holder), which reduction searches without its cycle proviso.
func Spec(seed uint64) string {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), pure: seed%3 == 0}
	return g.spec()
}

type gen struct {
	r      *rand.Rand
	b      strings.Builder
	depth  int
	locals int
	pure   bool
	actors []actor
	cur    int  // the actor being written
	label  bool // actor A has label mark
}

// actor is what the generator decided about one actor before writing it.
type actor struct {
	name        string
	count       int // instances, 1 or 2
	dormant     bool
	daemon      bool
	cooperative bool
	crashes     int
	fairness    string // "", "strong fair" or "unfair"
}

func (g *gen) n(k int) int { return g.r.IntN(k) }

// p is true with probability 1/k.
func (g *gen) p(k int) bool { return g.r.IntN(k) == 0 }

func (g *gen) line(indent int, format string, args ...any) {
	g.b.WriteString(strings.Repeat("    ", indent))
	fmt.Fprintf(&g.b, format, args...)
	g.b.WriteByte('\n')
}

var vars = []string{"x", "y"}

func (g *gen) v() string { return vars[g.n(2)] }

func (g *gen) local(prefix string) string {
	g.locals++
	return fmt.Sprintf("%s%d", prefix, g.locals)
}

func (g *gen) spec() string {
	g.decls()
	g.pickActors()
	g.procs()
	for i, a := range g.actors {
		g.cur = i
		g.line(0, "actor %s%s {", a.name, a.modifiers())
		g.locals = 0
		if i == 0 && g.p(3) {
			g.line(1, "label mark:")
			g.label = true
			g.stmt(1)
		}
		g.block(1, 2+g.n(4))
		if i == 0 && a.count == 1 {
			// The first actor starts the dormant ones, now and then.
			for _, b := range g.actors {
				if b.dormant && g.p(2) {
					g.line(1, "start %s", b.name)
				}
			}
		}
		g.line(0, "}")
	}
	g.invariants()
	g.liveness()
	return g.b.String()
}

// modifiers writes what follows an actor's name: its count and modifiers.
func (a *actor) modifiers() string {
	mods := ""
	if a.count > 1 {
		mods = fmt.Sprintf("[%d]", a.count)
	}
	for _, m := range []struct {
		on   bool
		word string
	}{{a.dormant, " dormant"}, {a.daemon, " daemon"}, {a.cooperative, " cooperative"}} {
		if m.on {
			mods += m.word
		}
	}
	if a.crashes > 0 {
		mods += fmt.Sprintf(" crashes %d", a.crashes)
	}
	if a.fairness != "" {
		mods += " " + a.fairness
	}
	return mods
}

// decls writes the globals every spec may use.
func (g *gen) decls() {
	g.line(0, "var x: 0..3 = 0")
	g.line(0, "var y: 0..3 = 0")
	g.line(0, "lock m")
	g.line(0, "lock k")
	g.line(0, "robust lock rl")
	g.line(0, "reentrant lock r")
	g.line(0, "[2] lock f")
	g.line(0, "condition cv(m)")
	g.line(0, "semaphore s = %d", g.n(2))
	g.line(0, "event e")
	g.line(0, "waitgroup wg")
	g.line(0, "reusable waitgroup rw")
	if g.pure {
		g.line(0, "queue b[%d]: bool", 1+g.n(2))
		g.line(0, "chan d[%d]: bool", g.n(2))
		g.line(0, "chan u[0]: bool")
		return
	}
	g.line(0, "bounded semaphore bs = 1")
	g.line(0, "queue q[%d]", 1+g.n(2))
	g.line(0, "chan c[%d]", g.n(2))
	g.line(0, "chan u[0]")
	g.line(0, "[2] chan ch[1]")
}

// pickActors decides the actors: two to four, some arrays, some dormant,
// daemon, cooperative or crashing.
func (g *gen) pickActors() {
	n := 2 + g.n(3)
	for i := range n {
		a := actor{name: string(rune('A' + i)), count: 1}
		if g.p(4) {
			a.count = 2
		}
		a.daemon = g.p(8)
		a.cooperative = g.p(8)
		// A dormant actor needs someone to start it: never the first.
		a.dormant = i > 0 && g.p(6)
		if g.p(6) {
			a.crashes = 1 + g.n(2)
		}
		if g.p(6) {
			a.fairness = []string{"strong fair", "unfair"}[g.n(2)]
		}
		g.actors = append(g.actors, a)
	}
}

// procs writes the procs the actors may call: one with a parameter that
// may raise through the caller, one over an array of locks.
func (g *gen) procs() {
	g.line(0, "proc bump(v: 0..3) {")
	if g.pure {
		g.line(1, "x = v")
	} else {
		g.line(1, "if v == %d { raise Oops }", g.n(4))
		g.line(1, "x = v")
	}
	g.line(0, "}")
	g.line(0, "proc crit(i: 0..1) {")
	g.line(1, "f[i].acquire()")
	g.line(1, "y = i")
	g.line(1, "f[i].release()")
	g.line(0, "}")
}

// invariants writes zero to two invariants over variables, objects,
// actor status and the label.
func (g *gen) invariants() {
	if g.pure {
		return
	}
	switch g.n(5) {
	case 0:
		g.line(0, "invariant sum { x + y <= %d }", 3+g.n(3))
	case 1:
		g.line(0, "invariant order { x >= y || A%s.done }", g.first(0))
	case 2:
		g.line(0, "invariant held { !(m.locked() && k.locked()) || x < 3 }")
	case 3:
		g.line(0, "invariant waiting { !(e.is_set() && x == 3) || B%s.done }", g.first(1))
	}
	if g.label && g.p(2) {
		g.line(0, "invariant marked { !(A%s@mark && y == %d) }", g.first(0), 1+g.n(3))
	}
}

// liveness writes, now and then, a liveness property of a form verify
// checks.
func (g *gen) liveness() {
	if !g.p(2) {
		return
	}
	switch g.n(4) {
	case 0:
		g.line(0, "liveness ends { eventually A%s.done }", g.first(0))
	case 1:
		g.line(0, "liveness often { always eventually %s == %d }", g.v(), g.n(2))
	case 2:
		g.line(0, "liveness leads { always (%s == 1 -> eventually %s == 0) }", g.v(), g.v())
	default:
		g.line(0, "liveness moves { always eventually progress }")
	}
}

// first indexes instance 0 of actor i when it is an array.
func (g *gen) first(i int) string {
	if g.actors[i].count > 1 {
		return "[0]"
	}
	return ""
}

func (g *gen) block(indent, n int) {
	for range n {
		g.stmt(indent)
	}
}

// other names another actor (an instance of it), for start and cancel.
func (g *gen) other() (actor, string) {
	i := g.n(len(g.actors))
	if i == g.cur {
		i = (i + 1) % len(g.actors)
	}
	a := g.actors[i]
	name := a.name
	if a.count > 1 {
		name += fmt.Sprintf("[%d]", g.n(2))
	}
	return a, name
}

// index picks an element of a two-element array: a constant, or self in
// an array actor.
func (g *gen) index() string {
	if g.actors[g.cur].count > 1 && g.p(2) {
		return "self"
	}
	return fmt.Sprint(g.n(2))
}

func (g *gen) stmt(in int) {
	if g.depth > 2 {
		g.line(in, "%s = %d", g.v(), g.n(3))
		return
	}
	if g.pure {
		g.pureStmt(in)
		return
	}
	g.depth++
	defer func() { g.depth-- }()
	k := g.n(len(fullStmts))
	fullStmts[k](g, in)
}

// fullStmts and pureStmts are set in init: they refer to the writers that
// refer to them.
var fullStmts, pureStmts []func(g *gen, in int)

func init() {
	fullStmts = fullWriters()
	pureStmts = pureWriters()
}

// fullWriters write the statements of specs where anything may go wrong.
func fullWriters() []func(g *gen, in int) {
	return slices.Concat(fullLocks(), fullObjects(), fullFlow())
}

// fullLocks write statements on locks and semaphores.
func fullLocks() []func(g *gen, in int) {
	return []func(g *gen, in int){
		func(g *gen, in int) { g.line(in, "%s = %s + 1", g.v(), g.v()) },
		func(g *gen, in int) { g.line(in, "%s = %d", g.v(), g.n(4)) },
		func(g *gen, in int) { g.locked(in, "m") },
		func(g *gen, in int) { g.locked(in, "k") },
		func(g *gen, in int) { g.locked(in, "rl") },
		func(g *gen, in int) {
			g.line(in, "r.acquire()")
			if g.p(2) {
				g.locked(in, "r")
			} else {
				g.stmt(in)
			}
			g.line(in, "r.release()")
		},
		func(g *gen, in int) { g.locked(in, "f["+g.index()+"]") },
		func(g *gen, in int) { g.line(in, "call crit(%s)", g.index()) },
		func(g *gen, in int) { g.line(in, "s.acquire()") },
		func(g *gen, in int) { g.line(in, "s.release()") },
		func(g *gen, in int) {
			if g.p(2) {
				g.line(in, "bs.acquire()")
			} else {
				g.line(in, "bs.release()")
			}
		},
	}
}

// fullObjects write statements on queues, channels, events, conditions and wait groups.
func fullObjects() []func(g *gen, in int) {
	return []func(g *gen, in int){
		func(g *gen, in int) { g.line(in, "q.put(%d)", g.n(3)) },
		func(g *gen, in int) { g.line(in, "%s = q.get()", g.v()) },
		func(g *gen, in int) { g.line(in, "q.close()") },
		func(g *gen, in int) { g.line(in, "c.send(%d)", g.n(3)) },
		func(g *gen, in int) {
			v, ok := g.local("v"), g.local("ok")
			g.line(in, "let %s, %s = c.recv()", v, ok)
		},
		func(g *gen, in int) { g.line(in, "%s.close()", []string{"c", "u", "ch[0]"}[g.n(3)]) },
		func(g *gen, in int) { g.line(in, "u.send(%d)", g.n(3)) },
		func(g *gen, in int) { g.line(in, "%s = u.recv()", g.v()) },
		func(g *gen, in int) { g.line(in, "ch[%s].send(%d)", g.index(), g.n(3)) },
		func(g *gen, in int) { g.select_(in) },
		func(g *gen, in int) { g.line(in, "e.set()") },
		func(g *gen, in int) { g.line(in, "e.wait()") },
		func(g *gen, in int) { g.line(in, "e.clear()") },
		func(g *gen, in int) { g.condition(in) },
		func(g *gen, in int) { g.line(in, "cv.notify()") }, // raises Unlocked: m is not held
		func(g *gen, in int) { g.waitgroup(in) },
	}
}

// fullFlow write control flow, asserts and actor control.
func fullFlow() []func(g *gen, in int) {
	return []func(g *gen, in int){
		func(g *gen, in int) { g.line(in, "await %s > %d", g.v(), g.n(2)) },
		func(g *gen, in int) { g.line(in, "assert %s != %d, \"not %d\"", g.v(), 1+g.n(3), g.n(9)) },
		func(g *gen, in int) {
			g.line(in, "if %s == %d {", g.v(), g.n(3))
			g.block(in+1, 1+g.n(2))
			g.line(in, "} else {")
			g.block(in+1, 1)
			g.line(in, "}")
		},
		func(g *gen, in int) { g.either(in) },
		func(g *gen, in int) {
			g.line(in, "atomic {")
			g.line(in+1, "%s = %d", g.v(), g.n(3))
			g.line(in+1, "%s = %d", g.v(), g.n(3))
			g.line(in, "}")
		},
		func(g *gen, in int) {
			l := g.local("l")
			g.line(in, "let %s = %d", l, g.n(3))
			g.line(in, "%s = %s + 1", l, l)
		},
		func(g *gen, in int) { g.try(in) },
		func(g *gen, in int) { g.line(in, "call bump(%d)", g.n(4)) },
		func(g *gen, in int) {
			g.line(in, "while %s < 2 {", g.v())
			g.line(in+1, "%s = %s + 1", g.v(), g.v())
			g.line(in, "}")
		},
		func(g *gen, in int) {
			g.line(in, "for i%d in 0..1 {", g.locals)
			g.line(in+1, "%s = i%d", g.v(), g.locals)
			g.line(in, "}")
			g.locals++
		},
		func(g *gen, in int) { g.line(in, "choose %s in 0..%d", g.v(), 1+g.n(2)) },
		func(g *gen, in int) { g.busyWait(in) },
		func(g *gen, in int) { _, name := g.other(); g.line(in, "start %s", name) },
		func(g *gen, in int) { _, name := g.other(); g.line(in, "cancel %s", name) },
		func(g *gen, in int) {
			if g.p(2) {
				g.line(in, "%s = q.get(nowait)", g.v())
			} else {
				g.line(in, "if m.acquire(nowait) { y = 1; m.release() }")
			}
		},
		func(g *gen, in int) {
			switch g.n(4) {
			case 0:
				g.line(in, "if s.acquire(timeout) { %s = 1 }", g.v())
			case 1:
				g.line(in, "if e.wait(timeout) { %s = 2 }", g.v())
			case 2:
				g.line(in, "q.put(%d, timeout)", g.n(3))
			default:
				g.line(in, "if rl.acquire(timeout) { %s = 3; rl.release() }", g.v())
			}
		},
		func(g *gen, in int) { g.line(in, "%s = %d", g.v(), g.n(3)); g.line(in, "progress") },
	}
}

// locked writes an acquire of lock, a few statements, and its release.
func (g *gen) locked(in int, lock string) {
	g.line(in, "%s.acquire()", lock)
	g.block(in, g.n(2))
	g.line(in, "%s.release()", lock)
}

// condition writes a wait on cv with m held: plain, in a loop over a
// predicate, or with a timeout; or a notify with m held.
func (g *gen) condition(in int) {
	g.line(in, "m.acquire()")
	switch g.n(4) {
	case 0:
		g.line(in, "cv.wait()")
	case 1:
		g.line(in, "while %s == 0 { cv.wait() }", g.v())
	case 2:
		g.line(in, "if cv.wait(timeout) { %s = 1 }", g.v())
	default:
		g.line(in, "%s = %d", g.v(), 1+g.n(2))
		if g.p(2) {
			g.line(in, "cv.notify()")
		} else {
			g.line(in, "cv.notify_all()")
		}
	}
	g.line(in, "m.release()")
}

// waitgroup writes an operation on wg or rw.
func (g *gen) waitgroup(in int) {
	wg := "wg"
	if g.p(2) {
		wg = "rw"
	}
	switch g.n(3) {
	case 0:
		g.line(in, "%s.add(%d)", wg, 1+g.n(2))
	case 1:
		g.line(in, "%s.done()", wg)
	default:
		g.line(in, "%s.wait()", wg)
	}
}

// select_ writes a select with two or three cases, sometimes a default.
func (g *gen) select_(in int) {
	g.line(in, "select {")
	cases := []func(){
		func() {
			v, ok := g.local("v"), g.local("ok")
			g.line(in, "case let %s, %s = c.recv():", v, ok)
		},
		func() { g.line(in, "case u.send(%d):", g.n(3)) },
		func() { g.line(in, "case %s = u.recv():", g.v()) },
		func() { g.line(in, "case ch[%s].send(1):", g.index()) },
		func() { g.line(in, "case c.send(2):") },
	}
	for _, i := range g.r.Perm(len(cases))[:2+g.n(2)] {
		cases[i]()
		g.line(in+1, "%s = %d", g.v(), g.n(4))
	}
	if g.p(2) {
		g.line(in, "default:")
		g.line(in+1, "%s = 0", g.v())
	}
	g.line(in, "}")
}

// try writes a try with a raise, directly or through bump, a catch and
// sometimes a finally.
func (g *gen) try(in int) {
	g.line(in, "try {")
	g.block(in+1, g.n(2))
	switch g.n(3) {
	case 0:
		g.line(in+1, "raise Oops")
	case 1:
		g.line(in+1, "call bump(%d)", g.n(4))
	}
	if g.p(3) {
		g.line(in, "} catch any {")
	} else {
		g.line(in, "} catch Oops {")
	}
	g.line(in+1, "%s = 0", g.v())
	if g.p(2) {
		g.line(in, "} finally {")
		g.line(in+1, "%s = 1", g.v())
	}
	g.line(in, "}")
}

// busyWait writes a loop that spins until another actor changes what it
// reads: a test-and-set in atomic, a poll with nowait, a plain spin.
func (g *gen) busyWait(in int) {
	switch g.n(3) {
	case 0:
		g.line(in, "loop {")
		g.line(in+1, "atomic { if %s == 0 { %s = 1; break } }", g.v(), g.v())
		g.line(in, "}")
	case 1:
		g.line(in, "loop { if k.acquire(nowait) { break } }")
		g.line(in, "k.release()")
	default:
		g.line(in, "while %s == %d { }", g.v(), g.n(3))
	}
}

// pureWriters write statements that cannot commit any violation but a
// deadlock.
func pureWriters() []func(g *gen, in int) {
	return slices.Concat(pureObjects(), pureFlow())
}

// pureObjects write deadlock-only statements on objects.
func pureObjects() []func(g *gen, in int) {
	return []func(g *gen, in int){
		func(g *gen, in int) { g.line(in, "%s = %d", g.v(), g.n(4)) },
		func(g *gen, in int) { g.line(in, "%s = %d", g.v(), g.n(4)) },
		func(g *gen, in int) {
			g.line(in, "m.acquire()")
			g.block(in, g.n(3))
			g.line(in, "m.release()")
		},
		func(g *gen, in int) {
			g.line(in, "k.acquire()")
			g.block(in, g.n(2))
			g.line(in, "k.release()")
		},
		func(g *gen, in int) { g.line(in, "call crit(%s)", g.index()) },
		func(g *gen, in int) { g.line(in, "call bump(%d)", g.n(4)) },
		func(g *gen, in int) { g.line(in, "s.acquire()") },
		func(g *gen, in int) { g.line(in, "b.put(%t)", g.p(2)) },
		func(g *gen, in int) { g.line(in, "let %s = b.get()", g.local("g")) },
		func(g *gen, in int) { g.line(in, "d.send(%t)", g.p(2)) },
		func(g *gen, in int) { g.line(in, "let %s = d.recv()", g.local("r")) },
		func(g *gen, in int) { g.line(in, "u.send(%t)", g.p(2)) },
		func(g *gen, in int) {
			g.line(in, "select {")
			g.line(in, "case let %s = d.recv():", g.local("r"))
			g.line(in+1, "%s = 1", g.v())
			g.line(in, "case u.send(true):")
			g.line(in+1, "%s = 2", g.v())
			if g.p(2) {
				g.line(in, "default:")
				g.line(in+1, "%s = 0", g.v())
			}
			g.line(in, "}")
		},
		func(g *gen, in int) {
			if g.p(2) {
				g.line(in, "e.set()")
			} else {
				g.line(in, "e.wait()")
			}
		},
		func(g *gen, in int) {
			g.line(in, "m.acquire()")
			if g.p(2) {
				g.line(in, "while %s == 0 { cv.wait() }", g.v())
			} else {
				g.line(in, "%s = 1", g.v())
				g.line(in, "cv.notify_all()")
			}
			g.line(in, "m.release()")
		},
		func(g *gen, in int) {
			g.line(in, "rw.add(1)")
			g.line(in, "rw.done()")
		},
		func(g *gen, in int) { g.line(in, "rw.wait()") },
	}
}

// pureFlow write deadlock-only control flow.
func pureFlow() []func(g *gen, in int) {
	return []func(g *gen, in int){
		func(g *gen, in int) { g.line(in, "await %s == %d", g.v(), g.n(3)) },
		func(g *gen, in int) {
			g.line(in, "loop { if k.acquire(nowait) { break } }")
			g.line(in, "k.release()")
		},
		func(g *gen, in int) { g.line(in, "while %s == %d { }", g.v(), g.n(3)) },
		func(g *gen, in int) {
			g.line(in, "if %s == %d {", g.v(), g.n(3))
			g.block(in+1, 1+g.n(2))
			g.line(in, "}")
		},
		func(g *gen, in int) { g.either(in) },
		func(g *gen, in int) {
			g.line(in, "loop {")
			g.block(in+1, 1+g.n(2))
			g.line(in, "if %s == %d { break }", g.v(), g.n(4))
			g.line(in, "}")
		},
	}
}

// pureStmt writes a statement that cannot commit any violation but a
// deadlock.
func (g *gen) pureStmt(in int) {
	g.depth++
	defer func() { g.depth-- }()
	pureStmts[g.n(len(pureStmts))](g, in)
}

// either writes an either with two branches of one or two statements.
func (g *gen) either(in int) {
	g.line(in, "either {")
	g.block(in+1, 1+g.n(2))
	g.line(in, "} or {")
	g.block(in+1, 1+g.n(2))
	g.line(in, "}")
}
