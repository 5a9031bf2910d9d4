package spec

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/interleave-dev/interleave/spec/ast"
)

// Options are the inputs of Compile besides the file.
type Options struct {
	// Set overrides constants: name -> value as written (an integer, true
	// or false). Naming a constant the spec does not declare is an error.
	Set map[string]string
	// SetElsewhere: a name in Set that the spec does not declare is no
	// error (several files are verified, and another declares it).
	SetElsewhere bool
	// Only names the properties to check (OnlySafety: every invariant);
	// empty checks them all. The others are listed in Program.LeftOut.
	Only []string
}

// maxErrors is how many errors Compile reports for one file.
const maxErrors = 20

// Limits that keep every spec finite and its state small.
const (
	maxArray    = 256 // elements of an array, objects of an array of objects
	maxInstance = 64  // instances of one actor
	maxActors   = 250 // actor instances in all (lock owners are stored in a byte)
	maxCap      = 64  // capacity of a queue or channel
	maxRange    = 1 << 20
)

// Compile checks a parsed file and lowers it to a Program. It reports every
// error it finds, up to 20, sorted by position.
func Compile(f *ast.File, opts Options) (*Program, ast.ErrorList) {
	c := &checker{
		file:  f,
		names: make(map[string]*symbol),
		errID: make(map[string]int),
		prog:  &Program{File: f.Name, Src: f.Src},
	}
	c.prog.Name = strings.TrimSuffix(filepath.Base(f.Name), filepath.Ext(f.Name))
	if f.Spec != nil {
		c.prog.Name = f.Spec.Name
	}
	for _, e := range builtinErrors {
		c.errorID(e)
	}
	c.run(opts)
	c.errs.Sort()
	c.errs.AddHints(f.Src)
	if len(c.errs) > maxErrors {
		c.errs = c.errs[:maxErrors]
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return c.prog, nil
}

type symKind uint8

const (
	symConst symKind = iota
	symEnum
	symMember
	symVar
	symObject
	symActor
	symProc
	symFn
	symProperty
)

var symKindNames = [...]string{"constant", "enum", "enum member", "variable", "object", "actor", "proc", "fn", "property"}

// symbol is a top-level name.
type symbol struct {
	kind   symKind
	name   string
	pos    ast.Pos
	cdecl  *ast.ConstDecl
	cstate uint8 // constant evaluation: 0 todo, 1 in progress, 2 done
	konst  *Const
	enum   *Enum
	member int
	v      *Var
	group  *Group
	actor  *ActorType
	adecl  *ast.ActorDecl
	proc   *ast.ProcDecl
	fn     *ast.FnDecl
	odecl  *ast.ObjectDecl
}

type checker struct {
	file   *ast.File
	prog   *Program
	errs   ast.ErrorList
	names  map[string]*symbol
	order  []*symbol
	errID  map[string]int
	labels []labelRef // @label uses, resolved after lowering
	inits  []varInit  // initial values of global variables
	elems  map[elemKey]*Group
	// statusReads lists the actor locations read by status predicates
	// (A.done, A.alive, ...), as opposed to labels.
	statusReads []int
	// fnExpansions counts the expansions of fns, which are bounded.
	fnExpansions int
}

type varInit struct {
	v   *Var
	val int
}

func (c *checker) errorf(pos ast.Pos, format string, args ...any) {
	pos.File = c.file.Name
	c.errs.Add(pos, format, args...)
}

// Error ids and the pending exits of a finally share one byte of an
// actor's locals (see pendingExit0): at most maxErrorNames error names,
// at most maxExits exits through one finally.
const (
	maxErrorNames = 200
	maxExits      = 50
)

// errorIDAt is errorID for a name written at pos, which reports the name
// past the limit.
func (c *checker) errorIDAt(id *ast.Ident) int {
	if _, ok := c.errID[id.Name]; !ok && len(c.prog.Errors) == maxErrorNames {
		c.errorf(id.NamePos, "error %s is one name too many: a spec may use at most %d error names, the builtin ones included", id.Name, maxErrorNames)
		return 0
	}
	return c.errorID(id.Name)
}

// errorID returns the id of the named error, adding it if it is new.
func (c *checker) errorID(name string) int {
	if id, ok := c.errID[name]; ok {
		return id
	}
	c.prog.Errors = append(c.prog.Errors, name)
	id := len(c.prog.Errors)
	c.errID[name] = id
	return id
}

func (c *checker) run(opts Options) {
	c.declare()
	c.applyOverrides(opts.Set, opts.SetElsewhere)
	for _, s := range c.order {
		if s.kind == symConst {
			c.prog.Consts = append(c.prog.Consts, c.constValue(s))
		}
	}
	c.declareVars()
	c.declareObjects()
	c.declareActors()
	if len(c.prog.Types) == 0 && len(c.errs) == 0 {
		c.errorf(ast.Pos{Line: 1, Col: 1}, "spec declares no actor: nothing to run")
	}
	c.layoutGlobals()
	for _, at := range c.prog.Types {
		c.lowerActor(at)
	}
	c.checkProperties(opts.Only)
	c.resolveLabels()
	if len(c.errs) > 0 {
		return
	}
	c.layoutActors()
	c.buildInit()
}

// declare enters every top-level name, reporting duplicates.
func (c *checker) declare() {
	add := func(s *symbol) {
		if old, ok := c.names[s.name]; ok {
			c.errorf(s.pos, "%s redeclared (first declared at line %d)", s.name, old.pos.Line)
			return
		}
		c.names[s.name] = s
		c.order = append(c.order, s)
	}
	for _, d := range c.file.Decls {
		switch d := d.(type) {
		case *ast.ConstDecl:
			add(&symbol{kind: symConst, name: d.Name.Name, pos: d.Name.NamePos, cdecl: d})
		case *ast.EnumDecl:
			e := &Enum{Name: d.Name.Name}
			c.prog.Enums = append(c.prog.Enums, e)
			add(&symbol{kind: symEnum, name: e.Name, pos: d.Name.NamePos, enum: e})
			for i, m := range d.Members {
				e.Members = append(e.Members, m.Name)
				add(&symbol{kind: symMember, name: m.Name, pos: m.NamePos, enum: e, member: i})
			}
		case *ast.VarDecl:
			add(&symbol{kind: symVar, name: d.Name.Name, pos: d.Name.NamePos})
		case *ast.ObjectDecl:
			add(&symbol{kind: symObject, name: d.Name.Name, pos: d.Name.NamePos, odecl: d})
		case *ast.ProcDecl:
			add(&symbol{kind: symProc, name: d.Name.Name, pos: d.Name.NamePos, proc: d})
		case *ast.FnDecl:
			add(&symbol{kind: symFn, name: d.Name.Name, pos: d.Name.NamePos, fn: d})
		case *ast.ActorDecl:
			add(&symbol{kind: symActor, name: d.Name.Name, pos: d.Name.NamePos, adecl: d})
		case *ast.InvariantDecl:
			add(&symbol{kind: symProperty, name: d.Name.Name, pos: d.Name.NamePos})
		case *ast.LivenessDecl:
			add(&symbol{kind: symProperty, name: d.Name.Name, pos: d.Name.NamePos})
		}
	}
}

// maxLiteral is the largest integer literal (the parser's limit).
const maxLiteral = 1 << 30

// isInteger reports whether s is written as an integer (an optional sign
// and digits), whether or not it fits.
func isInteger(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// suggestConst finds a constant near name: the usual edit distance, or the
// same letters in another case for a short name (n for N).
func (c *checker) suggestConst(name string) string {
	names := c.constNames()
	if alt := c.suggest(name, names); alt != "" {
		return alt
	}
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	if len(name) <= 3 {
		for _, n := range names {
			if editDistance(n, name) == 1 {
				return n
			}
		}
	}
	return ""
}

// applyOverrides applies --set; with lenient, a name the spec does not
// declare is left to the other files of the run.
func (c *checker) applyOverrides(set map[string]string, lenient bool) {
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	at := ast.Pos{}
	for _, n := range names {
		s := c.names[n]
		if s == nil || s.kind != symConst {
			if lenient {
				continue // another file of the run declares it
			}
			msg := fmt.Sprintf("--set %s: the spec declares no constant %s", n, n)
			if alt := c.suggestConst(n); alt != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", alt)
			}
			c.errorf(at, "%s", msg)
			continue
		}
		v, t, msg := overrideValue(set[n])
		if msg != "" {
			c.errorf(at, "--set %s=%s: %s", n, set[n], msg)
			continue
		}
		s.konst = &Const{Name: n, Value: v, Type: t, Override: true}
		s.cstate = 3
	}
}

// overrideValue reads the value of a --set: an integer, true or false;
// msg says why it is none.
func overrideValue(val string) (v int, t *Type, msg string) {
	switch val {
	case "true", "false":
		return boolInt(val == "true"), boolType, ""
	}
	x, err := strconv.Atoi(val)
	switch {
	case err != nil && !isInteger(val):
		return 0, nil, "the value must be an integer, true or false"
	case err != nil || x < -maxLiteral || x > maxLiteral:
		return 0, nil, "the value must be between -1073741824 and 1073741824, as a literal in a spec"
	}
	return x, intType, ""
}

func (c *checker) constNames() []string {
	var out []string
	for _, s := range c.order {
		if s.kind == symConst {
			out = append(out, s.name)
		}
	}
	return out
}

// constValue evaluates a constant declaration, once.
func (c *checker) constValue(s *symbol) *Const {
	switch s.cstate {
	case 0:
		s.cstate = 1
		v, t, ok := c.constExpr(s.cdecl.Value)
		if !ok {
			t = intType
		}
		if s.cstate == 1 {
			s.konst = &Const{Name: s.name, Value: v, Type: t}
			s.cstate = 2
		}
	case 1:
		c.errorf(s.pos, "constant %s is defined in terms of itself", s.name)
		s.konst = &Const{Name: s.name, Type: intType}
		s.cstate = 2
	case 3: // overridden: the new value must be of the declared kind
		s.cstate = 2
		if v, t, ok := c.constExpr(s.cdecl.Value); ok && t.Kind != s.konst.Type.Kind {
			c.errorf(s.pos, "--set %s=%s: %s is %s constant", s.name, s.konst.Type.Format(s.konst.Value), s.name, kindWord(t))
			// One error: the spec goes on with the value it declares.
			s.konst = &Const{Name: s.name, Value: v, Type: t}
		}
	}
	return s.konst
}

// constExpr evaluates an expression that must be constant: built from
// literals, constants, enum members and operators.
func (c *checker) constExpr(e ast.Expr) (int, *Type, bool) {
	x := c.expr(e, &env{konstOnly: true})
	if x == nil {
		return 0, intType, false
	}
	if !x.konst {
		c.errorf(e.Pos(), "not a constant expression")
		return 0, x.t, false
	}
	return x.val, x.t, true
}

// constInt evaluates a constant int expression within lo..hi.
func (c *checker) constInt(e ast.Expr, what string, lo, hi int) (int, bool) {
	v, t, ok := c.constExpr(e)
	if !ok {
		return lo, false
	}
	if t.Kind != TInt {
		c.errorf(e.Pos(), "%s must be an integer, not %s", what, t)
		return lo, false
	}
	if v < lo || v > hi {
		c.errorf(e.Pos(), "%s is %d; it must be in %d..%d", what, v, lo, hi)
		return lo, false
	}
	return v, true
}

// typ resolves a written type.
func (c *checker) typ(t ast.Type) *Type {
	switch t := t.(type) {
	case *ast.BoolType:
		return boolType
	case *ast.RangeType:
		lo, ok1 := c.constInt(t.Lo, "the range's lower bound", -maxRange, maxRange)
		hi, ok2 := c.constInt(t.Hi, "the range's upper bound", -maxRange, maxRange)
		if ok1 && ok2 && lo > hi {
			c.errorf(t.Lo.Pos(), "empty range %d..%d", lo, hi)
			return &Type{Kind: TInt, Lo: lo, Hi: lo}
		}
		if ok1 && ok2 && hi-lo >= 1<<16 {
			c.errorf(t.Lo.Pos(), "range %d..%d has more than 65536 values", lo, hi)
		}
		return &Type{Kind: TInt, Lo: lo, Hi: hi}
	case *ast.NamedType:
		s := c.names[t.Name.Name]
		if s == nil {
			c.undefined(t.Name, c.typeNames())
			return badType
		}
		if s.kind != symEnum {
			c.errorf(t.Name.NamePos, "%s is a %s, not a type", s.name, symKindNames[s.kind])
			return badType
		}
		return &Type{Kind: TEnum, Enum: s.enum}
	case *ast.ArrayType:
		n, _ := c.constInt(t.Len, "the array length", 1, maxArray)
		elem := c.typ(t.Elem)
		if elem.Kind == TArray {
			c.errorf(t.Elem.Pos(), "arrays of arrays are not supported")
			elem = elem.Scalar()
		}
		return &Type{Kind: TArray, Len: n, Elem: elem}
	}
	return byteType
}

func (c *checker) typeNames() []string {
	out := []string{"bool"}
	for _, e := range c.prog.Enums {
		out = append(out, e.Name)
	}
	return out
}

// declareVars gives every global variable its type and initial value.
func (c *checker) declareVars() {
	for _, d := range c.file.Decls {
		d, ok := d.(*ast.VarDecl)
		if !ok {
			continue
		}
		s := c.names[d.Name.Name]
		if s == nil || s.kind != symVar {
			continue
		}
		v := &Var{Name: d.Name.Name, Pos: d.Name.NamePos}
		s.v = v
		c.prog.Vars = append(c.prog.Vars, v)
		var init *initValue
		if d.Init != nil {
			val, t, ok := c.constExpr(d.Init)
			if ok {
				init = &initValue{val, t, d.Init.Pos()}
			}
		}
		switch {
		case d.Type != nil:
			v.Type = c.typ(d.Type)
		case init != nil:
			v.Type = init.t
			if v.Type.Kind == TInt {
				v.Type = byteType
			}
		default:
			v.Type = byteType
		}
		if init != nil {
			c.checkInit(v, init)
		}
	}
}

type initValue struct {
	v   int
	t   *Type
	pos ast.Pos
}

func (c *checker) checkInit(v *Var, in *initValue) {
	st := v.Type.Scalar()
	if !assignable(st, in.t) {
		c.errorf(in.pos, "cannot initialise %s (%s) with a %s", v.Name, v.Type, in.t)
		return
	}
	if !st.Contains(in.v) {
		c.errorf(in.pos, "initial value %s is outside the range of %s (%s)", st.Format(in.v), v.Name, st)
		return
	}
	c.inits = append(c.inits, varInit{v, in.v})
}
