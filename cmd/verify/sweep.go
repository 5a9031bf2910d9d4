package main

import (
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

// Sweeps: --sweep NAME=LO..HI (or NAME=A,B,C) runs the spec once per value,
// several --sweep flags their product, and prints one table with a row
// per run and where the verdict flips. The spec is parsed once.

// sweep is one --sweep flag: a constant and the values it takes.
type sweep struct {
	name   string
	values []string
}

// parseSweep reads NAME=LO..HI or NAME=A,B,C.
func parseSweep(s string) (sweep, string) {
	name, vals, ok := strings.Cut(s, "=")
	if !ok || name == "" || vals == "" {
		return sweep{}, fmt.Sprintf("--sweep %s: write NAME=LO..HI or NAME=A,B,C", s)
	}
	sw := sweep{name: name}
	if lo, hi, ok := strings.Cut(vals, ".."); ok {
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || a > b || b-a >= 1000 {
			return sweep{}, fmt.Sprintf("--sweep %s: LO..HI takes two integers, LO <= HI, at most 1000 values", s)
		}
		for v := a; v <= b; v++ {
			sw.values = append(sw.values, strconv.Itoa(v))
		}
		return sw, ""
	}
	sw.values = strings.Split(vals, ",")
	return sw, ""
}

// sweepRow is one run of a sweep.
type sweepRow struct {
	Constants   map[string]string `json:"constants"`
	Verdict     string            `json:"verdict"`
	Kind        string            `json:"kind"`
	States      int64             `json:"states"`
	Transitions int64             `json:"transitions"`
	Seconds     float64           `json:"seconds"`
	Message     string            `json:"message,omitempty"`
}

// sweepReport is what --json prints for a sweep.
type sweepReport struct {
	File  string     `json:"file"`
	Sweep []sweepRow `json:"sweep"`
}

// sweepFile runs the spec once per combination of the swept values.
func sweepFile(name string, cfg *config, stdout, stderr io.Writer) int {
	src, err := readSpec(name)
	if err != nil {
		_, _, errs := load(name, cfg)
		printErrors(stderr, errs, nil)
		return exitUsage
	}
	f, errs := parser.ParseFile(name, src)
	if errs != nil {
		printErrors(stderr, errs, src)
		return exitUsage
	}
	rep := sweepReport{File: name}
	code := exitOK
	for _, combo := range combinations(cfg.sweeps) {
		set := maps.Clone(cfg.set)
		maps.Copy(set, combo)
		row, c := sweepRun(name, f, set, cfg)
		row.Constants = combo
		rep.Sweep = append(rep.Sweep, row)
		code = worse(code, c)
		if cfg.stop.Load() {
			break
		}
	}
	if cfg.json {
		writeJSON(stdout, rep)
	} else {
		writeSweep(stdout, rep, cfg.sweeps)
	}
	return code
}

// sweepRun compiles and explores one combination.
func sweepRun(name string, f *ast.File, set map[string]string, cfg *config) (sweepRow, int) {
	prog, errs := spec.Compile(f, spec.Options{Set: set, Only: cfg.only})
	if errs != nil {
		return sweepRow{Verdict: "error", Kind: "spec error", Message: errs[0].Error()}, exitUsage
	}
	opts, _ := cfg.options(io.Discard)
	opts.Progress = nil
	res := explorer.Explore(newSystem(prog, cfg), opts)
	r := newReport(name, prog, res, cfg)
	row := sweepRow{Verdict: r.Verdict, Kind: r.Kind, States: r.States, Transitions: r.Transitions, Seconds: r.Seconds, Message: r.Message}
	switch r.Verdict {
	case "violation":
		return row, exitViolation
	case "incomplete":
		return row, exitIncomplete
	}
	return row, exitOK
}

// combinations lists the product of the sweeps, the last one varying
// fastest.
func combinations(sweeps []sweep) []map[string]string {
	out := []map[string]string{{}}
	for _, sw := range sweeps {
		var next []map[string]string
		for _, c := range out {
			for _, v := range sw.values {
				m := maps.Clone(c)
				m[sw.name] = v
				next = append(next, m)
			}
		}
		out = next
	}
	return out
}

// outcome is a row's verdict in one word: ok, the violation's kind,
// incomplete, or error.
func (r sweepRow) outcome() string {
	if r.Verdict == "violation" || r.Verdict == "error" {
		return r.Kind
	}
	return r.Verdict
}

// writeSweep prints a sweep's table and, for one swept constant, where
// the verdict flips.
func writeSweep(w io.Writer, rep sweepReport, sweeps []sweep) {
	var names []string
	for _, sw := range sweeps {
		names = append(names, sw.name)
	}
	fmt.Fprintf(w, "%s: sweep over %s\n", rep.File, strings.Join(names, ", "))
	t := [][]string{append(append([]string(nil), names...), "verdict", "states", "time")}
	for _, r := range rep.Sweep {
		var row []string
		for _, n := range names {
			row = append(row, r.Constants[n])
		}
		t = append(t, append(row, r.outcome(), comma(r.States), fmt.Sprintf("%.3f s", r.Seconds)))
	}
	writeTableIndent(w, "  ", t, nil)
	if len(sweeps) == 1 {
		fmt.Fprintf(w, "  %s\n", flips(rep.Sweep, names[0]))
	}
}

// flips says which values give which verdict, value ranges together:
// "deadlock for VCPUS 1..2, ok for VCPUS 3..8".
func flips(rows []sweepRow, name string) string {
	var parts []string
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1].outcome() == rows[i].outcome() {
			j++
		}
		vals := rows[i].Constants[name]
		if j > i {
			vals += ".." + rows[j].Constants[name]
		}
		parts = append(parts, fmt.Sprintf("%s for %s %s", rows[i].outcome(), name, vals))
		i = j + 1
	}
	if len(parts) == 1 {
		return "the same for every value: " + parts[0]
	}
	return strings.Join(parts, ", ")
}
