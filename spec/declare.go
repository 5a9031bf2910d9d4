package spec

import (
	"fmt"

	"github.com/interleave-dev/interleave/spec/ast"
)

var modifierKind = map[string]ast.ObjectKind{
	"reentrant": ast.KindLock, "robust": ast.KindLock,
	"bounded": ast.KindSemaphore, "reusable": ast.KindWaitGroup,
}

// declareObjects checks object declarations and creates their instances.
func (c *checker) declareObjects() {
	for _, s := range c.order {
		if s.kind != symObject {
			continue
		}
		d := s.odecl
		g := &Group{Name: s.name, Kind: d.Kind, Mod: d.Modifier, Count: 1, First: len(c.prog.Objects), Pos: s.pos}
		s.group = g
		c.prog.Groups = append(c.prog.Groups, g)
		if d.Count != nil {
			g.Array = true
			g.Count, _ = c.constInt(d.Count, "the number of objects", 1, maxArray)
		}
		if d.Modifier != "" && modifierKind[d.Modifier] != d.Kind {
			c.errorf(d.Start, "%s applies to a %s, not to a %s", d.Modifier, modifierKind[d.Modifier], d.Kind)
		}
		proto := Object{Group: g, Kind: d.Kind, Mod: d.Modifier, Lock: -1}
		c.objectShape(d, &proto)
		for i := 0; i < g.Count; i++ {
			o := proto
			o.Name = g.Name
			if g.Array {
				o.Name = fmt.Sprintf("%s[%d]", g.Name, i)
				if proto.Lock >= 0 && c.prog.Objects[proto.Lock].Group.Array {
					o.Lock = proto.Lock + i
				}
			}
			c.prog.Objects = append(c.prog.Objects, &o)
		}
	}
	c.inferElements()
}

// objectShape checks the parts of a declaration that depend on its kind.
func (c *checker) objectShape(d *ast.ObjectDecl, o *Object) {
	hasCap := d.Kind == ast.KindQueue || d.Kind == ast.KindChan
	switch {
	case d.Cap == nil && hasCap:
		c.errorf(d.Name.NamePos, "%s %s needs a capacity: %s %s[N]", d.Kind, d.Name.Name, d.Kind, d.Name.Name)
	case d.Cap != nil && !hasCap:
		c.errorf(d.Cap.Pos(), "only queues and channels have a capacity")
	case d.Kind == ast.KindQueue:
		o.Cap, _ = c.constInt(d.Cap, "the capacity of a queue", 1, maxCap)
	case d.Kind == ast.KindChan:
		o.Cap, _ = c.constInt(d.Cap, "the capacity of a channel", 0, maxCap)
	}
	if d.Elem != nil {
		if !hasCap {
			c.errorf(d.Elem.Pos(), "only queues and channels have an element type")
		} else if o.Elem = c.typ(d.Elem); o.Elem.Kind == TArray {
			c.errorf(d.Elem.Pos(), "the elements of a %s must be scalars", d.Kind)
			o.Elem = byteType
		}
	}
	switch {
	case d.Kind == ast.KindSemaphore:
		o.Init = 1
		if d.Init != nil {
			o.Init, _ = c.constInt(d.Init, "the initial value of a semaphore", 0, 255)
		}
		o.Max = 255
		if d.Modifier == "bounded" {
			o.Max = o.Init
		}
	case d.Init != nil:
		c.errorf(d.Init.Pos(), "only semaphores have an initial value")
	}
	switch {
	case d.Kind == ast.KindCondition && d.Lock == nil:
		c.errorf(d.Name.NamePos, "condition %s needs its lock: condition %s(m)", d.Name.Name, d.Name.Name)
	case d.Kind == ast.KindCondition:
		s := c.names[d.Lock.Name]
		switch {
		case s == nil:
			c.undefined(d.Lock, c.kindNames(ast.KindLock))
		case s.kind != symObject || s.odecl.Kind != ast.KindLock:
			c.errorf(d.Lock.NamePos, "%s is not a lock", d.Lock.Name)
		case s.group == nil:
			c.errorf(d.Lock.NamePos, "declare lock %s before the condition that uses it", d.Lock.Name)
		case s.group.Array && (d.Count == nil || s.group.Count != c.countOf(d)):
			c.errorf(d.Lock.NamePos, "%s is an array of %d locks: bind it to an array of as many conditions", s.name, s.group.Count)
		default:
			o.Lock = s.group.First
		}
	case d.Lock != nil:
		c.errorf(d.Lock.NamePos, "only a condition is bound to a lock")
	}
}

func (c *checker) countOf(d *ast.ObjectDecl) int {
	if d.Count == nil {
		return 1
	}
	n, _, _ := c.constExpr(d.Count)
	return n
}

func (c *checker) kindNames(k ast.ObjectKind) []string {
	var out []string
	for _, g := range c.prog.Groups {
		if g.Kind == k {
			out = append(out, g.Name)
		}
	}
	return out
}

// inferElements gives queues and channels declared without an element type
// the type of the values put or sent on them: an enum, bool, or 0..255.
func (c *checker) inferElements() {
	seen := make(map[*Group]*Type)
	where := make(map[*Group]ast.Pos)
	visit := func(call *ast.CallExpr) {
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "put" && sel.Sel.Name != "send") || len(call.Args) == 0 {
			return
		}
		g := c.groupOf(sel.X)
		if g == nil || c.prog.Objects[g.First].Elem != nil {
			return
		}
		t := c.guessType(call.Args[0])
		if old, ok := seen[g]; ok && !assignable(old, t) {
			c.errorf(call.Args[0].Pos(), "%s gets values of type %s here and %s at line %d: declare its element type (%s %s[N]: T)",
				g.Name, t, old, where[g].Line, g.Kind, g.Name)
			return
		}
		if _, ok := seen[g]; !ok {
			seen[g], where[g] = t, call.Args[0].Pos()
		}
	}
	for _, d := range c.file.Decls {
		switch d := d.(type) {
		case *ast.ActorDecl:
			walkCalls(d.Body, visit)
		case *ast.ProcDecl:
			walkCalls(d.Body, visit)
		}
	}
	for _, o := range c.prog.Objects {
		if o.Kind != ast.KindQueue && o.Kind != ast.KindChan || o.Elem != nil {
			continue
		}
		o.Elem = byteType
		if t, ok := seen[o.Group]; ok {
			o.Elem = t
		}
	}
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

// guessType classifies a value by its form, without a scope: an enum
// member, a boolean, or an int.
func (c *checker) guessType(x ast.Expr) *Type {
	switch x := x.(type) {
	case *ast.BoolLit:
		return boolType
	case *ast.Ident:
		if s := c.names[x.Name]; s != nil {
			switch s.kind {
			case symMember:
				return &Type{Kind: TEnum, Enum: s.enum}
			case symConst:
				if k := c.constValue(s); k.Type.Kind != TInt {
					return k.Type
				}
			case symVar:
				if s.v != nil && s.v.Type.Kind != TArray {
					return s.v.Type
				}
			}
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

// walkCalls calls f for every call expression in a block.
func walkCalls(b *ast.Block, f func(*ast.CallExpr)) {
	var expr func(ast.Expr)
	expr = func(x ast.Expr) {
		switch x := x.(type) {
		case *ast.CallExpr:
			f(x)
			for _, a := range x.Args {
				expr(a)
			}
		case *ast.UnaryExpr:
			expr(x.X)
		case *ast.BinaryExpr:
			expr(x.X)
			expr(x.Y)
		}
	}
	var stmt func(ast.Stmt)
	block := func(b *ast.Block) {
		if b != nil {
			for _, s := range b.Stmts {
				stmt(s)
			}
		}
	}
	stmt = func(s ast.Stmt) {
		switch s := s.(type) {
		case *ast.ExprStmt:
			expr(s.X)
		case *ast.AssignStmt:
			expr(s.Value)
		case *ast.LetStmt:
			expr(s.Value)
		case *ast.IfStmt:
			expr(s.Cond)
			block(s.Then)
			if s.Else != nil {
				stmt(s.Else)
			}
		case *ast.Block:
			block(s)
		case *ast.LoopStmt:
			block(s.Body)
		case *ast.WhileStmt:
			expr(s.Cond)
			block(s.Body)
		case *ast.ForStmt:
			block(s.Body)
		case *ast.AtomicStmt:
			block(s.Body)
		case *ast.EitherStmt:
			for _, b := range s.Branches {
				block(b)
			}
		case *ast.TryStmt:
			block(s.Body)
			for _, k := range s.Catches {
				block(k.Body)
			}
			block(s.Finally)
		case *ast.SelectStmt:
			for _, k := range s.Cases {
				if k.Comm != nil {
					stmt(k.Comm)
				}
				for _, b := range k.Body {
					stmt(b)
				}
			}
		}
	}
	block(b)
}

// declareActors checks actor declarations and creates their instances.
func (c *checker) declareActors() {
	for _, s := range c.order {
		if s.kind != symActor {
			continue
		}
		d := s.adecl
		at := &ActorType{Name: s.name, Count: 1, Dormant: d.Dormant, Daemon: d.Daemon,
			Cooperative: d.Cooperative, Pos: s.pos, Labels: make(map[string]*Label), First: len(c.prog.Actors)}
		s.actor = at
		if d.Count != nil {
			at.Array = true
			at.Count, _ = c.constInt(d.Count, "the number of instances", 1, maxInstance)
		}
		if d.Crashes != nil {
			at.Crashes, _ = c.constInt(d.Crashes, "the number of crashes", 0, 255)
			at.HasCrash = at.Crashes > 0
		}
		c.prog.Types = append(c.prog.Types, at)
		for i := 0; i < at.Count; i++ {
			name := at.Name
			if at.Array {
				name = fmt.Sprintf("%s[%d]", at.Name, i)
			}
			c.prog.Actors = append(c.prog.Actors, &Actor{ID: len(c.prog.Actors), Name: name, Type: at, Index: i})
		}
	}
	if len(c.prog.Actors) > maxActors {
		c.errorf(ast.Pos{Line: 1, Col: 1}, "%d actor instances; at most %d are supported", len(c.prog.Actors), maxActors)
	}
}
