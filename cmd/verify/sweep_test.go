package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

var sweepRowRx = regexp.MustCompile(`(?m)^  \d+ .*(deadlock|ok) +\d+ +\d+\.\d+ s$`)

// TestSweep runs seed 003 over its vCPUs in one command: a row per value,
// where the verdict flips, the worst exit code; the product of two
// sweeps; the rows in JSON; and the flag's misuse.
func TestSweep(t *testing.T) {
	t.Chdir("../..")
	var out, errs bytes.Buffer
	if code := run([]string{"--sweep", "VCPUS=1..5", "models/xunit_slots.ilv"}, &out, &errs); code != exitViolation {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitViolation, out.String(), errs.String())
	}
	text := out.String()
	if len(sweepRowRx.FindAllString(text, -1)) != 5 || !strings.Contains(text, "deadlock for VCPUS 1..3, ok for VCPUS 4..5") {
		t.Errorf("the sweep's table:\n%s", text)
	}
	out.Reset()
	run([]string{"--sweep", "VCPUS=2,4", "--sweep", "THENS=2..3", "models/xunit_slots.ilv"}, &out, &errs)
	if rows := len(sweepRowRx.FindAllString(out.String(), -1)); rows != 4 || !strings.Contains(out.String(), "VCPUS  THENS") {
		t.Errorf("the product of two sweeps, %d rows:\n%s", rows, out.String())
	}
	out.Reset()
	if code := run([]string{"--json", "--sweep", "VCPUS=3..4", "models/xunit_slots.ilv"}, &out, &errs); code != exitViolation {
		t.Fatalf("--json: exit %d", code)
	}
	var rep struct {
		File  string `json:"file"`
		Sweep []struct {
			Constants map[string]string `json:"constants"`
			Verdict   string            `json:"verdict"`
			Kind      string            `json:"kind"`
			States    int64             `json:"states"`
		} `json:"sweep"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || len(rep.Sweep) != 2 ||
		rep.Sweep[0].Kind != "deadlock" || rep.Sweep[1].Verdict != "ok" || rep.Sweep[1].Constants["VCPUS"] != "4" || rep.Sweep[1].States == 0 {
		t.Errorf("--json: %v %+v\n%s", err, rep, out.String())
	}
	for _, bad := range [][]string{{"--sweep", "VCPUS"}, {"--sweep", "VCPUS=5..1"}, {"--sweep", "VCPUS=1..2", "--html", "x.html"}} {
		errs.Reset()
		if code := run(append(bad, "models/xunit_slots.ilv"), &out, &errs); code != exitUsage || !strings.Contains(errs.String(), "--") {
			t.Errorf("%v: exit %d, %s", bad, code, errs.String())
		}
	}
}
