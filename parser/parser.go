// Package parser reads .ilv source into the syntax tree of spec/ast. It is
// the only package that knows the grammar library; everything after it works
// on spec/ast.
package parser

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"

	"github.com/interleave-dev/interleave/spec/ast"
)

// Keywords are reserved: they cannot name a variable, object, actor or label.
var Keywords = []string{
	"spec", "const", "enum", "var", "lock", "reentrant", "robust", "semaphore",
	"bounded", "event", "condition", "queue", "chan", "waitgroup", "reusable",
	"proc", "fn", "actor", "dormant", "daemon", "cooperative", "crashes",
	"fair", "strong", "unfair",
	"invariant", "liveness", "let", "if", "else", "loop", "while", "for", "in",
	"break", "continue", "return", "await", "atomic", "either", "or", "choose",
	"assert", "raise", "try", "catch", "finally", "progress", "label", "start",
	"cancel", "call", "select", "case", "default", "true", "false", "self",
	"bool", "always", "eventually", "timeout", "nowait", "immediate",
}

var ilvLexer = lexer.MustSimple([]lexer.SimpleRule{
	{Name: "Comment", Pattern: `//[^\n]*|/\*([^*]|\*+[^*/])*\*+/`},
	{Name: "OpenComment", Pattern: `/\*`}, // a comment that never ends
	{Name: "Whitespace", Pattern: `[ \t\r\n]+`},
	{Name: "String", Pattern: `"(\\.|[^"\\\n])*"`},
	{Name: "Int", Pattern: `[0-9]+`},
	{Name: "Keyword", Pattern: `(?:` + strings.Join(Keywords, "|") + `)\b`},
	{Name: "Ident", Pattern: `[A-Za-z_][A-Za-z0-9_]*`},
	{Name: "Op", Pattern: `->|\.\.|==|!=|<=|>=|&&|\|\||[-+*/%<>=!.,;:(){}\[\]@]`},
})

var ilvParser = participle.MustBuild[gFile](
	participle.Lexer(lineLexer{ilvLexer}),
	participle.Elide("Comment", "Whitespace"),
	participle.Map(unquote, "String"),
	// No backtracking: a syntax error points at the token that cannot
	// continue the program, not at the start of its statement.
	participle.UseLookahead(0),
)

// Limits on the input, so that no file can exhaust the parser: its size,
// and how deep brackets and prefix operators nest.
const (
	MaxSize    = 1 << 20
	maxNesting = 200
)

// ParseFile parses src as the file name. On a syntax error it returns the
// error (one; the parser does not recover) and a nil file.
func ParseFile(name string, src []byte) (*ast.File, ast.ErrorList) {
	var errs ast.ErrorList
	if len(src) > MaxSize {
		errs.Add(ast.Pos{File: name, Line: 1, Col: 1}, "the file is larger than 1 MB, the most a spec may be")
		return nil, errs
	}
	if pos, ok := binary(src); !ok {
		pos.File = name
		errs.Add(pos, "not a spec file: it contains binary data")
		return nil, errs
	}
	if pos, ok := nesting(src); !ok {
		pos.File = name
		errs.Add(pos, "brackets or prefix operators nested more than %d deep", maxNesting)
		return nil, errs
	}
	g, err := parseBytes(name, src)
	if err != nil {
		errs = append(errs, syntaxError(name, src, err))
		errs.AddHints(src)
		return nil, errs
	}
	c := converter{file: name, src: src}
	f := c.file_(g)
	f.Src = src
	return f, c.errs
}

// parseBytes runs the grammar; a panic inside the grammar library is turned
// into an error at the start of the file, so bad input never crashes verify.
func parseBytes(name string, src []byte) (g *gFile, err error) {
	defer func() {
		if r := recover(); r != nil {
			g, err = nil, &participle.ParseError{Msg: fmt.Sprintf("cannot parse this file (%v)", r),
				Pos: lexer.Position{Filename: name, Line: 1, Column: 1}}
		}
	}()
	return ilvParser.ParseBytes(name, src)
}

// binary reports whether src is text; if not, it returns where the first
// byte that is not text stands.
func binary(src []byte) (ast.Pos, bool) {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == 0 || (r == utf8.RuneError && size == 1) {
			return ast.Pos{Line: line, Col: col, Offset: i}, false
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return ast.Pos{}, true
}

// nesting reports whether brackets and runs of prefix operators (! and -)
// nest at most maxNesting deep outside strings and comments; if not, it
// returns where they pass the limit.
func nesting(src []byte) (ast.Pos, bool) {
	depth, run := 0, 0
	line, lineStart := 1, 0
	at := func(i int) ast.Pos { return ast.Pos{Line: line, Col: utf8.RuneCount(src[lineStart:i]) + 1, Offset: i} }
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			line, lineStart = line+1, i+1
		case c == '"':
			for i++; i < len(src) && src[i] != '"' && src[i] != '\n'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
			if i < len(src) && src[i] == '\n' {
				i--
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			for i += 2; i+1 < len(src) && !(src[i] == '*' && src[i+1] == '/'); i++ {
				if src[i] == '\n' {
					line, lineStart = line+1, i+1
				}
			}
			i++
		case c == '(' || c == '[' || c == '{':
			depth++
			if depth > maxNesting {
				return at(i), false
			}
		case c == ')' || c == ']' || c == '}':
			depth--
		case c == '!' || c == '-':
			if run++; run > maxNesting {
				return at(i), false
			}
			continue
		case c == ' ' || c == '\t' || c == '\r':
			continue
		}
		run = 0
	}
	return ast.Pos{}, true
}

// unquote turns a string token into its value, in one pass: \n, \t, \\ and
// \" are escapes; a backslash before any other character keeps it.
func unquote(t lexer.Token) (lexer.Token, error) {
	v := t.Value[1 : len(t.Value)-1]
	if !strings.Contains(v, "\\") {
		t.Value = v
		return t, nil
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' && i+1 < len(v) {
			i++
			switch c = v[i]; c {
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			}
		}
		b.WriteByte(c)
	}
	t.Value = b.String()
	return t, nil
}

func syntaxError(name string, src []byte, err error) *ast.Error {
	var perr participle.Error
	if !errors.As(err, &perr) {
		return &ast.Error{Pos: ast.Pos{File: name, Line: 1, Col: 1}, Msg: err.Error()}
	}
	p := perr.Position()
	pos := ast.Pos{File: name, Line: p.Line, Col: p.Column, Offset: p.Offset}
	var lerr *lexer.Error
	if errors.As(err, &lerr) {
		return &ast.Error{Pos: pos, Msg: lexMessage(src, p.Offset)}
	}
	var uerr *participle.UnexpectedTokenError
	if errors.As(err, &uerr) {
		return &ast.Error{Pos: pos, Msg: unexpected(uerr)}
	}
	return &ast.Error{Pos: pos, Msg: perr.Message()}
}

func lexMessage(src []byte, off int) string {
	rest := src[min(off, len(src)):]
	switch {
	case bytes.HasPrefix(rest, []byte("/*")):
		return "comment not terminated"
	case bytes.HasPrefix(rest, []byte(`"`)):
		return "string not terminated"
	}
	r, _ := utf8.DecodeRune(rest)
	return fmt.Sprintf("unexpected character %q", r)
}

func unexpected(e *participle.UnexpectedTokenError) string {
	tok := e.Unexpected
	switch {
	case tok.EOF():
		return "unexpected end of file" + expectation(e)
	case tok.Value == "/*":
		return "comment not terminated"
	case isKeyword(tok.Value):
		return fmt.Sprintf("unexpected keyword %s", tok.Value) + expectation(e)
	}
	return fmt.Sprintf("unexpected %q", tok.Value) + expectation(e)
}

func isKeyword(s string) bool {
	for _, k := range Keywords {
		if k == s {
			return true
		}
	}
	return false
}

// expectNames says in words what the grammar structs stand for.
var expectNames = map[string]string{
	"GIdent": "a name", "GTok": `"}"`, "GExpr": "an expression", "GAdd": "an expression",
	"GType": "a type", "GBlock": `"{"`, "GStmt": "a statement", "GDecl": "a declaration",
	"GParam": "a parameter", "GCase": "case or default", "GPostfix": "an actor",
	"GArrowTok": `"->"`, "GQuant": "an expression", "GLet": "let",
}

// expectation turns participle's expectation, the grammar that could have
// followed, into a few words: only its first element is kept.
func expectation(e *participle.UnexpectedTokenError) string {
	m := e.Message()
	i := strings.Index(m, " (expected ")
	if i < 0 {
		return ""
	}
	exp := strings.TrimSuffix(m[i+len(" (expected "):], ")")
	first, _, _ := strings.Cut(exp, " ")
	if w, ok := expectNames[first]; ok {
		return ", expected " + w
	}
	if strings.HasPrefix(first, `"`) && strings.HasSuffix(first, `"`) && len(first) <= 6 {
		return ", expected " + first
	}
	return ""
}

// lineLexer makes two places of the grammar line-sensitive, where a
// newline-free grammar would read on into the next line:
//   - a "[" that begins a line becomes LineBracket, so that `[N] lock fork`
//     after a declaration ending in an expression starts a declaration
//     instead of indexing that expression (the grammar indexes only with a
//     "[" of type Op);
//   - a name on the line of `raise` becomes RaiseName, the only token the
//     grammar takes as the error raised, so that a bare `raise` (re-raise)
//     is not taken to raise the name that starts the next statement.
type lineLexer struct{ def *lexer.StatefulDefinition }

const (
	lineBracket lexer.TokenType = -100
	raiseName   lexer.TokenType = -101
)

func (d lineLexer) Symbols() map[string]lexer.TokenType {
	m := make(map[string]lexer.TokenType)
	for k, v := range d.def.Symbols() {
		m[k] = v
	}
	m["LineBracket"] = lineBracket
	m["RaiseName"] = raiseName
	return m
}

func (d lineLexer) Lex(name string, r io.Reader) (lexer.Lexer, error) {
	l, err := d.def.Lex(name, r)
	if err != nil {
		return nil, err
	}
	syms := d.def.Symbols()
	return &lineBracketLexer{l: l, op: syms["Op"], ident: syms["Ident"], ws: syms["Whitespace"], comment: syms["Comment"]}, nil
}

type lineBracketLexer struct {
	l                      lexer.Lexer
	op, ident, ws, comment lexer.TokenType
	lastLine               int    // the line on which the last significant token ended
	last                   string // the last significant token
}

func (b *lineBracketLexer) Next() (lexer.Token, error) {
	t, err := b.l.Next()
	if err != nil || t.Type == b.ws || t.Type == b.comment {
		return t, err
	}
	newLine := t.Pos.Line > b.lastLine && b.lastLine > 0
	switch {
	case newLine && t.Type == b.op && t.Value == "[":
		t.Type = lineBracket
	case !newLine && t.Type == b.ident && b.last == "raise":
		t.Type = raiseName
	}
	b.lastLine = t.Pos.Line + strings.Count(t.Value, "\n")
	b.last = t.Value
	return t, nil
}
