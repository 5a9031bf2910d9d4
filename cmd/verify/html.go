package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"strings"

	"github.com/interleave-dev/interleave/spec/trace"
)

// The HTML report (--html FILE): one self-contained page per
// counterexample, nothing fetched: the headline, the step table, the
// sequence diagram as inline SVG, the spec with the trace's lines marked,
// and, with scripts on, the state at any step (every variable, object and
// actor, what changed marked). Without scripts the page still reads: the
// table, the diagram and the source are plain HTML and SVG. It reads only
// the counterexample, and the spec's text.

//go:embed html/report.html
var reportHTML string

var reportTemplate = template.Must(template.New("report").Parse(reportHTML))

// htmlReport is what the page shows.
type htmlReport struct {
	File, Title, Message, Footer string
	Steps                        []htmlStep
	LoopMark                     string
	Stays                        bool // the run stays after its last step: the mark goes after it
	Blocked, Final               []trace.ActorLine
	Diagram                      template.HTML
	Source                       []htmlLine
	Data                         template.JS // the states, for the script
}

type htmlStep struct {
	trace.TraceStep
	Cycle, LoopBefore bool
}

type htmlLine struct {
	N    int
	Text string
	Hit  bool
}

// writeHTMLFile writes the report to the file named.
func writeHTMLFile(name string, r *report, source []byte) error {
	var b bytes.Buffer
	if err := writeHTML(&b, r, source); err != nil {
		return err
	}
	return os.WriteFile(name, b.Bytes(), 0o644)
}

// writeHTML writes the report of the first counterexample of r.
func writeHTML(w io.Writer, r *report, source []byte) error {
	cx := r.violations()[0].cx
	hr := htmlReport{File: r.File, Title: r.File + ": " + cx.Title + r.constantsNote(), Message: cx.Message,
		Footer: r.how(r.violations()) + " " + r.counts(), Blocked: cx.Blocked, Final: cx.Final}
	hit := map[int]bool{}
	for _, st := range cx.Steps {
		hit[st.Line] = true
		cycle := cx.Loop >= 0 && cx.Repeats && st.N > cx.Loop
		hr.Steps = append(hr.Steps, htmlStep{TraceStep: st, Cycle: cycle, LoopBefore: cycle && st.N == cx.Loop+1})
	}
	if cx.Loop >= 0 {
		hr.LoopMark, hr.Stays = loopMark(cx), !cx.Repeats
	}
	for i, l := range strings.Split(strings.TrimRight(string(source), "\n"), "\n") {
		hr.Source = append(hr.Source, htmlLine{N: i + 1, Text: l, Hit: hit[i+1]})
	}
	hr.Diagram = template.HTML(svgDiagram(cx))
	lines := make([]int, len(cx.Steps))
	for i, st := range cx.Steps {
		lines[i] = st.Line
	}
	data, err := json.Marshal(map[string]any{"states": cx.States, "lines": lines})
	if err != nil {
		return err
	}
	hr.Data = template.JS(data)
	return reportTemplate.Execute(w, hr)
}

// svgDiagram draws the sequence diagram: a column per participant (the
// actors, then what the steps touch), a row per step with an arrow from
// the actor to what it touched, the violating step in red, a lasso's
// cycle in a box.
func svgDiagram(cx *trace.Counterexample) string {
	names, col := diagramColumns(cx)
	height := svgTop + svgRow*(len(cx.Steps)+1)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="sequence diagram" width="%d" height="%d" font-family="sans-serif" font-size="12">`, svgCol*len(names), height)
	for i, n := range names {
		fmt.Fprintf(&b, `<text x="%d" y="20" text-anchor="middle" font-weight="bold">%s</text>`, svgX(i), template.HTMLEscapeString(n))
		fmt.Fprintf(&b, `<line x1="%d" y1="28" x2="%d" y2="%d" stroke="#bbb" stroke-dasharray="4 3"/>`, svgX(i), svgX(i), height-4)
	}
	if cx.Loop >= 0 && cx.Repeats {
		y0 := svgTop + svgRow*cx.Loop - 12
		fmt.Fprintf(&b, `<rect x="4" y="%d" width="%d" height="%d" fill="none" stroke="#36c" stroke-width="1.5"/><text x="8" y="%d" fill="#36c">repeats forever</text>`,
			y0, svgCol*len(names)-8, svgRow*(len(cx.Steps)-cx.Loop)+6, y0+12)
	}
	for i, st := range cx.Steps {
		to := col[st.Actor]
		if len(st.Touches) > 0 {
			to = col[st.Touches[0]]
		}
		svgArrow(&b, st, col[st.Actor], to, svgTop+svgRow*i+10)
	}
	b.WriteString(`<defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0 0 L8 4 L0 8 z" fill="#222"/></marker></defs></svg>`)
	return b.String()
}

// The diagram's geometry: column width, row height, the first row.
const svgCol, svgRow, svgTop = 150, 30, 40

func svgX(c int) int { return svgCol/2 + c*svgCol }

// diagramColumns names the participants, the actors first, and gives each
// its column.
func diagramColumns(cx *trace.Counterexample) ([]string, map[string]int) {
	var names []string
	col := map[string]int{}
	add := func(n string) {
		if _, ok := col[n]; !ok {
			col[n] = len(names)
			names = append(names, n)
		}
	}
	for _, a := range cx.Final {
		add(a.Actor)
	}
	for _, st := range cx.Steps {
		add(st.Actor)
		for _, t := range st.Touches {
			add(t)
		}
	}
	return names, col
}

// svgArrow draws step st, from column from to column to, at height y: to
// itself as a hook, in red when it commits the violation.
func svgArrow(b *bytes.Buffer, st trace.TraceStep, from, to, y int) {
	color := "#222"
	if st.Mark != "" {
		color = "#c00"
	}
	label := fmt.Sprintf("%d. %s", st.N, st.Action)
	short := label
	if r := []rune(label); len(r) > 38 {
		short = string(r[:36]) + "…"
	}
	fmt.Fprintf(b, `<g class="arrow" data-step="%d"><title>%s</title>`, st.N, template.HTMLEscapeString(label+"  "+st.Effect))
	if from == to {
		fmt.Fprintf(b, `<path d="M%d %d h24 v10 h-24" fill="none" stroke="%s"/>`, svgX(from), y, color)
	} else {
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" marker-end="url(#head)"/>`, svgX(from), y+6, svgX(to), y+6, color)
	}
	fmt.Fprintf(b, `<text x="%d" y="%d" fill="%s">%s</text></g>`, min(svgX(from), svgX(to))+6, y+2, color, template.HTMLEscapeString(short))
}
