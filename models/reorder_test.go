package models_test

import (
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/models/specgen"
	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/machine"
	"github.com/interleave-dev/interleave/spec/trace"
)

// TestFewestSwitches reorders the counterexamples of random specs and
// checks each against the one the search found: the same length, the
// same last state and violation, every step a transition, no state before
// the last breaking an invariant, and no more preemptions; some must have
// fewer. Each is then explained and drawn.
func TestFewestSwitches(t *testing.T) {
	fewer, checked := 0, 0
	for seed := uint64(1); seed <= 600; seed++ {
		f, errs := parser.ParseFile("gen.ilv", []byte(specgen.Spec(seed)))
		if errs != nil {
			t.Fatal(errs)
		}
		p, errs := spec.Compile(f, spec.Options{})
		if errs != nil {
			continue
		}
		r := explorer.Explore(machine.New(p), explorer.Options{MaxStates: 20000, Liveness: true})
		if len(r.Violations) == 0 {
			continue
		}
		v := r.Violations[0]
		w := trace.FewestSwitches(p, v)
		checked++
		if err := sameViolation(p, v, w); err != "" {
			t.Fatalf("seed %d: %s\n%s", seed, err, specgen.Spec(seed))
		}
		cx := trace.Explain(p, w) // and it reads as a story, in every form
		if cx.Kind == "internal error" || len(cx.Steps) != len(w.Trace)-1 || len(cx.States) != len(w.Trace) ||
			!strings.Contains(cx.Mermaid("gen"), "sequenceDiagram") {
			t.Fatalf("seed %d: the reordered counterexample does not explain: %s %s", seed, cx.Kind, cx.Message)
		}
		before, after := trace.Preemptions(p, v.Trace), trace.Preemptions(p, w.Trace)
		if after > before {
			t.Fatalf("seed %d: %d preemptions, %d before", seed, after, before)
		}
		if after < before {
			fewer++
		}
	}
	t.Logf("%d counterexamples: %d with fewer preemptions", checked, fewer)
	if checked < 100 || fewer == 0 {
		t.Fatalf("%d counterexamples, %d with fewer preemptions", checked, fewer)
	}
}

// sameViolation says how w, a reordering of v, is not the same violation.
func sameViolation(p *spec.Program, v, w *explorer.Violation) string {
	m := machine.New(p)
	if len(w.Trace) != len(v.Trace) || string(w.Trace[0]) != string(v.Trace[0]) || string(w.Trace[len(w.Trace)-1]) != string(v.Trace[len(v.Trace)-1]) {
		return "the trace changed its length, start or end"
	}
	for i := 1; i < len(w.Trace); i++ {
		st, ok := m.Explain(w.Trace[i-1], w.Trace[i])
		if !ok {
			return "a step is no transition"
		}
		if i < len(w.Trace)-1 && (st.Kind != machine.VNone || m.CheckState(w.Trace[i]) != 0) {
			return "a violation comes before the last step"
		}
	}
	if !v.InState {
		a, _ := m.Explain(v.Trace[len(v.Trace)-2], v.Trace[len(v.Trace)-1])
		b, _ := m.Explain(w.Trace[len(w.Trace)-2], w.Trace[len(w.Trace)-1])
		if a.Kind != b.Kind || a.Actor != b.Actor {
			return "the violating step changed"
		}
	}
	return ""
}
