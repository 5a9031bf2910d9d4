package trace

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
	"github.com/interleave-dev/interleave/spec/machine"
)

// Counterexample is a violation explained in the spec's own terms.
type Counterexample struct {
	Kind    string // read-after-close, write-after-close, uncaught EBADF, deadlock, assertion, invariant, range, livelock
	Title   string // the headline: the kind, with the assertion message or the invariant's name
	Message string // one sentence connecting the last step to what made it possible
	Steps   []TraceStep
	Blocked []ActorLine // deadlocks: what each blocked actor waits for
	Final   []ActorLine // where every actor stands at the end
	// Loop, for a liveness violation: the steps after step Loop repeat
	// forever (none: the run stays after step Loop forever). -1 otherwise.
	Loop int
	// Repeats: steps Loop+1 to the last repeat (else the run stays put).
	Repeats bool
	// Preemptions counts the switches away from an actor that could have
	// gone on (FewestSwitches lowers them).
	Preemptions int
	// States holds every state of the run, the initial one first: each
	// variable, object and actor with its value.
	States [][]Item
}

// Item is a variable, an object or an actor of a state, with its value.
type Item struct {
	Name, Value string
}

// TraceStep is one line of a trace.
type TraceStep struct {
	N      int               `json:"step"`
	Actor  string            `json:"actor"`
	Line   int               `json:"line"`
	Col    int               `json:"col"`
	Action string            `json:"action"`
	Effect string            `json:"-"`
	Change map[string]string `json:"effect"`
	Mark   string            `json:"-"` // "<- read-after-close" on the violating step
	// Touches: the objects the step's operations named, then the
	// variables, objects and actors it changed.
	Touches []string `json:"-"`
	// Local: only the actor's own locals see the step.
	Local bool `json:"-"`
}

// ActorLine says where an actor stands, or why it waits.
type ActorLine struct {
	Actor  string `json:"actor"`
	Line   int    `json:"line,omitempty"`
	Text   string `json:"at,omitempty"`
	Status string `json:"status"`
}

// Explain turns a violation found by the explorer in a run of p into a
// counterexample.
func Explain(p *spec.Program, v *explorer.Violation) *Counterexample {
	return program{p}.explain(v)
}

func (p program) explain(v *explorer.Violation) *Counterexample {
	cx := &Counterexample{Loop: -1}
	steps, ok := p.replay(v.Trace, cx)
	if !ok {
		return cx
	}
	last := v.Trace[len(v.Trace)-1]
	kind, errID, typ, pc := machine.DecodeViolation(v.Code)
	switch kind {
	case machine.VDeadlock:
		p.deadlocked(cx, last, v.Trace, steps)
	case machine.VLeak:
		p.leaked(cx, p.Actors[errID], last, v.Trace, steps)
	case machine.VLiveness:
		p.livenessBroken(cx, p.Liveness[pc], v, steps)
	case machine.VInvariant:
		p.invariantBroken(cx, p.Invariant[pc])
	default:
		in := &p.Types[typ].Code[pc]
		who := ""
		if n := len(steps); n > 0 {
			who = steps[n-1].Actor.Name
		}
		cx.Kind, cx.Title, cx.Message = p.stepViolation(kind, errID, in, who, steps, v.Trace)
		if n := len(cx.Steps); n > 0 {
			cx.Steps[n-1].Mark = "<- " + cx.Kind
		}
	}
	cx.Final = p.finalLines(last)
	cx.Preemptions = Preemptions(p.Program, v.Trace)
	cx.States = p.allItems(v.Trace)
	if n := len(steps); n > 0 && kind != machine.VDeadlock && kind != machine.VInvariant && kind != machine.VLeak && kind != machine.VLiveness {
		markFailed(cx, kind, steps[n-1].Actor, last)
	}
	return cx
}

// deadlocked tells of a deadlock: who waits for what, and the circle.
func (p program) deadlocked(cx *Counterexample, last []byte, trace [][]byte, steps []machine.Step) {
	cx.Kind, cx.Title = "deadlock", "deadlock"
	cx.Blocked = p.blocked(last, trace, steps)
	cx.Message = p.deadlockSentence(cx.Blocked)
	if c := p.waitCycle(last, trace, steps); c != "" {
		cx.Message += " In a circle: " + c + "."
	}
}

// replay explains each transition of a trace into cx.Steps. false when
// one cannot be rebuilt, which cannot happen: the explorer's traces are
// made of transitions. cx then says so rather than tell a wrong story.
func (p program) replay(trace [][]byte, cx *Counterexample) ([]machine.Step, bool) {
	m := machine.New(p.Program)
	var steps []machine.Step
	for i := 1; i < len(trace); i++ {
		st, ok := m.Explain(trace[i-1], trace[i])
		if !ok {
			cx.Kind, cx.Title = "internal error", "internal error"
			cx.Message = fmt.Sprintf("step %d of the counterexample could not be rebuilt; please report this spec", i)
			return nil, false
		}
		steps = append(steps, st)
		cx.Steps = append(cx.Steps, p.traceStep(len(steps), trace[i-1], st))
	}
	return steps, true
}

// leaked tells of actor a left waiting forever from the last state on,
// while the others may go on: what it waits for, and who holds it.
func (p program) leaked(cx *Counterexample, a *spec.Actor, last []byte, trace [][]byte, steps []machine.Step) {
	cx.Kind, cx.Title = "leak", "leak"
	for _, b := range p.blocked(last, trace, steps) {
		if b.Actor == a.Name {
			cx.Blocked = append(cx.Blocked, b)
		}
	}
	when := "from the start"
	if n := len(steps); n > 0 {
		when = fmt.Sprintf("after step %d", n)
	}
	where, why := "", "nothing can let it go on"
	if len(cx.Blocked) == 1 {
		b := cx.Blocked[0]
		where, why = fmt.Sprintf(" at line %d (%s)", b.Line, b.Text), b.Status
	}
	cx.Message = fmt.Sprintf("%s waits forever%s %s: %s. The others go on without it.", a.Name, where, when, why)
}

// livenessBroken tells of a run that breaks liveness property l: after
// its prefix it loops forever (or stays put) without reaching the goal.
func (p program) livenessBroken(cx *Counterexample, l *spec.Liveness, v *explorer.Violation, steps []machine.Step) {
	cx.Kind = "liveness"
	cx.Title = fmt.Sprintf("liveness %q violated: %s", l.Name, l.Text)
	cx.Loop, cx.Repeats = v.Loop, v.Loop < len(v.Trace)-1
	_, _, g, _ := machine.Shape(l.Formula)
	never := "nothing makes progress"
	if !g.Progress {
		never = g.Text + " never holds"
	}
	from := "from the start"
	if v.Loop > 0 {
		from = fmt.Sprintf("after step %d", v.Loop)
	}
	if cx.Repeats {
		cx.Message = fmt.Sprintf("%s steps %d-%d repeat forever and %s%s.", upper(from), v.Loop+1, len(v.Trace)-1, never,
			p.leftOut(v.Trace, steps[v.Loop:]))
		return
	}
	last := v.Trace[len(v.Trace)-1]
	cx.Blocked = p.blocked(last, v.Trace, steps)
	cx.Message = fmt.Sprintf("%s%s nothing ever moves again, and %s: %s.", p.crashedHolding(v.Trace, steps), from, never, p.standing(cx.Blocked))
	cx.Message = upper(cx.Message)
	if c := p.waitCycle(last, v.Trace, steps); c != "" {
		cx.Message += " In a circle: " + c + "."
	}
}

// crashedHolding tells of the crashes of a trace that left locks held:
// "Reader crashed at step 2 holding rlock; ".
func (p program) crashedHolding(trace [][]byte, steps []machine.Step) string {
	var out string
	for i, st := range steps {
		if !st.Crash {
			continue
		}
		if held := p.heldBy(trace[i], st.Actor); len(held) > 0 {
			out += fmt.Sprintf("%s crashed at step %d holding %s; ", st.Actor.Name, i+1, joinAnd(held))
		}
	}
	return out
}

// leftOut names the running actors that never move in a lasso's cycle,
// and where each waits: "; only P[1] moves, while P[0] waits at line 5
// (await !locked)".
func (p program) leftOut(trace [][]byte, cycle []machine.Step) string {
	last := trace[len(trace)-1]
	moved := map[*spec.Actor]bool{}
	var movers []string
	for _, st := range cycle {
		if !st.Crash && !moved[st.Actor] {
			moved[st.Actor] = true
			movers = append(movers, st.Actor.Name)
		}
	}
	var waits []string
	for _, a := range p.Actors {
		if a.Running(last) && !moved[a] {
			in := &a.Type.Code[a.PC(last)]
			waits = append(waits, fmt.Sprintf("%s waits at line %d (%s)", a.Name, in.Pos.Line, in.Text))
		}
	}
	if len(waits) == 0 {
		return ""
	}
	return fmt.Sprintf("; only %s %s, while %s", joinAnd(movers), verb(len(movers), "moves", "move"), joinAnd(waits))
}

// verb agrees a verb with a count.
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// upper capitalises the first letter of s.
func upper(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// invariantBroken tells of a broken invariant.
func (p program) invariantBroken(cx *Counterexample, inv *spec.Invariant) {
	cx.Kind, cx.Title = "invariant", fmt.Sprintf("invariant %s violated", inv.Name)
	cx.Message = fmt.Sprintf("%s is false", inv.Text)
	if n := len(cx.Steps); n > 0 {
		cx.Message += fmt.Sprintf(" after step %d (%s)", n, cx.Steps[n-1].Actor)
	} else {
		cx.Message += " in the initial state"
	}
	cx.Message += "."
}

// markFailed says, in the final line of actor a when the violation ended
// it, what ended it.
func markFailed(cx *Counterexample, kind machine.VKind, a *spec.Actor, last []byte) {
	if a.Status(last) != spec.Failed {
		return
	}
	what := cx.Kind
	if kind == machine.VAssert {
		what = cx.Title
	}
	for i := range cx.Final {
		if cx.Final[i].Actor == a.Name {
			cx.Final[i].Status += ": " + what
		}
	}
}

// stepViolation names a violation committed by a step.
func (p program) stepViolation(kind machine.VKind, errID int, in *spec.Instr, who string, steps []machine.Step, trace [][]byte) (string, string, string) {
	line := in.Pos.Line
	switch kind {
	case machine.VAssert:
		return "assertion", fmt.Sprintf("assertion %q failed", in.Msg),
			fmt.Sprintf("%s reached assert %s at line %d, and it does not hold.", who, strings.TrimPrefix(in.Text, "assert "), line)
	case machine.VRange:
		what := "a value left its declared range"
		if n := len(steps); n > 0 {
			what = p.faultText(steps[n-1].Fault, steps[n-1].Why)
		}
		return "range", "range", fmt.Sprintf("%s ran %s at line %d: %s.", who, in.Text, line, what)
	case machine.VLoop:
		where := "inside its atomic block"
		if in.Atomic == 0 {
			where = "without reaching a wait (it is cooperative)"
		}
		return "livelock", "livelock",
			fmt.Sprintf("%s loops forever at line %d %s: its step never ends, and no other actor runs while it lasts.", who, line, where)
	}
	return p.uncaught(errID, in, who, steps, trace)
}

// uncaught names an error no catch took: a read or write after close, or
// the error, told where it was raised.
func (p program) uncaught(errID int, in *spec.Instr, who string, steps []machine.Step, trace [][]byte) (string, string, string) {
	line := in.Pos.Line
	name := p.ErrorName(errID)
	through := ""
	if in.Op == spec.OpFinally {
		// The error passed a finally: tell where it was raised.
		if origin := raisedAt(steps, who, name); origin != nil {
			through = fmt.Sprintf("; it went through the finally before line %d,", line)
			in, line = origin, origin.Pos.Line
		}
	}
	if in.Op == spec.OpCall && (errID == int(spec.ErrClosed) || errID == int(spec.ErrShutDown)) && (in.Method == spec.MGet || in.Method == spec.MPut) {
		what, verb := "read-after-close", "get"
		if in.Method == spec.MPut {
			what, verb = "write-after-close", "put"
		}
		obj := in.Obj.Group.Name
		closer := p.closer(obj, steps, trace)
		return what, what, fmt.Sprintf("%s called %s.%s() on the queue that %s", who, obj, verb, closer)
	}
	msg := fmt.Sprintf("%s raised %s at line %d (%s)%s and no catch takes it.", who, name, line, in.Text, through)
	return "uncaught " + name, "uncaught " + name, msg
}

// raisedAt finds the instruction where actor who last raised error name
// in the steps, or nil.
func raisedAt(steps []machine.Step, who, name string) *spec.Instr {
	for i := len(steps) - 1; i >= 0; i-- {
		evs := steps[i].Events
		for j := len(evs) - 1; j >= 0; j-- {
			if e := evs[j]; e.Actor.Name == who && strings.HasSuffix(e.Outcome, "raises "+name) {
				return e.Instr
			}
		}
	}
	return nil
}

// faultText says what a range violation was: which value left which
// range, which index left its array.
func (p program) faultText(k spec.FaultKind, why spec.FaultInfo) string {
	name := strings.TrimSpace(why.Part + " " + why.Name)
	switch k {
	case spec.FaultRange:
		if why.Part != "" {
			return fmt.Sprintf("%s would be %s, outside %s", name, why.In.Format(why.Val), rangeText(why.In))
		}
		return fmt.Sprintf("%s = %s leaves %s", name, why.In.Format(why.Val), rangeText(why.In))
	case spec.FaultIndex:
		if n := p.lengthOf(why.Name); n > 0 {
			return fmt.Sprintf("index %d is outside %s, whose indexes are 0..%d", why.Val, name, n-1)
		}
		return fmt.Sprintf("index %d is outside %s", why.Val, name)
	case spec.FaultDivide:
		return "division by zero"
	case spec.FaultOverflow:
		return "the arithmetic passes the 64-bit integers"
	case spec.FaultEmpty:
		return fmt.Sprintf("the range %d..%d is empty", why.In.Lo, why.In.Hi)
	}
	return "a value left its declared range"
}

// rangeText names the values of a type: 0..2, bool, or an enum's members.
func rangeText(t *spec.Type) string {
	switch t.Kind {
	case spec.TInt:
		return fmt.Sprintf("%d..%d", t.Lo, t.Hi)
	case spec.TEnum:
		return t.Enum.Name + " {" + strings.Join(t.Enum.Members, ", ") + "}"
	}
	return t.String()
}

// lengthOf returns how many elements the array variable, array of objects
// or array of actors name has, or 0.
func (p program) lengthOf(name string) int {
	for _, v := range p.Vars {
		if v.Name == name && v.Type.Kind == spec.TArray {
			return v.Type.Len
		}
	}
	for _, g := range p.Groups {
		if g.Name == name && g.Array {
			return g.Count
		}
	}
	for _, at := range p.Types {
		if at.Name == name && at.Array {
			return at.Count
		}
	}
	return 0
}

// closer finds the step that closed (or shut down) the named queue.
func (p program) closer(obj string, steps []machine.Step, trace [][]byte) string {
	for i, st := range steps {
		for _, ev := range st.Events {
			in := ev.Instr
			if in.Op == spec.OpCall && (in.Method == spec.MClose || in.Method == spec.MShutdown) && in.Obj.Group.Name == obj {
				verb := "closed"
				if in.Method == spec.MShutdown {
					verb = "shut down"
				}
				return fmt.Sprintf("%s %s at step %d.", ev.Actor.Name, verb, i+1)
			}
		}
	}
	return "was closed."
}

// traceStep renders one step: its actor, line, action and effect.
func (p program) traceStep(n int, prev []byte, st machine.Step) TraceStep {
	ts := TraceStep{N: n, Actor: st.Actor.Name}
	if st.Crash {
		ts.Action = "crashed"
		held := p.heldBy(prev, st.Actor)
		if len(held) > 0 {
			ts.Effect = strings.Join(held, ", ") + " stays held by the dead " + st.Actor.Name
		}
		ts.Change = p.changes(prev, st.State, st.Actor)
		return ts
	}
	if len(st.Events) > 0 {
		ts.Line, ts.Col = st.Events[0].Instr.Pos.Line, st.Events[0].Instr.Pos.Col
	}
	parts := p.actions(prev, st)
	ts.Action = strings.Join(parts, "; ")
	ts.Change = p.changes(prev, st.State, st.Actor)
	ts.Effect = p.effectText(prev, st.State, st.Actor)
	ts.Touches = touched(p.operated(prev, st), ts.Change)
	ts.Local = local(st)
	return ts
}

// actions says what each instruction of a step did, a rendezvous as one
// handoff, a partner's instructions under its name.
func (p program) actions(prev []byte, st machine.Step) []string {
	var parts []string
	events := st.Events
	var skip *machine.Event // a select's case, told by its handoff
	for i := 0; i < len(events); i++ {
		ev := &events[i]
		if h, sk, ok := p.handoff(prev, events[i:]); ok {
			parts, skip, i = append(parts, h), sk, i+1
			continue
		}
		switch {
		case ev == skip:
		case ev.Actor != st.Actor:
			parts = append(parts, ev.Actor.Name+": "+p.action(prev, *ev))
		default:
			parts = append(parts, p.action(prev, *ev))
		}
	}
	return parts
}

// local reports whether only the actor's own locals see a step.
func local(st machine.Step) bool {
	for _, ev := range st.Events {
		if a := ev.Instr.Access; ev.Actor != st.Actor || len(a.Reads) > 0 || len(a.Writes) > 0 || ev.Instr.Op == spec.OpCall {
			return false
		}
	}
	return len(st.Events) > 0
}

// operated lists the objects the operations of a step named.
func (p program) operated(prev []byte, st machine.Step) []string {
	var out []string
	for _, ev := range st.Events {
		if ev.Instr.Op != spec.OpCall {
			continue
		}
		f := spec.Frame{S: prev, A: ev.Actor}
		if o := ev.Instr.Obj.Resolve(p.Program, &f); o != nil && !slices.Contains(out, o.Name) {
			out = append(out, o.Name)
		}
	}
	return out
}

// handoff reads a rendezvous that starts the events as one handoff: "sends
// 1 to R over writes": the send ("-> R") and the receive of R ("-> 1");
// for a send in a select, the case taken comes later (skip: its event).
// ok is false when the events start with none.
func (p program) handoff(prev []byte, events []machine.Event) (text string, skip *machine.Event, ok bool) {
	if len(events) < 2 || events[1].Actor == events[0].Actor || events[0].Outcome != "-> "+events[1].Actor.Name {
		return "", nil, false
	}
	send, recv := events[0], events[1]
	over := ""
	if send.Instr.Op == spec.OpCall {
		f := spec.Frame{S: prev, A: send.Actor}
		if o := send.Instr.Obj.Resolve(p.Program, &f); o != nil {
			over = o.Name
		}
	}
	for k := 2; k < len(events) && over == ""; k++ {
		if c := &events[k]; c.Actor == send.Actor && c.Instr == send.Instr {
			over, _, _ = strings.Cut(c.Outcome, ".send(")
			skip = c
		}
	}
	if over == "" {
		return "", nil, false
	}
	return fmt.Sprintf("sends %s to %s over %s", strings.TrimPrefix(recv.Outcome, "-> "), recv.Actor.Name, over), skip, true
}

// action is what an instruction did: its text, an operation's object and
// arguments as their values ("fork[1].acquire()", "q.put(2)"), then its
// outcome.
func (p program) action(prev []byte, ev machine.Event) string {
	text := p.withValues(prev, ev.Actor, ev.Instr)
	if ev.Outcome == "" || ev.Instr.Op == spec.OpRaise && "raise "+strings.TrimPrefix(ev.Outcome, "raises ") == text {
		return text // raise Oops raises Oops
	}
	return text + " " + ev.Outcome
}

// withValues writes the operation of instruction in, in state s, with the
// object it names and the values of its arguments.
func (p program) withValues(s []byte, a *spec.Actor, in *spec.Instr) string {
	if in.Op != spec.OpCall || in.Obj.Group == nil || (len(in.Args) == 0 && in.Obj.Index == nil) {
		return in.Text
	}
	f := spec.Frame{S: s, A: a}
	o := in.Obj.Resolve(p.Program, &f)
	call := "." + in.Method.String() + "("
	start := objectAt(in.Text, in.Obj.Group.Name, call)
	if o == nil || start < 0 {
		return in.Text
	}
	open := start + strings.Index(in.Text[start:], call) + len(call)
	end := closing(in.Text, open)
	if end < 0 {
		return in.Text
	}
	var args []string
	for i, arg := range in.Args {
		v := arg(&f)
		if i == 0 && (in.Method == spec.MPut || in.Method == spec.MSend) {
			args = append(args, o.Elem.Format(v))
		} else {
			args = append(args, strconv.Itoa(v))
		}
	}
	if in.Mode != spec.ModeBlock {
		args = append(args, in.Mode.String())
	}
	return in.Text[:start] + o.Name + call + strings.Join(args, ", ") + in.Text[end:]
}

// objectAt returns where the object named by group (indexed or not)
// stands in text before call, or -1.
func objectAt(text, group, call string) int {
	for i := 0; ; i++ {
		j := strings.Index(text[i:], group)
		if j < 0 {
			return -1
		}
		i += j
		if i > 0 && (isIdent(text[i-1])) {
			continue
		}
		rest := text[i+len(group):]
		if strings.HasPrefix(rest, call) {
			return i
		}
		if strings.HasPrefix(rest, "[") {
			if k := closingBracket(rest); k > 0 && strings.HasPrefix(rest[k+1:], call) {
				return i
			}
		}
	}
}

func isIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// closingBracket returns the index of the "]" that closes text[0], or -1.
func closingBracket(text string) int { return matching(text, 0, 0, '[', ']') }

// closing returns the index of the ")" that closes the "(" just before
// text[from:], or -1.
func closing(text string, from int) int { return matching(text, from, 1, '(', ')') }

// matching returns the index from which, with depth brackets open,
// text[from:] closes them all, or -1.
func matching(text string, from, depth int, open, close byte) int {
	for i := from; i < len(text); i++ {
		switch text[i] {
		case open:
			depth++
		case close:
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// heldBy lists the locks actor a owns in state s.
func (p program) heldBy(s []byte, a *spec.Actor) []string {
	var out []string
	for _, o := range p.Objects {
		if o.Kind == ast.KindLock && o.OwnedBy(s, a) {
			out = append(out, o.Name)
		}
	}
	return out
}

// VarValue renders a global variable.
func (p program) VarValue(s []byte, v *spec.Var) string {
	t := v.Type
	if t.Kind != spec.TArray {
		return t.Format(v.Value(s))
	}
	parts := make([]string, t.Len)
	for i := range parts {
		parts[i] = t.Elem.Format(v.Elem(s, i))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// changes lists what differs between two states, by spec name: variables,
// objects, and the status of actors other than the one that moved.
func (p program) changes(prev, next []byte, mover *spec.Actor) map[string]string {
	out := make(map[string]string)
	for _, v := range p.Vars {
		if string(v.Bytes(prev)) != string(v.Bytes(next)) {
			out[v.Name] = p.VarValue(next, v)
		}
	}
	for _, o := range p.Objects {
		if string(o.Bytes(prev)) != string(o.Bytes(next)) {
			out[o.Name] = machine.ObjectValue(p.Program, next, o)
		}
	}
	for _, a := range p.Actors {
		if a != mover && (a.Status(prev) != a.Status(next) || a.CancelPending(prev) != a.CancelPending(next)) {
			out[a.Name] = p.statusWord(next, a)
		}
	}
	return out
}

// effectText renders the changes of one step, in declaration order.
func (p program) effectText(prev, next []byte, mover *spec.Actor) string {
	var parts []string
	for _, v := range p.Vars {
		if string(v.Bytes(prev)) != string(v.Bytes(next)) {
			parts = append(parts, v.Name+"="+p.VarValue(next, v))
		}
	}
	for _, o := range p.Objects {
		if string(o.Bytes(prev)) == string(o.Bytes(next)) {
			continue
		}
		val := machine.ObjectValue(p.Program, next, o)
		switch o.Kind {
		case ast.KindQueue, ast.KindChan:
			parts = append(parts, o.Name+"="+val)
		default:
			parts = append(parts, o.Name+": "+val)
		}
	}
	for _, a := range p.Actors {
		if a != mover && a.Status(prev) != a.Status(next) {
			parts = append(parts, a.Name+" "+p.statusWord(next, a))
		} else if a != mover && !a.CancelPending(prev) && a.CancelPending(next) {
			parts = append(parts, a.Name+" cancel pending")
		}
	}
	return strings.Join(parts, ", ")
}

func (p program) statusWord(s []byte, a *spec.Actor) string {
	switch a.Status(s) {
	case spec.Dormant:
		return "dormant"
	case spec.Running:
		return "started"
	case spec.Done:
		return "done"
	case spec.Crashed:
		return "crashed"
	case spec.Failed:
		return "failed"
	case spec.Cancelled:
		return "cancelled"
	}
	return "?"
}

// allItems lists the items of every state of a trace.
func (p program) allItems(trace [][]byte) [][]Item {
	out := make([][]Item, len(trace))
	for i, st := range trace {
		out[i] = p.items(st)
	}
	return out
}

// items lists the variables, objects and actors of state s, with their
// values: an actor by where it stands.
func (p program) items(s []byte) []Item {
	var out []Item
	for _, v := range p.Vars {
		out = append(out, Item{v.Name, p.VarValue(s, v)})
	}
	for _, o := range p.Objects {
		out = append(out, Item{o.Name, machine.ObjectValue(p.Program, s, o)})
	}
	for _, l := range p.finalLines(s) {
		out = append(out, Item{l.Actor, l.Status})
	}
	return out
}

// finalLines says where every actor stands in state s.
func (p program) finalLines(s []byte) []ActorLine {
	var out []ActorLine
	for _, a := range p.Actors {
		l := ActorLine{Actor: a.Name}
		in := &a.Type.Code[a.PC(s)]
		switch a.Status(s) {
		case spec.Dormant:
			l.Status = "dormant (never started)"
		case spec.Running:
			l.Line, l.Text = in.Pos.Line, in.Text
			l.Status = fmt.Sprintf("at line %d: %s", in.Pos.Line, in.Text)
		case spec.Done:
			l.Status = "done"
		case spec.Crashed:
			l.Status = "crashed"
		case spec.Failed:
			l.Line = in.Pos.Line
			l.Status = fmt.Sprintf("failed at line %d", in.Pos.Line)
		case spec.Cancelled:
			l.Status = "cancelled"
		}
		if held := p.heldBy(s, a); len(held) > 0 {
			l.Status += "; holds " + strings.Join(held, ", ")
		}
		out = append(out, l)
	}
	return out
}

// program gives the explanation's functions the Program's fields.
type program struct{ *spec.Program }
