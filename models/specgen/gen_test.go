package specgen

import (
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
)

// TestEveryConstruct: the generated specs compile, and among a few hundred
// of them every construct the differential test must see appears, in
// specs of both kinds (anything may go wrong; deadlocks only).
func TestEveryConstruct(t *testing.T) {
	constructs := []string{
		"cv.wait()", "cv.notify()", "cv.notify_all()", "cv.wait(timeout)",
		"wg.add(", "wg.done()", "wg.wait()", "rw.add(", "rw.wait()",
		"select {", "default:", "case let", ".send(", ".recv()", "c.close()", "u.close()",
		" crashes ", "rl.acquire()", "cancel ", " dormant", "start ", " cooperative", " daemon",
		"try {", "catch Oops", "catch any", "finally {", "raise Oops", "call bump(", "call crit(",
		"f[", "ch[", "r.acquire()", "bs.acquire()", "e.wait(timeout)", "s.acquire(timeout)",
		"q.put(", "q.get(nowait)", "q.close()", "atomic {", "either {", "choose ", "for i",
		"while ", "loop {", "break", "label mark:", "@mark", "invariant ", "assert ",
		"k.acquire(nowait)", "while x == 0 { }",
	}
	seen := map[string][2]bool{}
	for seed := uint64(0); seed < 600; seed++ {
		src := Spec(seed)
		f, errs := parser.ParseFile("gen.ilv", []byte(src))
		if errs != nil {
			t.Fatalf("seed %d: %v\n%s", seed, errs, src)
		}
		if _, errs := spec.Compile(f, spec.Options{}); errs != nil {
			t.Fatalf("seed %d: %v\n%s", seed, errs, src)
		}
		pure := seed%3 == 0
		for _, c := range constructs {
			if strings.Contains(src, c) {
				s := seen[c]
				if pure {
					s[1] = true
				} else {
					s[0] = true
				}
				seen[c] = s
			}
		}
	}
	for _, c := range constructs {
		if !seen[c][0] {
			t.Errorf("no generated spec has %q", c)
		}
	}
	for _, c := range []string{"cv.wait()", "rw.wait()", "select {", "default:", " crashes ", " cooperative", "call crit(", "k.acquire(nowait)", "either {"} {
		if !seen[c][1] {
			t.Errorf("no deadlock-only spec has %q", c)
		}
	}
}
