package specgen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// The oracle specs: random specs of the subset of the language that maps
// one to one onto Promela, written in both, so that SPIN can check what
// verify checks. Each statement is one step in both (one SPIN transition
// per step of ours), so that, without reduction, both store the same
// states. Every Promela step is wrapped as
//
//	atomic { G(line) && guard -> effect; TICK }
//
// where G and TICK are true and skip in the plain model; a guided model
// (Guide) defines them to replay one run of ours, step by step.
//
//	ilv                           Promela
//	var x: 0..3 = 0               byte x; a step that would leave 0..3 asserts it does not
//	x = k / x = y + 1             x = k / assert(y + 1 <= 3); x = y + 1
//	lock m: acquire, release      byte m (owner _pid+1): m == 0 -> m = _pid+1 / m = 0
//	reentrant lock r              byte r, rc: (r == 0 || r == _pid+1) -> r = _pid+1; rc++ / rc--; r = (rc == 0 -> 0 : r)
//	semaphore s = N               byte s: s > 0 -> s-- / assert(s < 255); s++
//	event e: set, clear, wait     bit e: e = 1 / e = 0 / e -> skip
//	waitgroup wg: add, done, wait byte wg; bit wgw (waited): assert(!wgw); wg++ / assert(wg > 0); wg-- / wg == 0 -> wgw = 1
//	queue q[N]: put, get, close   byte q[N], qn; bit qc: (qc || qn < N) -> assert(!qc); push / (qc || qn > 0) -> assert(!qc); pop / qc = 1
//	chan c[N] (buffered)          byte c[N], cn; bit cc: send as put (a send on a closed channel asserts);
//	                              x = c.recv(): (cn > 0 || cc) -> pop, or x = 0 once closed and empty; close: assert(!cc); cc = 1
//	if t {A} else {B}             if :: t -> A :: !t -> B fi (the test is the step)
//	while t {A}                   do :: t -> A :: !t -> break od
//	either {A} or {B}             if :: A :: B fi (the first step of a branch is its guard)
//	atomic {A; B}                 one atomic step, blocking only at its start
//	await t / assert t            t -> skip / assert(t)
//	choose x in 0..N              if :: x = 0 :: ... :: x = N fi
//	select { case c.send(v): A    if :: (cc || cn < N) -> send; A :: (cn > 0 || cc) -> recv; B
//	case x = c.recv(): B          :: !(ready) && ... -> C fi (each case's operation commits to it;
//	default: C }                  a guided model picks the case with V)
//	invariant I                   a monitor: do :: !I -> assert(I) od (at an end label)
//	an actor (an array of two)    active [2] proctype A; the last process never ends, so
//	                              none is ever removed (SPIN removes ended ones, adding states)
//	deadlock                      an invalid end state (every process blocked, not at its end)
//
// Left out, as they do not map one to one: locals (SPIN keeps an ended
// process's locals, verify clears them), unbuffered channels (a SPIN
// rendezvous cannot be closed), conditions, raise and try, crashes,
// start and cancel, daemons and liveness.
type OracleSpec struct {
	live   bool // actors loop forever; liveness moves { always eventually progress }
	actors []*oactor
	qcap   int
	ccap   int
	sem    int
	inv    string // the invariant's text, or ""
}

type oactor struct {
	name  string
	count int
	body  []*onode
}

// onode is a statement of an oracle spec. line is where its step stands in
// the .ilv text once written (for atomic, its first statement's).
type onode struct {
	op   string
	args []string
	body [][]*onode
	line int
	end  int // for a lock's block: the line of its release
}

// Oracle returns the oracle spec of a seed. One seed in three gives a
// spec where nothing but a deadlock can go wrong (no assert, close, done
// or step that may leave a range, no invariant), whose whole state space
// both searches then store.
func Oracle(seed uint64) *OracleSpec {
	g := &ogen{r: rand.New(rand.NewPCG(seed, seed^0x243f6a8885a308d3)), pure: seed%3 == 0}
	o := &OracleSpec{qcap: 1 + g.n(2), ccap: 1 + g.n(2), sem: g.n(2)}
	for i := range 2 + g.n(2) {
		a := &oactor{name: string(rune('A' + i)), count: 1}
		if g.n(4) == 0 {
			a.count = 2
		}
		a.body = g.block(2 + g.n(4))
		o.actors = append(o.actors, a)
	}
	switch k := g.n(4); {
	case g.pure:
	case k == 0:
		o.inv = fmt.Sprintf("x + y <= %d", 3+g.n(3))
	case k == 1:
		o.inv = "!(m.locked() && e.is_set()) || x < 3"
	}
	return o
}

// LiveOracle returns the liveness oracle spec of a seed: a spec where
// nothing but a deadlock can go wrong, whose actors loop forever, some
// passing a progress mark, and the property that some actor makes
// progress again and again. Each turn of a loop ends with a step that
// flips z, so that no turn leaves the state as it was (a turn that does is
// no step of ours, while it is a SPIN transition).
//
//	ilv                                      Promela
//	loop { ...; z = 1 - z }                  do :: ...; z = 1 - z od
//	progress                                 progressN: skip (an extra step: SPIN's progress
//	                                         is a place, ours the step that reaches the mark;
//	                                         under weak fairness the skip is taken, so the two
//	                                         agree; first in a loop, after a skip of its own)
//	liveness moves { always eventually progress }   non-progress cycles: -DNP, pan -l (-f: weak fairness)
func LiveOracle(seed uint64) *OracleSpec {
	g := &ogen{r: rand.New(rand.NewPCG(seed, seed^0x13198a2e03707344)), pure: true, live: true}
	o := &OracleSpec{live: true, qcap: 1 + g.n(2), ccap: 1 + g.n(2), sem: g.n(2)}
	for i := range 2 + g.n(2) {
		a := &oactor{name: string(rune('A' + i)), count: 1}
		if g.n(4) == 0 {
			a.count = 2
		}
		body := g.block(1 + g.n(3))
		if g.n(3) > 0 {
			at := g.n(len(body) + 1)
			body = slices.Insert(body, at, node("progress"))
		}
		body = append(body, node("toggle"))
		a.body = []*onode{{op: "loop", body: [][]*onode{body}}}
		o.actors = append(o.actors, a)
	}
	return o
}

type ogen struct {
	r     *rand.Rand
	depth int
	pure  bool
	live  bool // in a loop: no semaphore release or wait group (they count up without end)
}

func (g *ogen) n(k int) int { return g.r.IntN(k) }

func (g *ogen) v() string { return []string{"x", "y"}[g.n(2)] }

func (g *ogen) block(n int) []*onode {
	out := make([]*onode, 0, n)
	for range n {
		out = append(out, g.stmt())
	}
	return out
}

func node(op string, args ...string) *onode { return &onode{op: op, args: args} }

// stmt picks a statement; compound ones nest at most two deep.
func (g *ogen) stmt() *onode {
	var simple []simpleStmt
	for _, st := range simpleStmts {
		switch {
		case st.pureOnly && !g.pure, (g.pure || g.live) && st.fails, g.live && st.counts:
			continue
		}
		simple = append(simple, st)
	}
	if g.depth >= 2 {
		return simple[g.n(len(simple))].write(g)
	}
	g.depth++
	defer func() { g.depth-- }()
	if g.n(3) == 0 {
		return compoundStmts[g.n(len(compoundStmts))](g)
	}
	return simple[g.n(len(simple))].write(g)
}

// simpleStmt writes a simple statement; fails: it may commit an
// assertion violation (not in pure specs); counts: it counts up without
// end in a loop (not in liveness specs); pureOnly: only in pure specs.
type simpleStmt struct {
	write                   func(g *ogen) *onode
	fails, counts, pureOnly bool
}

var simpleStmts = []simpleStmt{
	{write: func(g *ogen) *onode { return node("set", g.v(), fmt.Sprint(g.n(4))) }},
	{write: func(g *ogen) *onode { return node("inc", g.v(), g.v()) }, fails: true},
	{write: func(g *ogen) *onode { return node("sem", []string{"s.acquire()", "s.release()"}[g.n(2)]) }, counts: true},
	{write: func(g *ogen) *onode { return node("event", []string{"e.set()", "e.clear()", "e.wait()"}[g.n(3)]) }},
	{write: func(g *ogen) *onode { return node("wg", []string{"wg.add(1)", "wg.done()", "wg.wait()"}[g.n(3)]) }, fails: true},
	{write: func(g *ogen) *onode { return node("put", fmt.Sprint(g.n(3))) }},
	{write: func(g *ogen) *onode { return node("get", g.v()) }},
	{write: func(g *ogen) *onode { return node("qclose") }, fails: true},
	{write: func(g *ogen) *onode { return node("send", fmt.Sprint(g.n(3))) }},
	{write: func(g *ogen) *onode { return node("recv", g.v()) }},
	{write: func(g *ogen) *onode { return node("cclose") }, fails: true},
	{write: func(g *ogen) *onode { return node("await", g.v(), fmt.Sprint(g.n(3))) }},
	{write: func(g *ogen) *onode { return node("assert", g.v(), fmt.Sprint(1+g.n(3))) }, fails: true},
	{write: func(g *ogen) *onode { return node("choose", g.v(), fmt.Sprint(1+g.n(2))) }},
	{write: func(g *ogen) *onode { return node("wg", []string{"wg.add(1)", "wg.wait()"}[g.n(2)]) }, counts: true, pureOnly: true},
}

// compoundStmts write the statements that hold blocks; set in init, as
// they refer to the writers that refer to them.
var compoundStmts []func(g *ogen) *onode

func init() { compoundStmts = compoundWriters() }

func compoundWriters() []func(g *ogen) *onode {
	return []func(g *ogen) *onode{
		func(g *ogen) *onode {
			return &onode{op: "lock", args: []string{"m"}, body: [][]*onode{g.block(g.n(3))}}
		},
		func(g *ogen) *onode { return &onode{op: "rlock", body: [][]*onode{g.block(g.n(2))}} },
		func(g *ogen) *onode {
			return &onode{op: "if", args: []string{g.v(), fmt.Sprint(g.n(3))}, body: [][]*onode{g.block(1 + g.n(2)), g.block(1)}}
		},
		func(g *ogen) *onode {
			return &onode{op: "either", body: [][]*onode{g.block(1 + g.n(2)), g.block(1 + g.n(2))}}
		},
		func(g *ogen) *onode {
			return &onode{op: "atomic", body: [][]*onode{{node("set", g.v(), fmt.Sprint(g.n(3))), node("set", g.v(), fmt.Sprint(g.n(3)))}}}
		},
		func(g *ogen) *onode {
			v := g.v()
			step := node("inc", v, v)
			if g.pure {
				step = node("set", v, "2")
			}
			return &onode{op: "while", args: []string{v}, body: [][]*onode{{step}}}
		},
		func(g *ogen) *onode { return g.select_() },
	}
}

// select_ writes a select over channel c: a send, a receive or both,
// and sometimes a default; each case with a block of one statement.
func (g *ogen) select_() *onode {
	var cases []string
	switch g.n(3) {
	case 0:
		cases = []string{"send " + fmt.Sprint(g.n(3))}
	case 1:
		cases = []string{"recv " + g.v()}
	default:
		cases = []string{"send " + fmt.Sprint(g.n(3)), "recv " + g.v()}
	}
	if g.n(2) == 0 || len(cases) == 1 {
		cases = append(cases, "default")
	}
	sel := &onode{op: "select", args: cases}
	for range cases {
		sel.body = append(sel.body, g.block(1))
	}
	return sel
}

// ILV writes the spec in the language, noting where each step stands.
func (o *OracleSpec) ILV() string {
	w := &owriter{}
	w.line(0, "var x: 0..3 = 0")
	w.line(0, "var y: 0..3 = 0")
	w.line(0, "lock m")
	w.line(0, "reentrant lock r")
	w.line(0, "semaphore s = %d", o.sem)
	w.line(0, "event e")
	w.line(0, "waitgroup wg")
	w.line(0, "queue q[%d]: 0..3", o.qcap)
	w.line(0, "chan c[%d]: 0..3", o.ccap)
	if o.live {
		w.line(0, "var z: 0..1 = 0")
	}
	for _, a := range o.actors {
		count := ""
		if a.count > 1 {
			count = fmt.Sprintf("[%d]", a.count)
		}
		w.line(0, "actor %s%s {", a.name, count)
		w.ilvBlock(1, a.body)
		w.line(0, "}")
	}
	if o.inv != "" {
		w.line(0, "invariant inv { %s }", o.inv)
	}
	if o.live {
		w.line(0, "liveness moves { always eventually progress }")
	}
	return w.b.String()
}

type owriter struct {
	b        strings.Builder
	n        int // lines written
	progress int // progress labels written
}

func (w *owriter) line(indent int, format string, args ...any) {
	w.b.WriteString(strings.Repeat("    ", indent))
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
	w.n++
}

func (w *owriter) ilvBlock(in int, body []*onode) {
	for _, s := range body {
		w.ilvStmt(in, s)
	}
}

func (w *owriter) ilvStmt(in int, s *onode) {
	s.line = w.n + 1
	a := s.args
	switch s.op {
	case "set":
		w.line(in, "%s = %s", a[0], a[1])
	case "inc":
		w.line(in, "%s = %s + 1", a[0], a[1])
	case "sem", "event", "wg":
		w.line(in, "%s", a[0])
	case "put":
		w.line(in, "q.put(%s)", a[0])
	case "get":
		w.line(in, "%s = q.get()", a[0])
	case "qclose":
		w.line(in, "q.close()")
	case "send":
		w.line(in, "c.send(%s)", a[0])
	case "recv":
		w.line(in, "%s = c.recv()", a[0])
	case "cclose":
		w.line(in, "c.close()")
	case "await":
		w.line(in, "await %s == %s", a[0], a[1])
	case "assert":
		w.line(in, "assert %s != %s, \"not %s\"", a[0], a[1], a[1])
	case "choose":
		w.line(in, "choose %s in 0..%s", a[0], a[1])
	case "progress":
		w.line(in, "progress")
	case "toggle":
		w.line(in, "z = 1 - z")
	default:
		w.ilvCompound(in, s)
	}
}

func (w *owriter) ilvCompound(in int, s *onode) {
	a := s.args
	switch s.op {
	case "lock":
		w.line(in, "m.acquire()")
		w.ilvBlock(in, s.body[0])
		s.end = w.n + 1
		w.line(in, "m.release()")
	case "rlock":
		w.line(in, "r.acquire()")
		w.ilvBlock(in, s.body[0])
		s.end = w.n + 1
		w.line(in, "r.release()")
	case "if":
		w.line(in, "if %s == %s {", a[0], a[1])
		w.ilvBlock(in+1, s.body[0])
		w.line(in, "} else {")
		w.ilvBlock(in+1, s.body[1])
		w.line(in, "}")
	case "either":
		w.line(in, "either {")
		w.ilvBlock(in+1, s.body[0])
		w.line(in, "} or {")
		w.ilvBlock(in+1, s.body[1])
		w.line(in, "}")
	case "atomic":
		w.line(in, "atomic {")
		w.ilvBlock(in+1, s.body[0])
		w.line(in, "}")
		s.line = s.body[0][0].line
	case "while", "loop":
		w.ilvLoop(in, s)
	case "select":
		w.ilvSelect(in, s)
	}
}

// ilvSelect writes a select over c.
func (w *owriter) ilvSelect(in int, s *onode) {
	w.line(in, "select {")
	for i, c := range s.args {
		switch kind, arg, _ := strings.Cut(c, " "); kind {
		case "send":
			w.line(in, "case c.send(%s):", arg)
		case "recv":
			w.line(in, "case %s = c.recv():", arg)
		default:
			w.line(in, "default:")
		}
		w.ilvBlock(in+1, s.body[i])
	}
	w.line(in, "}")
}

// ilvLoop writes a while loop or a loop.
func (w *owriter) ilvLoop(in int, s *onode) {
	if s.op == "while" {
		w.line(in, "while %s < 2 {", s.args[0])
	} else {
		w.line(in, "loop {")
	}
	w.ilvBlock(in+1, s.body[0])
	w.line(in, "}")
}

// PML writes the spec in Promela, each step guarded by the line of its
// statement in ILV's text.
func (o *OracleSpec) PML() string {
	o.ILV() // numbers the lines
	w := &owriter{}
	w.pmlGlobals(o)
	for _, a := range o.actors {
		count := ""
		if a.count > 1 {
			count = fmt.Sprintf(" [%d]", a.count)
		}
		w.line(0, "active%s proctype %s() {", count, a.name)
		w.pmlBlock(1, a.body, o)
		w.line(0, "}")
	}
	if o.inv != "" {
		inv := strings.NewReplacer("m.locked()", "m != 0", "e.is_set()", "e").Replace(o.inv)
		w.line(0, "active proctype Inv() {")
		w.line(1, "end: do :: atomic { !(%s) -> assert(%s) } od", inv, inv)
		w.line(0, "}")
	}
	w.line(0, "/* never ends, so that no process is ever removed */")
	w.line(0, "active proctype Keeper() {")
	w.line(1, "end: false")
	w.line(0, "}")
	return w.b.String()
}

// pmlGlobals writes the definitions of the plain model, and the globals.
func (w *owriter) pmlGlobals(o *OracleSpec) {
	w.line(0, "/* an oracle spec (models/specgen/oracle.go) */")
	w.line(0, "#ifndef GUIDED")
	w.line(0, "#define G(l) true")
	w.line(0, "#define V(k) true")
	w.line(0, "#define TICK skip")
	w.line(0, "#endif")
	w.line(0, "#define PID (_pid + 1)")
	w.line(0, "byte x, y;")
	w.line(0, "byte m, r, rc;")
	w.line(0, "byte s = %d;", o.sem)
	w.line(0, "bit e;")
	w.line(0, "byte wg; bit wgw;")
	w.line(0, "byte q[%d]; byte qn; bit qc;", o.qcap)
	w.line(0, "byte c[%d]; byte cn; bit cc;", o.ccap)
	if o.live {
		w.line(0, "bit z;")
	}
}

func (w *owriter) pmlBlock(in int, body []*onode, o *OracleSpec) {
	for i, s := range body {
		if i == 0 && s.op == "progress" {
			w.line(in, "skip;") // SPIN takes no label first in an option
		}
		w.pmlStmt(in, s, o, i == len(body)-1)
	}
}

// step writes one step: atomic { G(line) && guard -> effect; TICK }.
func (w *owriter) step(in, line int, guard, effect string, last bool) {
	g := fmt.Sprintf("G(%d)", line)
	if guard != "" {
		g += " && (" + guard + ")"
	}
	if effect != "" {
		effect += "; "
	}
	w.line(in, "atomic { %s -> %sTICK }%s", g, effect, sep(last))
}

func sep(last bool) string {
	if last {
		return ""
	}
	return ";"
}

// pop takes the front of a buffer of n items (a[0..n-1], its count an)
// into x, keeping it canonical: front first, free slots zero.
func pop(x, a string, n int) string {
	parts := []string{x + " = " + a + "[0]"}
	for i := 1; i < n; i++ {
		parts = append(parts, fmt.Sprintf("%s[%d] = %s[%d]", a, i-1, a, i))
	}
	parts = append(parts, fmt.Sprintf("%s[%d] = 0", a, n-1), a+"n--")
	return strings.Join(parts, "; ")
}

func (w *owriter) pmlStmt(in int, s *onode, o *OracleSpec, last bool) {
	if guard, effect, ok := stepOf(s, o); ok {
		w.step(in, s.line, guard, effect, last)
		return
	}
	switch s.op {
	case "progress":
		w.progress++
		w.line(in, "progress%d: skip%s", w.progress, sep(last))
	case "choose":
		w.line(in, "if")
		for k := 0; k <= int(s.args[1][0]-'0'); k++ {
			w.line(in, ":: atomic { G(%d) && V(%d) -> %s = %d; TICK }", s.line, k, s.args[0], k)
		}
		w.line(in, "fi%s", sep(last))
	default:
		w.pmlCompound(in, s, o, last)
	}
}

// stepOf is the guard and effect of a statement that is one step; false
// for the others.
func stepOf(s *onode, o *OracleSpec) (guard, effect string, ok bool) {
	a := s.args
	switch s.op {
	case "set":
		return "", fmt.Sprintf("%s = %s", a[0], a[1]), true
	case "inc":
		return "", fmt.Sprintf("assert(%s + 1 <= 3); %s = %s + 1", a[1], a[0], a[1]), true
	case "sem", "event", "wg":
		guard, effect := objectStep(a[0])
		return guard, effect, true
	case "put":
		return fmt.Sprintf("qc || qn < %d", o.qcap), fmt.Sprintf("assert(!qc); q[qn] = %s; qn++", a[0]), true
	case "get":
		return "qc || qn > 0", "assert(!qc); " + pop(a[0], "q", o.qcap), true
	case "qclose":
		return "", "qc = 1", true
	case "send":
		return fmt.Sprintf("cc || cn < %d", o.ccap), fmt.Sprintf("assert(!cc); c[cn] = %s; cn++", a[0]), true
	case "recv":
		return "cn > 0 || cc", fmt.Sprintf("if :: cn > 0 -> %s :: else -> %s = 0 fi", pop(a[0], "c", o.ccap), a[0]), true
	case "cclose":
		return "", "assert(!cc); cc = 1", true
	case "await":
		return fmt.Sprintf("%s == %s", a[0], a[1]), "", true
	case "assert":
		return "", fmt.Sprintf("assert(%s != %s)", a[0], a[1]), true
	case "toggle":
		return "", "z = 1 - z", true
	}
	return "", "", false
}

// objectStep is the guard and effect of an operation on s, e or wg.
func objectStep(op string) (guard, effect string) {
	switch op {
	case "s.acquire()":
		return "s > 0", "s--"
	case "s.release()":
		return "", "assert(s < 255); s++"
	case "e.set()":
		return "", "e = 1"
	case "e.clear()":
		return "", "e = 0"
	case "e.wait()":
		return "e", ""
	case "wg.add(1)":
		return "", "assert(!wgw); wg++"
	case "wg.done()":
		return "", "assert(wg > 0); wg--"
	}
	return "wg == 0", "wgw = 1" // wg.wait()
}

func (w *owriter) pmlCompound(in int, s *onode, o *OracleSpec, last bool) {
	a, l := s.args, s.line
	switch s.op {
	case "lock":
		w.step(in, l, "m == 0", "m = PID", false)
		w.pmlBlock(in, s.body[0], o)
		w.step(in, s.end, "", "m = 0", last)
	case "rlock":
		w.step(in, l, "r == 0 || r == PID", "r = PID; rc++", false)
		w.pmlBlock(in, s.body[0], o)
		w.step(in, s.end, "", "rc--; r = (rc == 0 -> 0 : r)", last)
	case "if":
		t := fmt.Sprintf("%s == %s", a[0], a[1])
		w.line(in, "if")
		w.branch(in, l, t, s.body[0], o)
		w.branch(in, l, "!("+t+")", s.body[1], o)
		w.line(in, "fi%s", sep(last))
	case "either":
		w.line(in, "if")
		for _, b := range s.body {
			w.line(in, "::")
			w.pmlBlock(in+1, b, o)
		}
		w.line(in, "fi%s", sep(last))
	case "select":
		w.pmlSelect(in, s, o, last)
	case "atomic":
		var effects []string
		for _, t := range s.body[0] {
			effects = append(effects, fmt.Sprintf("%s = %s", t.args[0], t.args[1]))
		}
		w.step(in, l, "", strings.Join(effects, "; "), last)
	default:
		w.pmlLoop(in, s, o, last)
	}
}

// pmlSelect writes a select: each case's operation is the step that
// commits to it (V(k) picks case k in a guided model), the default one
// taken when no case is ready.
func (w *owriter) pmlSelect(in int, s *onode, o *OracleSpec, last bool) {
	var ready []string
	for _, c := range s.args {
		switch kind, _, _ := strings.Cut(c, " "); kind {
		case "send":
			ready = append(ready, fmt.Sprintf("cc || cn < %d", o.ccap))
		case "recv":
			ready = append(ready, "cn > 0 || cc")
		}
	}
	w.line(in, "if")
	for k, c := range s.args {
		kind, arg, _ := strings.Cut(c, " ")
		guard, effect := "!("+strings.Join(ready, ") && !(")+")", ""
		if kind != "default" {
			guard, effect, _ = stepOf(node(kind, arg), o)
			effect += "; "
		}
		w.line(in, ":: atomic { G(%d) && V(%d) && (%s) -> %sTICK };", s.line, k, guard, effect)
		w.pmlBlock(in+1, s.body[k], o)
	}
	w.line(in, "fi%s", sep(last))
}

// pmlLoop writes a while loop, whose test is a step, or a loop.
func (w *owriter) pmlLoop(in int, s *onode, o *OracleSpec, last bool) {
	w.line(in, "do")
	if s.op == "while" {
		t := s.args[0] + " < 2"
		w.branch(in, s.line, t, s.body[0], o)
		w.line(in, ":: atomic { G(%d) && !(%s) -> TICK }; break", s.line, t)
	} else {
		w.line(in, "::")
		w.pmlBlock(in+1, s.body[0], o)
	}
	w.line(in, "od%s", sep(last))
}

// branch writes an option whose test t is its step, then the block.
func (w *owriter) branch(in, line int, t string, body []*onode, o *OracleSpec) {
	w.line(in, ":: atomic { G(%d) && (%s) -> TICK };", line, t)
	w.pmlBlock(in+1, body, o)
}

// Step is one step of a run to replay: the SPIN process that takes it
// (the actor's index), the lines of the statements it runs, and, for a
// choose, the value chosen.
type Step struct {
	Pid   int
	Lines []int
	Value int
}

// Guide returns the definitions that make the Promela of an oracle spec
// replay a run: the processes take exactly its steps, in its order, each
// at the lines it names. With deadlock set, the run must end where no
// process can take a step: any step past its end asserts.
func Guide(run []Step, deadlock bool) string {
	var b strings.Builder
	b.WriteString("#define GUIDED\nbyte t;\n")
	var sched, has, val []string
	for i, st := range run {
		sched = append(sched, fmt.Sprintf("t == %d && _pid == %d", i, st.Pid))
		var ls []string
		for _, l := range slices.Compact(slices.Sorted(slices.Values(st.Lines))) {
			ls = append(ls, fmt.Sprintf("l == %d", l))
		}
		has = append(has, fmt.Sprintf("t == %d && (%s)", i, strings.Join(ls, " || ")))
		val = append(val, fmt.Sprintf("t == %d && k == %d", i, st.Value))
	}
	free, tick := "", "t++"
	if deadlock {
		free = fmt.Sprintf(" || t == %d", len(run))
		tick = fmt.Sprintf("assert(t < %d); t++", len(run))
	}
	fmt.Fprintf(&b, "#define G(l) (((%s) && (%s))%s)\n", or(sched), or(has), free)
	fmt.Fprintf(&b, "#define V(k) ((%s)%s)\n", or(val), free)
	fmt.Fprintf(&b, "#define TICK %s\n", tick)
	return b.String()
}

func or(xs []string) string {
	if len(xs) == 0 {
		return "false"
	}
	return "(" + strings.Join(xs, ") || (") + ")"
}

// Smaller returns the specs one edit smaller than o, for shrinking a
// failing one: an actor left out, an array of one, the invariant left out,
// a statement left out, or a compound statement replaced by its first
// block. Blocks that Promela needs non-empty stay so.
func (o *OracleSpec) Smaller() []*OracleSpec {
	var out []*OracleSpec
	for i := range o.actors {
		if len(o.actors) > 1 {
			c := o.clone()
			c.actors = slices.Delete(c.actors, i, i+1)
			out = append(out, c)
		}
		if o.actors[i].count > 1 {
			c := o.clone()
			c.actors[i].count = 1
			out = append(out, c)
		}
	}
	if o.inv != "" {
		c := o.clone()
		c.inv = ""
		out = append(out, c)
	}
	for k := range o.slots() {
		if c := o.clone(); c.edit(k, false) {
			out = append(out, c)
		}
		if c := o.clone(); c.edit(k, true) {
			out = append(out, c)
		}
	}
	return out
}

func (o *OracleSpec) clone() *OracleSpec {
	c := *o
	c.actors = make([]*oactor, len(o.actors))
	for i, a := range o.actors {
		b := *a
		b.body = cloneBlock(a.body)
		c.actors[i] = &b
	}
	return &c
}

func cloneBlock(b []*onode) []*onode {
	out := make([]*onode, len(b))
	for i, s := range b {
		t := *s
		t.body = make([][]*onode, len(s.body))
		for j, sub := range s.body {
			t.body[j] = cloneBlock(sub)
		}
		out[i] = &t
	}
	return out
}

// slot is where a statement stands: its block, its index there, and
// whether the block may be left empty.
type slot struct {
	b        *[]*onode
	i        int
	mayEmpty bool
}

// slots lists the statements of o in pre-order (an atomic block's own
// statements stay with it).
func (o *OracleSpec) slots() []slot {
	var out []slot
	var walk func(b *[]*onode, mayEmpty bool)
	walk = func(b *[]*onode, mayEmpty bool) {
		for i, s := range *b {
			out = append(out, slot{b, i, mayEmpty})
			if s.op == "atomic" {
				continue
			}
			for j := range s.body {
				walk(&s.body[j], s.op != "either" && s.op != "while")
			}
		}
	}
	for _, a := range o.actors {
		walk(&a.body, false)
	}
	return out
}

// edit leaves out the k-th statement in pre-order (inline: puts its first
// block in its place); false when that is not allowed.
func (o *OracleSpec) edit(k int, inline bool) bool {
	sl := o.slots()[k]
	s := (*sl.b)[sl.i]
	if s.op == "toggle" || s.op == "loop" {
		return false // a turn of a loop must change the state
	}
	var with []*onode
	if inline {
		if len(s.body) == 0 || s.op == "atomic" {
			return false
		}
		with = s.body[0]
	}
	if len(*sl.b)-1+len(with) == 0 && !sl.mayEmpty {
		return false
	}
	*sl.b = slices.Concat((*sl.b)[:sl.i], with, (*sl.b)[sl.i+1:])
	return true
}
