package spec

import (
	"fmt"

	"github.com/interleave-dev/interleave/spec/ast"
)

var modifierKind = map[ast.Modifier]ast.ObjectKind{
	ast.Reentrant: ast.KindLock, ast.Robust: ast.KindLock,
	ast.Bounded: ast.KindSemaphore, ast.Reusable: ast.KindWaitGroup,
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
		if d.Modifier != ast.NoModifier && modifierKind[d.Modifier] != d.Kind {
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
		if d.Modifier == ast.Bounded {
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

// declareActors checks actor declarations and creates their instances.
func (c *checker) declareActors() {
	for _, s := range c.order {
		if s.kind != symActor {
			continue
		}
		d := s.adecl
		at := &ActorType{Name: s.name, Count: 1, Dormant: d.Dormant, Daemon: d.Daemon,
			Cooperative: d.Cooperative, Fairness: d.Fairness, Pos: s.pos, Labels: make(map[string]*Label), First: len(c.prog.Actors)}
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
