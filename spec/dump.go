package spec

import (
	"fmt"
	"io"
	"strings"

	"github.com/interleave-dev/interleave/spec/ast"
)

// Dump writes the lowered program as text: the state layout, then each
// actor type's code with one instruction a line. Rest instructions (where
// an actor can stand) are marked with '*'.
func (p *Program) Dump(w io.Writer) {
	fmt.Fprintf(w, "spec %s: %d bytes of state\n", p.Name, p.StateSize)
	for _, v := range p.Vars {
		fmt.Fprintf(w, "  @%-3d var %s: %s\n", v.Off, v.Name, v.Type)
	}
	for _, o := range p.Objects {
		desc := string(o.Kind)
		if o.Mod != ast.NoModifier {
			desc = string(o.Mod) + " " + desc
		}
		fmt.Fprintf(w, "  @%-3d %s %s (%d bytes)\n", o.Off, desc, o.Name, o.Size)
	}
	for _, a := range p.Actors {
		fmt.Fprintf(w, "  @%-3d actor %s: status, pc", a.Off, a.Name)
		if a.Type.HasCrash {
			fmt.Fprint(w, ", crashes")
		}
		for _, l := range a.Type.Locals {
			fmt.Fprintf(w, ", %s@%d", l.Name, a.Locals+l.Off)
		}
		fmt.Fprintln(w)
	}
	for _, at := range p.Types {
		fmt.Fprintf(w, "\nactor %s:\n", at.Name)
		for pc := range at.Code {
			fmt.Fprintf(w, "  %s\n", at.describe(pc))
		}
	}
}

// describe renders one instruction for Dump.
func (at *ActorType) describe(pc int) string {
	in := &at.Code[pc]
	mark := " "
	if in.Rest {
		mark = "*"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s%3d  %-8s", mark, pc, in.Op)
	switch in.Op {
	case OpJump:
		fmt.Fprintf(&b, " -> %d", in.Target)
	case OpBranch:
		fmt.Fprintf(&b, " %s  else -> %d", in.Text, in.Target)
	case OpEither:
		fmt.Fprintf(&b, " -> %v", in.Targets)
	case OpSelect:
		for _, c := range in.Cases {
			fmt.Fprintf(&b, " [%s -> %d]", c.Text, c.Body)
		}
	case OpCatch:
		for _, a := range in.Catch {
			fmt.Fprintf(&b, " [%v any=%t -> %d]", a.Errs, a.Any, a.Body)
		}
		if in.Slot >= 0 {
			fmt.Fprintf(&b, " else finally -> %d", in.Target)
		}
	case OpFinally:
		fmt.Fprintf(&b, " -> %d exits %v", in.Target, in.Exits)
	default:
		if in.Text != "" {
			fmt.Fprintf(&b, " %s", in.Text)
		}
	}
	if in.Handler >= 0 && (in.Rest || in.Op == OpRaise) {
		fmt.Fprintf(&b, "  !-> %d", in.Handler)
	}
	if in.Atomic != 0 {
		fmt.Fprintf(&b, "  atomic#%d", in.Atomic)
	}
	if in.Blocking {
		b.WriteString("  blocks")
	}
	if len(in.Access.Reads)+len(in.Access.Writes) > 0 {
		fmt.Fprintf(&b, "  r%v w%v", in.Access.Reads, in.Access.Writes)
	}
	fmt.Fprintf(&b, "  ; line %d", in.Pos.Line)
	return b.String()
}
