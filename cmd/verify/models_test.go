package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/machine"
	"github.com/interleave-dev/interleave/spec/por"
)

var secondsRx = regexp.MustCompile(`\d+\.\d+ s\b`)

// TestModels runs verify on every spec in models/ and models/anchors/ and
// compares the output, timings masked, with testdata/models/NAME.txt (go
// test ./cmd/verify -update rewrites them). Each golden file also records
// the exit code and the size of the whole state space (--keep-going) with
// and without reduction, so that a change of semantics or of reduction
// shows as a diff. Bug specs must report a violation, fixes must verify,
// their liveness properties included.
func TestModels(t *testing.T) {
	t.Chdir("../..")
	files, _ := filepath.Glob("models/*.ilv")
	anchors, _ := filepath.Glob("models/anchors/*.ilv")
	if len(files) < 10 || len(anchors) < 6 {
		t.Fatalf("found %d models and %d anchors", len(files), len(anchors))
	}
	for _, file := range append(files, anchors...) {
		name := strings.TrimSuffix(filepath.Base(file), ".ilv")
		if strings.Contains(file, "anchors") {
			name = "anchors_" + name
		}
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run([]string{file}, &stdout, &stderr)
			if want, ok := wantExit(file); ok && code != want {
				t.Errorf("exit code %d, want %d\n%s%s", code, want, stdout.String(), stderr.String())
			}
			out := fmt.Sprintf("exit %d\n%s%s", code, secondsRx.ReplaceAllString(stdout.String(), "T s"), stateSpace(t, file))
			golden(t, filepath.Join("testdata/models", name+".txt"), out)
		})
	}
}

// TestMermaid draws the counterexample of every bug model and anchor that
// has one as a sequence diagram, and compares it with
// testdata/mermaid/NAME.mmd (go test ./cmd/verify -update rewrites them):
// one participant per actor, one arrow per step, the violation marked.
func TestMermaid(t *testing.T) {
	t.Chdir("../..")
	files, _ := filepath.Glob("models/*.ilv")
	anchors, _ := filepath.Glob("models/anchors/*.ilv")
	drawn := 0
	for _, file := range append(files, anchors...) {
		name := strings.TrimSuffix(filepath.Base(file), ".ilv")
		if strings.Contains(file, "anchors") {
			name = "anchors_" + name
		}
		var stdout, stderr bytes.Buffer
		if code := run([]string{"--trace", "mermaid", file}, &stdout, &stderr); code != exitViolation {
			continue
		}
		drawn++
		out := stdout.String()
		var js bytes.Buffer
		run([]string{"--json", file}, &js, &stderr)
		var rep struct {
			Trace []json.RawMessage `json:"trace"`
		}
		if err := json.Unmarshal(js.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		arrows := strings.Count(out, "->>") + strings.Count(out, "-x")
		if !strings.HasPrefix(out, "%% "+file+": ") || !strings.Contains(out, "\nsequenceDiagram\n") || arrows != len(rep.Trace) {
			t.Errorf("%s: not a diagram of its %d steps (%d arrows):\n%s", file, len(rep.Trace), arrows, out)
		}
		golden(t, filepath.Join("testdata/mermaid", name+".mmd"), out)
	}
	if drawn < 6 {
		t.Fatalf("only %d models have a counterexample to draw", drawn)
	}
}

// wantExit gives the exit code a model must have: a violation for a bug,
// ok for its fix. ok is false for the anchors, whose golden file alone
// holds the verdict.
func wantExit(file string) (int, bool) {
	if strings.Contains(file, "anchors") {
		return 0, false
	}
	if !strings.HasSuffix(file, "_fix.ilv") {
		return exitViolation, true
	}
	return exitOK, true
}

// stateSpace explores the whole state space of a model with and without
// reduction and says how large each was, and how many violations it had.
func stateSpace(t *testing.T, file string) string {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f, errs := parser.ParseFile(file, src)
	if errs != nil {
		t.Fatal(errs)
	}
	p, errs := spec.Compile(f, spec.Options{})
	if errs != nil {
		t.Fatal(errs)
	}
	var b strings.Builder
	b.WriteString("\nthe whole state space (--keep-going):\n")
	for _, reduce := range []bool{true, false} {
		r := explorer.Explore(por.New(machine.New(p)), explorer.Options{KeepGoing: true, Reduce: reduce})
		how := "with reduction   "
		if !reduce {
			how = "without reduction"
		}
		fmt.Fprintf(&b, "  %s %d states, %d transitions, depth %d, %d violations\n", how, r.States, r.Transitions, r.Depth, len(r.Violations))
	}
	return b.String()
}

// TestConstantFlipsVerdict: xunit_slots deadlocks with 2 vCPUs and
// verifies with 4.
func TestConstantFlipsVerdict(t *testing.T) {
	t.Chdir("../..")
	var out, errb bytes.Buffer
	if code := run([]string{"models/xunit_slots.ilv"}, &out, &errb); code != exitViolation || !strings.Contains(out.String(), ": deadlock (THENS=3, VCPUS=2)") {
		t.Errorf("VCPUS=2: exit %d\n%s", code, out.String())
	}
	out.Reset()
	if code := run([]string{"--set", "VCPUS=4", "models/xunit_slots.ilv"}, &out, &errb); code != exitOK || !strings.Contains(out.String(), ": ok (THENS=3, VCPUS=4).") {
		t.Errorf("VCPUS=4: exit %d\n%s", code, out.String())
	}
}

// TestJSON checks the JSON report of a violation and of a clean run.
func TestJSON(t *testing.T) {
	t.Chdir("../..")
	var out, errb bytes.Buffer
	code := run([]string{"--json", "models/dispatcher_shutdown.ilv", "models/dispatcher_shutdown_fix.ilv"}, &out, &errb)
	if code != exitViolation {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one JSON object per file, got %d lines", len(lines))
	}
	var bug struct {
		File, Verdict, Kind, Message string
		States, Transitions          int64
		Depth                        int
		Seconds                      float64
		Trace                        []struct {
			Step   int
			Actor  string
			Line   int
			Action string
			Effect map[string]string
		}
	}
	if err := json.Unmarshal([]byte(lines[0]), &bug); err != nil {
		t.Fatal(err)
	}
	if bug.Verdict != "violation" || bug.Kind != "read-after-close" || len(bug.Trace) != 5 || bug.States == 0 {
		t.Errorf("bug report: %+v", bug)
	}
	if last := bug.Trace[4]; last.Actor != "Reader" || !strings.Contains(last.Action, "raises Closed") {
		t.Errorf("last step: %+v", last)
	}
	if first := bug.Trace[0]; first.Effect["finished"] != "[RESULT]" {
		t.Errorf("first step effect: %+v", first.Effect)
	}
	var fix map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &fix); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"file", "verdict", "kind", "message", "states", "transitions", "depth", "seconds", "trace"} {
		if _, ok := fix[k]; !ok {
			t.Errorf("JSON lacks %q: %v", k, fix)
		}
	}
	if fix["verdict"] != "ok" {
		t.Errorf("fix verdict %v", fix["verdict"])
	}
}
