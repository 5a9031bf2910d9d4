// Package ast is the syntax tree of the .ilv spec language: the first stage
// of the pipeline parser -> spec/ast -> spec -> spec/machine -> explorer.
//
// Nodes are named after the grammar's productions and keep the position of
// the token that starts them. The checker never mutates the tree; what it
// learns goes into its own tables.
package ast

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a source file. Line and Col count from 1; Offset is
// the byte offset from the start of the file.
type Pos struct {
	File   string
	Line   int
	Col    int
	Offset int
}

// IsValid reports whether the position refers to a place in a file.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats the position as file:line:col.
func (p Pos) String() string {
	if !p.IsValid() {
		if p.File == "" {
			return "-"
		}
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Before reports whether p comes before q in the same file.
func (p Pos) Before(q Pos) bool {
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// An Error is a problem found in a spec, at a position.
type Error struct {
	Pos Pos
	Msg string // lowercase, no final period
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList collects the errors of a file.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: articles(fmt.Sprintf(format, args...))})
}

// AddHints adds to each error on a line of src that holds something
// written as in another language (see Hint) the hint that says how ilv
// writes it, unless the message gives one already.
func (l ErrorList) AddHints(src []byte) {
	var lines []string
	for _, e := range l {
		if !e.Pos.IsValid() || strings.HasSuffix(e.Msg, ")") {
			continue
		}
		if lines == nil {
			lines = strings.Split(string(src), "\n")
		}
		if e.Pos.Line <= len(lines) {
			if h := Hint(lines[e.Pos.Line-1]); h != "" {
				e.Msg += " (" + h + ")"
			}
		}
	}
}

// Sort orders the list by file and position, and drops exact duplicates.
func (l *ErrorList) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i].Pos, s[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Before(b)
	})
	out := s[:0]
	for i, e := range s {
		if i > 0 && e.Pos == s[i-1].Pos && e.Msg == s[i-1].Msg {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Context returns the source line of the error and a caret under its
// column, each ending in a newline, or "" when the line is not in src.
func (e *Error) Context(src []byte) string {
	if !e.Pos.IsValid() {
		return ""
	}
	lines := strings.Split(string(src), "\n")
	if e.Pos.Line > len(lines) {
		return ""
	}
	line := strings.TrimRight(lines[e.Pos.Line-1], "\r")
	if strings.TrimSpace(line) == "" || !printable(line) {
		return ""
	}
	runes := []rune(line)
	col := min(max(e.Pos.Col-1, 0), len(runes))
	// A long line is shown as a window around the column.
	const width = 100
	prefix := ""
	if len(runes) > width {
		from := max(0, min(col-width/2, len(runes)-width))
		to := min(len(runes), from+width)
		if from > 0 {
			prefix = "..."
		}
		suffix := ""
		if to < len(runes) {
			suffix = "..."
		}
		runes = []rune(prefix + string(runes[from:to]) + suffix)
		col = col - from + len(prefix)
	}
	var caret strings.Builder
	for _, r := range runes[:col] {
		if r == '\t' {
			caret.WriteByte('\t')
		} else {
			caret.WriteByte(' ')
		}
	}
	return string(runes) + "\n" + caret.String() + "^\n"
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < ' ' && r != '\t' {
			return false
		}
	}
	return true
}
