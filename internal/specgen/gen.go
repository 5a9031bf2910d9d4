// Package specgen writes random small .ilv specs for differential tests:
// actors sharing variables, locks, semaphores, events, queues with close,
// channels, with asserts, errors and invariants. The same seed gives the
// same spec.
package specgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Spec returns a random spec for the seed. One seed in three gives a spec
// in which nothing but a deadlock can go wrong (no assert, raise, close or
// store that may leave its range; locks released only by their holder),
// which reduction searches without its cycle proviso.
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
}

func (g *gen) n(k int) int { return g.r.IntN(k) }

func (g *gen) line(indent int, format string, args ...any) {
	g.b.WriteString(strings.Repeat("    ", indent))
	fmt.Fprintf(&g.b, format, args...)
	g.b.WriteByte('\n')
}

var vars = []string{"x", "y"}

func (g *gen) spec() string {
	g.line(0, "var x: 0..3 = 0")
	g.line(0, "var y: 0..3 = 0")
	g.line(0, "lock m")
	g.line(0, "lock k")
	g.line(0, "semaphore s = %d", g.n(2))
	g.line(0, "event e")
	g.line(0, "queue q[%d]", 1+g.n(2))
	g.line(0, "chan c[%d]", g.n(2))
	if g.pure {
		g.line(0, "queue b[%d]: bool", 1+g.n(2))
		g.line(0, "chan d[%d]: bool", g.n(2))
	}
	actors := 2 + g.n(2)
	for i := 0; i < actors; i++ {
		name := string(rune('A' + i))
		mods := ""
		if g.n(4) == 0 {
			mods = "[2]"
		}
		if g.n(8) == 0 {
			mods += " daemon"
		}
		g.line(0, "actor %s%s {", name, mods)
		g.locals = 0
		g.block(1, 2+g.n(4))
		g.line(0, "}")
	}
	switch g.n(4) {
	case 0:
		if g.pure {
			break
		}
		g.line(0, "invariant sum { x + y <= %d }", 3+g.n(3))
	case 1:
		if !g.pure {
			g.line(0, "invariant order { x >= y || A.done }")
		}
	case 2:
		if !g.pure {
			g.line(0, "invariant held { !(m.locked() && k.locked()) || x < 3 }")
		}
	}
	return g.b.String()
}

func (g *gen) block(indent, n int) {
	for i := 0; i < n; i++ {
		g.stmt(indent)
	}
}

func (g *gen) v() string { return vars[g.n(2)] }

func (g *gen) stmt(in int) {
	if g.pure {
		g.pureStmt(in)
		return
	}
	if g.depth > 2 {
		g.line(in, "%s = %d", g.v(), g.n(3))
		return
	}
	switch g.n(22) {
	case 0:
		g.line(in, "%s = %s + 1", g.v(), g.v())
	case 1:
		g.line(in, "%s = %d", g.v(), g.n(4))
	case 2:
		g.line(in, "m.acquire()")
		g.block(in, g.n(2))
		g.line(in, "m.release()")
	case 3:
		g.line(in, "k.acquire()")
		g.stmt(in)
		g.line(in, "k.release()")
	case 4:
		g.line(in, "s.acquire()")
	case 5:
		g.line(in, "s.release()")
	case 6:
		g.line(in, "q.put(%d)", g.n(3))
	case 7:
		g.line(in, "%s = q.get()", g.v())
	case 8:
		g.line(in, "q.close()")
	case 9:
		g.line(in, "c.send(%d)", g.n(3))
	case 10:
		g.line(in, "let v%d, ok%d = c.recv()", g.locals, g.locals)
		g.locals++
	case 11:
		g.line(in, "e.set()")
	case 12:
		g.line(in, "e.wait()")
	case 13:
		g.line(in, "await %s > %d", g.v(), g.n(2))
	case 14:
		g.line(in, "assert %s != %d, \"not %d\"", g.v(), 1+g.n(3), g.n(9))
	case 15:
		g.depth++
		g.line(in, "if %s == %d {", g.v(), g.n(3))
		g.block(in+1, 1+g.n(2))
		g.line(in, "} else {")
		g.block(in+1, 1)
		g.line(in, "}")
		g.depth--
	case 16:
		g.either(in)
	case 17:
		g.depth++
		g.line(in, "atomic {")
		g.line(in+1, "%s = %d", g.v(), g.n(3))
		g.line(in+1, "%s = %d", g.v(), g.n(3))
		g.line(in, "}")
		g.depth--
	case 18:
		g.line(in, "let l%d = %d", g.locals, g.n(3))
		g.line(in, "l%d = l%d + 1", g.locals, g.locals)
		g.locals++
	case 19:
		g.depth++
		g.line(in, "try {")
		g.block(in+1, 1+g.n(2))
		if g.n(2) == 0 {
			g.line(in+1, "raise Oops")
		}
		g.line(in, "} catch Oops {")
		g.line(in+1, "%s = 0", g.v())
		g.line(in, "}")
		g.depth--
	case 20:
		g.depth++
		g.line(in, "while %s < 2 {", g.v())
		g.line(in+1, "%s = %s + 1", g.v(), g.v())
		g.line(in, "}")
		g.depth--
	default:
		if g.n(2) == 0 {
			g.line(in, "if q.get(nowait) == 1 { x = 1 }")
		} else {
			g.line(in, "if m.acquire(nowait) { y = 1; m.release() }")
		}
	}
}

// pureStmt writes a statement that cannot commit any violation but a
// deadlock.
func (g *gen) pureStmt(in int) {
	if g.depth > 2 {
		g.line(in, "%s = %d", g.v(), g.n(4))
		return
	}
	switch g.n(14) {
	case 0, 1:
		g.line(in, "%s = %d", g.v(), g.n(4))
	case 2:
		g.line(in, "m.acquire()")
		g.block(in, g.n(3))
		g.line(in, "m.release()")
	case 3:
		g.line(in, "k.acquire()")
		g.block(in, g.n(2))
		g.line(in, "k.release()")
	case 4:
		g.line(in, "s.acquire()")
	case 5:
		g.line(in, "b.put(%t)", g.n(2) == 0)
	case 6:
		g.line(in, "let g%d = b.get()", g.locals)
		g.locals++
	case 7:
		g.line(in, "d.send(%t)", g.n(2) == 0)
	case 8:
		g.line(in, "let r%d = d.recv()", g.locals)
		g.locals++
	case 9:
		if g.n(2) == 0 {
			g.line(in, "e.set()")
		} else {
			g.line(in, "e.wait()")
		}
	case 10:
		g.line(in, "await %s == %d", g.v(), g.n(3))
	case 11:
		g.depth++
		g.line(in, "if %s == %d {", g.v(), g.n(3))
		g.block(in+1, 1+g.n(2))
		g.line(in, "}")
		g.depth--
	case 12:
		g.either(in)
	default:
		g.depth++
		g.line(in, "loop {")
		g.block(in+1, 1+g.n(2))
		g.line(in, "if %s == %d { break }", g.v(), g.n(4))
		g.line(in, "}")
		g.depth--
	}
}

// either writes an either with two branches of one or two statements.
func (g *gen) either(in int) {
	g.depth++
	g.line(in, "either {")
	g.block(in+1, 1+g.n(2))
	g.line(in, "} or {")
	g.block(in+1, 1+g.n(2))
	g.line(in, "}")
	g.depth--
}
