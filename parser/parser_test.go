package parser

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interleave-dev/interleave/spec/ast"
)

// TestSyntaxErrorPositions pins where syntax errors point: at the token
// that cannot continue the program, not at the start of its statement.
func TestSyntaxErrorPositions(t *testing.T) {
	tests := []struct {
		src  string
		pos  string // line:col
		want string // part of the message
	}{
		{"actor A {\n    let x\n}\n", "3:1", `unexpected "}", expected "="`},
		{"actor A {\n    m.acquire(\n}\n", "3:1", `unexpected "}"`},
		{"var x: 0..3 = = 1\n", "1:15", "expected an expression"},
		{"actor A {\n", "2:1", "unexpected end of file"},
		{"actor A { await }\n", "1:17", `unexpected "}"`},
		{"actor A[ { }\n", "1:10", `unexpected "{"`},
		{"var loop = 1\n", "1:5", "unexpected keyword loop"},
		{"actor A { x = 1 $ }\n", "1:17", "unexpected character '$'"},
		{"actor A { }\n/* open\n", "2:1", "comment not terminated"},
		{"actor A { assert true, \"open\n}\n", "1:24", "string not terminated"},
		{"enum E { }\n", "1:10", `unexpected "}"`},
		{"actor A { if x { } else y }\n", "1:25", "unexpected"},
		{"queue q[2]: \nactor A { }\n", "2:1", "unexpected keyword actor"},
	}
	for _, tt := range tests {
		_, errs := ParseFile("f.ilv", []byte(tt.src))
		if len(errs) != 1 {
			t.Errorf("%q: got %d errors %v, want 1", tt.src, len(errs), errs)
			continue
		}
		e := errs[0]
		got := e.Pos.String()
		if got != "f.ilv:"+tt.pos || !strings.Contains(e.Msg, tt.want) {
			t.Errorf("%q: got %s: %s\nwant f.ilv:%s: ...%s...", tt.src, got, e.Msg, tt.pos, tt.want)
		}
	}
}

// TestLineSensitive checks the two places where a line break matters.
func TestLineSensitive(t *testing.T) {
	src := "const N = 2\n[N] lock fork\nactor A {\n    try { raise E } catch E {\n        raise\n        fork[0].release()\n    }\n}\n"
	f, errs := ParseFile("f.ilv", []byte(src))
	if errs != nil {
		t.Fatal(errs)
	}
	if len(f.Decls) != 3 {
		t.Fatalf("got %d declarations, want 3: [N] must start a declaration", len(f.Decls))
	}
	if c, ok := f.Decls[0].(*ast.ConstDecl); !ok || c.Value.(*ast.IntLit).Value != 2 {
		t.Errorf("const N: got %#v", f.Decls[0])
	}
	a := f.Decls[2].(*ast.ActorDecl)
	try := a.Body.Stmts[0].(*ast.TryStmt)
	catch := try.Catches[0].Body.Stmts
	if len(catch) != 2 {
		t.Fatalf("catch body has %d statements, want 2 (a bare raise, then a call)", len(catch))
	}
	if r := catch[0].(*ast.RaiseStmt); r.Name != nil {
		t.Errorf("bare raise took the next line's name %s", r.Name.Name)
	}
}

// TestPositionsAndSpans checks positions kept on nodes and statement spans.
func TestPositionsAndSpans(t *testing.T) {
	src := "var n: 0..3 = 0\nactor A {\n    n = n + 1;\n    await n == 1 && true\n}\n"
	f, errs := ParseFile("f.ilv", []byte(src))
	if errs != nil {
		t.Fatal(errs)
	}
	body := f.Decls[1].(*ast.ActorDecl).Body
	as := body.Stmts[0].(*ast.AssignStmt)
	if got := string(src[as.Pos().Offset:as.End().Offset]); got != "n = n + 1;" {
		t.Errorf("assignment span %q", got)
	}
	bin := as.Value.(*ast.BinaryExpr)
	if bin.OpPos.Line != 3 || bin.OpPos.Col != 11 {
		t.Errorf("+ at %v, want 3:11", bin.OpPos)
	}
	aw := body.Stmts[1].(*ast.AwaitStmt)
	and := aw.Cond.(*ast.BinaryExpr)
	if and.Op != "&&" || and.X.(*ast.BinaryExpr).Op != "==" {
		t.Errorf("precedence: got %s over %s", and.Op, and.X.(*ast.BinaryExpr).Op)
	}
	if body.Rbrace.Line != 5 || body.Rbrace.Col != 1 {
		t.Errorf("closing brace at %v", body.Rbrace)
	}
}

func TestBinaryInput(t *testing.T) {
	_, errs := ParseFile("b.ilv", []byte("actor A {\n\x00}"))
	if len(errs) != 1 || errs[0].Pos.Line != 2 || !strings.Contains(errs[0].Msg, "binary") {
		t.Errorf("got %v", errs)
	}
}

// TestParseModels parses every bundled spec.
func TestParseModels(t *testing.T) {
	files, _ := filepath.Glob("../models/*.ilv")
	more, _ := filepath.Glob("../models/anchors/*.ilv")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("found only %d models", len(files))
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, errs := ParseFile(file, src); errs != nil {
			t.Errorf("%s: %v", file, errs)
		}
	}
}

// TestInputLimits: a file too large, brackets or prefix operators nested
// too deep are one positioned error each, not a crash or a long wait.
func TestInputLimits(t *testing.T) {
	tests := []struct {
		name, src, pos, want string
	}{
		{"too large", "actor A { }\n" + strings.Repeat("// padding\n", MaxSize/11+1), "1:1", "larger than 1 MB"},
		{"parentheses", "var x: 0..1 = 0\nactor A { x = " + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + " }\n", "2:214", "nested more than 200 deep"}, // the body's brace counts too
		{"braces", "actor A " + strings.Repeat("{ ", 300) + strings.Repeat("} ", 300), "1:409", "nested more than 200 deep"},
		{"negations", "var x: bool\nactor A { x = " + strings.Repeat("! ", 300) + "true }\n", "2:415", "nested more than 200 deep"},
	}
	for _, tt := range tests {
		_, errs := ParseFile("f.ilv", []byte(tt.src))
		if len(errs) != 1 {
			t.Errorf("%s: got %d errors %v, want 1", tt.name, len(errs), errs)
			continue
		}
		e := errs[0]
		if got := e.Pos.String(); got != "f.ilv:"+tt.pos || !strings.Contains(e.Msg, tt.want) {
			t.Errorf("%s: got %s: %s, want %s: ...%s...", tt.name, got, e.Msg, tt.pos, tt.want)
		}
	}
	// Within the limits: nesting inside strings and comments does not count,
	// and a string of most of a megabyte is read whole.
	long := strings.Repeat("(", 500)
	src := "// " + long + "\n/* " + long + " */\nactor A { assert true, \"" + long + strings.Repeat("x", 900000) + "\\\"\\n\" }\n"
	f, errs := ParseFile("f.ilv", []byte(src))
	if errs != nil {
		t.Fatalf("%v", errs)
	}
	msg := f.Decls[0].(*ast.ActorDecl).Body.Stmts[0].(*ast.AssertStmt).Msg
	if want := long + strings.Repeat("x", 900000) + "\"\n"; msg != want {
		t.Errorf("the string was read as %d bytes, want %d", len(msg), len(want))
	}
}

// sexpr prints an expression with its structure made explicit.
func sexpr(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.UnaryExpr:
		return "(" + e.Op + " " + sexpr(e.X) + ")"
	case *ast.BinaryExpr:
		return "(" + sexpr(e.X) + " " + e.Op + " " + sexpr(e.Y) + ")"
	case *ast.Ident:
		return e.Name
	case *ast.IntLit:
		return fmt.Sprint(e.Value)
	case *ast.ProgressExpr:
		return "progress"
	}
	return fmt.Sprintf("%T", e)
}

// TestTemporalPrecedence: always and eventually bind looser than
// comparisons and boolean operators.
func TestTemporalPrecedence(t *testing.T) {
	tests := map[string]string{
		"eventually x == 1":                    "(eventually (x == 1))",
		"always x == 0 -> eventually x == 1":   "(always ((x == 0) -> (eventually (x == 1))))",
		"always (x == 0 -> eventually x == 1)": "(always ((x == 0) -> (eventually (x == 1))))",
		"(always x) -> y":                      "((always x) -> y)",
		"x && eventually y || z":               "(x && (eventually (y || z)))",
		"always eventually progress":           "(always (eventually progress))",
		"!x == 1 && y":                         "(((! x) == 1) && y)",
	}
	for src, want := range tests {
		f, errs := ParseFile("f.ilv", []byte("liveness l { "+src+" }\n"))
		if errs != nil {
			t.Errorf("%s: %v", src, errs)
			continue
		}
		if got := sexpr(f.Decls[0].(*ast.LivenessDecl).Formula); got != want {
			t.Errorf("%s: parsed as %s, want %s", src, got, want)
		}
	}
}
