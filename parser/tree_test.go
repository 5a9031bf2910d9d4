package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/spec/ast"
)

// specFiles lists the bundled specs: the models, the anchors and the
// regression specs.
func specFiles(t *testing.T) []string {
	var files []string
	for _, pat := range []string{"../models/*.ilv", "../models/anchors/*.ilv", "../models/testdata/regressions/*.ilv"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d specs", len(files))
	}
	return files
}

// TestExpressionExtents: in every bundled spec, and in a spec of
// parenthesised expressions, each expression's text Src[Start:End] is
// whole: it neither starts nor ends in space, its parentheses balance, it
// lies within its parent's, and a name's text is the name.
func TestExpressionExtents(t *testing.T) {
	srcs := map[string][]byte{"parens.ilv": []byte("var a: 0..9 = 0\nvar b: 0..9 = 0\n" +
		"invariant p { (a + b) * (a - (b)) < 3 && !(a == 1) }\n" +
		"actor A { let x = ((a)); b = (x + 1) % (f(a, (b))); assert (a) > 0 }\n")}
	for _, name := range specFiles(t) {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		srcs[name] = src
	}
	for name, src := range srcs {
		f, errs := ParseFile(name, src)
		if errs != nil {
			t.Fatalf("%s: %v", name, errs)
		}
		exprs := 0
		var check func(e ast.Expr, from, to int)
		check = func(e ast.Expr, from, to int) {
			exprs++
			checkExtent(t, name, src, e, from, to)
			ast.Inspect(e, func(n ast.Node) bool {
				if c, ok := n.(ast.Expr); ok && n != e {
					check(c, e.Start().Offset, e.End().Offset)
					return false
				}
				return true
			})
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok {
				check(e, 0, len(src))
				return false
			}
			return true
		})
		if exprs < 10 {
			t.Errorf("%s: only %d expressions visited", name, exprs)
		}
	}
}

// checkExtent checks the text of one expression, which must lie in
// src[from:to].
func checkExtent(t *testing.T, name string, src []byte, e ast.Expr, from, to int) {
	t.Helper()
	p, end := e.Start().Offset, e.End().Offset
	at := fmt.Sprintf("%s:%d:%d: %T", name, e.Pos().Line, e.Pos().Col, e)
	if p >= end || p < from || end > to {
		t.Errorf("%s spans %d..%d, outside %d..%d", at, p, end, from, to)
		return
	}
	text := string(src[p:end])
	if strings.TrimSpace(text) != text || e.Pos().Offset < p || e.Pos().Offset >= end {
		t.Errorf("%s: text %q, message at %d", at, text, e.Pos().Offset)
	}
	depth := 0
	for _, r := range text {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		}
		if depth < 0 {
			break
		}
	}
	if depth != 0 {
		t.Errorf("%s: parentheses of %q do not balance", at, text)
	}
	if id, ok := e.(*ast.Ident); ok && strings.Trim(text, "( )") != id.Name {
		t.Errorf("%s: name %s has text %q", at, id.Name, text)
	}
}
