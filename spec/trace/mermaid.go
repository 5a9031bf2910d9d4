package trace

import (
	"fmt"
	"slices"
	"strings"
)

// Mermaid draws the counterexample as a Mermaid sequence diagram (GitHub
// renders one in a ```mermaid block): a participant per actor, then one
// per object, variable or actor a step touched; an arrow per step from its
// actor to what it touched first (to itself when nothing shared changed),
// a note with what changed; the violating step's arrow crossed; a lasso's
// cycle in a loop box; at the end, a note with the headline and, for a
// deadlock or a leak, where each waiting actor stands. It reads only the
// counterexample.
func (cx *Counterexample) Mermaid(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%%%% %s\n", oneLine(title))
	b.WriteString("sequenceDiagram\n")
	ids := cx.participants(&b)
	for i, st := range cx.Steps {
		if cx.Loop >= 0 && cx.Repeats && i == cx.Loop {
			b.WriteString("    loop repeats forever\n")
		}
		indent := "    "
		if cx.Loop >= 0 && cx.Repeats && i >= cx.Loop {
			indent += "    "
		}
		from, to := ids[st.Actor], ids[st.Actor]
		if len(st.Touches) > 0 {
			to = ids[st.Touches[0]]
		}
		arrow := "->>"
		if st.Mark != "" {
			arrow = "-x"
		}
		fmt.Fprintf(&b, "%s%s%s%s: %d. %s\n", indent, from, arrow, to, st.N, mermaidText(st.Action))
		if st.Effect != "" {
			fmt.Fprintf(&b, "%sNote right of %s: %s\n", indent, to, mermaidText(st.Effect))
		}
		if st.Mark != "" {
			fmt.Fprintf(&b, "%sNote over %s: %s\n", indent, from, mermaidText(strings.TrimPrefix(st.Mark, "<- ")))
		}
	}
	if cx.Loop >= 0 && cx.Repeats {
		b.WriteString("    end\n")
	}
	cx.mermaidEnd(&b, ids, cx.Loop >= 0 && !cx.Repeats)
	return b.String()
}

// participants declares the actors, then what the steps touch, in the
// order they appear; it returns the id of each.
func (cx *Counterexample) participants(b *strings.Builder) map[string]string {
	ids := map[string]string{}
	add := func(name, prefix string) {
		if _, ok := ids[name]; ok {
			return
		}
		ids[name] = fmt.Sprintf("%s%d", prefix, len(ids))
		fmt.Fprintf(b, "    participant %s as %s\n", ids[name], mermaidText(name))
	}
	for _, a := range cx.Final {
		add(a.Actor, "a")
	}
	for _, st := range cx.Steps {
		add(st.Actor, "a")
	}
	for _, st := range cx.Steps {
		for _, o := range st.Touches {
			add(o, "o")
		}
	}
	return ids
}

// mermaidEnd closes the diagram: that nothing moves any more when the run
// stays there, the headline over every actor, and where the waiting ones
// stand.
func (cx *Counterexample) mermaidEnd(b *strings.Builder, ids map[string]string, stays bool) {
	var actors []string
	for _, a := range cx.Final {
		actors = append(actors, ids[a.Actor])
	}
	if len(actors) == 0 {
		return
	}
	over := actors[0]
	if len(actors) > 1 {
		over += "," + actors[len(actors)-1]
	}
	if stays {
		fmt.Fprintf(b, "    Note over %s: from here on, nothing moves, forever\n", over)
	}
	fmt.Fprintf(b, "    Note over %s: %s: %s\n", over, mermaidText(cx.Kind), mermaidText(cx.Message))
	for _, w := range cx.Blocked {
		fmt.Fprintf(b, "    Note over %s: waits at line %d (%s): %s\n", ids[w.Actor], w.Line, mermaidText(w.Text), mermaidText(w.Status))
	}
}

// mermaidText keeps a text from ending a statement or starting an entity:
// Mermaid reads ";" and "#" so, and a line break ends a message.
func mermaidText(s string) string {
	return strings.NewReplacer("#", "#35;", ";", "#59;", "\n", " ").Replace(s)
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// touched lists what a step touched, in a stable order: the objects its
// operations named, then what else changed (names sorted).
func touched(objects []string, change map[string]string) []string {
	out := slices.Clone(objects)
	var rest []string
	for name := range change {
		if !slices.Contains(out, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}
