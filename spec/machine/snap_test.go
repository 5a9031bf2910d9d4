package machine

import (
	"testing"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/models/specgen"
	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
)

// TestStepsLeaveNoSnapshots: a step of an atomic block or a cooperative
// actor snapshots the state at each rest point it runs past, to undo a
// segment that blocks; the snapshots do not pile up over a search (they
// did, one per step that faulted or ended its actor past such a point),
// and the choice stack is empty once every vector was tried.
func TestStepsLeaveNoSnapshots(t *testing.T) {
	for seed := uint64(1); seed <= 200; seed++ {
		f, errs := parser.ParseFile("gen.ilv", []byte(specgen.Spec(seed)))
		if errs != nil {
			continue
		}
		p, errs := spec.Compile(f, spec.Options{})
		if errs != nil {
			continue
		}
		m := New(p)
		n := p.StateSize
		s := make([]byte, n)
		m.Init(s)
		queue, seen := [][]byte{s}, map[string]bool{string(s): true}
		for len(queue) > 0 && len(seen) < 2000 {
			cur := queue[0]
			queue = queue[1:]
			var out explorer.Succs
			m.Successors(cur, &out)
			if len(m.snaps) > 8 || len(m.choices) != 0 {
				t.Fatalf("seed %d: %d snapshots kept and %d choices left after a state's steps", seed, len(m.snaps), len(m.choices))
			}
			for i := range out.Info {
				next := string(out.State(i, n))
				if !seen[next] {
					seen[next] = true
					queue = append(queue, []byte(next))
				}
			}
		}
	}
}
