package ilv_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/ilv"
)

// TestCheck: the verdicts of a bug, its fix, a sweep value and a spec
// error, as a tool gets them.
func TestCheck(t *testing.T) {
	for _, c := range []struct {
		path    string
		opts    ilv.Options
		verdict string
		kind    string
	}{
		{"../models/dispatcher_shutdown.ilv", ilv.Options{}, "violation", "read-after-close"},
		{"../models/dispatcher_shutdown_fix.ilv", ilv.Options{}, "ok", ""},
		{"../models/xunit_slots.ilv", ilv.Options{Set: map[string]string{"VCPUS": "2"}}, "violation", "deadlock"},
		{"../models/xunit_slots.ilv", ilv.Options{Set: map[string]string{"VCPUS": "4"}, NoReduction: true}, "ok", ""},
		{"../models/mp_queue_crash.ilv", ilv.Options{Fairness: "strong"}, "violation", "liveness"},
		{"../models/anchors/peterson.ilv", ilv.Options{MaxStates: 10}, "incomplete", ""},
	} {
		r, err := ilv.Check(c.path, c.opts)
		if err != nil || r.Verdict != c.verdict || r.Kind != c.kind || (r.Verdict == "violation") != (r.Counterexample != nil) {
			t.Errorf("%s %+v: %+v, %v; want %s %s", c.path, c.opts, r, err, c.verdict, c.kind)
		}
	}
	if _, err := ilv.Check("../models/xunit_slots.ilv", ilv.Options{Set: map[string]string{"NOPE": "1"}}); err == nil || !strings.Contains(err.Error(), "NOPE") {
		t.Errorf("an unknown constant: %v", err)
	}
	if r, _ := ilv.Check("../models/dispatcher_shutdown.ilv", ilv.Options{}); !strings.Contains(r.Counterexample.Story(), "5  Reader  line 17  let m = finished.get() raises Closed  <- read-after-close") {
		t.Errorf("the story:\n%s", r.Counterexample.Story())
	}
}

// recorder is a testing.TB that keeps what a failing Verify says.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Fatal(args ...any)                 { r.failed = fmt.Sprint(args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

// TestVerify: Verify passes a fix and fails a bug with its story.
func TestVerify(t *testing.T) {
	ilv.Verify(t, "../models/xunit_slots.ilv", ilv.Set("VCPUS", 4))
	r := &recorder{TB: t}
	ilv.Verify(r, "../models/xunit_slots.ilv", ilv.Set("VCPUS", 2))
	if !strings.Contains(r.failed, "deadlock") || !strings.Contains(r.failed, "blocked: Then[0]") {
		t.Errorf("Verify of a deadlock says %q", r.failed)
	}
}
