package spec

import (
	"slices"
	"strconv"

	"github.com/interleave-dev/interleave/spec/ast"
)

// methodCall checks m(args) on an object and returns either a query, which
// evaluates like any expression, or an opCall for the statement to run.
func (c *checker) methodCall(e *ast.CallExpr, sel *ast.Ident, ref ObjRef, reads, locs []int, en *env) *texpr {
	g := ref.Group
	info, ok := methods[g.Kind][sel.Name]
	if !ok {
		c.noMethod(g, sel)
		return nil
	}
	args, mode, ok := c.mode(e.Args, g, sel, info)
	if !ok {
		return nil
	}
	switch {
	case len(args) != info.args:
		c.errorf(e.Pos(), "%s", arityMessage(sel.Name, info, len(args)))
		return nil
	case en.konstOnly:
		c.errorf(e.Pos(), "not a constant expression")
		return nil
	}
	obj := c.prog.Objects[g.First]
	call := &opCall{obj: ref, kind: g.Kind, info: info, mode: mode, elem: obj.Elem, reads: reads, locs: locs, pos: e.Pos()}
	if call.args, ok = c.opArgs(args, sel, info, obj, en); !ok {
		return nil
	}
	call.result = resultType(info.result, mode, obj.Elem)
	if !info.query {
		return &texpr{t: call.result, call: call, pos: e.Pos(), reads: union(reads, locs)}
	}
	return c.query(call)
}

// opArgs types the value arguments of an operation: the element of a put
// or send, an int otherwise.
func (c *checker) opArgs(args []ast.Expr, sel *ast.Ident, info methodInfo, obj *Object, en *env) ([]*texpr, bool) {
	want := intType
	if info.m == MPut || info.m == MSend {
		want = obj.Elem
	}
	var out []*texpr
	for i, a := range args {
		x := c.operand(a, en)
		if x == nil {
			return nil, false
		}
		if !assignable(want, x.t) {
			c.errorf(a.Pos(), "argument %d of %s must be %s, not %s", i+1, sel.Name, typeWord(want), x.t)
			return nil, false
		}
		out = append(out, x)
	}
	return out, true
}

// mode splits a call's arguments from the mode written last (nowait,
// timeout, immediate), which the method must accept.
func (c *checker) mode(args []ast.Expr, g *Group, sel *ast.Ident, info methodInfo) ([]ast.Expr, Mode, bool) {
	n := len(args)
	if n == 0 {
		return args, ModeBlock, true
	}
	m, isMode := args[n-1].(*ast.ModeExpr)
	if !isMode {
		return args, ModeBlock, true
	}
	mode := modeNames[m.Mode]
	if !slices.Contains(info.modes, mode) {
		c.errorf(m.ModePos, "%s.%s() does not take %s", g.Name, sel.Name, m.Mode)
		return nil, mode, false
	}
	return args[:n-1], mode, true
}

// resultType is the type an operation returns, nil for none.
func resultType(r ResultKind, mode Mode, elem *Type) *Type {
	switch r {
	case ResBool:
		return boolType
	case ResInt:
		return intType
	case ResElem:
		return elem
	case ResBoolIf:
		if mode != ModeBlock {
			return boolType
		}
	}
	return nil
}

func typeWord(t *Type) string {
	if t.Kind == TInt && t.Lo == intType.Lo {
		return "an int"
	}
	return t.String()
}

// arityMessage explains the arguments an operation takes.
func arityMessage(name string, info methodInfo, got int) string {
	msg := name + " takes " + plural(info.args, "argument")
	if info.args == 0 {
		msg = name + " takes no argument"
	}
	if len(info.modes) > 0 {
		var ms []string
		for _, m := range info.modes {
			for k, v := range modeNames {
				if v == m {
					ms = append(ms, k)
				}
			}
		}
		alt := ms[0]
		if len(ms) == 2 {
			alt = ms[0] + " or " + ms[1]
		}
		msg += " (and optionally " + alt + ")"
	}
	return msg + ", got " + strconv.Itoa(got)
}

// query compiles a method that only reads its object.
func (c *checker) query(call *opCall) *texpr {
	p := c.prog
	ref := call.obj
	out := &texpr{t: call.result, reads: union(call.reads, call.locs), pos: call.pos}
	var read func(s []byte, o *Object) int
	switch call.info.m {
	case MLocked:
		read = func(s []byte, o *Object) int { return boolInt(o.OwnerID(s) != 0) }
	case MValue, MIsSet:
		read = func(s []byte, o *Object) int { return o.Value(s) }
	case MSize:
		read = func(s []byte, o *Object) int { return o.Len(s) }
	case MEmpty:
		read = func(s []byte, o *Object) int { return boolInt(o.Len(s) == 0) }
	case MFull:
		read = func(s []byte, o *Object) int { return boolInt(o.Len(s) >= o.Cap) }
	case MClosed:
		read = func(s []byte, o *Object) int { return boolInt(o.Flags(s)&(FlagClosed|FlagShutdown) != 0) }
	}
	out.eval = func(f *Frame) int {
		o := ref.Resolve(p, f)
		if o == nil {
			return 0
		}
		return read(f.S, o)
	}
	return out
}
