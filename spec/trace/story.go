package trace

import (
	"fmt"
	"strings"
)

// Story is the counterexample as plain text, for a test's failure message
// or a log: the headline and its sentence, a line per step (the cycle of
// a lasso marked), then who waits for what or where everyone ends.
func (cx *Counterexample) Story() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n  %s\n", cx.Title, cx.Message)
	for _, st := range cx.Steps {
		if cx.Loop >= 0 && cx.Repeats && st.N == cx.Loop+1 {
			fmt.Fprintf(&b, "  -- from here steps %d-%d repeat forever --\n", cx.Loop+1, len(cx.Steps))
		}
		line := "-"
		if st.Line > 0 {
			line = fmt.Sprint(st.Line)
		}
		fmt.Fprintf(&b, "  %d  %s  line %s  %s", st.N, st.Actor, line, st.Action)
		if st.Effect != "" {
			fmt.Fprintf(&b, "  (%s)", st.Effect)
		}
		if st.Mark != "" {
			fmt.Fprintf(&b, "  %s", st.Mark)
		}
		b.WriteByte('\n')
	}
	if cx.Loop >= 0 && !cx.Repeats {
		b.WriteString("  -- from here on, nothing moves, forever --\n")
	}
	for _, w := range cx.Blocked {
		fmt.Fprintf(&b, "  blocked: %s at line %d, %s: %s\n", w.Actor, w.Line, w.Text, w.Status)
	}
	if len(cx.Blocked) == 0 {
		for _, f := range cx.Final {
			fmt.Fprintf(&b, "  at the end: %s %s\n", f.Actor, f.Status)
		}
	}
	return b.String()
}
