package spec

import "github.com/interleave-dev/interleave/spec/ast"

// layoutGlobals places variables and objects in the state, and numbers the
// shared locations.
func (c *checker) layoutGlobals() {
	p := c.prog
	off := 0
	for _, v := range p.Vars {
		v.Off = off
		off += v.Type.Width()
		v.Loc = len(p.Locs)
		p.Locs = append(p.Locs, Loc{Kind: LocVar, Index: len(p.Locs), Name: v.Name})
	}
	for i, o := range p.Objects {
		o.Off = off
		o.Size = objectSize(o, len(p.Actors))
		off += o.Size
		o.Loc = len(p.Locs)
		p.Locs = append(p.Locs, Loc{Kind: LocObject, Index: i, Name: o.Name})
	}
	for i, a := range p.Actors {
		a.Loc = len(p.Locs)
		p.Locs = append(p.Locs, Loc{Kind: LocActor, Index: i, Name: a.Name})
	}
	// Var locations index Vars, not Locs.
	for i, v := range p.Vars {
		p.Locs[v.Loc].Index = i
	}
	p.StateSize = off
}

// layoutActors places each actor instance after the globals: a status byte,
// the program counter, a crash count when the actor can crash, its locals.
func (c *checker) layoutActors() {
	p := c.prog
	off := p.StateSize
	for _, a := range p.Actors {
		at := a.Type
		a.Off = off
		off += 1 + at.PCWidth
		if at.HasCrash {
			off++
		}
		a.Locals = off
		off += at.LocalSize
	}
	p.StateSize = off
}

// buildInit writes the initial values of variables and objects and the
// initial status of every actor. Actors stand at pc 0 until the interpreter
// settles them on their first step (see Program.Init).
func (c *checker) buildInit() {
	p := c.prog
	s := make([]byte, p.StateSize)
	for _, in := range c.inits {
		t := in.v.Type
		if t.Kind == TArray {
			w := t.Elem.Width()
			for i := 0; i < t.Len; i++ {
				store(s, in.v.Off+i*w, t.Elem, w, in.val)
			}
		} else {
			store(s, in.v.Off, t, t.Width(), in.val)
		}
	}
	for _, o := range p.Objects {
		if o.Kind == ast.KindSemaphore {
			o.SetValue(s, o.Init)
		}
	}
	for _, a := range p.Actors {
		if !a.Type.Dormant {
			a.SetStatus(s, Running)
		}
	}
	p.init = s
}
