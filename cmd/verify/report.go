package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
	"github.com/interleave-dev/interleave/spec/machine"
	"github.com/interleave-dev/interleave/spec/trace"
)

// report is what verify says about one file; it is printed as text or
// encoded as JSON.
type report struct {
	File        string                `json:"file"`
	Verdict     string                `json:"verdict"` // ok, violation, incomplete, error
	Kind        string                `json:"kind"`
	Message     string                `json:"message"`
	Constants   map[string]any        `json:"constants"`
	States      int64                 `json:"states"`
	Transitions int64                 `json:"transitions"`
	Depth       int                   `json:"depth"`
	Seconds     float64               `json:"seconds"`
	Stopped     string                `json:"stopped,omitempty"`
	Trace       []trace.TraceStep     `json:"trace"`
	LoopFrom    *int                  `json:"loop_from"` // a lasso: the first step of its cycle
	Preemptions *int                  `json:"preemptions,omitempty"`
	Blocked     []trace.ActorLine     `json:"blocked,omitempty"`
	Final       []trace.ActorLine     `json:"final,omitempty"`
	Violations  []*violationReport    `json:"violations,omitempty"`
	Errors      []string              `json:"errors,omitempty"`
	Unchecked   []string              `json:"unchecked_liveness,omitempty"`
	LeftOut     []string              `json:"left_out,omitempty"` // properties --only left out
	Fairness    string                `json:"fairness,omitempty"` // what the liveness search assumed
	Reduced     bool                  `json:"reduced"`
	Stats       *explorer.Stats       `json:"stats,omitempty"`
	order       explorer.Order        `json:"-"`
	stopped     string                `json:"-"` // what stopped the search, in words
	consts      []*spec.Const         `json:"-"`
	cx          *trace.Counterexample `json:"-"`
}

type violationReport struct {
	Kind        string            `json:"kind"`
	Title       string            `json:"title"`
	Message     string            `json:"message"`
	Trace       []trace.TraceStep `json:"trace"`
	LoopFrom    *int              `json:"loop_from"`
	Preemptions int               `json:"preemptions"`
	Blocked     []trace.ActorLine `json:"blocked,omitempty"`
	Final       []trace.ActorLine `json:"final,omitempty"`
	cx          *trace.Counterexample
}

// loopFrom is the step a lasso's cycle starts with (after the last step
// when the run stays there forever), nil for other counterexamples.
func loopFrom(cx *trace.Counterexample) *int {
	if cx.Loop < 0 {
		return nil
	}
	n := cx.Loop + 1
	return &n
}

func newReport(file string, p *spec.Program, res *explorer.Result, cfg *config) *report {
	r := &report{File: file, States: res.States, Transitions: res.Transitions, Depth: res.Depth,
		Seconds: res.Elapsed.Seconds(), Constants: map[string]any{}, Trace: []trace.TraceStep{},
		order: cfg.order, consts: p.Consts, Stopped: res.Stopped, Reduced: cfg.reduce, LeftOut: p.LeftOut}
	r.stopped = r.stopText(cfg)
	if len(p.Liveness) > 0 {
		r.Fairness = fairnessText(p, cfg.fairness)
	}
	if cfg.stats {
		r.Stats = &res.Stats
	}
	for _, c := range p.Consts {
		if c.Type != nil && c.Type.Kind == spec.TBool {
			r.Constants[c.Name] = c.Value != 0
		} else {
			r.Constants[c.Name] = c.Value
		}
	}
	for _, l := range p.Liveness {
		if _, _, _, ok := machine.Shape(l.Formula); !ok {
			r.Unchecked = append(r.Unchecked, l.Name)
		}
	}
	for _, v := range res.Violations {
		if !cfg.raw {
			v = trace.FewestSwitches(p, v)
		}
		cx := trace.Explain(p, v)
		r.Violations = append(r.Violations, &violationReport{Kind: cx.Kind, Title: cx.Title, Message: cx.Message,
			Trace: cx.Steps, LoopFrom: loopFrom(cx), Preemptions: cx.Preemptions, Blocked: cx.Blocked, Final: cx.Final, cx: cx})
	}
	r.decide(res)
	return r
}

// decide gives the report its verdict: the first violation, or why the
// search says nothing, or ok.
func (r *report) decide(res *explorer.Result) {
	switch {
	case len(r.Violations) > 0:
		first := r.Violations[0]
		r.Verdict, r.Kind, r.Message, r.Trace, r.Blocked, r.Final = "violation", first.Kind, first.Message, first.Trace, first.Blocked, first.Final
		r.LoopFrom, r.Preemptions = first.LoopFrom, &first.Preemptions
		r.cx = first.cx
		if r.Trace == nil {
			r.Trace = []trace.TraceStep{} // a violation in the initial state
		}
		if len(r.Violations) == 1 {
			r.Violations = nil // the top level says it all
		}
	case !res.Complete && res.LivenessStopped:
		r.Verdict, r.Message = "incomplete", "every safety property holds, but the leak and liveness checks were stopped by "+r.stopped+"; no violation found so far"
	case !res.Complete:
		r.Verdict, r.Message = "incomplete", "stopped by "+r.stopped+" before the search ended; no violation found so far"
	case len(r.Unchecked) > 0:
		r.Verdict = "incomplete"
		what := "liveness property " + r.Unchecked[0] + " was"
		if len(r.Unchecked) > 1 {
			what = "liveness properties " + strings.Join(r.Unchecked, ", ") + " were"
		}
		r.Message = "every safety property holds, but " + what + " not checked: verify checks liveness properties of the forms always eventually P, eventually P and always (P -> eventually Q) (--only safety leaves liveness out)"
	default:
		r.Verdict = "ok"
	}
}

var stopWords = map[string]string{"max-states": "--max-states", "max-memory": "--max-memory", "interrupted": "a signal (Ctrl-C or SIGTERM)"}

// stopText says what stopped the search.
func (r *report) stopText(cfg *config) string {
	if r.Stopped == "max-memory" && !cfg.memorySet {
		return "the memory limit (half of this machine's memory; raise it with --max-memory)"
	}
	return stopWords[r.Stopped]
}

func errorReport(file string, errs ast.ErrorList) *report {
	r := &report{File: file, Verdict: "error", Kind: "spec error", Constants: map[string]any{}, Trace: []trace.TraceStep{}}
	for _, e := range errs {
		r.Errors = append(r.Errors, e.Error())
	}
	if len(errs) > 0 {
		r.Message = errs[0].Error()
	}
	return r
}

func writeJSON(w io.Writer, r any) {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err) // reports hold only plain data
	}
	fmt.Fprintf(w, "%s\n", b)
}

// constantsNote renders the spec's constants, "(VCPUS=2, THENS=3)", or "".
func (r *report) constantsNote() string {
	if len(r.consts) == 0 {
		return ""
	}
	var parts []string
	for _, c := range r.consts {
		v := fmt.Sprint(r.Constants[c.Name])
		parts = append(parts, c.Name+"="+v)
	}
	sort.Strings(parts)
	return " (" + strings.Join(parts, ", ") + ")"
}

func (r *report) counts() string {
	return fmt.Sprintf("%s states, %s transitions, depth %d, %s", comma(r.States), comma(r.Transitions), r.Depth, seconds(r.Seconds))
}

func (r *report) writeText(w io.Writer, quiet bool) {
	switch r.Verdict {
	case "ok":
		if !quiet {
			fmt.Fprintf(w, "%s: ok%s. %s\n", r.File, r.constantsNote(), r.counts())
			if r.Fairness != "" {
				fmt.Fprintf(w, "  liveness under %s%s\n", r.Fairness, r.unreduced())
			}
			if len(r.LeftOut) > 0 {
				fmt.Fprintf(w, "  left out by --only: %s\n", strings.Join(r.LeftOut, ", "))
			}
		}
		return
	case "incomplete":
		fmt.Fprintf(w, "%s: incomplete%s: %s.\n  %s\n", r.File, r.constantsNote(), r.Message, r.counts())
		return
	}
	vs := r.violations()
	for i, v := range vs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeViolation(w, r.File+": "+v.cx.Title+r.constantsNote(), v.cx)
	}
	fmt.Fprintf(w, "\n  %s %s\n", r.how(vs), r.counts())
}

// violations lists the counterexamples of a violation report: those
// of --keep-going, or the one.
func (r *report) violations() []*violationReport {
	if len(r.Violations) > 0 {
		return r.Violations
	}
	return []*violationReport{{Kind: r.Kind, Message: r.Message, Trace: r.Trace, Blocked: r.Blocked, Final: r.Final, cx: r.cx}}
}

// writeMermaid prints each counterexample as a sequence diagram.
func (r *report) writeMermaid(w io.Writer) {
	for i, v := range r.violations() {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprint(w, v.cx.Mermaid(r.File+": "+v.cx.Title+r.constantsNote()))
	}
}

// how says how the counterexamples were found, in the footer.
func (r *report) how(vs []*violationReport) string {
	how := "breadth-first: no shorter trace exists."
	if r.Reduced {
		how = "breadth-first over the reduced state space (--por off for a shortest trace of all)."
	}
	if r.order == explorer.DFS {
		how = "depth-first: a shorter trace may exist (use --search bfs)."
	}
	if cx := vs[0].cx; len(vs) == 1 && cx.Loop >= 0 {
		how = fmt.Sprintf("a lasso: %s, then %s (%s%s).", plural(cx.Loop, "step"), plural(len(cx.Steps)-cx.Loop, "step")+" that repeat forever", r.Fairness, r.unreduced())
		if !cx.Repeats {
			how = fmt.Sprintf("a run of %s that ends there (%s%s).", plural(cx.Loop, "step"), r.Fairness, r.unreduced())
		}
	}
	if len(vs) > 1 {
		how = fmt.Sprintf("%d violations.", len(vs))
	} else if cx := vs[0].cx; cx.Loop < 0 {
		how += fmt.Sprintf(" %s, %s.", upperFirst(plural(len(cx.Steps), "step")), plural(cx.Preemptions, "preemption"))
	} else {
		how += fmt.Sprintf(" %s.", upperFirst(plural(cx.Preemptions, "preemption")))
	}
	if r.Stopped != "" {
		how += fmt.Sprintf(" The search was stopped by %s: the state space was not explored in full.", r.stopped)
	}
	return how
}

// upperFirst capitalises a sentence.
func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// writeViolation prints a counterexample as a story: the headline, the
// sentence, one line per step, then who is blocked or where everyone ends.
func writeViolation(w io.Writer, title string, cx *trace.Counterexample) {
	fmt.Fprintf(w, "%s\n  %s\n\n", title, cx.Message)
	if len(cx.Steps) == 0 {
		fmt.Fprintf(w, "  (in the initial state)\n")
	} else {
		writeTable(w, stepRows(cx), []bool{true, false, true, false, false})
	}
	if len(cx.Blocked) > 0 {
		fmt.Fprintf(w, "\n  blocked:\n")
		var t [][]string
		for _, b := range cx.Blocked {
			t = append(t, []string{b.Actor, fmt.Sprintf("line %d", b.Line), b.Text, b.Status})
		}
		writeTableIndent(w, "    ", t, nil)
		return
	}
	fmt.Fprintf(w, "\n  at the end:\n")
	var t [][]string
	for _, f := range cx.Final {
		t = append(t, []string{f.Actor, f.Status})
	}
	writeTableIndent(w, "    ", t, nil)
}

// stepRows are the rows of a trace's table, a lasso's cycle marked.
func stepRows(cx *trace.Counterexample) [][]string {
	rows := [][]string{{"#", "actor", "line", "action", "effect"}}
	for i := 0; i < len(cx.Steps); i++ {
		s := cx.Steps[i]
		if cx.Loop >= 0 && s.N == cx.Loop+1 {
			rows = append(rows, []string{"", "", "", loopMark(cx), ""})
		}
		// Steps that only the actor's own locals see go into its next line.
		first, line, actions := s.N, s.Line, []string{}
		for s.Local && i+1 < len(cx.Steps) && cx.Steps[i+1].Actor == s.Actor && s.N != cx.Loop {
			actions = append(actions, s.Action)
			i++
			s = cx.Steps[i]
		}
		num := fmt.Sprint(s.N)
		if first != s.N {
			num = fmt.Sprintf("%d-%d", first, s.N)
		}
		where := "-"
		if line > 0 {
			where = fmt.Sprint(line)
		}
		eff := s.Effect
		if s.Mark != "" {
			eff = strings.TrimSpace(eff + "  " + s.Mark)
		}
		rows = append(rows, []string{num, s.Actor, where, strings.Join(append(actions, s.Action), "; "), eff})
	}
	if cx.Loop >= 0 && !cx.Repeats {
		rows = append(rows, []string{"", "", "", loopMark(cx), ""})
	}
	return rows
}

// unreduced says, when the search was reduced, that the liveness search
// was not, and why.
func (r *report) unreduced() string {
	if !r.Reduced {
		return ""
	}
	return "; searched without reduction, which keeps deadlocks, not fair cycles"
}

// fairnessText names the fairness the liveness search assumed: the
// default, and the actors that say otherwise.
func fairnessText(p *spec.Program, def explorer.Fairness) string {
	words := map[explorer.Fairness]string{explorer.Weak: "weak fairness", explorer.Strong: "strong fairness", explorer.NoFairness: "no fairness"}
	own := map[ast.Fairness]string{ast.FairWeak: "weak", ast.FairStrong: "strong", ast.FairNone: "none"}
	text := words[def]
	var parts []string
	for _, at := range p.Types {
		if at.Fairness != ast.FairDefault {
			parts = append(parts, at.Name+": "+own[at.Fairness])
		}
	}
	if len(parts) > 0 {
		text += "; " + strings.Join(parts, ", ")
	}
	return text
}

// loopMark is the line that marks where a lasso's cycle starts.
func loopMark(cx *trace.Counterexample) string {
	if !cx.Repeats {
		return "-- from here on, nothing moves, forever --"
	}
	return fmt.Sprintf("-- from here steps %d-%d repeat forever --", cx.Loop+1, len(cx.Steps))
}

func writeTable(w io.Writer, rows [][]string, right []bool) {
	writeTableIndent(w, "  ", rows, right)
}

// writeTableIndent prints rows in aligned columns; right-aligns the
// columns marked in right. The last column is not padded.
func writeTableIndent(w io.Writer, indent string, rows [][]string, right []bool) {
	width := map[int]int{}
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		b.WriteString(indent)
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-len(c))
			switch {
			case i < len(right) && right[i]:
				b.WriteString(pad + c)
			case i == len(r)-1:
				b.WriteString(c)
			default:
				b.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// comma formats n with thousands separators.
func comma(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + comma(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func seconds(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.3f s", s)
	}
	return fmt.Sprintf("%.2f s", s)
}

// progressLine draws the search's progress on a terminal, in place.
type progressLine struct {
	w     io.Writer
	drawn bool
	last  explorer.Progress
}

func (l *progressLine) draw(p explorer.Progress) {
	rate := float64(p.States-l.last.States) / (p.Elapsed - l.last.Elapsed).Seconds()
	if l.last.Elapsed == 0 {
		rate = float64(p.States) / p.Elapsed.Seconds()
	}
	l.last = p
	fmt.Fprintf(l.w, "\r  %s states  %s/s  depth %d  frontier %s  %d MB   ",
		comma(p.States), rateText(rate), p.Depth, comma(p.Frontier), p.Memory>>20)
	l.drawn = true
}

func (l *progressLine) clear() {
	if l.drawn {
		fmt.Fprintf(l.w, "\r%s\r", strings.Repeat(" ", 78))
	}
}

func rateText(r float64) string {
	switch {
	case r >= 1e6:
		return fmt.Sprintf("%.2f M", r/1e6)
	case r >= 1e3:
		return fmt.Sprintf("%.0f k", r/1e3)
	}
	return fmt.Sprintf("%.0f", r)
}

// writeStats prints how the search expanded states.
func writeStats(w io.Writer, res *explorer.Result) {
	st := res.Stats
	fmt.Fprintf(w, "  expanded %s states: %s reduced, %s with one actor able to move, in full: %s (no smaller stubborn set), %s (visible), %s (cycle proviso); %s local steps merged\n",
		comma(st.Expanded), comma(st.Reduced), comma(st.Single), comma(st.FullNoSmall), comma(st.FullVisible),
		comma(st.FullProviso+st.FullOnStack), comma(st.Merged))
	if res.LivenessStates > 0 {
		fmt.Fprintf(w, "  leak and liveness checks, without reduction: %s states expanded\n", comma(res.LivenessStates))
	}
}
