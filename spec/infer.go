package spec

import (
	"github.com/interleave-dev/interleave/spec/ast"
)

// inferElements gives queues and channels declared without an element type
// the type of the values put or sent on them: an enum, bool, or 0..255.
// A value's type is told from its form and from the locals of its body: a
// let of a member, of a variable, of a value got from another queue, a
// parameter of a declared type. Queues that take each other's values are
// settled together, until nothing changes.
func (c *checker) inferElements() {
	inf := &inference{c: c, elems: map[*Group]*Type{}, where: map[*Group]ast.Pos{}}
	for changed := true; changed; {
		changed = false
		inf.eachPut(func(g *Group, arg ast.Expr, t *Type) {
			if t != nil && inf.elems[g] == nil {
				inf.elems[g], inf.where[g] = t, arg.Pos()
				changed = true
			}
		})
	}
	unknown := map[*Group]ast.Expr{}
	inf.eachPut(func(g *Group, arg ast.Expr, t *Type) {
		old := inf.elems[g]
		switch {
		case t == nil:
			if _, ok := unknown[g]; !ok {
				unknown[g] = arg
			}
		case old != nil && !assignable(old, t):
			c.errorf(arg.Pos(), "%s gets values of type %s here and %s at line %d: declare its element type (%s %s[N]: T)",
				g.Name, t, old, inf.where[g].Line, g.Kind, g.Name)
		}
	})
	for _, o := range c.prog.Objects {
		if o.Kind != ast.KindQueue && o.Kind != ast.KindChan || o.Elem != nil {
			continue
		}
		o.Elem = byteType
		if t := inf.elems[o.Group]; t != nil {
			o.Elem = t
		} else if arg, ok := unknown[o.Group]; ok && o == c.prog.Objects[o.Group.First] {
			c.errorf(arg.Pos(), "cannot tell the element type of %s from the values put on it: declare it (%s %s[N]: T)",
				o.Group.Name, o.Group.Kind, o.Group.Name)
		}
	}
}

// inference holds what inferElements has learnt: the element type of each
// queue or channel declared without one, and where it was learnt.
type inference struct {
	c     *checker
	elems map[*Group]*Type
	where map[*Group]ast.Pos
}

// eachPut calls f for every put or send on a queue or channel declared
// without an element type, with the type of the value (nil if unknown).
func (inf *inference) eachPut(f func(g *Group, arg ast.Expr, t *Type)) {
	c := inf.c
	body := func(b *ast.Block, params []*ast.Param) {
		locals := inf.locals(b, params)
		ast.Inspect(b, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "put" && sel.Sel.Name != "send") {
				return true
			}
			if g := c.groupOf(sel.X); g != nil && c.prog.Objects[g.First].Elem == nil {
				f(g, call.Args[0], inf.guess(call.Args[0], locals))
			}
			return true
		})
	}
	for _, d := range c.file.Decls {
		switch d := d.(type) {
		case *ast.ActorDecl:
			body(d.Body, nil)
		case *ast.ProcDecl:
			body(d.Body, d.Params)
		}
	}
}

// unknownLocal marks a local whose type cannot be told (yet).
var unknownLocal = &Type{Kind: TInt}

// locals maps the names a body declares (lets, choose, for, parameters) to
// their types as far as they can be told; a name declared twice with two
// types is unknown.
func (inf *inference) locals(b *ast.Block, params []*ast.Param) map[string]*Type {
	out := map[string]*Type{}
	add := func(name string, t *Type) {
		if t == nil {
			t = unknownLocal
		}
		if old, ok := out[name]; ok && old != t && !(old.Kind == t.Kind && (t.Kind != TEnum || old.Enum == t.Enum)) {
			t = unknownLocal
		}
		out[name] = t
	}
	for _, p := range params {
		add(p.Name.Name, inf.declared(p.Type))
	}
	// Twice: a let may use a local declared after it in the text (in a loop).
	for range 2 {
		ast.Inspect(b, func(n ast.Node) bool {
			switch s := n.(type) {
			case *ast.LetStmt:
				switch {
				case s.Type != nil:
					for _, n := range s.Names {
						add(n.Name, inf.declared(s.Type))
					}
				case len(s.Names) == 1:
					add(s.Names[0].Name, inf.guess(s.Value, out))
				case len(s.Names) == 2: // let v, ok = c.recv()
					add(s.Names[0].Name, inf.guess(s.Value, out))
					add(s.Names[1].Name, boolType)
				}
			case *ast.ChooseStmt:
				add(s.Var.Name, byteType)
			case *ast.ForStmt:
				add(s.Var.Name, byteType)
			}
			return true
		})
	}
	return out
}

// nameType returns the type of a global name whose type is not a plain
// int, or nil.
func (inf *inference) nameType(name string) *Type {
	s := inf.c.names[name]
	if s == nil {
		return nil
	}
	switch s.kind {
	case symMember:
		return &Type{Kind: TEnum, Enum: s.enum}
	case symConst:
		if k := inf.c.constValue(s); k.Type.Kind != TInt {
			return k.Type
		}
	case symVar:
		if s.v != nil && s.v.Type.Kind != TArray {
			return s.v.Type
		}
	}
	return nil
}

// callType returns what a get, a recv or a fn call yields, as far as it
// can be told; false when the call is none of those.
func (inf *inference) callType(x *ast.CallExpr) (*Type, bool) {
	c := inf.c
	if sel, ok := x.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "get" || sel.Sel.Name == "recv") {
		if g := c.groupOf(sel.X); g != nil {
			if t := c.prog.Objects[g.First].Elem; t != nil {
				return t, true
			}
			return inf.elems[g], true
		}
	}
	if id, ok := x.Fun.(*ast.Ident); ok {
		if s := c.names[id.Name]; s != nil && s.kind == symFn {
			return inf.guess(s.fn.Body, nil), true
		}
	}
	return nil, false
}

// declared returns the scalar type a declaration names, without reporting
// errors (the checker does that where the type is declared).
func (inf *inference) declared(t ast.Type) *Type {
	switch t := t.(type) {
	case *ast.BoolType:
		return boolType
	case *ast.NamedType:
		if s := inf.c.names[t.Name.Name]; s != nil && s.kind == symEnum {
			return &Type{Kind: TEnum, Enum: s.enum}
		}
		return nil
	}
	return byteType
}

// guess classifies a value by its form: an enum member, a boolean, an int,
// the element of a queue it was got from, a local of a known type; nil
// when it cannot be told.
func (inf *inference) guess(x ast.Expr, locals map[string]*Type) *Type {
	c := inf.c
	switch x := x.(type) {
	case *ast.BoolLit:
		return boolType
	case *ast.Ident:
		if t, ok := locals[x.Name]; ok {
			if t == unknownLocal {
				return nil
			}
			return t
		}
		if t := inf.nameType(x.Name); t != nil {
			return t
		}
	case *ast.IndexExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			if s := c.names[id.Name]; s != nil && s.kind == symVar && s.v != nil && s.v.Type.Kind == TArray {
				return s.v.Type.Scalar()
			}
		}
	case *ast.CallExpr:
		if t, ok := inf.callType(x); ok {
			return t
		}
	case *ast.UnaryExpr:
		if x.Op == "!" {
			return boolType
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case "==", "!=", "<", "<=", ">", ">=", "&&", "||", "->":
			return boolType
		}
	}
	return byteType
}

// groupOf returns the object group an expression names: q or q[i].
func (c *checker) groupOf(x ast.Expr) *Group {
	if ix, ok := x.(*ast.IndexExpr); ok {
		x = ix.X
	}
	id, ok := x.(*ast.Ident)
	if !ok {
		return nil
	}
	if s := c.names[id.Name]; s != nil && s.kind == symObject {
		return s.group
	}
	return nil
}
