package ast

import (
	"regexp"
	"strings"
)

// A foreign idiom is something people type from Go, Python or Java, and
// the one-line hint that says how ilv writes it.
type foreign struct {
	rx   *regexp.Regexp
	hint string
}

var foreignIdioms = []foreign{
	{regexp.MustCompile(`\bcase\s+\w+(\s*,\s*\w+)?\s*:?=\s*<-`), "Go's case v := <-c is case let v = c.recv(): in ilv"},
	{regexp.MustCompile(`\w(\[[^\]]*\])?\s*<-`), "ilv has no <- operator: send with c.send(v)"},
	{regexp.MustCompile(`<-\s*\w`), "ilv has no <- operator: receive with let v = c.recv()"},
	{regexp.MustCompile(`:=`), "ilv declares a local with let: let x = e"},
	{regexp.MustCompile(`\w(\[[^\]]*\])?\s*\+\+`), "ilv has no ++: write n = n + 1"},
	{regexp.MustCompile(`\w(\[[^\]]*\])?\s*--`), "ilv has no --: write n = n - 1"},
	{regexp.MustCompile(`\w(\[[^\]]*\])?\s*([-+*/%])=`), "ilv has no compound assignment: write n = n + 1"},
	{regexp.MustCompile(`(^|[{;])\s*go\s+\w+\s*\(`), "ilv has no go statement: declare the goroutine as a dormant actor and start it with start A"},
	{regexp.MustCompile(`(^|[{;])\s*spawn\s+\w`), "ilv starts an actor with start A; declare it dormant to start it later"},
	{regexp.MustCompile(`(^|[{;])\s*with\s+[\w.\[\]]+\s*:`), "ilv has no with: write m.acquire() ... m.release(), in try/finally to release on errors"},
	{regexp.MustCompile(`\bsynchronized\b`), "ilv has no synchronized: write m.acquire() ... m.release(), in try/finally to release on errors"},
	{regexp.MustCompile(`immediate\s*=\s*True`), "write q.shutdown(immediate)"},
	{regexp.MustCompile(`\b(nowait|timeout)\s*=`), "modes are words, not keyword arguments: m.acquire(nowait), m.acquire(timeout)"},
	{regexp.MustCompile(`\b(True|False)\b`), "ilv writes booleans true and false"},
	{regexp.MustCompile(`\b(None|nil|null)\b`), "ilv has no null value: every variable has a value, false, 0 or the first member"},
	{regexp.MustCompile(`\.(lock|unlock)\(\)`), "a lock's operations are m.acquire() and m.release()"},
	{regexp.MustCompile(`:\s*int\b|\bint\s+\w+\s*=`), "ilv has no int type: give a range, x: 0..9; an int variable without one is 0..255"},
	{regexp.MustCompile(`(^|[{;])\s*if\b.*\bthen\b`), "ilv writes if c { ... }, without then"},
}

// Hint returns a one-line hint when line holds something written as in
// Go, Python or Java (x := e, c <- v, n++, with m:, True), or "".
func Hint(line string) string {
	if i := strings.Index(line, "//"); i >= 0 {
		line = line[:i]
	}
	for _, f := range foreignIdioms {
		if f.rx.MatchString(line) {
			return f.hint
		}
	}
	return ""
}

// vowelArticle finds "a" before a word that takes "an".
var vowelArticle = regexp.MustCompile(`\ba ([aeiouAEIOU])`)

// articles writes "an" before a vowel outside quoted text: "a int" is
// "an int", "a actor" is "an actor".
func articles(msg string) string {
	parts := strings.Split(msg, `"`)
	for i := 0; i < len(parts); i += 2 {
		parts[i] = vowelArticle.ReplaceAllString(parts[i], "an $1")
	}
	return strings.Join(parts, `"`)
}
