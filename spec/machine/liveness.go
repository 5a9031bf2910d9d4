package machine

import (
	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

// The liveness properties the explorer checks (explorer.Liveness): a
// formula of one of three shapes, over state predicates and progress.

// Shape returns the shape of a liveness formula and its atoms: the goal
// g (nil for progress) and, for always (p -> eventually g), the trigger
// p; ok is false for a formula of another shape, which is not checked.
func Shape(f *spec.Formula) (shape explorer.Shape, p, g *spec.Formula, ok bool) {
	atom := func(f *spec.Formula) bool { return f != nil && f.Op == "" }
	switch {
	case f.Op == "always" && f.X.Op == "eventually" && atom(f.X.X):
		return explorer.AlwaysEventually, nil, f.X.X, true
	case f.Op == "eventually" && atom(f.X):
		return explorer.Eventually, nil, f.X, true
	case f.Op == "always" && f.X.Op == "->" && atom(f.X.X) && !f.X.X.Progress &&
		f.X.Y.Op == "eventually" && atom(f.X.Y.X):
		return explorer.LeadsTo, f.X.X, f.X.Y.X, true
	}
	return 0, nil, nil, false
}

// Properties returns the program's liveness properties of a shape the
// explorer checks.
func (m *Machine) Properties() []explorer.Property {
	var out []explorer.Property
	for i, l := range m.p.Liveness {
		shape, p, g, ok := Shape(l.Formula)
		if !ok {
			continue
		}
		prop := explorer.Property{Code: violationCode(VLiveness, 0, 0, i), Shape: shape, G: m.pred(g), P: m.pred(p)}
		out = append(out, prop)
	}
	return out
}

// pred returns an atom as a test of a state, nil for progress (or none).
func (m *Machine) pred(f *spec.Formula) func([]byte) bool {
	if f == nil || f.Progress {
		return nil
	}
	return func(s []byte) bool {
		m.f = spec.Frame{S: s}
		return f.Pred(&m.f) != 0 && m.f.Fault == spec.NoFault
	}
}

// Fairness returns what actor g is promised: what its declaration says,
// else the machine's default (weak unless set).
func (m *Machine) Fairness(g int) explorer.Fairness {
	switch m.p.Actors[g].Type.Fairness {
	case ast.FairWeak:
		return explorer.Weak
	case ast.FairStrong:
		return explorer.Strong
	case ast.FairNone:
		return explorer.NoFairness
	}
	return m.DefaultFairness
}
