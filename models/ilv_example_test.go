package models_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/ilv"
)

// TestDesigns checks every fixed design beside the code, as a Go project
// would check its own: each must verify, its liveness properties included.
func TestDesigns(t *testing.T) {
	fixes, _ := filepath.Glob("*_fix.ilv")
	if len(fixes) < 5 {
		t.Fatalf("found %d fixes", len(fixes))
	}
	for _, f := range fixes {
		t.Run(strings.TrimSuffix(f, ".ilv"), func(t *testing.T) { ilv.Verify(t, f) })
	}
	ilv.Verify(t, "xunit_slots.ilv", ilv.Set("VCPUS", 4)) // seed 003 with vCPUs to spare
}

// Seed 003 with two vCPUs: the tool's view.
func ExampleCheck() {
	r, err := ilv.Check("xunit_slots.ilv", ilv.Options{Set: map[string]string{"VCPUS": "2"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Verdict, r.Kind)
	fmt.Println(r.Counterexample.Steps[0].Action)
	// Output:
	// violation deadlock
	// slots.acquire()
}
