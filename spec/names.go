package spec

import (
	"sort"

	"github.com/interleave-dev/interleave/spec/ast"
)

// undefined reports an unknown name, with the nearest known name when one
// is close enough to be a typo.
func (c *checker) undefined(id *ast.Ident, candidates []string) {
	if alt := c.suggest(id.Name, candidates); alt != "" {
		c.errorf(id.NamePos, "undefined: %s (did you mean %s?)", id.Name, alt)
		return
	}
	c.errorf(id.NamePos, "undefined: %s", id.Name)
}

// suggest returns the candidate nearest to name by edit distance, if it is
// within a third of the name's length (at least 1, at most 3 edits).
func (c *checker) suggest(name string, candidates []string) string {
	if len(name) < 3 {
		return "" // every short name is near some other
	}
	limit := min(max(len(name)/3, 1), 3)
	best, bestD := "", limit+1
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	for _, cand := range sorted {
		if cand == name {
			continue
		}
		if d := editDistance(name, cand); d < bestD {
			best, bestD = cand, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance, counting a swap of two adjacent
// letters as one edit.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// visibleNames lists every name an expression could mean in env.
func (c *checker) visibleNames(e *env) []string {
	var out []string
	for _, s := range c.order {
		out = append(out, s.name)
	}
	for sc := e.scope; sc != nil; sc = sc.parent {
		for n := range sc.names {
			out = append(out, n)
		}
	}
	out = append(out, e.quants...)
	for n := range e.params {
		out = append(out, n)
	}
	return out
}
