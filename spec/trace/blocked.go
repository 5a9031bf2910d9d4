package trace

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
	"github.com/interleave-dev/interleave/spec/machine"
)

// blocked says, for each actor standing in state s, what it waits for and
// who holds it. Semaphore units are attributed by replaying the trace: an
// actor holds the units it acquired and has not released.
func (p program) blocked(s []byte, trace [][]byte, steps []machine.Step) []ActorLine {
	holders, crashed := p.semHolders(trace, steps), crashes(steps)
	var out []ActorLine
	for _, a := range p.Actors {
		if !a.Running(s) {
			continue
		}
		in := &a.Type.Code[a.PC(s)]
		why := p.waitReason(s, a, in, holders)
		w := p.waitFor(s, a, in, holders, crashed)
		if w.holds && len(w.who) == 0 { // by a's dead incarnation
			why = fmt.Sprintf("%s is held by the crashed %s, before its restart; nobody can release it", w.what, a.Name)
		}
		if machine.New(p.Program).Spins(s, a) {
			why = p.spinReason(s, a, in, why)
		} else if w.what != "" && !w.holds {
			why += givenBy(w.who)
		}
		out = append(out, ActorLine{Actor: a.Name, Line: in.Pos.Line, Text: p.withValues(s, a, in), Status: why})
	}
	return out
}

// spinReason says what a busy-waiting actor waits for: a test to change
// its outcome, or an operation it retries to succeed (why).
func (p program) spinReason(s []byte, a *spec.Actor, in *spec.Instr, why string) string {
	switch in.Op {
	case spec.OpCall:
		return "retries: " + why
	case spec.OpBranch:
		f := spec.Frame{S: s, A: a}
		cond := in.Text
		for _, kw := range []string{"if ", "while "} {
			cond = strings.TrimPrefix(cond, kw)
		}
		return fmt.Sprintf("spins at line %d until %s", in.Pos.Line, becomes(cond, in.Cond(&f) == 0))
	}
	var names []string
	for _, l := range in.Access.Reads {
		names = append(names, p.Locs[l].Name)
	}
	if len(names) == 0 {
		return fmt.Sprintf("spins at line %d: its step changes nothing", in.Pos.Line)
	}
	return fmt.Sprintf("spins at line %d until %s changes", in.Pos.Line, joinAnd(names))
}

// becomes words the condition cond turning true (want) or false.
func becomes(cond string, want bool) string {
	neg := strings.HasPrefix(cond, "!")
	name := strings.TrimPrefix(cond, "!")
	if isName(name) {
		return fmt.Sprintf("%s is %t", name, want != neg)
	}
	if want {
		return cond + " holds"
	}
	return cond + " is false"
}

// isName reports whether s is a plain name or indexed name (flag[self]).
func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '.' || r == '[' || r == ']' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// semHolders maps each semaphore to the actors holding its units at the
// end of the trace, in the order they took them.
func (p program) semHolders(trace [][]byte, steps []machine.Step) map[*spec.Object][]*spec.Actor {
	out := make(map[*spec.Object][]*spec.Actor)
	for i, st := range steps {
		for _, ev := range st.Events {
			in := ev.Instr
			if in.Op != spec.OpCall || in.Obj.Group == nil || in.Obj.Group.Kind != ast.KindSemaphore {
				continue
			}
			f := spec.Frame{S: trace[i], A: ev.Actor}
			o := in.Obj.Resolve(p.Program, &f)
			if o == nil {
				continue
			}
			switch {
			case in.Method == spec.MAcquire && !ev.Failed:
				out[o] = append(out[o], ev.Actor)
			case in.Method == spec.MRelease:
				hs := out[o]
				for k, h := range hs {
					if h == ev.Actor {
						out[o] = append(hs[:k:k], hs[k+1:]...)
						break
					}
				}
			}
		}
	}
	return out
}

// waitReason explains why actor a cannot take the step at in.
func (p program) waitReason(s []byte, a *spec.Actor, in *spec.Instr, holders map[*spec.Object][]*spec.Actor) string {
	f := spec.Frame{S: s, A: a}
	switch in.Op {
	case spec.OpAwait:
		return strings.TrimPrefix(in.Text, "await ") + " is false"
	case spec.OpSelect:
		return "no case of the select is ready"
	case spec.OpEither:
		// Each branch waits for its first step.
		var parts []string
		for _, t := range in.Targets {
			b := &a.Type.Code[t]
			parts = append(parts, fmt.Sprintf("%s (%s)", b.Text, p.waitReason(s, a, b, holders)))
		}
		return "every branch waits: " + strings.Join(parts, "; ")
	case spec.OpCall:
	default:
		return "cannot move"
	}
	o := in.Obj.Resolve(p.Program, &f)
	if o == nil {
		return "cannot move"
	}
	return machine.WaitReason(p.Program, s, a, in, o, holders[o])
}

// deadlockSentence sums up a deadlock: who waits for what.
func (p program) deadlockSentence(blocked []ActorLine) string {
	return "No actor can move: " + p.standing(blocked) + "."
}

// standing says where the actors stand, those waiting for the same
// thing together: "Writer spinning at if sem.acquire(nowait); Reader at
// pipe.get()".
func (p program) standing(blocked []ActorLine) string {
	// Group actors waiting for the same thing.
	var order []string
	who := make(map[string][]string)
	for _, b := range blocked {
		key := "at " + b.Text
		if strings.HasPrefix(b.Status, "spins") || strings.HasPrefix(b.Status, "retries") {
			key = "spinning at " + b.Text // busy-waiting, not blocked
		}
		if _, ok := who[key]; !ok {
			order = append(order, key)
		}
		who[key] = append(who[key], b.Actor)
	}
	parts := make([]string, 0, len(order))
	for _, k := range order {
		parts = append(parts, fmt.Sprintf("%s %s", joinAnd(who[k]), k))
	}
	return strings.Join(parts, "; ")
}

func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
