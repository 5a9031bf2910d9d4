package models_test

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/models/specgen"
	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/machine"
	"github.com/interleave-dev/interleave/spec/por"
)

var (
	spinSpecs = flag.Int("spin-specs", 200, "random specs TestSpinOracle checks with SPIN")
	spinFrom  = flag.Uint64("spin-from", 1, "the first seed TestSpinOracle checks")
)

// needSpin skips a test when spin or gcc is missing.
func needSpin(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"spin", "gcc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install spin gcc): the SPIN oracle is not run", tool)
		}
	}
}

// verdict is what a checker says of a spec: whether an assertion can
// fail (an assert, a range, an uncaught error or an invariant: SPIN's
// assertion violations), whether a deadlock is reachable (SPIN's invalid
// end states), and the states of the full search, when it had no
// assertion violation to stop at.
type verdict struct {
	assertion, deadlock bool
	states              int64
}

func (v verdict) String() string {
	return fmt.Sprintf("assertion %t, deadlock %t, %d states", v.assertion, v.deadlock, v.states)
}

// ours checks the spec with verify's explorer, without reduction, and
// returns its verdict and the counterexamples of the reduced search.
func ours(t *testing.T, src string) (verdict, *spec.Program, []*explorer.Violation) {
	t.Helper()
	p := compileOracle(t, src)
	r := explorer.Explore(machine.New(p), explorer.Options{KeepGoing: true})
	var v verdict
	for _, x := range r.Violations {
		switch kind, _, _, _ := machine.DecodeViolation(x.Code); kind {
		case machine.VDeadlock:
			v.deadlock = true
		case machine.VAssert, machine.VRange, machine.VUncaught, machine.VInvariant:
			v.assertion = true
		default:
			t.Fatalf("an oracle spec has a violation SPIN does not check: %s\n%s", kind, src)
		}
	}
	v.states = r.States
	reduced := explorer.Explore(por.New(machine.New(p)), explorer.Options{KeepGoing: true, Reduce: true})
	return v, p, reduced.Violations
}

// pan is a SPIN verifier built in a directory of its own.
type pan struct{ dir string }

// compileOracle compiles an oracle spec, which must compile.
func compileOracle(t *testing.T, src string) *spec.Program {
	t.Helper()
	f, errs := parser.ParseFile("oracle.ilv", []byte(src))
	if errs != nil {
		t.Fatalf("the oracle writer wrote a bad spec: %v\n%s", errs, src)
	}
	p, errs := spec.Compile(f, spec.Options{})
	if errs != nil {
		t.Fatalf("the oracle writer wrote a spec that does not compile: %v\n%s", errs, src)
	}
	return p
}

// build writes model.pml (with the guided definitions before it, if any)
// and compiles its verifier: every interleaving, no reduction, write-only
// variables kept (SPIN hides them; verify stores them); a safety verifier
// unless defines say otherwise.
func build(t *testing.T, dir, guide, model string, defines ...string) pan {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "model.pml"), []byte(guide+model), 0o644); err != nil {
		t.Fatal(err)
	}
	if len(defines) == 0 {
		defines = []string{"-DSAFETY"}
	}
	for _, cmd := range [][]string{
		{"spin", "-o2", "-a", "model.pml"},
		append(append([]string{"gcc", "-O0", "-w", "-DNOREDUCE"}, defines...), "-o", "pan", "pan.c"),
	} {
		c := exec.Command(cmd[0], cmd[1:]...)
		c.Dir = dir
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s\n%s", strings.Join(cmd, " "), err, out, guide+model)
		}
	}
	return pan{dir}
}

var (
	panErrors = regexp.MustCompile(`errors: (\d+)`)
	panStates = regexp.MustCompile(`(\d+) states, stored`)
	trailT    = regexp.MustCompile(`(?m)^\s+t = (\d+)$`)
)

// run runs the verifier with flags and returns its output, its error
// count and the states it stored.
func (p pan) run(t *testing.T, flags ...string) (out string, errors, states int64) {
	t.Helper()
	c := exec.Command("./pan", append([]string{"-m100000", "-w20"}, flags...)...)
	c.Dir = p.dir
	b, _ := c.CombinedOutput()
	out = string(b)
	m, n := panErrors.FindStringSubmatch(out), panStates.FindStringSubmatch(out)
	if m == nil || n == nil || strings.Contains(out, "max search depth too small") {
		t.Fatalf("pan %v: no verdict\n%s", flags, out)
	}
	errors, _ = strconv.ParseInt(m[1], 10, 64)
	states, _ = strconv.ParseInt(n[1], 10, 64)
	return out, errors, states
}

// trailSteps replays the trail of the error pan found and returns the
// guided run's step counter where it ends (an atomic step that holds an if
// counts more than one in pan's depth, so the depth does not tell).
func (p pan) trailSteps(t *testing.T) int {
	t.Helper()
	c := exec.Command("spin", "-t", "model.pml")
	c.Dir = p.dir
	b, _ := c.CombinedOutput()
	m := trailT.FindAllStringSubmatch(string(b), -1)
	if m == nil {
		t.Fatalf("spin -t: no step counter in\n%s", b)
	}
	n, _ := strconv.Atoi(m[len(m)-1][1])
	return n
}

// spins checks the Promela with SPIN: assertions over the whole state
// space (-E: end states not checked), then end states (-A: assertions
// not checked).
func spins(t *testing.T, dir, model string) verdict {
	t.Helper()
	p := build(t, dir, "", model)
	var v verdict
	_, errs, states := p.run(t, "-E")
	v.assertion, v.states = errs > 0, states
	_, errs, _ = p.run(t, "-A")
	v.deadlock = errs > 0
	return v
}

// agree compares the verdicts: the same assertion verdict; without one,
// the same deadlock verdict and the same states.
func agree(a, b verdict) bool {
	if a.assertion || b.assertion {
		return a.assertion == b.assertion
	}
	return a == b
}

// replayed checks a counterexample of ours with SPIN: the guided model
// takes its steps, in its order, and must then commit the same violation
// (an assertion at its last step; for a deadlock, no process can move at
// its end). It returns what went wrong, or "".
func replayed(t *testing.T, dir string, p *spec.Program, model string, v *explorer.Violation) (why string, done bool) {
	t.Helper()
	m := machine.New(p)
	var run []specgen.Step
	for _, st := range v.Trace[:len(v.Trace)-1] {
		if m.CheckState(st) != 0 {
			return "", false // past an invariant's violation, where SPIN stops
		}
	}
	for i := 1; i < len(v.Trace); i++ {
		st, ok := m.Explain(v.Trace[i-1], v.Trace[i])
		if !ok {
			return fmt.Sprintf("step %d is not ours", i), true
		}
		if st.Kind != machine.VNone && i < len(v.Trace)-1 {
			return "", false // past an earlier violation, where SPIN stops
		}
		s := specgen.Step{Pid: st.Actor.ID}
		for _, e := range st.Events {
			s.Lines = append(s.Lines, e.Instr.Pos.Line)
			switch e.Instr.Op {
			case spec.OpChoose:
				s.Value, _ = strconv.Atoi(strings.TrimPrefix(e.Outcome, "-> "))
			case spec.OpSelect: // the case taken
				for k, c := range e.Instr.Cases {
					if c.Default && e.Outcome == "-> default" || !c.Default && strings.HasPrefix(e.Outcome, c.Text) {
						s.Value = k
					}
				}
			}
		}
		run = append(run, s)
	}
	kind, _, _, _ := machine.DecodeViolation(v.Code)
	deadlock := kind == machine.VDeadlock
	guide := specgen.Guide(run, deadlock)
	pn := build(t, dir, guide, model)
	flags := []string{"-E"}
	if deadlock {
		flags = nil
	}
	out, errs, _ := pn.run(t, flags...)
	at := -1 // the steps taken where SPIN found the violation
	if errs > 0 {
		at = pn.trailSteps(t)
	}
	defer func() {
		if why != "" {
			why += "\nthe run, as SPIN replays it:\n" + guide
		}
	}()
	switch {
	case errs == 0:
		return fmt.Sprintf("SPIN finds no %s along the run of %d steps", kind, len(run)), true
	case deadlock && !strings.Contains(out, "invalid end state"):
		return "SPIN can take a step at the end of the deadlock:\n" + out, true
	case !deadlock && !strings.Contains(out, "assertion violated"):
		return "SPIN finds no assertion violation along the run:\n" + out, true
	case deadlock && at != len(run), !deadlock && at != len(run)-1 && at != len(run):
		return fmt.Sprintf("SPIN's %s comes after %d steps of the run's %d", kind, at, len(run)), true
	}
	return "", true
}

// tally counts what the oracle checked.
type tally struct {
	sync.Mutex
	specs, assertion, deadlock, counted, replays int
}

// oracleCheck checks a spec against SPIN, given in both forms; "" when
// both agree. The tally, if any, counts what was compared.
func oracleCheck(t *testing.T, dir, src, model string, n *tally) string {
	t.Helper()
	mine, p, cxs := ours(t, src)
	theirs := spins(t, dir, model)
	if !agree(mine, theirs) {
		return fmt.Sprintf("verify: %s; SPIN: %s", mine, theirs)
	}
	replays, tried := 0, map[bool]bool{}
	for _, v := range cxs {
		kind, _, _, _ := machine.DecodeViolation(v.Code)
		if tried[kind == machine.VDeadlock] {
			continue // one counterexample of each verdict
		}
		why, done := replayed(t, dir, p, model, v)
		if why != "" {
			return "a counterexample of verify does not replay in SPIN: " + why
		}
		if done {
			tried[kind == machine.VDeadlock] = true
			replays++
		}
	}
	if n != nil {
		n.Lock()
		defer n.Unlock()
		n.specs++
		n.replays += replays
		switch {
		case mine.assertion:
			n.assertion++
		case mine.deadlock:
			n.deadlock++
		}
		if !mine.assertion {
			n.counted++
		}
	}
	return ""
}

// TestSpinOracle checks random oracle specs with verify and with SPIN:
// the same verdicts, the same states without reduction, and every
// counterexample of verify replayed in SPIN. go test ./models -run
// TestSpinOracle -spin-specs 10000 for a long run. A spec on which they
// disagree is shrunk and written to testdata/spin/.
func TestSpinOracle(t *testing.T) {
	needSpin(t)
	var n tally
	eachSeed(t, *spinFrom, *spinSpecs, func(t *testing.T, dir string, seed uint64) {
		o := specgen.Oracle(seed)
		if why := oracleCheck(t, dir, o.ILV(), o.PML(), &n); why != "" {
			small := shrink(t, dir, o)
			file := keepRegression(t, seed, small)
			t.Errorf("seed %d: %s\nshrunk to %s:\n%s", seed, why, file, small.ILV())
		}
	})
	t.Logf("%d specs agree: %d with an assertion violation, %d with a deadlock, %d ok; states equal on %d; %d counterexamples replayed",
		n.specs, n.assertion, n.deadlock, n.specs-n.assertion-n.deadlock, n.counted, n.replays)
	if n.specs >= 100 && (n.assertion == 0 || n.deadlock == 0 || n.specs == n.assertion+n.deadlock) {
		t.Errorf("the oracle specs do not cover every verdict")
	}
}

// eachSeed runs check on count seeds from first, on every core, each seed
// in a subtest of its own (a helper may stop it), until three fail.
func eachSeed(t *testing.T, first uint64, count int, check func(t *testing.T, dir string, seed uint64)) {
	seeds := make(chan uint64)
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dir := t.TempDir()
			for seed := range seeds {
				if !t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) { check(t, dir, seed) }) {
					failures.Add(1)
				}
			}
		}()
	}
	for seed := first; seed < first+uint64(count) && failures.Load() < 3; seed++ {
		seeds <- seed
	}
	close(seeds)
	wg.Wait()
}

// shrink removes statements and actors from a failing spec while it
// still fails.
func shrink(t *testing.T, dir string, o *specgen.OracleSpec) *specgen.OracleSpec {
	t.Helper()
	for changed := true; changed; {
		changed = false
		for _, c := range o.Smaller() {
			if oracleCheck(t, dir, c.ILV(), c.PML(), nil) != "" {
				o, changed = c, true
				break
			}
		}
	}
	return o
}

// keepRegression writes a shrunk failing spec, both forms, to
// testdata/spin, for TestSpinRegressions.
func keepRegression(t *testing.T, seed uint64, o *specgen.OracleSpec) string {
	t.Helper()
	base := filepath.Join("testdata", "spin", fmt.Sprintf("seed%d", seed))
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(base+".ilv", []byte(o.ILV()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(base+".pml", []byte(o.PML()), 0o644); err != nil {
		t.Fatal(err)
	}
	return base + ".ilv"
}

// TestSpinOracleCatchesAWrongRule: the oracle tells a Promela rule that
// differs from verify's: a lock whose acquire does not wait lets B see x
// set inside A's critical section.
func TestSpinOracleCatchesAWrongRule(t *testing.T) {
	needSpin(t)
	const src = `var x: 0..3 = 0
var y: 0..3 = 0
lock m
actor A {
    m.acquire()
    x = 1
    x = 0
    m.release()
}
actor B {
    m.acquire()
    assert x != 1, "inside"
    m.release()
}
`
	const model = `#ifndef GUIDED
#define G(l) true
#define V(k) true
#define TICK skip
#endif
#define PID (_pid + 1)
byte x, y;
byte m;
active proctype A() {
    atomic { G(5) && (m == 0) -> m = PID; TICK };
    atomic { G(6) -> x = 1; TICK };
    atomic { G(7) -> x = 0; TICK };
    atomic { G(8) -> m = 0; TICK }
}
active proctype B() {
    atomic { G(11) && (m == 0) -> m = PID; TICK };
    atomic { G(12) -> assert(x != 1); TICK };
    atomic { G(13) -> m = 0; TICK }
}
active proctype Keeper() {
    end: false
}
`
	dir := t.TempDir()
	if why := oracleCheck(t, dir, src, model, nil); why != "" {
		t.Fatalf("the right rule disagrees: %s", why)
	}
	wrong := strings.ReplaceAll(model, "(m == 0) -> m = PID", "(true) -> m = PID")
	if why := oracleCheck(t, dir, src, wrong, nil); !strings.Contains(why, "verify: assertion false") {
		t.Fatalf("a lock that does not wait goes unnoticed: %q", why)
	}
}

var spinLive = flag.Int("spin-live", 60, "random liveness specs TestSpinLiveness checks with SPIN")

// liveVerdicts says whether a run without progress exists under weak
// fairness and under none, for verify and for SPIN's non-progress cycle
// search (pan -l, with -f and without).
func liveVerdicts(t *testing.T, dir, src, model string) (mine, theirs [2]bool, ok bool) {
	t.Helper()
	p := compileOracle(t, src)
	for i, fair := range []explorer.Fairness{explorer.Weak, explorer.NoFairness} {
		m := machine.New(p)
		m.DefaultFairness = fair
		r := explorer.Explore(m, explorer.Options{KeepGoing: true, Liveness: true, MaxStates: liveLimit})
		if !r.Complete {
			return mine, theirs, false // SPIN's fair search would be too long
		}
		for _, v := range r.Violations {
			if kind, _, _, _ := machine.DecodeViolation(v.Code); kind == machine.VLiveness {
				mine[i] = true
			}
		}
	}
	pn := build(t, dir, "", model, "-DNP", "-DNFAIR=4")
	for i, flags := range [][]string{{"-l", "-f"}, {"-l"}} {
		_, errs, _ := pn.run(t, flags...)
		theirs[i] = errs > 0
	}
	return mine, theirs, true
}

// liveLimit bounds the specs TestSpinLiveness checks: SPIN's search with
// fairness copies the state space per process.
const liveLimit = 20000

// TestSpinLiveness checks random specs whose actors loop forever for a
// run without progress (always eventually progress), with verify and with
// SPIN's non-progress cycles, under weak fairness and under none: the same
// verdicts. A spec on which they disagree is shrunk and written to
// testdata/spin/. go test ./models -run TestSpinLiveness -spin-live 2000
// for a long run.
func TestSpinLiveness(t *testing.T) {
	needSpin(t)
	var mu sync.Mutex
	checked, broken, fairBroken := 0, 0, 0
	eachSeed(t, 1, *spinLive, func(t *testing.T, dir string, seed uint64) {
		o := specgen.LiveOracle(seed)
		mine, theirs, ok := liveVerdicts(t, dir, o.ILV(), o.PML())
		if !ok {
			return
		}
		if mine != theirs {
			small := o
			for changed := true; changed; {
				changed = false
				for _, c := range small.Smaller() {
					if m, th, ok := liveVerdicts(t, dir, c.ILV(), c.PML()); ok && m != th {
						small, changed = c, true
						break
					}
				}
			}
			file := keepRegression(t, seed, small)
			t.Fatalf("seed %d: verify (weak, none) %v, SPIN %v\nshrunk to %s:\n%s", seed, mine, theirs, file, small.ILV())
		}
		mu.Lock()
		defer mu.Unlock()
		checked++
		if mine[0] {
			fairBroken++
		}
		if mine[1] {
			broken++
		}
	})
	t.Logf("%d specs agree (%d larger than %d states left out): %d without progress under weak fairness, %d without fairness",
		checked, *spinLive-checked, liveLimit, fairBroken, broken)
	if checked >= 50 && (fairBroken == 0 || broken == fairBroken || broken == checked) {
		t.Errorf("the liveness specs do not tell fairness apart")
	}
}
