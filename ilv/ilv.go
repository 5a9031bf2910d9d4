// Package ilv checks .ilv specs from Go: beside a project's code, in its
// tests, or from a tool. It runs the pipeline verify runs (parser, spec,
// spec/machine, spec/por, explorer, spec/trace) and gives the verdict
// and the counterexample.
//
// In a test:
//
//	func TestShutdownDesign(t *testing.T) {
//		ilv.Verify(t, "design/shutdown.ilv", ilv.Set("WORKERS", 3))
//	}
//
// fails the test, with the counterexample as its message, when a property
// of the spec fails or the search cannot finish. From a tool:
//
//	res, err := ilv.Check("design/shutdown.ilv", ilv.Options{Set: map[string]string{"WORKERS": "3"}})
package ilv

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/machine"
	"github.com/interleave-dev/interleave/spec/por"
	"github.com/interleave-dev/interleave/spec/trace"
)

// Options are what Check does: verify's flags.
type Options struct {
	Set         map[string]string // constants overridden, as --set NAME=VALUE
	Only        []string          // the properties to check, as --only ("safety": every invariant)
	MaxStates   int64             // stop after this many states (0: no limit)
	NoReduction bool              // search without partial-order reduction (--por off)
	Fairness    string            // "weak" (the default), "strong" or "none"
}

// Result is what Check found.
type Result struct {
	Verdict string // "ok", "violation" or "incomplete"
	Kind    string // the violation's kind: deadlock, read-after-close, liveness, ...
	Message string // the headline's sentence, or why the search is incomplete
	States  int64
	// Counterexample is the first violation explained, nil when none.
	Counterexample *trace.Counterexample
}

// Check verifies the spec at path. The error is a spec error (each one
// file:line:col: message) or a file that cannot be read; a failing
// property is a Result, not an error.
func Check(path string, opts Options) (Result, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return Result{}, err
	}
	f, errs := parser.ParseFile(path, src)
	if errs == nil {
		var p *spec.Program
		if p, errs = spec.Compile(f, spec.Options{Set: opts.Set, Only: opts.Only}); errs == nil {
			return check(p, opts)
		}
	}
	return Result{}, fmt.Errorf("%s", strings.TrimSpace(errs.Error()))
}

func check(p *spec.Program, opts Options) (Result, error) {
	m := machine.New(p)
	switch opts.Fairness {
	case "", "weak":
	case "strong":
		m.DefaultFairness = explorer.Strong
	case "none":
		m.DefaultFairness = explorer.NoFairness
	default:
		return Result{}, fmt.Errorf("fairness %q: use weak, strong or none", opts.Fairness)
	}
	var sys explorer.System = m
	if !opts.NoReduction {
		sys = por.New(m)
	}
	liveness := true
	for _, o := range opts.Only {
		liveness = liveness && o != spec.OnlySafety
	}
	res := explorer.Explore(sys, explorer.Options{Reduce: !opts.NoReduction, MaxStates: opts.MaxStates, Liveness: liveness})
	r := Result{Verdict: "ok", States: res.States}
	switch {
	case len(res.Violations) > 0:
		cx := trace.Explain(p, trace.FewestSwitches(p, res.Violations[0]))
		r.Verdict, r.Kind, r.Message, r.Counterexample = "violation", cx.Kind, cx.Message, cx
	case !res.Complete:
		r.Verdict, r.Message = "incomplete", "the search was stopped by "+res.Stopped+" before it ended"
	default:
		for _, l := range p.Liveness {
			if _, _, _, ok := machine.Shape(l.Formula); !ok {
				r.Verdict, r.Message = "incomplete", "liveness property "+l.Name+" has a form verify does not check"
			}
		}
	}
	return r, nil
}

// Option sets one of Verify's options.
type Option func(*Options)

// Set overrides a constant of the spec.
func Set(name string, value any) Option {
	return func(o *Options) {
		if o.Set == nil {
			o.Set = map[string]string{}
		}
		o.Set[name] = fmt.Sprint(value)
	}
}

// Only checks only the properties named.
func Only(names ...string) Option { return func(o *Options) { o.Only = append(o.Only, names...) } }

// MaxStates bounds the search; a search it stops fails the test.
func MaxStates(n int64) Option { return func(o *Options) { o.MaxStates = n } }

// Verify checks the spec at path in a test, which fails when the spec does
// not compile, a property fails (the message is the counterexample), or
// the search is incomplete.
func Verify(t testing.TB, path string, opts ...Option) {
	t.Helper()
	var o Options
	for _, opt := range opts {
		opt(&o)
	}
	r, err := Check(path, o)
	switch {
	case err != nil:
		t.Fatal(err)
	case r.Verdict == "violation":
		t.Fatalf("%s: %s", path, r.Counterexample.Story())
	case r.Verdict == "incomplete":
		t.Fatalf("%s: incomplete: %s", path, r.Message)
	}
}
