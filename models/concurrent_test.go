package models_test

import (
	"sync"
	"testing"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/spec/machine"
	"github.com/interleave-dev/interleave/spec/por"
)

// TestConcurrentSearches runs two searches at once over one Program, with
// reduction and the leak and liveness checks after them, and wants the
// answer of one search alone: nothing shared is
// written after Compile. Run it with -race (.ci/run does) to catch a
// write that happens to give the same answer.
func TestConcurrentSearches(t *testing.T) {
	for _, file := range []string{"anchors/peterson.ilv", "anchors/philosophers.ilv", "kitchen_timer.ilv", "xunit_slots.ilv", "mp_queue_crash.ilv", "mp_queue_crash_fix.ilv"} {
		p := load(t, file, nil)
		opts := explorer.Options{Reduce: true, KeepGoing: true, MaxStates: 50000, Liveness: true}
		var wg sync.WaitGroup
		results := make([]*explorer.Result, 2)
		for i := range results {
			wg.Go(func() { results[i] = explorer.Explore(por.New(machine.New(p)), opts) })
		}
		wg.Wait()
		want := explorer.Explore(por.New(machine.New(p)), opts)
		for _, r := range results {
			if r.States != want.States || r.Transitions != want.Transitions || len(r.Violations) != len(want.Violations) ||
				r.LivenessStates != want.LivenessStates {
				t.Errorf("%s: a concurrent search found %d states, %d transitions, %d violations; alone %d, %d, %d",
					file, r.States, r.Transitions, len(r.Violations), want.States, want.Transitions, len(want.Violations))
			}
		}
	}
}
